#!/usr/bin/env node
// `npm run bench:fleet`: K processes on one API key against the simulator's team window,
// writing bench/FLEET.md. Each process runs `--concurrency` loops creating posts and listing
// accounts as fast as they can (bench/fleet-worker.mjs); every limiter runs in the same fleet:
//
//   late-native          the client's pacing with rateLimit.redis (one shared window)
//   late-native-local    the client's pacing without Redis (each process alone)
//   bottleneck-minTime   Bottleneck 2 clustered through Redis, one call every window/limit
//   bottleneck-reservoir Bottleneck 2 clustered through Redis, `limit` per refilled window
//   none                 no limiter (rateLimit: false): 429s retried after Retry-After
//
//   node bench/fleet.mjs [--quick] [--k 1,2,4,8] [--variants a,b] [--limit 250]
//                        [--window-ms 5000] [--windows 6] [--concurrency 8] [--out bench/FLEET.md]
//
// Measured per run: the 429 share of the requests the simulator received; the share of the
// limit achieved (allowed requests ÷ limit × windows); p50/p99 of the wait for the limiter
// (late-native: `queuedMs`; Bottleneck: schedule() to job start); p50/p99 of call latency; Redis
// commands sent per completed call (late-native: its `pacing.redisCalls`; Bottleneck: every
// command its ioredis clients send, counted in ioredis); calls that failed. The window is 5 s because Bottleneck's clustered reservoir refreshes on
// 5 s boundaries. --quick: K = 1, 2 and 2 windows; its numbers mean nothing.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '../testing.mjs'
import { startRedis } from '../__test__/helpers/redis-server.mjs'
import { runFleet } from '../__test__/helpers/fleet.mjs'
import { machine } from './common.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const VARIANTS = ['late-native', 'late-native-local', 'bottleneck-minTime', 'bottleneck-reservoir', 'none']

function parseArgs(argv) {
  const o = { quick: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => argv[++i]
    if (a === '--quick') o.quick = true
    else if (a === '--k') o.k = value().split(',').map(Number)
    else if (a === '--variants') o.variants = value().split(',')
    else if (a === '--limit') o.limit = Number(value())
    else if (a === '--window-ms') o.windowMs = Number(value())
    else if (a === '--windows') o.windows = Number(value())
    else if (a === '--concurrency') o.concurrency = Number(value())
    else if (a === '--out') o.out = value()
    else throw new Error(`unknown argument ${a}`)
  }
  for (const v of o.variants ?? []) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}; expected ${VARIANTS.join(', ')}`)
  return {
    k: o.k ?? (o.quick ? [1, 2] : [1, 2, 4, 8]),
    variants: o.variants ?? VARIANTS,
    limit: o.limit ?? 250,
    windowMs: o.windowMs ?? 5000,
    windows: o.windows ?? (o.quick ? 2 : 6),
    concurrency: o.concurrency ?? 8,
    out: o.out ?? (o.quick ? undefined : path.join(HERE, 'FLEET.md')),
  }
}

const quantile = (xs, q) => {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

function rateLimitFor(variant, opts, redisUrl) {
  if (variant === 'late-native') return { windowMs: opts.windowMs, redis: redisUrl }
  if (variant === 'late-native-local') return { windowMs: opts.windowMs }
  return false
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const redis = await startRedis()
  const sim = await startSimulator({ apiKey: 'sk_test_fleet_bench' })
  const account = sim.addAccount({ platform: 'twitter', username: 'bench' })
  const started = new Date()
  const load0 = os.loadavg()[0]
  const rows = []
  let run = 0
  for (const k of opts.k) {
    // The order of the variants rotates with K, so that none always runs first.
    const order = opts.variants.map((_, i) => opts.variants[(i + opts.k.indexOf(k)) % opts.variants.length])
    for (const variant of order) {
      run++
      await redis.command('FLUSHALL')
      const r = await runFleet(
        sim,
        k,
        {
          limit: opts.limit,
          windowMs: opts.windowMs,
          durationMs: opts.windows * opts.windowMs,
          accountId: account._id,
          rateLimit: rateLimitFor(variant, opts, redis.url),
          tag: `bench ${run}`,
          concurrency: opts.concurrency,
          variant,
          run,
          redisPort: redis.port,
        },
        path.join(HERE, 'fleet-worker.mjs'),
      )
      const queued = variant === 'none' ? [] : r.workers.flatMap((w) => w.queuedMs)
      const latency = r.workers.flatMap((w) => w.latencyMs)
      const failed = Object.values(r.failed).reduce((a, b) => a + b, 0)
      const usesRedis = variant === 'late-native' || variant.startsWith('bottleneck')
      const row = {
        k,
        variant,
        requests: r.requests,
        limited: r.server.limited,
        share429: r.share429,
        throughput: r.throughput,
        ok: r.ok,
        failed,
        queueP50: queued.length ? quantile(queued, 0.5) : undefined,
        queueP99: queued.length ? quantile(queued, 0.99) : undefined,
        latencyP50: quantile(latency, 0.5),
        latencyP99: quantile(latency, 0.99),
        redisPerCall: usesRedis ? r.workers.reduce((n, w) => n + (w.redisCalls ?? 0), 0) / Math.max(1, r.ok) : undefined,
        fallbacks: r.workers.reduce((n, w) => n + (w.pacing?.fallbacks ?? 0), 0),
      }
      rows.push(row)
      console.log(
        `K=${k} ${variant.padEnd(20)} 429s ${(100 * row.share429).toFixed(3)} % · ${(100 * row.throughput).toFixed(1)} % of the limit · ` +
          `queue p50/p99 ${fmtMs(row.queueP50)}/${fmtMs(row.queueP99)} ms · latency p50/p99 ${fmtMs(row.latencyP50)}/${fmtMs(row.latencyP99)} ms · ` +
          `Redis/call ${row.redisPerCall === undefined ? '—' : row.redisPerCall.toFixed(2)} · failed ${failed}`,
      )
    }
  }
  await sim.close()
  const redisVersion = (await redis.command('INFO server')).match(/redis_version:(\S+)/)?.[1]
  await redis.stop()
  const report = markdown(opts, rows, { started, load0, load1: os.loadavg()[0], redisVersion })
  if (opts.out) {
    fs.writeFileSync(opts.out, report)
    console.log(`wrote ${path.relative(process.cwd(), opts.out)}`)
  } else {
    console.log(report)
  }
}

const fmtMs = (x) => (x === undefined || Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(1) : x.toFixed(0))
const fmtPct = (x, d = 1) => `${(100 * x).toFixed(d)} %`

function markdown(opts, rows, info) {
  const m = machine()
  const lines = []
  lines.push('# Fleet benchmark: many processes on one rate limit')
  lines.push('')
  lines.push('`npm run bench:fleet` (bench/fleet.mjs). K processes share one API key against the simulator,')
  lines.push(`whose team limit is **${opts.limit} requests per sliding ${opts.windowMs / 1000} s window** for all of them together (as the`)
  lines.push('real API applies its per-minute window to a team). Each process runs')
  lines.push(`${opts.concurrency} loops that create posts and list accounts as fast as they can for ${opts.windows} window${opts.windows === 1 ? "" : "s"}`)
  lines.push(`(${(opts.windows * opts.windowMs) / 1000} s); calls still queued at the end are cancelled. Every variant uses late-native as the HTTP`)
  lines.push('client (retries with `Retry-After` honoured, at most 2); only the limiter differs:')
  lines.push('')
  lines.push('- **late-native**: `rateLimit: { windowMs, redis }`, one sliding window in Redis booked by one Lua script per attempt.')
  lines.push('- **late-native-local**: `rateLimit: { windowMs }`, each process pacing alone (no Redis).')
  lines.push('- **bottleneck-minTime**: Bottleneck 2.19.5 clustered through Redis (ioredis), `minTime: window / limit` (rounded up: its scripts need an integer).')
  lines.push('- **bottleneck-reservoir**: the same, `reservoir: limit` refilled every window (Bottleneck\'s documented "N per interval").')
  lines.push('- **none**: `rateLimit: false`.')
  lines.push('')
  lines.push('Columns: **429s** is the share of the requests the simulator received that it refused; **of the limit** is the')
  lines.push('requests it let through ÷ (limit × windows); **queue** is the wait for the limiter before a call is sent')
  lines.push('(late-native: `queuedMs` of the response, all attempts; Bottleneck: `schedule()` to job start); **latency** is the')
  lines.push('whole call, retries and their waits included; **Redis/call** is the commands (round trips) the limiter sent to')
  lines.push('Redis ÷ completed calls (late-native: `pacing.redisCalls`; Bottleneck: every command of its ioredis clients,')
  lines.push('heartbeats included, counted in ioredis).')
  lines.push('')
  lines.push('## Machine')
  lines.push('')
  lines.push('| | |')
  lines.push('| --- | --- |')
  lines.push(`| Date | ${info.started.toISOString().slice(0, 16).replace('T', ' ')} UTC |`)
  lines.push(`| CPU | ${m.nproc} × ${m.cpu} |`)
  lines.push(`| RAM | ${m.ramGiB} GiB |`)
  lines.push(`| OS | ${m.os} |`)
  lines.push(`| Node | ${m.node} |`)
  lines.push(`| Rust | ${m.rustc} |`)
  lines.push(`| Redis | ${info.redisVersion} (Debian's redis-server, loopback, no persistence) |`)
  lines.push(`| Load average | ${info.load0.toFixed(1)} at the start, ${info.load1.toFixed(1)} at the end (the machine is shared with other builds) |`)
  lines.push('')
  lines.push('Simulator, Redis and all K processes run on these cores together.')
  lines.push('')
  lines.push('## Results')
  lines.push('')
  lines.push('| K | limiter | requests | 429s | of the limit | queue p50 / p99 (ms) | latency p50 / p99 (ms) | Redis/call | failed calls |')
  lines.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const k of opts.k) {
    for (const v of opts.variants) {
      const r = rows.find((x) => x.k === k && x.variant === v)
      if (!r) continue
      lines.push(
        `| ${k} | ${v} | ${r.requests} | ${fmtPct(r.share429, 2)} (${r.limited}) | ${fmtPct(r.throughput)} | ${fmtMs(r.queueP50)} / ${fmtMs(r.queueP99)} | ` +
          `${fmtMs(r.latencyP50)} / ${fmtMs(r.latencyP99)} | ${r.redisPerCall === undefined ? '—' : r.redisPerCall.toFixed(2)} | ${r.failed} |`,
      )
    }
  }
  const kMax = Math.max(...opts.k)
  const ours = rows.find((r) => r.k === kMax && r.variant === 'late-native')
  const bottlenecks = rows.filter((r) => r.k === kMax && r.variant.startsWith('bottleneck'))
  if (ours) {
    lines.push('')
    lines.push(`## Target at K = ${kMax}: ≥ 95 % of the allowed rate with ≤ 0.1 % 429s, better than Bottleneck on both`)
    lines.push('')
    const rateOk = ours.throughput >= 0.95
    const share429Ok = ours.share429 <= 0.001
    lines.push(`- Rate: ${fmtPct(ours.throughput)} of the limit: ${rateOk ? 'met' : 'not met'}.`)
    lines.push(`- 429s: ${fmtPct(ours.share429, 3)}: ${share429Ok ? 'met' : 'not met'}.`)
    for (const b of bottlenecks) {
      const better = ours.throughput >= b.throughput && ours.share429 <= b.share429
      lines.push(
        `- Against ${b.variant} (${fmtPct(b.throughput)} of the limit, ${fmtPct(b.share429, 3)} 429s): ${better ? 'better or equal on both' : 'not better on both'}.`,
      )
    }
  }
  lines.push('')
  return `${lines.join('\n')}\n`
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
