// The official namespaces on LateClient: loaded lazily, side by side with the hand-shaped
// methods, `late.connect` both a function and a namespace, bound to their own client; named
// methods return ApiPromises; the API's error envelope on LateApiError.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LateClient, LateApiError, ApiPromise, NotFoundError } from '../index.mjs'
import { startRecorder } from './helpers/recorder.mjs'

const KEY = 'sk_test_namespaces_1'
const root = fileURLToPath(new URL('..', import.meta.url))

test('importing loads nothing generated; a client loads the namespace names; the method table loads on first use', () => {
  const code = `
    const loaded = () => Object.keys(require.cache).filter((f) => f.includes('generated')).map((f) => f.split(/[\\\\/]/).pop()).sort()
    const { LateClient } = require('./index.js')
    const steps = [loaded()]
    const late = new LateClient({ apiKey: 'sk_test_x' })
    steps.push(loaded())
    void late.posts.create
    steps.push(loaded())
    void late.analytics.getInstagramDemographics
    steps.push(loaded())
    console.log(JSON.stringify(steps))`
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), [[], ['namespace-names.js'], ['namespace-names.js', 'operations.js'], ['namespace-names.js', 'operations.js']])
})

test('hand-shaped and named methods side by side; late.connect is a function and the connect namespace', async (t) => {
  const rec = await startRecorder((r) =>
    r.path.startsWith('/v1/connect/') ? { body: { authUrl: 'https://example.com/auth', state: 's1' } } : r.path === '/v1/profiles' ? { body: { profiles: [{ _id: 'p1', isDefault: true }] } } : { body: { post: { _id: 'x' } } },
  )
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  assert.equal(typeof late.posts.create, 'function')
  assert.equal(typeof late.posts.createPost, 'function')
  assert.equal(late.posts.getPost.name, 'getPost')
  assert.equal(typeof late.connect, 'function')
  assert.equal(typeof late.connect.facebook.selectFacebookPage, 'function')
  const { connectUrl } = await late.connect('linkedin', { profileId: 'p1' })
  assert.equal(connectUrl, 'https://example.com/auth')
  const { authUrl } = await late.connect.getConnectUrl({ path: { platform: 'linkedin' }, query: { profileId: 'p1' } })
  assert.equal(authUrl, 'https://example.com/auth')
  const sent = rec.take()
  assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), ['GET /v1/connect/linkedin', 'GET /v1/connect/linkedin'])
  // The hand-shaped call unwraps; the named one returns the body as the API sent it.
  assert.deepEqual(await late.posts.get('x'), { _id: 'x' })
  const p = late.posts.getPost({ path: { postId: 'x' } })
  assert.ok(p instanceof ApiPromise)
  const { data, status, requestId } = await p.withResponse()
  assert.deepEqual(data, { post: { _id: 'x' } })
  assert.equal(status, 200)
  assert.equal(requestId, undefined)
  // Namespaces stay off the client's own keys and its inspect output.
  assert.deepEqual(Object.keys(late), [])
  assert.ok(!util.inspect(late).includes('analytics'))
})

test('each client has its own namespaces, bound to it', async (t) => {
  const a = await startRecorder(() => ({ body: { who: 'a' } }))
  const b = await startRecorder(() => ({ body: { who: 'b' } }))
  t.after(() => Promise.all([a.close(), b.close()]))
  const la = new LateClient({ apiKey: KEY, baseUrl: a.baseUrl })
  const lb = la.withOptions({ baseUrl: b.baseUrl })
  assert.notEqual(la.analytics, lb.analytics)
  const { getAnalytics } = lb.analytics
  assert.deepEqual(await getAnalytics(), { who: 'b' })
  assert.deepEqual(await la.analytics.getAnalytics(), { who: 'a' })
})

test('an Idempotency-Key header is the call key: sent once, reused by retries, reported on failure', async (t) => {
  let n = 0
  const rec = await startRecorder(() => (++n <= 3 ? { status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } } : { body: {} }))
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl, maxRetries: 1 })
  const err = await late.posts.createPost({ body: { content: 'x' }, headers: { 'Idempotency-Key': 'key-123' } }).catch((e) => e)
  assert.equal(err.idempotencyKey, 'key-123')
  const sent = rec.take()
  assert.equal(sent.length, 2)
  for (const r of sent) assert.equal(r.headers['idempotency-key'], 'key-123')
})

test("LateApiError carries the API's whole envelope: details, docUrl, platform, platformError", async (t) => {
  const envelope = {
    error: 'Not found',
    type: 'platform_error',
    code: 'platform_api_error',
    param: 'postId',
    docUrl: 'https://docs.zernio.com/errors#platform_api_error',
    platform: 'facebook',
    platformError: { code: 100, error_subcode: 33 },
    details: { postId: 'x' },
  }
  const rec = await startRecorder(() => ({ status: 404, body: envelope }))
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  const err = await late.posts.getPost({ path: { postId: 'x' } }).catch((e) => e)
  assert.ok(err instanceof NotFoundError && err instanceof LateApiError)
  for (const f of ['code', 'type', 'param', 'docUrl', 'platform', 'platformError', 'details']) assert.deepEqual(err[f], envelope[f], f)
})
