// late-native/zernio against the official SDK (`@zernio/node`, pinned dev dependency), field by
// field: for the same server answers, the same results `{ data, request, response }` and the same
// errors (class, message and every official field), while the errors are also late-native's
// `LateApiError`. Plus the constructor (options, env order, the key kept out of inspect/JSON).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import OfficialDefault, * as Official from '@zernio/node'
import Zernio, * as Compat from '../zernio.mjs'
import { LateApiError as NativeLateApiError, LateClient, PartialPublishError, LateValidationError } from '../index.mjs'
import { startRecorder } from './helpers/recorder.mjs'

const KEY = 'sk_test_compat_fields'
const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0x80, 0x0a])

/** A server answering whatever the current case says. */
async function scripted() {
  let answer
  const rec = await startRecorder(() => answer)
  return { rec, set: (a) => (answer = a) }
}

async function settle(p) {
  try {
    return { ok: true, value: await p }
  } catch (error) {
    return { ok: false, error }
  }
}

const SKIP_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding'])
function headerList(h) {
  return [...h.entries()].filter(([k]) => !SKIP_HEADERS.has(k)).sort()
}

async function dataView(d) {
  if (d instanceof Blob) return { blob: d.type, bytes: Buffer.from(await d.arrayBuffer()).toString('hex') }
  return d
}

function urlView(u) {
  const url = new URL(u)
  return { origin: url.origin, path: decodeURIComponent(url.pathname), query: [...url.searchParams.entries()].sort() }
}

const RESULT_CASES = [
  ['200 JSON with headers', ['posts', 'getPost'], { path: { postId: 'p 1' } }, { status: 200, headers: { 'x-request-id': 'req_1', 'x-ratelimit-limit': '600', 'x-custom': 'a' }, body: { post: { _id: 'p1', status: 'scheduled' } } }],
  ['201 created', ['posts', 'createPost'], { body: { content: 'hi', platforms: [] } }, { status: 201, body: { message: 'Post created', post: { _id: 'p2' } } }],
  ['207 partial publish', ['posts', 'createPost'], { body: { content: 'hi', publishNow: true } }, { status: 207, body: { post: { _id: 'p3', status: 'partial' }, platformResults: [] } }],
  ['204 no content', ['posts', 'deletePost'], { path: { postId: 'p4' } }, { status: 204 }],
  ['200 with content-length 0', ['profiles', 'listProfiles'], {}, { status: 200, headers: { 'content-type': 'application/json', 'content-length': '0' }, raw: '' }],
  ['text/csv', ['sms', 'listSmsOptOuts'], { query: { limit: 5 } }, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, raw: 'phone,at\n+1555,2026-01-01\n' }],
  ['query with a Date', ['analytics', 'getAnalytics'], { query: { fromDate: new Date(Date.UTC(2026, 0, 2)), platform: 'instagram' }, headers: { 'X-Trace': 't1' } }, { status: 200, body: { overview: {} } }],
  ['a PDF download', ['phonenumbers', 'viewPhoneNumberKycDocument'], { path: { documentId: 'd1' } }, { status: 200, headers: { 'content-type': 'application/pdf' }, raw: PDF }],
]

test('results: data, request and response match the official SDK for the same answers', async (t) => {
  const { rec, set } = await scripted()
  t.after(() => rec.close())
  const defaultHeaders = { 'X-App': 'compat-test' }
  const official = new OfficialDefault({ apiKey: KEY, baseURL: rec.baseUrl, defaultHeaders })
  const compat = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl, defaultHeaders, maxRetries: 0 })
  for (const [name, where, args, answer] of RESULT_CASES) {
    set(answer)
    const theirs = await where.reduce((o, k) => o[k], official)(args)
    const ours = await where.reduce((o, k) => o[k], compat)(args)
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), name)
    assert.deepEqual(await dataView(ours.data), await dataView(theirs.data), `${name}: data`)
    for (const f of ['status', 'statusText', 'ok', 'redirected', 'type']) {
      assert.equal(ours.response[f], theirs.response[f], `${name}: response.${f}`)
    }
    assert.ok(ours.response instanceof Response, `${name}: response is a Response`)
    assert.deepEqual(headerList(ours.response.headers), headerList(theirs.response.headers), `${name}: response.headers`)
    assert.deepEqual(urlView(ours.response.url), urlView(theirs.response.url), `${name}: response.url`)
    assert.ok(ours.request instanceof Request, `${name}: request is a Request`)
    assert.equal(ours.request.method, theirs.request.method, `${name}: request.method`)
    assert.deepEqual(urlView(ours.request.url), urlView(theirs.request.url), `${name}: request.url`)
    for (const h of ['content-type', 'x-app', 'x-trace']) {
      assert.equal(ours.request.headers.get(h), theirs.request.headers.get(h), `${name}: request header ${h}`)
    }
    // The key never leaves the client: the official Request carries it, ours does not.
    assert.equal(ours.request.headers.get('authorization'), null)
    rec.take()
  }
})

test('a 207 partial publish: data on late-native/zernio (as the official SDK), PartialPublishError on LateClient', async (t) => {
  const { rec, set } = await scripted()
  t.after(() => rec.close())
  set({ status: 207, body: { post: { _id: 'p3', status: 'failed' }, platformResults: [{ platform: 'twitter', status: 'failed' }] } })
  const compat = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl })
  const { data, response } = await compat.posts.createPost({ body: { content: 'x', publishNow: true } })
  assert.equal(response.status, 207)
  assert.equal(data.post.status, 'failed')
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  await assert.rejects(late.posts.createPost({ body: { content: 'x', publishNow: true } }), (e) => e instanceof PartialPublishError && e.postStatus === 'failed')
})

const ERROR_CASES = [
  ['400 with details.fields', { status: 400, body: { error: 'Invalid body', code: 'validation_error', type: 'invalid_request_error', details: { fields: { content: ['required'] } } } }],
  ['400 with param and docUrl', { status: 400, body: { error: 'Bad cursor', code: 'invalid_cursor', type: 'invalid_request_error', param: 'cursor', docUrl: 'https://docs.zernio.com/errors#invalid_cursor' } }],
  ['401', { status: 401, body: { error: 'Unauthorized', code: 'invalid_credentials', type: 'authentication_error' } }],
  ['402', { status: 402, body: { error: 'Payment required', code: 'payment_required' } }],
  ['403 platform error', { status: 403, body: { error: 'Meta refused', type: 'platform_error', code: 'platform_api_error', platform: 'facebook', platformError: { code: 10, error_subcode: 2018278, fbtrace_id: 'A1' } } }],
  ['404 message only', { status: 404, body: { message: 'Not found' } }],
  ['404 error and message', { status: 404, body: { error: 'Post not found', message: 'No post with this id' } }],
  ['409 with details', { status: 409, body: { error: 'Duplicate', details: { existingPostId: 'p0' } } }],
  ['422', { status: 422, body: { error: 'Idempotency key reused', code: 'idempotency_key_reused' } }],
  ['429 with rate-limit headers', { status: 429, headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4102444800', 'retry-after': '30' }, body: { error: 'Slow down', code: 'rate_limited', type: 'rate_limit_error' } }],
  ['429 without a code', { status: 429, body: { error: 'Slow down' } }],
  ['500 HTML', { status: 500, headers: { 'content-type': 'text/html' }, raw: '<html>oops</html>' }],
  ['503 envelope', { status: 503, headers: { 'retry-after': '1' }, body: { error: 'Maintenance', type: 'api_error' } }],
]

const OFFICIAL_FIELDS = ['name', 'message', 'statusCode', 'code', 'type', 'param', 'details', 'docUrl', 'platform', 'platformError', 'body']

test('errors: class, message and every official field match the official SDK; they are also LateApiError', async (t) => {
  const { rec, set } = await scripted()
  t.after(() => rec.close())
  const official = new OfficialDefault({ apiKey: KEY, baseURL: rec.baseUrl })
  const compat = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl, maxRetries: 0 })
  for (const [name, answer] of ERROR_CASES) {
    set(answer)
    const theirs = await settle(official.posts.getPost({ path: { postId: 'p1' } }))
    const ours = await settle(compat.posts.getPost({ path: { postId: 'p1' } }))
    assert.equal(theirs.ok, false, name)
    assert.equal(ours.ok, false, name)
    const [a, b] = [ours.error, theirs.error]
    for (const f of OFFICIAL_FIELDS) assert.deepEqual(a[f], b[f], `${name}: ${f}`)
    for (const cls of ['ZernioApiError', 'LateApiError', 'RateLimitError', 'ValidationError']) {
      assert.equal(a instanceof Compat[cls], b instanceof Official[cls], `${name}: instanceof ${cls}`)
    }
    for (const m of ['isRateLimited', 'isAuthError', 'isForbidden', 'isNotFound', 'isValidationError', 'isPaymentRequired']) {
      assert.equal(a[m](), b[m](), `${name}: ${m}()`)
    }
    if (b instanceof Official.RateLimitError) {
      for (const f of ['limit', 'remaining']) assert.equal(a[f], b[f], `${name}: ${f}`)
      assert.equal(a.resetAt?.getTime(), b.resetAt?.getTime(), `${name}: resetAt`)
      assert.equal(a.getSecondsUntilReset(), b.getSecondsUntilReset(), `${name}: getSecondsUntilReset()`)
    }
    if (b instanceof Official.ValidationError) assert.deepEqual(a.fields, b.fields, `${name}: fields`)
    // Also late-native's error, with its own fields.
    assert.ok(a instanceof NativeLateApiError, `${name}: instanceof LateApiError of late-native`)
    assert.equal(a.status, answer.status)
    assert.equal(a.attempts, 1)
    assert.equal(typeof a.headers, 'object')
    rec.take()
  }
})

test('the constructor: official options, ZERNIO_API_KEY before LATE_API_KEY, the missing-key error, and the key kept out of inspect and JSON', async (t) => {
  const saved = { z: process.env.ZERNIO_API_KEY, l: process.env.LATE_API_KEY }
  t.after(() => {
    for (const [k, v] of [['ZERNIO_API_KEY', saved.z], ['LATE_API_KEY', saved.l]]) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
  delete process.env.ZERNIO_API_KEY
  delete process.env.LATE_API_KEY
  const theirs = await settle((async () => new OfficialDefault())())
  const ours = await settle((async () => new Zernio())())
  assert.equal(ours.ok, false)
  for (const f of ['name', 'message', 'statusCode', 'code']) assert.equal(ours.error[f], theirs.error[f], f)
  assert.ok(ours.error instanceof Compat.ZernioApiError)
  process.env.LATE_API_KEY = 'sk_test_late_env'
  assert.equal(new Zernio().apiKey, new OfficialDefault().apiKey)
  process.env.ZERNIO_API_KEY = 'sk_test_zernio_env'
  assert.equal(new Zernio().apiKey, 'sk_test_zernio_env')
  assert.equal(new OfficialDefault().apiKey, 'sk_test_zernio_env')
  const z = new Compat.Late({ apiKey: 'sk_test_secret_key_1', baseURL: 'http://127.0.0.1:9/api', timeout: 5000, defaultHeaders: { 'X-A': '1' } })
  assert.ok(z instanceof Zernio)
  assert.equal(z.baseURL, 'http://127.0.0.1:9/api')
  assert.ok(z.late instanceof LateClient)
  assert.equal(z.late.timeoutMs, 5000)
  assert.ok(!util.inspect(z, { showHidden: true, depth: 5 }).includes('sk_test_secret_key_1'))
  assert.ok(!JSON.stringify(z).includes('sk_test_secret_key_1'))
  assert.throws(() => new Zernio({ apiKey: 'sk_test_x', baseUrl: 'http://x' }), (e) => e instanceof LateValidationError && e.param === 'options.baseUrl')
})

test('late-native/zernio from CommonJS is the same module, default export included', async () => {
  const { createRequire } = await import('node:module')
  const cjs = createRequire(import.meta.url)('../zernio.js')
  assert.equal(cjs.Zernio, Zernio)
  assert.equal(cjs.default, Zernio)
  assert.equal(Compat.LateApiError, Compat.ZernioApiError)
  assert.equal(Compat.Late, Zernio)
})

test('underneath late-native/zernio: retries under one Idempotency-Key, a timeout that fires, signal, per-call options', async (t) => {
  let n = 0
  const rec = await startRecorder((r) => {
    if (r.path === '/v1/posts/slow') return new Promise(() => {})
    return ++n === 1 ? { status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } } : { status: 201, body: { post: { _id: 'p1' } } }
  })
  t.after(() => rec.close())
  const zernio = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl, timeout: 300 })
  const { data, response } = await zernio.posts.createPost({ body: { content: 'x' } })
  assert.equal(response.status, 201)
  assert.deepEqual(data, { post: { _id: 'p1' } })
  const [first, second] = rec.take()
  assert.ok(first.headers['idempotency-key'])
  assert.equal(first.headers['idempotency-key'], second.headers['idempotency-key'])
  const started = Date.now()
  await assert.rejects(zernio.posts.getPost({ path: { postId: 'slow' } }, { maxRetries: 0 }), (e) => e.name === 'LateTimeoutError')
  assert.ok(Date.now() - started < 1_300, `the 300 ms timeout fired after ${Date.now() - started} ms`)
  await assert.rejects(zernio.posts.getPost({ path: { postId: 'slow' }, signal: AbortSignal.timeout(50) }, { timeoutMs: 10_000 }), (e) => e.name === 'AbortError')
})

test('the timeout option out of range: a LateValidationError naming `timeout` (the core checks the range)', () => {
  for (const timeout of [0, -1, NaN, Infinity, 2 ** 31, '5']) {
    assert.throws(
      () => new Zernio({ apiKey: KEY, baseURL: 'http://127.0.0.1:9/api', timeout }),
      (e) => {
        assert.ok(e instanceof LateValidationError, `${timeout}: ${e}`)
        assert.equal(e.param, 'timeout')
        assert.match(e.message, /`timeout`/)
        assert.doesNotMatch(e.message, /timeoutMs/)
        return true
      },
    )
  }
})
