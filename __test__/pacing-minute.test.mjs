// Pacing waits under the API's real window (a minute): a burst of 1.5× the limit completes with
// the default client options, every call resolved, instead of the calls past the limit failing.
// 429s happen only for calls sent before the limit was known (each refused once, then waited
// out and sent again); none when the limit is configured. This takes a little over a minute:
// the two cases run side by side on two simulators.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, RateLimitError } from '../index.mjs'
import { startSimulator } from '../testing.mjs'

const LIMIT = 10
const BURST = 15

async function burst(clientOptions) {
  const sim = await startSimulator({ rateLimit: { limit: LIMIT, windowMs: 60_000 } })
  try {
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, ...clientOptions })
    const started = Date.now()
    const results = await Promise.allSettled(Array.from({ length: BURST }, () => late.requestWithResponse('GET /v1/auth/verify')))
    const attemptsByCall = results.map((r) => (r.status === 'fulfilled' ? r.value.attempts : undefined))
    return { sim, late, results, attemptsByCall, elapsed: Date.now() - started, stats: sim.rateLimitStats(), requests: sim.requests() }
  } finally {
    await sim.close()
  }
}

test(`a burst of ${BURST} calls over a limit of ${LIMIT}/min completes: every call resolves, after a minute`, { timeout: 180_000 }, async () => {
  const [learned, configured] = await Promise.all([burst({}), burst({ rateLimit: { limit: LIMIT } })])
  for (const [name, r] of Object.entries({ learned, configured })) {
    const rejected = r.results.filter((x) => x.status === 'rejected').map((x) => String(x.reason))
    assert.deepEqual(rejected, [], `${name}: no call failed`)
    assert.equal(r.stats.allowed, BURST, `${name}: every call reached the API once and was let through`)
    // The calls past the limit waited for the window: at least a minute went by.
    assert.ok(r.elapsed >= 59_000, `${name}: ${r.elapsed} ms`)
  }
  // The limit configured: nothing is sent over it, so nothing is refused.
  assert.equal(configured.stats.limited, 0, 'no 429 when the limit is configured')
  assert.deepEqual(configured.attemptsByCall, Array(BURST).fill(1))
  // The limit learned from the first answers: only the cold burst (sent before any answer)
  // can be refused, each such call once, then waited out and sent again.
  assert.ok(learned.stats.limited <= BURST - LIMIT, `${learned.stats.limited} 429s`)
  assert.ok(learned.attemptsByCall.every((a) => a <= 2), `no call refused twice: ${learned.attemptsByCall}`)
  assert.equal(learned.attemptsByCall.filter((a) => a === 2).length, learned.stats.limited)
  assert.equal(learned.late.pacing.limit, LIMIT)
})

test('a wait longer than maxQueueWaitMs fails at once, naming the option, before anything is sent', async () => {
  const sim = await startSimulator({ rateLimit: { limit: 2, windowMs: 60_000 } })
  try {
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, rateLimit: { limit: 2 }, maxQueueWaitMs: 5_000 })
    const results = await Promise.allSettled([1, 2, 3].map(() => late.request('GET /v1/auth/verify')))
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
    assert.equal(refused.length, 1)
    assert.ok(refused[0] instanceof RateLimitError)
    assert.match(refused[0].message, /later than maxQueueWaitMs allows; nothing was sent/)
    assert.equal(refused[0].mayHaveBeenProcessed, false)
    assert.ok(refused[0].retryAfterMs > 50_000)
    assert.equal(sim.rateLimitStats().allowed, 2)
    // Per call, with Infinity: it waits (cancelled here, once it is queued).
    const ac = new AbortController()
    const queued = late.request('GET /v1/auth/verify', undefined, { maxQueueWaitMs: Infinity, signal: ac.signal })
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(late.pacing.queued, 1)
    ac.abort()
    await assert.rejects(queued, { name: 'AbortError' })
  } finally {
    await sim.close()
  }
})
