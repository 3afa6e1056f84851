import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { LateClient, LateError } from '../index.mjs'
import { startMockApi } from './helpers/mock-api.mjs'

const SECRET = 'sk_test_do_not_leak_7f3a9c'

function leaks(value) {
  const texts = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? '', String(value)]
  if (value instanceof Error) texts.push(value.message, value.stack ?? '', inspect(value.cause, { depth: 10 }))
  return texts.some((t) => t.includes(SECRET))
}

test('the API key is not in util.inspect, JSON.stringify, keys or String of the client', () => {
  const late = new LateClient({ apiKey: SECRET, baseUrl: 'http://127.0.0.1:9/api' })
  assert.ok(!leaks(late))
  assert.ok(!leaks(late.withOptions({ timeoutMs: 5 })))
  assert.deepEqual(Object.keys(late), [])
  assert.match(inspect(late), /apiKey: '\[redacted\]'/)
  assert.equal(JSON.parse(JSON.stringify(late)).apiKey, '[redacted]')
})

test('the API key is in no error: API errors (even when the server echoes it), connection errors, validation errors', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': (r) => ({ status: 401, body: { error: `bad key ${r.headers.authorization}`, code: 'invalid_credentials', echoed: r.headers.authorization } }),
    'GET /v1/accounts': (r) => ({ status: 500, raw: `crash with ${r.headers.authorization}` }),
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: SECRET, baseUrl: api.baseUrl, maxRetries: 0 })
  const errors = []
  await late.request('GET /v1/profiles').catch((e) => errors.push(e))
  await late.listAccounts({ profileId: 'p' }).catch((e) => errors.push(e))
  await new LateClient({ apiKey: SECRET, baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 }).listAccounts({ profileId: 'p' }).catch((e) => errors.push(e))
  await late.connect('myspace').catch((e) => errors.push(e))
  try {
    new LateClient({ apiKey: SECRET, baseUrl: 'nope' })
  } catch (e) {
    errors.push(e)
  }
  assert.equal(errors.length, 5)
  for (const e of errors) {
    assert.ok(e instanceof LateError)
    assert.ok(!leaks(e), `${e.name} leaks the key: ${inspect(e)}`)
  }
  assert.equal(errors[0].body.echoed, 'Bearer [redacted]')
})

test('an API key with a trailing newline is refused without echoing it', () => {
  assert.throws(() => new LateClient({ apiKey: `${SECRET}\n`, baseUrl: 'http://127.0.0.1:9/api' }), (e) => {
    assert.equal(e.param, 'apiKey')
    assert.match(e.message, /whitespace/)
    assert.ok(!leaks(e))
    return true
  })
})
