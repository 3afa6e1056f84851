// The concurrency stress of stress.test.mjs, run in its own process (`node --expose-gc run.mjs`).
//
// Identical rounds (same seed) of thousands of calls against a loopback simulator, with random
// per-call timeouts, deadlines, retries and aborts while the simulator injects random faults
// (delays, 503s, dropped connections, malformed bodies); some calls use a client created for
// them and dropped, and worker threads calling the addon are terminated mid-flight. Every call
// records how long it took to settle against its own bound (what its options allow, plus slack).
// Prints one line `STRESS-RESULT {json}` with the figures and every violation.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import { rng } from '../helpers/rng.mjs'

const require = createRequire(import.meta.url)
const late = require('../../index.js')
const { startSimulator } = require('../../testing.js')

const ROUNDS = Number(process.env.STRESS_ROUNDS ?? 3)
const CALLS = Number(process.env.STRESS_CALLS ?? 1500)
const CONCURRENCY = 150
const LEAK_CALLS = Number(process.env.STRESS_LEAK_CALLS ?? 20_000)
const WORKERS = 3
/** Slack over a call's own bound: event-loop lag on a loaded 2-core machine, never a speed claim. */
const SLACK_MS = 2000
const SEED = Number(process.env.STRESS_SEED ?? 15)

const uncaught = []
const unhandled = []
process.on('uncaughtException', (e) => uncaught.push(String(e && e.stack)))
process.on('unhandledRejection', (e) => unhandled.push(String(e && e.stack)))

const sim = await startSimulator({ rateLimitPerMinute: 0, webhookAttempts: 1, webhookTimeoutMs: 500 })

/** The calls, and how many requests each makes at most (a default-profile lookup, then the call). */
const KINDS = [
  ['defaultProfileId', (c, o) => c.defaultProfileId(o), 1, true],
  ['listAccounts', (c, o) => c.listAccounts({}, o), 2, true],
  ['connectInstagram', (c, o) => c.connectInstagram({ redirectUrl: 'http://127.0.0.1:9/cb' }, o), 2, true],
  ['request', (c, o) => c.request('GET /v1/profiles', undefined, o), 1, false],
  ['auth.verify', (c, o) => c.auth.verify(o), 1, false],
  ['posts.create', (c, o, i) => c.posts.create({ content: `stress ${i}`, isDraft: true }, o), 1, false],
]

function fault(random) {
  const times = 1 + Math.floor(random() * 40)
  // GET /v1/profiles twice: a slow default-profile lookup is what other calls wait on.
  const routes = ['*', 'GET /v1/profiles', 'GET /v1/profiles', 'GET /v1/accounts', 'POST /v1/posts', 'GET /v1/connect/instagram']
  const route = routes[Math.floor(random() * routes.length)]
  switch (Math.floor(random() * 8)) {
    case 0:
    case 4:
    case 5:
      return { route, delayMs: Math.floor(random() * 3000), times }
    case 1:
      return { route, status: 503, retryAfter: 0, times }
    case 2:
      return { route, drop: true, times }
    // The route acts, then its answer is lost: a retry may only replay it (the simulator counts).
    case 6:
      return { route, status: 503, retryAfter: 0, after: true, times }
    case 7:
      return { route, drop: true, after: true, times }
    default:
      return { route, malformed: true, times }
  }
}

/** Worker threads that call the addon in a loop and are terminated mid-flight. */
async function workers(random) {
  const code = `
    const { workerData } = require('node:worker_threads')
    const { LateClient } = require(workerData.root + '/index.js')
    const late = new LateClient({ apiKey: workerData.key, baseUrl: workerData.baseUrl, maxRetries: 1, timeoutMs: 1000 })
    const loop = () => late.listAccounts({}, { timeoutMs: 500 }).catch(() => {}).then(loop)
    for (let i = 0; i < 20; i++) loop()`
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const exits = []
  for (let i = 0; i < WORKERS; i++) {
    const w = new Worker(code, { eval: true, workerData: { root, key: sim.apiKey, baseUrl: sim.baseUrl } })
    w.on('error', (e) => uncaught.push(`worker: ${e && e.message}`))
    exits.push(new Promise((resolve) => w.on('exit', resolve)))
    setTimeout(() => w.terminate(), 100 + Math.floor(random() * 700))
  }
  return exits
}

async function round(n) {
  const random = rng(SEED)
  sim.reset()
  sim.faults.clear()
  const opts = { apiKey: sim.apiKey, baseUrl: sim.baseUrl }
  let pool
  const workerExits = await workers(random)
  const calls = []
  const violations = []
  let inFlight = 0
  let wake
  const started = Date.now()
  for (let i = 0; i < CALLS; i++) {
    while (inFlight >= CONCURRENCY) await new Promise((r) => (wake = r))
    if (i % 50 === 0) sim.faults.inject([fault(random), fault(random), fault(random)])
    if (i % 300 === 0 && typeof globalThis.gc === 'function') globalThis.gc()
    // New clients every 100 calls (the old ones are dropped): each looks the default profile up
    // again while the calls that need it wait on that one lookup.
    if (i % 100 === 0) pool = Array.from({ length: 4 }, () => new late.LateClient(opts))
    const [name, call, requests, lookup] = KINDS[Math.floor(random() * KINDS.length)]
    const shared = pool[Math.floor(random() * pool.length)]
    const pick = random()
    // A client made for this call and dropped: a clone sharing the pool's lookup, or a new one.
    const client = pick < 0.1 ? shared.withOptions({ maxRetries: 1 }) : pick < 0.2 ? new late.LateClient(opts) : shared
    const timeoutMs = 50 + Math.floor(random() * 1450)
    const maxRetries = Math.floor(random() * 3)
    const maxRetryWaitMs = 1 + Math.floor(random() * 200)
    const o = { timeoutMs, maxRetries, maxRetryWaitMs }
    if (random() < 0.5) o.deadlineMs = 100 + Math.floor(random() * 2900)
    let abortAt
    if (random() < 0.3) {
      const ac = new AbortController()
      abortAt = Math.floor(random() * 1500)
      setTimeout(() => ac.abort(), abortAt)
      o.signal = ac.signal
    }
    // Its own limits: every attempt and every wait of every request it makes (plus one attempt's
    // worth of waiting on another call's default-profile lookup), cut by its deadline and abort.
    const perRequest = (maxRetries + 1) * timeoutMs + maxRetries * maxRetryWaitMs
    let bound = requests * perRequest + (lookup ? timeoutMs : 0)
    if (o.deadlineMs !== undefined) bound = Math.min(bound, o.deadlineMs)
    if (abortAt !== undefined) bound = Math.min(bound, abortAt)
    const t0 = Date.now()
    const record = { name, bound, settled: false }
    calls.push(record)
    inFlight++
    Promise.resolve()
      .then(() => call(client, o, `${n}.${i}`))
      .then(
        () => 'ok',
        (e) => {
          if (!(e instanceof late.LateError)) violations.push(`${name}: not a LateError: ${e && e.stack}`)
          return e && e.name
        },
      )
      .then((outcome) => {
        record.settled = true
        record.ms = Date.now() - t0
        record.outcome = outcome
        if (record.ms > bound + SLACK_MS) violations.push(`${name} settled after ${record.ms} ms, bound ${bound} ms (+${SLACK_MS}): ${JSON.stringify({ ...o, signal: !!o.signal })}`)
        inFlight--
        if (wake) wake()
      })
  }
  const longest = Math.max(...calls.map((c) => c.bound)) + SLACK_MS
  const deadline = Date.now() + longest
  while (calls.some((c) => !c.settled) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  for (const c of calls) if (!c.settled) violations.push(`${c.name} never settled (bound ${c.bound} ms)`)
  const workerCodes = await Promise.race([Promise.all(workerExits), new Promise((r) => setTimeout(() => r('workers did not exit'), 10_000))])
  if (!Array.isArray(workerCodes)) violations.push(workerCodes)
  sim.faults.clear()
  pool = undefined
  for (let i = 0; i < 3 && typeof globalThis.gc === 'function'; i++) {
    globalThis.gc()
    await new Promise((r) => setTimeout(r, 50))
  }
  const outcomes = {}
  for (const c of calls) outcomes[c.outcome] = (outcomes[c.outcome] || 0) + 1
  // Slow first attempts end on the server after their calls settled: let them land, then ask
  // the simulator whether any call acted twice.
  await new Promise((r) => setTimeout(r, 3100))
  const { total: actions, duplicates } = sim.actions()
  return { round: n, ms: Date.now() - started, calls: calls.length, outcomes, violations, rss: process.memoryUsage().rss, actions, duplicates }
}

async function collect() {
  for (let i = 0; i < 3 && typeof globalThis.gc === 'function'; i++) {
    globalThis.gc()
    await new Promise((r) => setTimeout(r, 50))
  }
  return process.memoryUsage().rss
}

/**
 * The leak probe: the same plain calls in batches of LEAK_CALLS, RSS after each (garbage
 * collected). After a warm-up batch, a leak of a kilobyte per call adds LEAK_CALLS KB per batch.
 * STRESS_LEAK_BYTES keeps that many bytes per call on purpose (to prove the probe sees a leak).
 */
async function leakProbe() {
  sim.reset()
  const client = new late.LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl })
  const kept = []
  const leak = Number(process.env.STRESS_LEAK_BYTES ?? 0)
  const batch = async () => {
    let next = 0
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next++ < LEAK_CALLS) {
          await client.request('GET /v1/auth/verify')
          if (leak) kept.push(Buffer.alloc(leak, 1))
        }
      }),
    )
  }
  const rss = []
  for (let i = 0; i < 3; i++) {
    await batch()
    rss.push(await collect())
  }
  return { calls: LEAK_CALLS, rss }
}

const rounds = []
for (let n = 1; n <= ROUNDS; n++) rounds.push(await round(n))
const leak = await leakProbe()
await sim.close()
process.stdout.write(`STRESS-RESULT ${JSON.stringify({ rounds, leak, uncaught, unhandled })}\n`, () => process.exit(0))
