// Fleet mode (issue 12): several processes on one API key share the team's window through a
// real Redis (Debian's redis-server, started here on a free loopback port, no persistence).
// Counts are asserted (429 share, throughput share, posts that exist exactly once), never speed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startSimulator } from '../testing.mjs'
import { startRedis } from './helpers/redis-server.mjs'
import { runFleet } from './helpers/fleet.mjs'
import { onlyOn } from './helpers/platform.mjs'

/** Redis is a Unix server: the suite runs where a redis-server package exists. */
const REDIS = onlyOn('linux,darwin', 'needs a redis-server: Debian or Homebrew ship one, Windows does not')

const WINDOW_MS = 2000
const LIMIT = 120
let redis
let sim
let account

before(async () => {
  if (REDIS) return
  redis = await startRedis()
  sim = await startSimulator({ apiKey: 'sk_test_fleet_0001', rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } })
  account = sim.addAccount({ platform: 'twitter', username: 'fleet' })
})
after(async () => {
  await sim?.close()
  await redis?.stop()
})

/** Every post a worker saw created exists once; nothing it attempted exists twice. */
function exactlyOnce(result) {
  const count = new Map()
  for (const p of sim.state().posts) count.set(p.content, (count.get(p.content) ?? 0) + 1)
  const created = result.workers.flatMap((w) => w.created)
  const attempted = result.workers.flatMap((w) => w.attempted)
  assert.ok(created.length > 0)
  assert.deepEqual(created.filter((c) => count.get(c) !== 1), [], 'created posts that do not exist exactly once')
  assert.deepEqual(attempted.filter((c) => (count.get(c) ?? 0) > 1), [], 'posts created twice')
}

const pct = (x) => `${(100 * x).toFixed(2)} %`

test('fleet: 6 processes on one key, 120 requests / 2 s for 20 windows: the shared budget keeps 429s under 0.5 % at 90 % of the limit', { skip: REDIS }, async () => {
  const run = (rateLimit, tag) =>
    runFleet(sim, 6, { limit: LIMIT, windowMs: WINDOW_MS, durationMs: 20 * WINDOW_MS, accountId: account._id, rateLimit, tag, concurrency: 8 })

  const shared = await run({ windowMs: WINDOW_MS, redis: redis.url }, 'shared')
  const alone = await run(false, 'off')
  const line = (name, r) =>
    `${name}: ${r.requests} requests, 429s ${pct(r.share429)}, ${pct(r.throughput)} of the limit, ${r.ok} ok, failed ${JSON.stringify(r.failed)}`
  console.log(`# ${line('shared budget (Redis)', shared)}\n# ${line('rateLimit: false', alone)}`)

  assert.ok(shared.share429 <= 0.005, `429 share with the shared budget: ${pct(shared.share429)}`)
  assert.ok(shared.throughput >= 0.9, `throughput with the shared budget: ${pct(shared.throughput)} of the limit`)
  assert.deepEqual(shared.failed, {}, 'no call failed')
  for (const w of shared.workers) {
    assert.equal(w.pacing.mode, 'redis')
    assert.equal(w.pacing.processes, 6)
    assert.equal(w.pacing.fallbacks, 0)
  }
  // One Redis round trip per attempt, plus a batched write of answers that came late (a loaded
  // machine) and a booking and its release for each call still queued when the run ended.
  const redisCalls = shared.workers.reduce((n, w) => n + w.pacing.redisCalls, 0)
  const calls = shared.workers.reduce((n, w) => n + w.pacing.calls, 0)
  console.log(`# Redis round trips: ${redisCalls} for ${calls} slots`)
  assert.ok(redisCalls <= 1.5 * calls + 2 * shared.aborted, `${redisCalls} Redis calls for ${calls} slots`)
  exactlyOnce(shared)

  // The same fleet without pacing draws 429 storms.
  assert.ok(alone.share429 >= 0.05, `429 share without pacing: ${pct(alone.share429)}`)
  assert.ok(alone.share429 >= 10 * shared.share429 + 0.04)
  exactlyOnce(alone)

  // Redis names the team by a hash of the key, never the key.
  const keys = await redis.command('KEYS *')
  assert.match(keys, /late-native:rl:\{[0-9a-f]{32}\}:/)
  assert.doesNotMatch(keys, /sk_test_fleet_0001/)
})

test('Redis killed mid-run and restarted: no call lost, failed or hung; pacing goes local, then rejoins', { skip: REDIS }, async () => {
  const duration = 10_000
  const fleet = runFleet(sim, 3, {
    limit: LIMIT,
    windowMs: WINDOW_MS,
    durationMs: duration,
    accountId: account._id,
    rateLimit: { windowMs: WINDOW_MS, redis: redis.url },
    tag: 'kill',
    concurrency: 6,
  })
  // runFleet starts the workers 1.5 s from now: kill Redis 3 s into the run, restart it 3 s later.
  await new Promise((r) => setTimeout(r, 1500 + 3000))
  await redis.kill()
  await new Promise((r) => setTimeout(r, 3000))
  await redis.start()
  let timer
  const hung = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('a worker did not finish: a call hung')), duration + 20_000)
  })
  const result = await Promise.race([fleet, hung]).finally(() => clearTimeout(timer))
  console.log(`# Redis killed: ${result.requests} requests, 429s ${pct(result.share429)}, ${result.ok} ok, failed ${JSON.stringify(result.failed)}`)
  assert.deepEqual(result.failed, {}, 'no call failed')
  for (const w of result.workers) {
    assert.equal(w.pacing.fallbacks, 1, 'went local once')
    assert.ok(w.pacing.rejoins >= 1, 'came back to Redis')
    assert.equal(w.pacing.mode, 'redis', 'on the shared window at the end')
    // Through the client's logger (console): the fallback at warn, the rejoining at info.
    assert.match(w.stderr, /late-native: rate limit: Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable/)
    assert.match(w.stdout, /late-native: rate limit: Redis at .* is back after \d+ ms; sharing the team's window again/)
  }
  exactlyOnce(result)
  // Local pacing with each process's share meanwhile: 429s stay rare.
  assert.ok(result.share429 <= 0.05, `429 share: ${pct(result.share429)}`)
})
