// One measurement in a fresh process, so clients never share a heap, a JIT state, a
// connection pool or an RSS figure. Run by bench/loopback.mjs (for bench/run.mjs and
// bench/compare.mjs) as
//   node [--expose-gc] bench/worker.mjs '<json spec>'
// and prints one JSON line with the result. `process.cpuUsage()` counts every thread of the
// process, so the native client's Rust worker threads are included in its CPU figures.

import { createHmac, timingSafeEqual } from 'node:crypto'
import { createRequire } from 'node:module'
import { makeClient, postBody, PKG } from './clients.mjs'

const require = createRequire(import.meta.url)
const spec = JSON.parse(process.argv[2])

const MB = 1024 * 1024

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

function cpuMicros(since) {
  const d = process.cpuUsage(since)
  return d.user + d.system
}

/**
 * Closed loop: `concurrency` callers, each awaiting `op()` then calling again. The first
 * `warmupMs` warm the JIT and open the connections; only the next `durationMs` are measured.
 */
async function throughput(op, { concurrency, warmupMs, durationMs }) {
  let measuring = false
  let stopped = false
  const latencies = []
  let errors = 0
  let firstError
  async function caller() {
    while (!stopped) {
      const t0 = performance.now()
      try {
        await op()
      } catch (e) {
        errors++
        firstError ??= e
        continue
      }
      if (measuring && !stopped) latencies.push(performance.now() - t0)
    }
  }
  const callers = Array.from({ length: concurrency }, caller)
  await new Promise((r) => setTimeout(r, warmupMs))
  measuring = true
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, durationMs))
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpuMicros(cpu0)
  const calls = latencies.length
  stopped = true
  await Promise.all(callers)
  if (calls === 0) throw firstError || new Error('no call completed')
  latencies.sort((a, b) => a - b)
  return {
    calls,
    seconds,
    rps: calls / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuUsPerCall: cpu / calls,
    errors,
    firstError: firstError ? String(firstError.message || firstError) : undefined,
  }
}

/** Sequential calls of the large list: ms from call to JS objects, and peak RSS. */
async function bigList(client, { warmup, calls, expect }) {
  const rssStartMb = process.memoryUsage.rss() / MB
  for (let i = 0; i < warmup; i++) check(await client.listBig(), expect)
  const times = []
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now()
    const accounts = await client.listBig()
    times.push(performance.now() - t0)
    check(accounts, expect)
  }
  times.sort((a, b) => a - b)
  return {
    ms: percentile(times, 50),
    msMin: times[0],
    calls,
    rssStartMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
}

function check(accounts, expect) {
  if (!Array.isArray(accounts) || accounts.length !== expect || typeof accounts[0]._id !== 'string') {
    throw new Error(`expected ${expect} accounts, got ${Array.isArray(accounts) ? accounts.length : typeof accounts}`)
  }
}

/** RSS before and after `calls` small calls at `concurrency`, each measured after a forced GC. */
async function rssGrowth(client, { warmup, calls, concurrency, phases = 1 }) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
  const settle = async () => {
    globalThis.gc()
    await new Promise((r) => setTimeout(r, 50))
    globalThis.gc()
  }
  const run = async (n) => {
    let next = 0
    const caller = async () => {
      while (next++ < n) await client.listAccounts()
    }
    await Promise.all(Array.from({ length: concurrency }, caller))
  }
  await run(warmup)
  await settle()
  const before = process.memoryUsage()
  const t0 = performance.now()
  await run(calls)
  const seconds = (performance.now() - t0) / 1000
  const noGc = process.memoryUsage()
  await settle()
  const after = process.memoryUsage()
  // A second batch of the same size: growth that continues there would be a leak; growth
  // that happened only in the first batch is one-time sizing (pools, arenas, V8 heap).
  let second
  if (phases > 1) {
    await run(calls)
    await settle()
    second = process.memoryUsage()
  }
  return {
    calls,
    seconds,
    rssBeforeMb: before.rss / MB,
    rssAfterMb: after.rss / MB,
    growthMb: (after.rss - before.rss) / MB,
    growthNoGcMb: (noGc.rss - before.rss) / MB,
    heapGrowthMb: (after.heapUsed - before.heapUsed) / MB,
    // V8 grows its young generation under a high allocation rate; that is reserved heap,
    // not a leak. What is left is native memory (Rust allocations, sockets, malloc arenas).
    heapTotalGrowthMb: (after.heapTotal - before.heapTotal) / MB,
    nonHeapGrowthMb: (after.rss - before.rss - (after.heapTotal - before.heapTotal)) / MB,
    externalGrowthMb: (after.external - before.external) / MB,
    secondGrowthMb: second ? (second.rss - after.rss) / MB : undefined,
    secondHeapTotalGrowthMb: second ? (second.heapTotal - after.heapTotal) / MB : undefined,
    secondNonHeapGrowthMb: second ? (second.rss - after.rss - (second.heapTotal - after.heapTotal)) / MB : undefined,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }
}

/** A ~4 KB webhook delivery, as Zernio sends it. */
function webhookDelivery(secret) {
  const event = {
    id: 'evt_6652c0d1e2f3a4b5c6d7e8f9',
    event: 'account.connected',
    timestamp: '2026-11-28T12:00:00.000Z',
    account: {
      accountId: '6651a0b1c2d3e4f500000000',
      profileId: '6650f1a2b3c4d5e6f7a8b9c0',
      platform: 'instagram',
      username: 'brand_instagram_0',
      displayName: 'Brand Account 0',
    },
    metadata: { notes: [] },
  }
  let body = JSON.stringify(event)
  while (Buffer.byteLength(body) < 4096 - 64) {
    event.metadata.notes.push('connected through the Connect Instagram button on the settings page')
    body = JSON.stringify(event)
  }
  const signature = createHmac('sha256', secret).update(body).digest('hex')
  return { body, headers: { 'content-type': 'application/json', 'x-zernio-signature': signature } }
}

/** The node:crypto baseline: what an application would write by hand (HMAC, constant-time compare, parse). */
function nodeCryptoVerify(rawBody, headers, secret) {
  const got = Buffer.from(String(headers['x-zernio-signature'] || ''), 'hex')
  const want = createHmac('sha256', secret).update(rawBody).digest()
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw new Error('bad signature')
  return JSON.parse(rawBody)
}

function webhookOps({ impl, durationMs, warmupMs }) {
  const secret = 'whsec_bench_0123456789abcdef'
  const { body, headers } = webhookDelivery(secret)
  const verify = impl === 'late-native' ? require(PKG).verifyWebhook : nodeCryptoVerify
  const event = verify(body, headers, secret)
  if (event.event !== 'account.connected') throw new Error('verification returned the wrong event')
  const loop = (ms) => {
    let ops = 0
    const t0 = performance.now()
    let now = t0
    while (now - t0 < ms) {
      for (let i = 0; i < 200; i++) verify(body, headers, secret)
      ops += 200
      now = performance.now()
    }
    return { ops, seconds: (now - t0) / 1000 }
  }
  loop(warmupMs)
  const cpu0 = process.cpuUsage()
  const { ops, seconds } = loop(durationMs)
  return { ops, seconds, opsPerSec: ops / seconds, bodyBytes: Buffer.byteLength(body), cpuUsPerOp: cpuMicros(cpu0) / ops }
}

async function main() {
  switch (spec.kind) {
    case 'throughput': {
      const client = makeClient(spec.client, spec.port)
      const body = postBody()
      const op = spec.op === 'post' ? () => client.createPost(body) : () => client.listAccounts()
      // Prove the call does what it claims before timing it.
      const first = await op()
      if (spec.op === 'post' ? !first || !first.post || !first.post._id : !Array.isArray(first) || first.length !== 3) {
        throw new Error(`unexpected result: ${JSON.stringify(first).slice(0, 200)}`)
      }
      return throughput(op, spec)
    }
    case 'big':
      return bigList(makeClient(spec.client, spec.port), spec)
    case 'rss':
      return rssGrowth(makeClient(spec.client, spec.port), spec)
    case 'webhook':
      return webhookOps(spec)
    default:
      throw new Error(`unknown kind ${spec.kind}`)
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    // The native client's pool and the undici pool would keep the process alive for a while.
    process.exit(0)
  },
  (e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`)
    process.exit(1)
  },
)
