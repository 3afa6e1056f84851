import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import * as late from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const { LateClient, LateError, LateApiError, LateConnectionError } = late

const BY_STATUS = [
  [400, 'BadRequestError', 'invalid_request_error', 'INVALID_FIELD_VALUE'],
  [401, 'AuthenticationError', 'authentication_error', 'invalid_credentials'],
  [402, 'PaymentRequiredError', undefined, 'PAYMENT_REQUIRED'],
  [403, 'PermissionDeniedError', 'permission_error', 'PLATFORM_BETA_RESTRICTED'],
  [404, 'NotFoundError', 'not_found', undefined],
  [409, 'ConflictError', 'invalid_request_error', 'profile_name_conflict'],
  [422, 'UnprocessableEntityError', 'invalid_request_error', 'idempotency_key_reused'],
  [429, 'RateLimitError', 'rate_limit_error', 'rate_limited'],
  [500, 'InternalServerError', 'api_error', 'internal'],
  [502, 'InternalServerError', 'platform_error', 'platform_api_error'],
  [503, 'InternalServerError', 'api_error', 'PLATFORM_DISABLED'],
]

test('every error status becomes its class with status, code, type, param, requestId, headers and body', async (t) => {
  let status = 400
  const api = await startMockApi({
    'GET /v1/connect/instagram': () => {
      const row = BY_STATUS.find((r) => r[0] === status)
      return {
        status,
        headers: { 'x-request-id': `req_${status}`, 'retry-after': '7', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' },
        body: { error: `failure ${status}`, type: row[2], code: row[3], param: 'profileId', details: { n: status } },
      }
    },
  })
  t.after(() => api.close())
  // Pacing off: every answer says 0 remaining and asks for 7 s, which pacing would honour.
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0, rateLimit: false })
  for (const [s, name, type, code] of BY_STATUS) {
    status = s
    await assert.rejects(client.connectInstagram({ profileId: 'p1' }), (e) => {
      assert.ok(e instanceof late[name], `${s} → ${name}, got ${e.constructor.name}`)
      assert.ok(e instanceof LateApiError && e instanceof LateError && e instanceof Error)
      assert.equal(e.name, name)
      assert.equal(e.status, s)
      assert.equal(e.type, type)
      assert.equal(e.code, code)
      assert.equal(e.param, 'profileId')
      assert.equal(e.requestId, `req_${s}`)
      assert.equal(e.headers['x-request-id'], `req_${s}`)
      assert.deepEqual(e.body.details, { n: s })
      assert.equal(e.retryAfterMs, 7000)
      assert.deepEqual(e.rateLimit, { limit: 60, remaining: 0, resetAt: 1900000000 })
      assert.match(e.message, new RegExp(`^${s} failure ${s}`))
      assert.match(e.message, new RegExp(`req_${s}`))
      return true
    })
  }
})

test('an error body that is not JSON keeps a short excerpt and the status text', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': { status: 502, raw: '<html>' + 'x'.repeat(5000) + '</html>', headers: { 'content-type': 'text/html' } },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  await assert.rejects(client.request({ method: 'GET', path: '/v1/profiles' }), (e) => {
    assert.ok(e instanceof late.InternalServerError)
    assert.match(e.message, /^502 Bad Gateway: <html>x+/)
    assert.ok(e.message.length < 400, 'message is an excerpt')
    assert.equal(typeof e.body, 'string')
    return true
  })
})

test('a success body that is not JSON is a LateApiError with code invalid_response', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { raw: '{"accounts": [oops' } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await assert.rejects(client.listAccounts({ profileId: 'p' }), (e) => {
    assert.ok(e instanceof LateApiError)
    assert.equal(e.code, 'invalid_response')
    assert.equal(e.status, 200)
    assert.match(e.message, /oops/)
    return true
  })
  await assert.rejects(client.request({ method: 'GET', path: '/v1/accounts' }), (e) => e.code === 'invalid_response')
})

test('connection refused is a LateConnectionError whose message and cause name the reason', async () => {
  const port = await new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  const client = new LateClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 0 })
  await assert.rejects(client.connectInstagram({ profileId: 'p' }), (e) => {
    assert.ok(e instanceof LateConnectionError)
    assert.ok(!(e instanceof late.LateTimeoutError))
    assert.equal(e.reason, 'connection_refused')
    assert.equal(e.cause.code, 'connection_refused')
    assert.match(e.message, /refused/i)
    assert.equal(e.attempts, 1)
    return true
  })
})

test('a dropped connection is a LateConnectionError (reset), retried for a GET', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { destroy: true } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 1, maxRetryWaitMs: 10 })
  await assert.rejects(client.request('GET /v1/profiles'), (e) => {
    assert.ok(e instanceof LateConnectionError)
    assert.equal(e.reason, 'connection_reset')
    assert.equal(e.attempts, 2)
    return true
  })
  assert.equal(api.requests.length, 2)
})

test('DNS failure names the cause', async () => {
  const client = new LateClient({ apiKey: KEY, baseUrl: 'http://late-native-test.invalid/api', maxRetries: 0 })
  await assert.rejects(client.request('GET /v1/profiles'), (e) => {
    assert.ok(e instanceof LateConnectionError)
    assert.equal(e.reason, 'dns', e.message)
    return true
  })
})

test('a retried 503 then 200 succeeds; the POST reuses one Idempotency-Key on every attempt', async (t) => {
  const api = await startMockApi({
    'POST /v1/posts': (r, { count }) => (count < 3 ? { status: 503, headers: { 'retry-after': '0' }, body: { error: 'busy' } } : { status: 201, body: { post: { _id: 'post1' } } }),
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const res = await client.requestWithResponse('POST /v1/posts', { body: { content: 'hello' } })
  assert.equal(res.status, 201)
  assert.equal(res.attempts, 3)
  assert.deepEqual(res.data, { post: { _id: 'post1' } })
  const keys = api.requests.map((r) => r.headers['idempotency-key'])
  assert.equal(keys.length, 3)
  assert.ok(keys[0] && keys.every((k) => k === keys[0]), 'one key for all attempts')
  assert.equal(res.idempotencyKey, keys[0])
  const ids = api.requests.map((r) => r.headers['x-request-id'])
  assert.ok(ids.every((k) => k === ids[0]), 'one x-request-id for all attempts')
  assert.equal(api.requests[0].headers['content-type'], 'application/json')
  assert.deepEqual(JSON.parse(api.requests[0].body), { content: 'hello' })
})

test('a 4xx is never retried', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { status: 404, body: { error: 'nope' } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 5 })
  await assert.rejects(client.request('GET /v1/profiles'), late.NotFoundError)
  assert.equal(api.requests.length, 1)
})

test('a failed POST error carries the Idempotency-Key that was sent, to retry safely', async (t) => {
  const api = await startMockApi({ 'POST /v1/posts': { status: 500, body: { error: 'boom' } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 1, maxRetryWaitMs: 1 })
  const err = await client.request('POST /v1/posts', { body: { content: 'x' } }).catch((e) => e)
  assert.ok(err instanceof late.InternalServerError)
  assert.match(err.idempotencyKey, /^[0-9a-f-]{36}$/)
  assert.deepEqual(api.requests.map((r) => r.headers['idempotency-key']), [err.idempotencyKey, err.idempotencyKey])
  const again = await client.request('POST /v1/posts', { body: { content: 'x' } }, { idempotencyKey: 'mine' }).catch((e) => e)
  assert.equal(again.idempotencyKey, 'mine')
})
