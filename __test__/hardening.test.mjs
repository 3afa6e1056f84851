// Regression tests of issue 15 (hardening): each finding of the adversarial run, as a test that
// fails if it comes back. The broad sweep is fuzz.test.mjs; the load is stress.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import {
  LateClient,
  LateValidationError,
  LateAbortError,
  LateTimeoutError,
  InternalServerError,
  WebhookVerificationError,
  verifyWebhook,
  signWebhook,
  createMemoryEventStore,
  createWebhookHandler,
} from '../index.mjs'
import { startSimulator } from '../testing.mjs'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'
import { runNode } from './helpers/run-node.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const PROFILES = happyRoutes()['GET /v1/profiles']
const DEFAULT_ID = '64f0000000000000000000d1'

/** Resolves to `{ ms, value }` or `{ ms, error }`: how long a promise took to settle, and how. */
async function timed(promise) {
  const started = Date.now()
  try {
    const value = await promise
    return { ms: Date.now() - started, value }
  } catch (error) {
    return { ms: Date.now() - started, error }
  }
}

function isValidation(param) {
  return (e) => {
    assert.ok(e instanceof LateValidationError, `expected a LateValidationError, got ${e && e.name}: ${e && e.message}`)
    if (param !== undefined) assert.equal(e.param, param)
    return true
  }
}

// ---- the default-profile lookup --------------------------------------------------------------

test('a call waiting on another call’s default-profile lookup honours its own signal, timeoutMs and deadlineMs', async (t) => {
  // The first GET /v1/profiles never answers; later ones do.
  const api = await startMockApi({ ...happyRoutes(), 'GET /v1/profiles': (r, { count }) => (count === 1 ? { hang: true } : PROFILES) })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  const leader = new AbortController()
  const first = late.defaultProfileId({ signal: leader.signal }) // holds the lookup (60 s timeout)
  t.after(() => leader.abort())
  first.catch(() => {})
  while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5))

  // Aborted at 100 ms while waiting: rejects then, not when the other lookup ends.
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 100)
  const aborted = await timed(late.listAccounts({}, { signal: ac.signal, timeoutMs: 200, deadlineMs: 300 }))
  assert.ok(aborted.error instanceof LateAbortError, String(aborted.error))
  assert.ok(aborted.ms < 1_500, `settled after ${aborted.ms} ms`)

  // Not aborted: waits one attempt (200 ms), then looks the profile up itself, within its deadline.
  const own = await timed(late.connectInstagram({}, { timeoutMs: 200, deadlineMs: 3_000 }))
  assert.ok(own.value && own.value.connectUrl.includes(DEFAULT_ID), String(own.error))
  assert.ok(own.ms < 2_500, `settled after ${own.ms} ms`)

  // A clone shares the cache: served without another request.
  const before = api.requests.length
  assert.equal(await late.withOptions({ timeoutMs: 100 }).defaultProfileId(), DEFAULT_ID)
  assert.equal(api.requests.length, before)
})

test('a deadline bounds a call that waits on another call’s lookup', async (t) => {
  const api = await startMockApi({ ...happyRoutes(), 'GET /v1/profiles': { hang: true } })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  const leader = new AbortController()
  late.defaultProfileId({ signal: leader.signal }).catch(() => {})
  t.after(() => leader.abort())
  while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
  const r = await timed(late.defaultProfileId({ timeoutMs: 200, deadlineMs: 300 }))
  assert.ok(r.error instanceof LateTimeoutError, String(r.error))
  assert.ok(r.ms < 1_500, `settled after ${r.ms} ms`)
})

test('a failed default-profile lookup does not poison the cache or the next caller', async (t) => {
  const api = await startMockApi({
    ...happyRoutes(),
    'GET /v1/profiles': (r, { count }) => (count === 1 ? { status: 503, body: { error: 'busy' } } : PROFILES),
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  await assert.rejects(late.defaultProfileId(), InternalServerError)
  assert.equal(await late.defaultProfileId(), DEFAULT_ID)
  assert.equal(await late.defaultProfileId(), DEFAULT_ID)
  assert.equal(api.requests.length, 2, 'the success is cached')
})

test('when the call leading the lookup is aborted, a waiting call takes over instead of failing', async (t) => {
  const api = await startMockApi({ ...happyRoutes(), 'GET /v1/profiles': (r, { count }) => (count === 1 ? { hang: true } : PROFILES) })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  const leader = new AbortController()
  const first = late.defaultProfileId({ signal: leader.signal })
  while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
  const waiter = late.listAccounts()
  setTimeout(() => leader.abort(), 100)
  await assert.rejects(first, LateAbortError)
  const accounts = await waiter
  assert.equal(accounts.length, 2)
})

test('one deadlineMs bounds every page of listAccounts, not each page anew', async (t) => {
  const pages = { undefined: 'c2', c2: 'c3', c3: null }
  const api = await startMockApi({
    ...happyRoutes(),
    'GET /v1/accounts': async (r) => {
      await new Promise((done) => setTimeout(done, 300))
      const next = pages[r.query.cursor]
      return { body: { accounts: [{ _id: `a_${r.query.cursor}`, platform: 'instagram' }], pagination: { limit: 1, nextCursor: next } } }
    },
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  assert.equal((await late.listAccounts({ profileId: 'p' })).length, 3)
  // Three pages of 300 ms each cannot fit in 700 ms (each page alone would).
  await assert.rejects(late.listAccounts({ profileId: 'p' }, { deadlineMs: 700 }), LateTimeoutError)
})

test('a promise-returning method never throws synchronously: defaultProfileId({ timeoutMs: -1 }) rejects', async () => {
  const late = new LateClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api' })
  let promise
  assert.doesNotThrow(() => {
    promise = late.defaultProfileId({ timeoutMs: -1 })
  })
  await assert.rejects(promise, isValidation('options.timeoutMs'))
})

// ---- media.upload onProgress -----------------------------------------------------------------

async function startStorage() {
  const puts = []
  const server = http.createServer((req, res) => {
    let size = 0
    req.on('data', (c) => (size += c.length))
    req.on('end', () => {
      if (req.url === '/api/v1/media/presign') {
        const port = server.address().port
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ uploadUrl: `http://127.0.0.1:${port}/bucket/o`, publicUrl: `http://127.0.0.1:${port}/o`, key: 'o' }))
        return
      }
      puts.push(size)
      res.writeHead(200, { etag: '"e"' })
      res.end()
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { baseUrl: `http://127.0.0.1:${server.address().port}/api`, puts, close: () => new Promise((r) => server.close(r)) }
}

test('an onProgress that throws rejects that upload with its error and never reaches uncaughtException', async (t) => {
  const storage = await startStorage()
  t.after(() => storage.close())
  // In a process with no handler at all: an uncaught exception would kill it (exit code 1).
  const script = `
    const { LateClient } = require('./index.js')
    const late = new LateClient({ apiKey: '${KEY}', baseUrl: process.env.BASE })
    const boom = new Error('callback failed')
    late.media.upload(Buffer.alloc(300_000), { contentType: 'image/png', onProgress: () => { throw boom } })
      .then(() => console.log('RESOLVED'), (e) => console.log(e === boom ? 'REJECTED WITH ITS ERROR' : 'OTHER ' + e))
    late.media.upload(Buffer.alloc(1000), { contentType: 'image/png', onProgress: async () => { throw boom } })
      .then(() => console.log('RESOLVED'), (e) => console.log(e === boom ? 'ASYNC REJECTED WITH ITS ERROR' : 'OTHER ' + e))`
  const r = await runNode(['-e', script], { cwd: root, env: { ...process.env, BASE: storage.baseUrl } })
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /^REJECTED WITH ITS ERROR$/m)
  assert.match(r.out, /^ASYNC REJECTED WITH ITS ERROR$/m)
  assert.doesNotMatch(r.out, /RESOLVED|OTHER/)
})

test('an onProgress that is not callable is a LateValidationError before anything is sent', async (t) => {
  const storage = await startStorage()
  t.after(() => storage.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: storage.baseUrl })
  for (const onProgress of [class Progress {}, 'log', 42, {}]) {
    await assert.rejects(late.media.upload(Buffer.from('x'), { contentType: 'image/png', onProgress }), isValidation('onProgress'))
  }
  assert.equal(storage.puts.length, 0)
})

// ---- raw errors that must be the package's own -------------------------------------------------

test('verifyWebhook: a secret list with a hole, a null-prototype headers object or header value', () => {
  const { body, headers } = signWebhook({ event: 'account.connected' }, 'whsec_x')
  const reason = (r) => (e) => e instanceof WebhookVerificationError && e.reason === r
  assert.throws(() => verifyWebhook(body, headers, [, 'whsec_x']), reason('missing_secret')) // eslint-disable-line no-sparse-arrays
  assert.throws(() => verifyWebhook(body, headers, new Array(2)), reason('missing_secret'))
  const bare = Object.assign(Object.create(null), headers)
  assert.equal(verifyWebhook(body, bare, 'whsec_x').event, 'account.connected')
  assert.throws(() => verifyWebhook(body, { 'x-zernio-signature': Object.create(null) }, 'whsec_x'), reason('missing_header'))
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  assert.throws(() => verifyWebhook(body, revoked.proxy, 'whsec_x'), (e) => reason('missing_header')(e) && e.cause instanceof TypeError)
})

test('a body with a BigInt, a cycle or 10,000 levels of nesting is a LateValidationError; nothing is sent', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const cyclic = { name: 'x' }
  cyclic.self = cyclic
  let deep = {}
  for (let i = 0; i < 10_000; i++) deep = { a: deep }
  for (const [body, why] of [[{ n: 1n }, /BigInt/], [cyclic, /circular/], [deep, /nested too deeply/]]) {
    await assert.rejects(late.request('POST /v1/profiles', { body }), (e) => isValidation('body')(e) && why.test(e.message) && e.cause instanceof Error)
    await assert.rejects(late.profiles.create(body.name ? body : { name: 'n', body }), isValidation('body'))
    assert.throws(() => signWebhook({ event: 'x', body }, 'whsec_x'), (e) => e instanceof WebhookVerificationError && e.reason === 'invalid_body')
  }
  assert.equal(api.requests.length, 0)
})

test('an AbortSignal-like object without removeEventListener is refused up front; one whose removeEventListener throws keeps the result', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const like = { aborted: false, addEventListener() {} }
  await assert.rejects(late.listAccounts({ profileId: 'p' }, { signal: like }), isValidation('options.signal'))
  assert.equal(api.requests.length, 0)
  const throwing = {
    aborted: false,
    addEventListener() {},
    removeEventListener() {
      throw new Error('cannot remove')
    },
  }
  const accounts = await late.listAccounts({ profileId: 'p' }, { signal: throwing })
  assert.equal(accounts.length, 2, 'the successful result is returned')
})

test('a lone surrogate in a path parameter, query or header is a LateValidationError, not a URIError', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await assert.rejects(late.request('GET /v1/accounts/{accountId}/health', { params: { accountId: 'a\uD800' } }), isValidation('params.accountId'))
  await assert.rejects(late.posts.get('\uDC00'), isValidation('postId'))
  await assert.rejects(late.request('GET /v1/accounts', { query: { q: '\uD800' } }), isValidation('query.q'))
  await assert.rejects(late.listAccounts({ profileId: 'p' }, { headers: { 'x-a': '\uD800' } }), isValidation('options.headers.x-a'))
  assert.equal(api.requests.length, 0)
})

test('createMemoryEventStore checks now and ttlMs when it is created', () => {
  assert.throws(() => createMemoryEventStore({ now: 'x' }), isValidation('options.now'))
  assert.throws(() => createMemoryEventStore({ ttlMs: 1n }), isValidation('options.ttlMs'))
  assert.throws(() => createMemoryEventStore({ maxEntries: 0 }), isValidation('options.maxEntries'))
  assert.throws(() => createMemoryEventStore({ now: class Clock {} }), isValidation('options.now'))
  const store = createMemoryEventStore({ now: () => 'not a number' })
  assert.throws(() => store.claim('e1'), isValidation('options.now'))
  assert.throws(() => createWebhookHandler({ secret: 'whsec_x', onEvent: class Handler {} }), isValidation('options.onEvent'))
})

test('a method called detached from its client is a LateValidationError naming `this`', async () => {
  const late = new LateClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api' })
  const { listAccounts, connect, request, defaultProfileId, withOptions } = late
  await assert.rejects(listAccounts(), isValidation('this'))
  await assert.rejects(connect('instagram'), isValidation('this'))
  await assert.rejects(request('GET /v1/profiles'), isValidation('this'))
  await assert.rejects(defaultProfileId(), isValidation('this'))
  assert.throws(() => withOptions({}), isValidation('this'))
  const { get, list } = late.posts
  await assert.rejects(get('p1'), isValidation('this'))
  assert.throws(() => list(), isValidation('this'))
  const { upload } = late.media
  await assert.rejects(upload(Buffer.from('x'), { contentType: 'image/png' }), isValidation('this'))
  const { toArray } = late.posts.list()
  await assert.rejects(toArray(), isValidation('this'))
})

test('startSimulator and sim.faults.inject: bad input is the documented TypeError naming the field', async (t) => {
  const typeError = (param) => (e) => e instanceof TypeError && e.param === param
  await assert.rejects(startSimulator({ apiKey: 'a\0b' }), typeError('options.apiKey'))
  await assert.rejects(startSimulator({ webhookUrl: 'http://127.0.0.1:9/\r\nx' }), typeError('options.webhookUrl'))
  const sim = await startSimulator()
  t.after(() => sim.close())
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  assert.throws(() => sim.faults.inject(revoked.proxy), (e) => typeError('fault')(e) && e.cause instanceof TypeError)
  assert.throws(() => sim.faults.inject([, { route: '*', status: 500 }]), typeError('fault')) // eslint-disable-line no-sparse-arrays
  assert.throws(() => sim.faults.inject({ route: '*', status: 500, body: { n: 1n } }), typeError('fault.body'))
  assert.throws(() => sim.faults.inject({ route: 'GET /v1/a\r\nb', status: 500 }), typeError('fault.route'))
  assert.throws(() => sim.addAccount({ platform: 'instagram', n: 1n }), typeError('fields'))
  await assert.rejects(sim.grantConsent('x'.repeat(100_000)), (e) => typeError('authUrl')(e) && e.message.length < 1000)
  const { reset } = sim
  assert.throws(() => reset(), typeError('this'))
  assert.deepEqual(sim.faults.list(), [])
})

test('an input that cannot be read (revoked Proxy, throwing getter) is a LateValidationError with the original as cause', async () => {
  const late = new LateClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api' })
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  await assert.rejects(late.listAccounts(revoked.proxy), (e) => isValidation('params')(e) && e.cause instanceof TypeError)
  const boom = new Error('getter')
  const getter = { get timeoutMs() {
    throw boom
  } }
  await assert.rejects(late.listAccounts({ profileId: 'p' }, getter), (e) => isValidation('options')(e) && e.cause === boom)
  assert.throws(() => new LateClient(revoked.proxy), isValidation('options'))
})

// ---- headers and URLs ------------------------------------------------------------------------

test('framing and hop-by-hop headers are refused: defaultHeaders, per-call headers and request headers', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  assert.throws(() => new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, defaultHeaders: { 'Content-Length': '1' } }), isValidation('defaultHeaders.content-length'))
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  assert.throws(() => late.withOptions({ defaultHeaders: { host: 'evil.example' } }), isValidation('defaultHeaders.host'))
  for (const name of ['content-length', 'Transfer-Encoding', 'host', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-connection']) {
    const lower = name.toLowerCase()
    await assert.rejects(late.listAccounts({ profileId: 'p' }, { headers: { [name]: '1' } }), isValidation(`options.headers.${lower}`))
    await assert.rejects(late.request({ method: 'POST', path: '/v1/profiles', body: { name: 'n' }, headers: { [name]: '1' } }), isValidation(`headers.${lower}`))
  }
  await assert.rejects(late.request('GET /v1/profiles', { headers: { 'x-a': 'a\r\nX-Injected: 1' } }), isValidation('headers.x-a'))
  assert.equal(api.requests.length, 0)
})

test('a URL above 16 KiB is refused up front with a short message, and not retried', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const q = 'x'.repeat(70_000)
  await assert.rejects(late.request('GET /v1/accounts', { query: { q } }), (e) => {
    isValidation('query')(e)
    assert.ok(e.message.length < 300, e.message)
    assert.match(e.message, /16384/)
    return true
  })
  await assert.rejects(late.request({ method: 'GET', path: `/v1/${'a'.repeat(20_000)}` }), isValidation('path'))
  assert.equal(api.requests.length, 0)
})

// ---- waits between attempts ------------------------------------------------------------------

test('maxRetryWaitMs caps the client’s own backoff too', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { status: 503, body: { error: 'busy' } } })
  t.after(() => api.close())
  // Uncapped, five retries wait at least 0.375 + 0.75 + 1.5 + 3 + 6 = 11.6 s.
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 5, maxRetryWaitMs: 1 })
  const r = await timed(late.request('GET /v1/profiles'))
  assert.ok(r.error instanceof InternalServerError)
  assert.equal(r.error.attempts, 6)
  assert.ok(r.ms < 6_000, `took ${r.ms} ms: the backoff was not capped`)
  // Per call as well.
  const api2 = await startMockApi({ 'GET /v1/profiles': { status: 503, body: { error: 'busy' } } })
  t.after(() => api2.close())
  const r2 = await timed(new LateClient({ apiKey: KEY, baseUrl: api2.baseUrl, maxRetries: 5 }).request('GET /v1/profiles', undefined, { maxRetryWaitMs: 1 }))
  assert.equal(r2.error.attempts, 6)
  assert.ok(r2.ms < 6_000, `took ${r2.ms} ms: the per-call cap was not applied`)
})
