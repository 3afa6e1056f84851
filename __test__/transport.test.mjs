// Transport behaviour against a loopback mock: waits honoured, caps, redirects, size limits,
// rate-limit state, deadlines.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import * as late from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const { LateClient } = late

function gaps(requests) {
  return requests.slice(1).map((r, i) => r.at - requests[i].at)
}

function timed(handler) {
  return (r, ctx) => {
    r.at = Date.now()
    return typeof handler === 'function' ? handler(r, ctx) : handler
  }
}

test('Retry-After (seconds) is honoured between attempts', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': timed((r, { count }) => (count === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down', code: 'rate_limited' } } : { body: { profiles: [] } })),
  })
  t.after(() => api.close())
  const res = await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl }).requestWithResponse('GET /v1/profiles')
  assert.equal(res.attempts, 2)
  assert.ok(gaps(api.requests)[0] >= 950, `waited ${gaps(api.requests)[0]} ms`)
})

test('retry-after-ms and X-RateLimit-Reset are honoured', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': timed((r, { count }) =>
      count === 1
        ? { status: 503, headers: { 'retry-after-ms': '300' }, body: { error: 'busy' } }
        : count === 2
          ? { status: 429, headers: { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) }, body: { error: 'limit' } }
          : { body: { profiles: [] } },
    ),
  })
  t.after(() => api.close())
  const res = await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl }).requestWithResponse('GET /v1/profiles')
  assert.equal(res.attempts, 3)
  const [g1, g2] = gaps(api.requests)
  assert.ok(g1 >= 290, `retry-after-ms: waited ${g1} ms`)
  assert.ok(g2 >= 400, `x-ratelimit-reset: waited ${g2} ms`)
})

test('a Retry-After beyond the wait allowed fails at once with the API\'s 429 and retryAfterMs set', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': { status: 429, headers: { 'retry-after': '120', 'x-request-id': 'req_429' }, body: { error: 'later', code: 'rate_limited' } },
    'GET /v1/accounts': { status: 503, headers: { 'retry-after': '120' }, body: { error: 'down' } },
  })
  t.after(() => api.close())
  // The team's limit: its pause is waited out by pacing, within maxQueueWaitMs. Without pacing,
  // or for any other status, the bound is maxRetryWaitMs.
  const cases = [
    [{ maxQueueWaitMs: 5_000 }, '/v1/profiles', late.RateLimitError],
    [{ maxRetryWaitMs: 5_000, rateLimit: false }, '/v1/profiles', late.RateLimitError],
    [{ maxRetryWaitMs: 5_000 }, '/v1/accounts', late.InternalServerError],
  ]
  for (const [options, path, Cls] of cases) {
    const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, ...options })
    const started = Date.now()
    await assert.rejects(client.request(`GET ${path}`), (e) => {
      assert.ok(e instanceof Cls, String(e))
      assert.equal(e.retryAfterMs, 120_000)
      assert.equal(e.attempts, 1)
      if (path === '/v1/profiles') assert.equal(e.requestId, 'req_429', "the API's own 429")
      return true
    })
    assert.ok(Date.now() - started < 3_000, 'failed at once')
  }
  assert.equal(api.requests.length, 3)
})

test('409 idempotency_conflict is retried with the same key; a duplicate-content 409 is not', async (t) => {
  const api = await startMockApi({
    'POST /v1/posts': (r, { count }) =>
      count === 1
        ? { status: 409, headers: { 'retry-after': '0' }, body: { error: 'in flight', code: 'idempotency_conflict' } }
        : { status: 201, body: { message: 'ok', post: { _id: 'p1' } } },
    'POST /v1/profiles': { status: 409, body: { error: 'duplicate', details: { existingPostId: 'x' } } },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const res = await client.requestWithResponse('POST /v1/posts', { body: { content: 'hi' } })
  assert.equal(res.attempts, 2)
  const keys = api.requests.map((r) => r.headers['idempotency-key'])
  assert.equal(keys[0], keys[1])
  await assert.rejects(client.request('POST /v1/profiles', { body: { name: 'x' } }), late.ConflictError)
  assert.equal(api.requests.filter((r) => r.path === '/v1/profiles').length, 1)
})

test('a caller-chosen idempotencyKey is sent on every attempt', async (t) => {
  const api = await startMockApi({
    'POST /v1/posts': (r, { count }) => (count < 2 ? { destroy: true } : { status: 201, body: { post: { _id: 'p' } } }),
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetryWaitMs: 10 })
  await client.request('POST /v1/posts', { body: { content: 'x' } }, { idempotencyKey: 'order-42' })
  assert.deepEqual(api.requests.map((r) => r.headers['idempotency-key']), ['order-42', 'order-42'])
})

test('maxRetries per call overrides the client; 0 disables retries', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { status: 500, body: { error: 'boom' } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 3, maxRetryWaitMs: 1 })
  await assert.rejects(client.request('GET /v1/profiles', undefined, { maxRetries: 0 }), (e) => e.attempts === 1)
  assert.equal(api.requests.length, 1)
  await assert.rejects(client.request('GET /v1/profiles', undefined, { maxRetries: 1 }), (e) => e.attempts === 2)
})

test('deadlineMs bounds the whole call across retries', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { status: 503, headers: { 'retry-after': '1' }, body: { error: 'busy' } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 10 })
  const started = Date.now()
  await assert.rejects(client.request('GET /v1/profiles', undefined, { deadlineMs: 1500 }), late.InternalServerError)
  assert.ok(Date.now() - started < 1500 + 1000)
  assert.ok(api.requests.length <= 2, `${api.requests.length} attempts within the deadline`)
})

test('rate-limit state is readable after every call and on RateLimitError', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': { headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '598', 'x-ratelimit-reset': '1900000000' }, body: { profiles: [] } },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  assert.equal(client.rateLimit, undefined)
  const res = await client.requestWithResponse('GET /v1/profiles')
  assert.deepEqual(res.rateLimit, { limit: 600, remaining: 598, resetAt: 1900000000 })
  assert.deepEqual(client.rateLimit, { limit: 600, remaining: 598, resetAt: 1900000000 })
})

test('a response larger than maxResponseBytes fails with a clear error', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { raw: JSON.stringify({ accounts: [], pad: 'x'.repeat(10_000) }) } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxResponseBytes: 1000 })
  await assert.rejects(client.listAccounts({ profileId: 'p' }), (e) => {
    assert.ok(e instanceof late.LateApiError)
    assert.match(e.message, /exceeds the limit of 1000 bytes/)
    return true
  })
})

test('a redirect to another origin does not carry the Authorization header', async (t) => {
  const seen = []
  const other = http.createServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"profiles":[]}')
  })
  await new Promise((r) => other.listen(0, '127.0.0.1', r))
  t.after(() => other.close())
  const api = await startMockApi({
    'GET /v1/profiles': { status: 307, headers: { location: `http://localhost:${other.address().port}/api/v1/profiles` } },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await client.request('GET /v1/profiles')
  assert.equal(seen.length, 1)
  assert.equal(seen[0].authorization, undefined)
  assert.equal(api.requests[0].headers.authorization, `Bearer ${KEY}`)
})

test('per-call timeoutMs, maxRetryWaitMs and deadlineMs out of range: a LateValidationError naming the option (the core checks the range), nothing sent', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { body: { profiles: [] } }, 'GET /v1/accounts': { body: { accounts: [] } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  for (const name of ['timeoutMs', 'maxRetryWaitMs', 'deadlineMs']) {
    for (const value of [0, -1, NaN, Infinity, 2 ** 31]) {
      for (const [method, call] of [
        ['request', () => client.request('GET /v1/profiles', {}, { [name]: value })],
        ['listAccounts', () => client.listAccounts({ profileId: 'p1' }, { [name]: value })],
        ['defaultProfileId', () => client.defaultProfileId({ [name]: value })],
      ]) {
        await assert.rejects(call(), (e) => {
          assert.ok(e instanceof late.LateValidationError, `${method} ${name}: ${value}: ${e}`)
          assert.equal(e.param, `options.${name}`, `${method} ${name}: ${value}`)
          assert.match(e.message, new RegExp(name))
          return true
        })
      }
    }
    await assert.rejects(client.request('GET /v1/profiles', {}, { [name]: '5' }), (e) => e instanceof late.LateValidationError && e.param === `options.${name}`)
  }
  assert.equal(api.requests.length, 0)
})
