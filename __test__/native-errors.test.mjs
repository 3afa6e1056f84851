// Errors cross from Rust as data: the native layer throws (and rejects with) a real Error whose
// own properties are the fields, never a message to parse, and never with the API key in them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const require = createRequire(import.meta.url)
const native = require('../lib/load-native.js')

/** Every own property, the message and the stack, as text. */
function everything(e) {
  return JSON.stringify(Object.fromEntries(Object.getOwnPropertyNames(e).map((k) => [k, e[k]]))) + e.message + e.stack
}

test('a synchronous throw is an Error with the fields, not JSON in its message', () => {
  let err
  try {
    new native.NativeClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', timeoutMs: -1 })
  } catch (e) {
    err = e
  }
  assert.ok(err instanceof Error)
  assert.equal(err.kind, 'validation')
  assert.equal(err.param, 'timeoutMs')
  assert.equal(err.message, 'invalid `timeoutMs`: expected a positive finite number of milliseconds up to 2147483647')
  assert.ok(!Object.hasOwn(err, 'code'), "napi's own code (the status name) is gone")
  assert.ok(!everything(err).includes(KEY))

  assert.throws(() => native.verifyWebhookSignature(Buffer.from('{}'), 'zz', ['whsec']), (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.kind, 'webhook')
    assert.equal(e.reason, 'malformed_signature')
    assert.ok(!e.message.startsWith('{'))
    return true
  })
})

test('a rejection is an Error with every field of the API error, and no API key anywhere', async (t) => {
  const api = await startMockApi({
    'GET /v1/fail': {
      status: 429,
      headers: { 'retry-after': '0', 'x-request-id': 'req_42', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0' },
      body: { error: `slow down, ${KEY}`, code: 'rate_limited', type: 'rate_limit_error' },
    },
  })
  t.after(() => api.close())
  const client = new native.NativeClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  const err = await client.request({ method: 'GET', path: '/v1/fail' }).then(
    () => assert.fail('resolved'),
    (e) => e,
  )
  assert.ok(err instanceof Error)
  assert.equal(err.kind, 'api')
  assert.equal(err.status, 429)
  assert.equal(err.code, 'rate_limited')
  assert.equal(err.type, 'rate_limit_error')
  assert.equal(err.requestId, 'req_42')
  assert.equal(typeof err.retryAfterMs, 'number')
  assert.equal(err.attempts, 1)
  assert.equal(err.mayHaveBeenProcessed, false)
  assert.equal(typeof err.headers, 'object')
  assert.equal(err.headers['x-request-id'], 'req_42')
  assert.equal(typeof err.body, 'string')
  assert.equal(err.rateLimit.limit, 60)
  assert.ok(!everything(err).includes(KEY))
  assert.ok(!err.message.startsWith('{'))
})
