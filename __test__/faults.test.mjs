// The fault-injection suite against the simulator: one test per fault class. Each checks the
// attempts the server saw, the error class and fields, the wait honoured, and — for POSTs —
// that exactly one post exists afterwards (nothing lost, nothing duplicated). After each test
// the simulator's ledger of actions must show no call that acted twice.
import { test, before, after, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import * as late from '../index.mjs'
import { startSimulator } from '../testing.mjs'

const { LateClient } = late
let sim
let client
let account

before(async () => {
  sim = await startSimulator()
})
after(() => sim.close())
afterEach(async () => {
  // A slow attempt may still be acting on the server: let it land before reading the ledger.
  await new Promise((r) => setTimeout(r, 100))
  assert.deepEqual(sim.actions().duplicates, [], 'no call acted twice')
})
beforeEach(() => {
  sim.reset()
  account = sim.addAccount({ platform: 'twitter', username: 'acme' })
  client = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 2 })
})

const seen = (method, path) => sim.requests().filter((r) => r.method === method && r.path === `/api${path}`)
const times = (reqs) => reqs.map((r) => Date.parse(r.time))
let n = 0
const post = () => ({ content: `fault test ${++n} ${Date.now()}`, platforms: [{ platform: 'twitter', accountId: account._id }], publishNow: false })

function exactlyOnePost(content) {
  const posts = sim.state().posts.filter((p) => p.content === content)
  assert.equal(posts.length, 1, `${posts.length} posts with this content exist`)
  return posts[0]
}

test('5xx with Retry-After: retried after the wait, one post, one Idempotency-Key', async () => {
  sim.faults.inject({ route: 'POST /v1/posts', status: 503, retryAfter: 1, times: 1 })
  sim.faults.inject({ route: 'POST /v1/posts', status: 502, times: 1 })
  const body = post()
  const res = await client.requestWithResponse('POST /v1/posts', { body })
  assert.equal(res.status, 201)
  assert.equal(res.attempts, 3)
  const reqs = seen('POST', '/v1/posts')
  assert.equal(reqs.length, 3)
  assert.equal(new Set(reqs.map((r) => r.headers['idempotency-key'])).size, 1)
  const [t0, t1] = times(reqs)
  assert.ok(t1 - t0 >= 950, `Retry-After 1 s honoured (waited ${t1 - t0} ms)`)
  assert.equal(exactlyOnePost(body.content)._id, res.data.post._id)
})

test('persistent 500: InternalServerError after maxRetries + 1 attempts, nothing created', async () => {
  sim.faults.inject({ route: 'POST /v1/posts', status: 500, times: 10 })
  const body = post()
  await assert.rejects(client.request('POST /v1/posts', { body }, { maxRetryWaitMs: 50 }), (e) => {
    assert.ok(e instanceof late.InternalServerError)
    assert.equal(e.status, 500)
    assert.equal(e.attempts, 3)
    assert.ok(e.requestId)
    return true
  })
  assert.equal(seen('POST', '/v1/posts').length, 3)
  assert.equal(sim.state().posts.filter((p) => p.content === body.content).length, 0)
})

test('408 is retried', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', status: 408 })
  const accounts = await client.listAccounts()
  assert.equal(accounts.length, 1)
  assert.equal(seen('GET', '/v1/accounts').length, 2)
})

test('429 + Retry-After: waited, then success; with retries off a RateLimitError carries retryAfterMs and rateLimit', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', status: 429, retryAfter: 1 })
  await client.listAccounts()
  const [t0, t1] = times(seen('GET', '/v1/accounts'))
  assert.ok(t1 - t0 >= 950, `waited ${t1 - t0} ms`)
  sim.faults.inject({ route: 'GET /v1/accounts', status: 429, retryAfter: 30 })
  await assert.rejects(client.listAccounts({}, { maxRetries: 0 }), (e) => {
    assert.ok(e instanceof late.RateLimitError)
    assert.equal(e.retryAfterMs, 30_000)
    assert.equal(e.attempts, 1)
    assert.equal(typeof e.rateLimit.limit, 'number')
    return true
  })
})

test('the simulator rate limit: 429 rate_limited past the per-minute limit, honoured and retried', async () => {
  sim.setRateLimit(3)
  // Pacing off: this is about the simulator's answer (rate-limit.test.mjs covers pacing).
  client = client.withOptions({ rateLimit: false })
  for (let i = 0; i < 3; i++) await client.request('GET /v1/auth/verify')
  assert.equal(client.rateLimit.remaining, 0)
  await assert.rejects(client.request('GET /v1/auth/verify', undefined, { maxRetries: 0 }), (e) => {
    assert.ok(e instanceof late.RateLimitError)
    assert.equal(e.code, 'rate_limited')
    assert.ok(e.retryAfterMs > 0)
    return true
  })
  sim.setRateLimit(0)
})

test('dropped connection on a POST: retried with the same key, exactly one post', async () => {
  sim.faults.inject({ route: 'POST /v1/posts', drop: true, times: 2 })
  const body = post()
  const res = await client.requestWithResponse('POST /v1/posts', { body }, { maxRetryWaitMs: 50 })
  assert.equal(res.attempts, 3)
  assert.equal(new Set(seen('POST', '/v1/posts').map((r) => r.headers['idempotency-key'])).size, 1)
  exactlyOnePost(body.content)
})

test('persistent dropped connections: LateConnectionError (reset) with the attempt count', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', drop: true, times: 5 })
  await assert.rejects(client.listAccounts({}, { maxRetryWaitMs: 10 }), (e) => {
    assert.ok(e instanceof late.LateConnectionError)
    assert.equal(e.reason, 'connection_reset')
    assert.equal(e.attempts, 3)
    return true
  })
})

test('a slow POST past timeoutMs: the retry carries the same key and exactly one post exists', async () => {
  sim.faults.inject({ route: 'POST /v1/posts', delayMs: 600, times: 1 })
  const body = post()
  // A retry that lands while the first attempt is still in flight gets 409 idempotency_conflict with
  // Retry-After: 1, which must be honoured (maxRetryWaitMs above it).
  const res = await client.requestWithResponse('POST /v1/posts', { body }, { timeoutMs: 200, maxRetries: 5, maxRetryWaitMs: 2000 })
  assert.ok(res.attempts >= 2)
  assert.equal(new Set(seen('POST', '/v1/posts').map((r) => r.headers['idempotency-key'])).size, 1)
  await new Promise((r) => setTimeout(r, 700)) // let the slow first attempt finish on the server
  exactlyOnePost(body.content)
})

test('persistent slowness: LateTimeoutError after every attempt timed out', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', delayMs: 1000, times: 3 })
  await assert.rejects(client.listAccounts({}, { timeoutMs: 150, maxRetryWaitMs: 10 }), (e) => {
    assert.ok(e instanceof late.LateTimeoutError)
    assert.equal(e.attempts, 3)
    assert.equal(e.timeoutMs, 150)
    return true
  })
})

test('409 idempotency_conflict (key in flight) is retried after Retry-After; one post', async () => {
  sim.faults.inject({ route: 'POST /v1/posts', status: 409, retryAfter: 1, body: { error: 'in flight', code: 'idempotency_conflict' } })
  const body = post()
  const res = await client.requestWithResponse('POST /v1/posts', { body })
  assert.equal(res.attempts, 2)
  exactlyOnePost(body.content)
})

test('a duplicate-content 409 is not retried and names the existing post', async () => {
  const body = post()
  const first = await client.request('POST /v1/posts', { body })
  sim.clearRequests()
  await assert.rejects(client.request('POST /v1/posts', { body }), (e) => {
    assert.ok(e instanceof late.ConflictError)
    assert.equal(e.body.details.existingPostId, first.post._id)
    assert.equal(e.attempts, 1)
    return true
  })
  assert.equal(seen('POST', '/v1/posts').length, 1)
  exactlyOnePost(body.content)
})

test('the same idempotency key with another body is a 422, never retried', async () => {
  await client.request('POST /v1/posts', { body: post() }, { idempotencyKey: 'order-7' })
  await assert.rejects(client.request('POST /v1/posts', { body: post() }, { idempotencyKey: 'order-7' }), (e) => {
    assert.ok(e instanceof late.UnprocessableEntityError)
    assert.equal(e.attempts, 1)
    return true
  })
})

test('4xx faults are never retried', async () => {
  for (const [status, cls] of [[400, 'BadRequestError'], [401, 'AuthenticationError'], [402, 'PaymentRequiredError'], [403, 'PermissionDeniedError'], [404, 'NotFoundError'], [422, 'UnprocessableEntityError']]) {
    sim.clearRequests()
    sim.faults.inject({ route: 'GET /v1/accounts', status })
    await assert.rejects(client.listAccounts(), (e) => e instanceof late[cls] && e.attempts === 1, String(status))
    assert.equal(seen('GET', '/v1/accounts').length, 1, `${status} was not retried`)
  }
})

test('a malformed success body is a LateApiError (invalid_response) with a short excerpt', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', malformed: true })
  await assert.rejects(client.listAccounts(), (e) => {
    assert.ok(e instanceof late.LateApiError)
    assert.equal(e.code, 'invalid_response')
    assert.ok(e.message.length < 500)
    return true
  })
})

test('401 from the simulator: missing or wrong key', async () => {
  const wrong = new LateClient({ apiKey: 'sk_test_wrong', baseUrl: sim.baseUrl })
  await assert.rejects(wrong.listAccounts(), (e) => e instanceof late.AuthenticationError && e.code === 'invalid_credentials')
})

test('a stale keep-alive socket closed by the server is retried transparently', async (t) => {
  // The server closes every connection shortly after answering, without `Connection: close`,
  // so the client's pooled socket is dead when the next call picks it up.
  let count = 0
  const server = http.createServer((req, res) => {
    count++
    res.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=60' })
    res.end('{"profiles":[{"_id":"p1","isDefault":true}]}')
    setTimeout(() => req.socket.destroy(), 20)
  })
  server.keepAliveTimeout = 60_000
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise((r) => server.close(r)))
  const c = new LateClient({ apiKey: 'sk_test_stale', baseUrl: `http://127.0.0.1:${server.address().port}/api`, maxRetryWaitMs: 10 })
  for (let i = 0; i < 5; i++) {
    await c.request('GET /v1/profiles')
    await new Promise((r) => setTimeout(r, 60))
  }
  assert.ok(count >= 5)
})
