#!/usr/bin/env node
// Soak test (not part of `npm test`): many calls against the simulator with random faults,
// some of which lose the answer after the route acted. Reports calls, retries, failures by
// class, duplicates (must be 0: posts stored twice, and calls the simulator's ledger of actions
// saw act twice) and RSS growth.
//
//   node bench/soak.mjs [--calls 100000] [--concurrency 32] [--fault-rate 0.05] [--json out.json]
import os from 'node:os'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LateClient } from '../index.mjs'

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? dflt : process.argv[i + 1]
}
const CALLS = Number(arg('calls', 100_000))
const CONCURRENCY = Number(arg('concurrency', 32))
const FAULT_RATE = Number(arg('fault-rate', 0.05))
const POST_SHARE = 0.2
const jsonOut = arg('json', undefined)

const FAULTS = [
  (route) => ({ route, status: 503, retryAfter: 0 }),
  (route) => ({ route, status: 500 }),
  (route) => ({ route, status: 502 }),
  (route) => ({ route, status: 429, retryAfter: 0 }),
  (route) => ({ route, status: 408 }),
  (route) => ({ route, drop: true }),
  (route) => ({ route, delayMs: 400 }), // longer than the per-attempt timeout below
  (route) => ({ route, malformed: true }),
  (route) => ({ route, status: 409, retryAfter: 0, body: { error: 'in flight', code: 'idempotency_conflict' } }),
  // The route acts, then the answer is lost: only a replay by Idempotency-Key may follow.
  (route) => ({ route, status: 500, after: true }),
  (route) => ({ route, drop: true, after: true }),
]

// The simulator runs in its own process (driven over IPC), so the RSS measured here is the client's.
if (process.argv.includes('--sim-child')) {
  const { startSimulator } = await import('../testing.mjs')
  const sim = await startSimulator({ rateLimitPerMinute: 0 })
  const account = sim.addAccount({ platform: 'twitter', username: 'soak' })
  process.on('message', async (m) => {
    if (m.fault) sim.faults.inject(m.fault)
    if (m.clear) sim.clearRequests()
    if (m.posts) process.send({ posts: sim.state().posts.map((p) => p.content), actions: sim.actions() })
    if (m.close) {
      await sim.close()
      process.exit(0)
    }
  })
  process.send({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, accountId: account._id })
  await new Promise(() => {})
}
const child = fork(fileURLToPath(import.meta.url), ['--sim-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const ask = (msg) => new Promise((resolve) => {
  child.once('message', resolve)
  if (msg) child.send(msg)
})
const hello = await ask()
const sim = {
  faults: { inject: (fault) => child.send({ fault }) },
  clearRequests: () => child.send({ clear: true }),
}
const account = { _id: hello.accountId }
const late = new LateClient({ apiKey: hello.apiKey, baseUrl: hello.baseUrl, timeoutMs: 250, maxRetries: 3, maxRetryWaitMs: 20 })

const stats = { calls: 0, ok: 0, retries: 0, failures: {}, postsAttempted: 0, postsAcknowledged: 0 }
const acknowledged = new Set()
let next = 0
const rss0 = process.memoryUsage().rss
let rssPeak = rss0
const started = Date.now()

async function one(i) {
  const isPost = Math.random() < POST_SHARE
  const route = isPost ? 'POST /v1/posts' : 'GET /v1/accounts'
  if (Math.random() < FAULT_RATE) sim.faults.inject(FAULTS[Math.floor(Math.random() * FAULTS.length)](route))
  stats.calls++
  try {
    if (isPost) {
      stats.postsAttempted++
      const res = await late.requestWithResponse('POST /v1/posts', {
        body: { content: `soak ${i}`, platforms: [{ platform: 'twitter', accountId: account._id }] },
      })
      stats.retries += res.attempts - 1
      acknowledged.add(`soak ${i}`)
      stats.postsAcknowledged++
    } else {
      const res = await late.requestWithResponse('GET /v1/accounts')
      stats.retries += res.attempts - 1
    }
    stats.ok++
  } catch (e) {
    const key = e.code === 'invalid_response' ? `${e.name}(invalid_response)` : e.name
    stats.failures[key] = (stats.failures[key] || 0) + 1
    if (typeof e.attempts === 'number') stats.retries += e.attempts - 1
  }
}

async function worker() {
  while (next < CALLS) {
    const i = next++
    await one(i)
    if (i % 1000 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    if (i % 10_000 === 0 && i) {
      process.stderr.write(`  ${i} calls, ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
      sim.clearRequests()
    }
  }
}

await Promise.all(Array.from({ length: CONCURRENCY }, worker))
await new Promise((r) => setTimeout(r, 1000)) // let slow (delayed) first attempts land on the server

// Duplicates: any content stored more than once. Lost: acknowledged but not stored.
const byContent = new Map()
const { posts, actions } = await ask({ posts: true })
for (const c of posts) byContent.set(c, (byContent.get(c) || 0) + 1)
const duplicates = [...byContent.values()].filter((n) => n > 1).length
const lost = [...acknowledged].filter((c) => !byContent.has(c)).length
global.gc?.()
const rss1 = process.memoryUsage().rss
child.send({ close: true })

const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
  node: process.version,
  calls: stats.calls,
  concurrency: CONCURRENCY,
  faultRate: FAULT_RATE,
  succeeded: stats.ok,
  retries: stats.retries,
  failuresByClass: stats.failures,
  postsAttempted: stats.postsAttempted,
  postsAcknowledged: stats.postsAcknowledged,
  postsStored: byContent.size,
  duplicates,
  actions: actions.total,
  duplicateActions: actions.duplicates.length,
  lostAcknowledged: lost,
  rssStartMB: +(rss0 / 2 ** 20).toFixed(1),
  rssPeakMB: +(Math.max(rssPeak, rss1) / 2 ** 20).toFixed(1),
  rssEndMB: +(rss1 / 2 ** 20).toFixed(1),
  rssGrowthMB: +((rss1 - rss0) / 2 ** 20).toFixed(1),
  seconds: +((Date.now() - started) / 1000).toFixed(1),
}
console.log(JSON.stringify(report, null, 2))
if (jsonOut) (await import('node:fs')).writeFileSync(jsonOut, JSON.stringify(report, null, 2) + '\n')
if (duplicates || lost || actions.duplicates.length) {
  console.error(`FAIL: ${duplicates} duplicated and ${lost} lost posts, ${actions.duplicates.length} calls that acted twice`)
  process.exit(1)
}
