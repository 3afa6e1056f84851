import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, LateTimeoutError, LateConnectionError, LateAbortError } from '../index.mjs'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

test('timeoutMs really fires, per attempt, as a LateTimeoutError', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { hang: true } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, timeoutMs: 150, maxRetries: 1, maxRetryWaitMs: 10 })
  const started = Date.now()
  await assert.rejects(client.listAccounts({ profileId: 'p' }), (e) => {
    assert.ok(e instanceof LateTimeoutError)
    assert.ok(e instanceof LateConnectionError)
    assert.equal(e.timeoutMs, 150)
    assert.equal(e.attempts, 2)
    assert.match(e.message, /timed out after 150 ms/)
    return true
  })
  assert.equal(api.requests.length, 2, 'each attempt had its own timeout')
  assert.ok(Date.now() - started < 10_000)
})

test('a per-call timeoutMs overrides the client one', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { hang: true } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  await assert.rejects(client.listAccounts({ profileId: 'p' }, { timeoutMs: 100 }), (e) => e instanceof LateTimeoutError && e.timeoutMs === 100)
})

test('abort while the request is in flight rejects at once with AbortError', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { hang: true } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const ac = new AbortController()
  const p = client.listAccounts({ profileId: 'p' }, { signal: ac.signal })
  while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
  const reason = new Error('user navigated away')
  ac.abort(reason)
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof LateAbortError)
    assert.equal(e.name, 'AbortError')
    assert.equal(e.cause, reason)
    return true
  })
})

test('abort during a backoff wait rejects without another attempt', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { status: 503, headers: { 'retry-after': '30' }, body: { error: 'busy' } } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const ac = new AbortController()
  const p = client.request('GET /v1/profiles', undefined, { signal: ac.signal })
  while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5))
  await new Promise((r) => setTimeout(r, 50))
  ac.abort()
  await assert.rejects(p, { name: 'AbortError' })
  assert.equal(api.requests.length, 1)
})

test('an already-aborted signal rejects and sends nothing', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await assert.rejects(client.connectInstagram({}, { signal: AbortSignal.abort() }), (e) => e instanceof LateAbortError && e.name === 'AbortError')
  await assert.rejects(client.listAccounts({}, { signal: AbortSignal.abort() }), LateAbortError)
  assert.equal(api.requests.length, 0)
})

test("the caller's signal.onabort is never replaced and listeners are removed after the call", async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const ac = new AbortController()
  let called = 0
  const mine = () => called++
  ac.signal.onabort = mine
  let added = 0
  let removed = 0
  const add = ac.signal.addEventListener.bind(ac.signal)
  const remove = ac.signal.removeEventListener.bind(ac.signal)
  ac.signal.addEventListener = (...a) => (added++, add(...a))
  ac.signal.removeEventListener = (...a) => (removed++, remove(...a))
  await client.listAccounts({ profileId: 'p' }, { signal: ac.signal })
  await client.connectInstagram({ profileId: 'p' }, { signal: ac.signal })
  assert.equal(ac.signal.onabort, mine)
  assert.equal(added, 2)
  assert.equal(removed, 2)
  ac.abort()
  assert.equal(called, 1)
})

test('AbortSignal.timeout works as a signal', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { hang: true } })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await assert.rejects(client.listAccounts({ profileId: 'p' }, { signal: AbortSignal.timeout(50) }), { name: 'AbortError' })
})
