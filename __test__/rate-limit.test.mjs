// Pacing in one process (issue 12, item 1): on by default, learned from the X-RateLimit-*
// headers; a burst queues instead of drawing 429s; a 429 pauses the client and its clones;
// queued calls stay cancellable; a wait past maxRetryWaitMs or the deadline fails at once.
// And the simulator's team window (item 5). No timing is asserted beyond loose bounds.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import * as late from '../index.mjs'
import { startSimulator, parseRateLimit } from '../testing.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const { LateClient, LateValidationError, RateLimitError, LateAbortError } = late

test('the rateLimit option: false, or { windowMs, limit, redis }, checked with the parameter named', () => {
  const base = { apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api' }
  assert.equal(new LateClient(base).pacing.mode, 'local')
  assert.equal(new LateClient({ ...base, rateLimit: false }).pacing.mode, 'off')
  assert.equal(new LateClient({ ...base, rateLimit: { windowMs: 2000, limit: 50 } }).pacing.limit, 50)
  const bad = [
    [{ rateLimit: 'yes' }, 'rateLimit'],
    [{ rateLimit: { windowMs: 0 } }, 'rateLimit.windowMs'],
    [{ rateLimit: { limit: 1.5 } }, 'rateLimit.limit'],
    [{ rateLimit: { every: 1 } }, 'rateLimit.every'],
    [{ rateLimit: { redis: 'http://:hunter2pw@127.0.0.1:6379' } }, 'rateLimit.redis'],
    [{ rateLimit: { redis: 'redis://' } }, 'rateLimit.redis'],
  ]
  for (const [opts, param] of bad) {
    assert.throws(() => new LateClient({ ...base, ...opts }), (e) => {
      assert.ok(e instanceof LateValidationError, `${JSON.stringify(opts)}: ${e}`)
      assert.equal(e.param, param)
      assert.doesNotMatch(e.message, /hunter2pw/)
      return true
    })
  }
  // A Redis URL with a password is kept, never shown.
  const withRedis = new LateClient({ ...base, rateLimit: { redis: 'redis://:hunter2pw@127.0.0.1:6379/1' } })
  assert.equal(withRedis.pacing.mode, 'redis')
  assert.doesNotMatch(inspect(withRedis) + JSON.stringify(withRedis), /hunter2pw/)
})

test('one process: 500 calls at once against a 100 / 1 s window draw no 429 and all succeed', async () => {
  const sim = await startSimulator({ rateLimit: { limit: 100, windowMs: 1000 } })
  try {
    const client = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, rateLimit: { windowMs: 1000 } })
    const started = Date.now()
    const results = await Promise.allSettled(Array.from({ length: 500 }, () => client.requestWithResponse('GET /v1/auth/verify')))
    const elapsed = Date.now() - started
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)), [])
    const stats = sim.rateLimitStats()
    assert.equal(stats.limited, 0, 'no 429')
    assert.equal(stats.allowed, 500)
    // 100 per window: the last hundred cannot go before 4 windows have passed (about 5 windows
    // of work); the upper bound is loose, for a loaded machine.
    assert.ok(elapsed >= 4000, `${elapsed} ms`)
    assert.ok(elapsed < 15_000, `${elapsed} ms`)
    assert.equal(client.pacing.limit, 100, 'learned from X-RateLimit-Limit')
    assert.equal(client.pacing.queued, 0)
    const waits = results.map((r) => r.value.queuedMs)
    assert.ok(waits.filter((w) => w >= 900).length >= 300, 'the calls past the first window were queued')
  } finally {
    await sim.close()
  }
})

test('a 429 with Retry-After pauses every call of the client and of its withOptions clones', async (t) => {
  let first = true
  const api = await startMockApi({
    'GET /v1/profiles': (r) => {
      r.at = Date.now()
      if (first) {
        first = false
        return { status: 429, headers: { 'retry-after': '1' }, body: { error: 'Rate limit exceeded', code: 'rate_limited' } }
      }
      return { body: { profiles: [] } }
    },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const clone = client.withOptions({ timeoutMs: 5000 })
  await assert.rejects(client.request('GET /v1/profiles', undefined, { maxRetries: 0 }), RateLimitError)
  await clone.request('GET /v1/profiles')
  const [limited, next] = api.requests
  assert.ok(next.at - limited.at >= 900, `the clone waited ${next.at - limited.at} ms`)
  assert.equal(client.pacing.pauses, 1)
  assert.equal(clone.pacing.pauses, 1, 'clones share the pacer')
  // A clone with another key is another team: not paused by this one.
  assert.equal(client.withOptions({ apiKey: 'sk_test_other_team' }).pacing.pauses, 0)
})

test('a 429 of a platform quota (platform set) does not pause the other calls', async (t) => {
  const api = await startMockApi({
    'GET /v1/analytics': { status: 429, headers: { 'retry-after': '30' }, body: { error: 'quota', code: 'rate_limited', platform: 'google' } },
    'GET /v1/profiles': { body: { profiles: [] } },
  })
  t.after(() => api.close())
  const client = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  await assert.rejects(client.request('GET /v1/analytics'), (e) => e instanceof RateLimitError && e.retryAfterMs === 30_000)
  const res = await client.requestWithResponse('GET /v1/profiles')
  assert.ok(res.queuedMs < 1000, `waited ${res.queuedMs} ms`)
  assert.equal(client.pacing.pauses, 0)
})

test('queued calls stay cancellable; a wait past maxQueueWaitMs or the deadline fails at once with retryAfterMs', async () => {
  const sim = await startSimulator({ rateLimit: { limit: 2, windowMs: 10_000 } })
  try {
    const client = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, rateLimit: { windowMs: 10_000 } })
    await client.request('GET /v1/auth/verify')
    await client.request('GET /v1/auth/verify')
    // Queued behind a full window: the signal cancels it at once.
    const ac = new AbortController()
    const queued = client.request('GET /v1/auth/verify', undefined, { signal: ac.signal })
    await new Promise((r) => setTimeout(r, 100))
    assert.equal(client.pacing.queued, 1)
    const aborted = Date.now()
    ac.abort()
    await assert.rejects(queued, LateAbortError)
    assert.ok(Date.now() - aborted < 1000)
    assert.equal(client.pacing.queued, 0)
    for (const options of [{ maxQueueWaitMs: 1000 }, { deadlineMs: 1000 }]) {
      const started = Date.now()
      await assert.rejects(client.request('GET /v1/auth/verify', undefined, options), (e) => {
        assert.ok(e instanceof RateLimitError, String(e))
        assert.equal(e.status, 429)
        assert.equal(e.attempts, 0)
        assert.ok(e.retryAfterMs > 8000 && e.retryAfterMs <= 10_200, `retryAfterMs ${e.retryAfterMs}`)
        assert.match(e.message, /nothing was sent/)
        return true
      })
      assert.ok(Date.now() - started < 1000, 'failed at once')
    }
    assert.equal(client.pacing.refused, 2)
    assert.deepEqual(sim.rateLimitStats(), { limit: 2, windowMs: 10_000, allowed: 2, limited: 0 })
  } finally {
    await sim.close()
  }
})

test('the simulator enforces one team window for all its clients and counts the 429s it sent', async () => {
  assert.deepEqual(parseRateLimit('120/2s'), { limit: 120, windowMs: 2000 })
  assert.deepEqual(parseRateLimit('600'), { limit: 600, windowMs: 60_000 })
  assert.throws(() => parseRateLimit('120/2h'), TypeError)
  await assert.rejects(startSimulator({ rateLimit: { limit: 1 }, rateLimitPerMinute: 1 }), TypeError)
  const sim = await startSimulator({ rateLimit: { limit: 3, windowMs: 1000 } })
  try {
    // Two clients, pacing off: together they get 3, then 429s.
    const a = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, rateLimit: false, maxRetries: 0 })
    const b = a.withOptions({ timeoutMs: 5000 })
    const outcomes = await Promise.allSettled([a, b, a, b, a].map((c) => c.request('GET /v1/auth/verify')))
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3)
    const refused = outcomes.find((o) => o.status === 'rejected').reason
    assert.ok(refused instanceof RateLimitError)
    assert.match(refused.message, /3 requests per 1 s/)
    assert.deepEqual(sim.rateLimitStats(), { limit: 3, windowMs: 1000, allowed: 3, limited: 2 })
    const viaHttp = await (await fetch(`${sim.origin}/__sim/ratelimit`)).json()
    assert.deepEqual(viaHttp, sim.rateLimitStats())
    // The window slides: a second later there is room again.
    await new Promise((r) => setTimeout(r, 1100))
    await a.request('GET /v1/auth/verify')
    sim.setRateLimit({ limit: 10, windowMs: 2000 })
    assert.deepEqual(sim.rateLimitStats(), { limit: 10, windowMs: 2000, allowed: 0, limited: 0 })
  } finally {
    await sim.close()
  }
})
