// The loopback measurements, shared by `npm run bench` (bench/run.mjs: late-native against the
// official SDK and fetch) and `npm run bench:compare` (bench/compare.mjs: two builds of
// late-native against each other, the official SDK as the anchor). One implementation, so the
// two scripts cannot measure different things under the same name.
//
// A *subject* is one thing measured: `{ id, client, pkg }`, where `client` is a name of
// bench/clients.mjs (or 'node:crypto' for the webhook baseline), `id` keys its results (the
// client's name in run.mjs; 'current' / 'reference' / 'official' in compare.mjs) and `pkg`,
// for late-native, is the package folder under test (bench/common.mjs preparePackage). Every
// measurement runs bench/worker.mjs in a fresh process with LATE_BENCH_PKG set to that folder,
// so an older build is driven by the current worker code.

import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ROOT } from './clients.mjs'
import { median, log, run } from './common.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))

/** The scenario groups `--only` accepts. */
export const GROUPS = ['wire', 'list', 'post', 'big', 'import', 'webhook', 'rss']

/**
 * Parses the options both loopback scripts take (--quick, --json, --rounds, --only, --rss-calls,
 * --duration-ms; --help prints the opening comment of `script`, `helpLines` lines of it) and
 * hands any other argument to `other(arg, value, o)`, which returns false for one it does not
 * know. `value()` takes the argument's value.
 */
export function parseLoopbackArgs(argv, { script, helpLines, other = () => false }) {
  const o = { quick: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    const count = () => {
      const n = Number(value())
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} takes a whole number ≥ 1`)
      return n
    }
    if (a === '--quick') o.quick = true
    else if (a === '--json') o.json = value()
    else if (a === '--rounds') o.rounds = count()
    else if (a === '--rss-calls') o.rssCalls = count()
    else if (a === '--duration-ms') o.durationMs = count()
    else if (a === '--only') o.only = value().split(',').map((x) => x.trim())
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(script, 'utf8').split('\n').slice(1, 1 + helpLines).join('\n'))
      process.exit(0)
    } else if (!other(a, value, o)) throw new Error(`unknown argument ${a}`)
  }
  return o
}

/** Counts and durations of one run: tiny with `quick` (smoke tests), else the full run's. */
export function loopbackParams({ quick = false, rounds, durationMs, rssCalls, rssRounds = 1, only } = {}) {
  for (const g of only ?? []) if (!GROUPS.includes(g)) throw new Error(`unknown --only group ${g}; expected ${GROUPS.join(', ')}`)
  const q = quick
  return {
    quick: q,
    only,
    rounds: rounds ?? (q ? 1 : 5),
    warmupMs: q ? 100 : 500,
    durationMs: durationMs ?? (q ? 250 : 2000),
    bigWarmup: q ? 1 : 2,
    bigCalls: q ? 1 : 8,
    bigCount: 10_000,
    rssWarmup: q ? 300 : 5_000,
    rssCalls: rssCalls ?? (q ? 2_000 : 100_000),
    rssRounds,
    rssPhases: q ? 1 : 2,
    importRuns: q ? 2 : 15,
    webhookMs: q ? 150 : 1000,
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs one measurement of `subject` in a fresh node process and returns its JSON result. */
export function worker(spec, subject, { exposeGc = false } = {}) {
  return new Promise((resolve, reject) => {
    const args = [...(exposeGc ? ['--expose-gc'] : []), path.join(HERE, 'worker.mjs'), JSON.stringify(spec)]
    const env = { ...process.env }
    if (subject.pkg) env.LATE_BENCH_PKG = subject.pkg
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker ${subject.id} ${JSON.stringify(spec)} exited ${code}:\n${err}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()))
      } catch (e) {
        reject(new Error(`worker printed no result: ${out}\n${err}`))
      }
    })
  })
}

/** Starts crates/bench-server's binary; resolves to `{ child, bin, port, stop() }`. */
export function startServer(bin) {
  return new Promise((resolve, reject) => {
    // --exit-with-stdin: the server exits when this process does, even on a crash.
    const child = spawn(bin, ['--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] })
    const timer = setTimeout(() => reject(new Error('bench-server did not start in 10 s')), 10_000)
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`bench-server exited early (${code})`)))
    createInterface({ input: child.stdout }).once('line', (line) => {
      const m = /^LISTENING (\d+)$/.exec(line)
      clearTimeout(timer)
      if (!m) return reject(new Error(`unexpected bench-server output: ${line}`))
      child.removeAllListeners('exit')
      const stop = () => {
        child.stdin.end()
        child.kill()
      }
      resolve({ child, bin, port: Number(m[1]), stop })
    })
  })
}

/** The addon of the package in `pkgDir`: its file, size, and size after `strip --strip-all`. */
export function nodeSize(pkgDir) {
  const file = fs.readdirSync(pkgDir).find((f) => /^late-native\..+\.node$/.test(f))
  if (!file) return undefined
  const full = path.join(pkgDir, file)
  const bytes = fs.statSync(full).size
  // Strip a copy: the figure a published package would ship even if the build kept symbols.
  let strippedBytes
  const tmp = path.join(os.tmpdir(), `late-native-bench-${process.pid}.node`)
  try {
    fs.copyFileSync(full, tmp)
    if (spawnSync('strip', ['--strip-all', tmp]).status === 0) strippedBytes = fs.statSync(tmp).size
  } finally {
    fs.rmSync(tmp, { force: true })
  }
  return { file, bytes, strippedBytes }
}

/**
 * The environment of the import runs: this one without `NODE_EXTRA_CA_CERTS`. With it set, Node
 * parses that CA file while it starts, before any code runs (~60 ms of a ~90 ms bare start on a
 * host that points it at the system bundle), and its jitter swamps the few ms a package takes to
 * load. Loading late-native does not read it (a client does, when it is made).
 */
const IMPORT_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'))

/**
 * Runs `node -e` in a fresh process: wall time of the whole process (boot, require, exit) in
 * ms, and for a `require`, the time the require itself took inside the process.
 */
function nodeRun(requireExpr) {
  const code =
    requireExpr === undefined
      ? '0'
      : `const t=process.hrtime.bigint();require(${requireExpr});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, env: IMPORT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`node -e ${code} failed`)
  return { ms, requireMs: requireExpr === undefined ? 0 : Number(r.stdout) }
}

/** What `require()` is given to load a subject: the package folder (its "main"), or the SDK by name. */
function importExpr(subject) {
  if (subject.client === 'late-native') return JSON.stringify(subject.pkg ?? ROOT)
  if (subject.client === 'official') return `'@zernio/node'`
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const THROUGHPUT = [
  ['list-c1', 'list', 1],
  ['list-c50', 'list', 50],
  ['list-c256', 'list', 256],
  ['post-c50', 'post', 50],
]

/** The webhook scenario's subjects: every late-native build, then the hand-written node:crypto baseline. */
const webhookSubjects = (subjects) => [...subjects.filter((s) => s.client === 'late-native'), { id: 'node:crypto', client: 'node:crypto' }]

/**
 * Runs every scenario `p.only` allows (all by default) for every subject against the server
 * `{ bin, port }`, in the order `order(subjects, round)` gives each round. Returns the raw
 * results: `raw[scenario][subject id]` is one result per round, in round order, so results of
 * the same index were measured side by side (bench/compare.mjs pairs them).
 */
export async function measure({ bin, port }, subjects, p, order) {
  const raw = {}
  const add = (scenario, id, result) => ((raw[scenario] ??= {})[id] ??= []).push(result)
  const want = (group) => !p.only || p.only.includes(group)
  const medianOf = (scenario, key, fmt) => (id) => `${id} ${fmt(median(raw[scenario][id].map((x) => x[key])))}`
  const ids = (list) => list.map((s) => s.id)

  // Ceiling: a native keep-alive load generator (one thread) against the same server.
  if (want('wire')) {
    for (let r = 0; r < p.rounds; r++) {
      const out = run(bin, ['load', '--port', String(port), '--path', '/api/v1/accounts?profileId=x', '--concurrency', '50', '--duration-ms', String(p.durationMs), '--threads', '1'])
      add('wire', 'loadgen', JSON.parse(out.trim()))
    }
    log(`  wire ceiling (native load generator, c=50): ${Math.round(median(raw.wire.loadgen.map((x) => x.rps)))} req/s`)
  }

  for (const [name, op, concurrency] of THROUGHPUT) {
    if (!want(op)) continue
    for (let r = 0; r < p.rounds; r++) {
      for (const s of order(subjects, r)) {
        add(name, s.id, await worker({ kind: 'throughput', client: s.client, port, op, concurrency, warmupMs: p.warmupMs, durationMs: p.durationMs }, s))
      }
    }
    log(`  ${name}: ${ids(subjects).map(medianOf(name, 'rps', (v) => `${Math.round(v)}/s`)).join(', ')}`)
  }

  if (want('big')) {
    for (let r = 0; r < p.rounds; r++) {
      for (const s of order(subjects, r)) {
        add('big', s.id, await worker({ kind: 'big', client: s.client, port, warmup: p.bigWarmup, calls: p.bigCalls, expect: p.bigCount }, s))
      }
    }
    log(`  big list: ${ids(subjects).map(medianOf('big', 'ms', (v) => `${v.toFixed(1)} ms`)).join(', ')}`)
  }

  // Import time: cold require in a fresh process minus bare `node -e 0`, paired run by run
  // (each run starts bare node and every subject back to back, in the order of that run), so
  // drifts in machine load cancel out; plus the require's own time measured inside the process.
  const importers = subjects.filter(importExpr)
  if (want('import')) {
    const bare = { id: 'bare' }
    for (let i = 0; i < p.importRuns; i++) {
      const times = {}
      for (const s of order([bare, ...importers], i)) times[s.id] = nodeRun(s === bare ? undefined : importExpr(s))
      add('import', 'bare', times.bare)
      for (const s of importers) add('import', s.id, { ...times[s.id], overBareMs: times[s.id].ms - times.bare.ms })
    }
    const bareMs = median(raw.import.bare.map((x) => x.ms))
    log(`  import over bare node (${bareMs.toFixed(1)} ms): ${ids(importers).map(medianOf('import', 'overBareMs', (v) => `${v.toFixed(1)} ms`)).join(', ')}`)
  }

  if (want('webhook')) {
    const verifiers = webhookSubjects(subjects)
    for (let r = 0; r < p.rounds; r++) {
      for (const s of order(verifiers, r)) {
        add('webhook', s.id, await worker({ kind: 'webhook', impl: s.client, durationMs: p.webhookMs, warmupMs: p.webhookMs / 4 }, s))
      }
    }
    log(`  verifyWebhook 4 KB: ${ids(verifiers).map(medianOf('webhook', 'opsPerSec', (v) => `${Math.round(v)}/s`)).join(', ')}`)
  }

  if (want('rss')) {
    for (let r = 0; r < p.rssRounds; r++) {
      for (const s of order(subjects, r)) {
        const spec = { kind: 'rss', client: s.client, port, warmup: p.rssWarmup, calls: p.rssCalls, concurrency: 50, phases: p.rssPhases }
        add('rss', s.id, await worker(spec, s, { exposeGc: true }))
      }
    }
    log(`  RSS growth over ${p.rssCalls} calls: ${ids(subjects).map(medianOf('rss', 'growthMb', (v) => `${v.toFixed(1)} MB`)).join(', ')}`)
  }
  return raw
}

/** Starts the bench server `bin`, runs measure() against it and stops it, also on a failure. */
export async function measureOnServer(bin, subjects, p, order) {
  const server = await startServer(bin)
  log(`▶ bench-server on 127.0.0.1:${server.port}; ${subjects.map((s) => s.id).join(', ')}; ${p.rounds} round(s)`)
  try {
    return await measure(server, subjects, p, order)
  } finally {
    server.stop()
  }
}

// ---------------------------------------------------------------------------------------------
// What the reports show

export const fmt = {
  int: (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US')),
  ms: (v) => (v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1)),
  mb: (v) => (v === undefined ? '–' : v.toFixed(1)),
  us: (v) => (v === undefined ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toString()),
}

/**
 * The rows of the reports, in order: `{ scenario, key, label, f, better, of, base, signed }`.
 * `of(subject)` says whether the row applies to a subject (import time has no fetch row, the
 * webhook row is late-native's builds and node:crypto); `base` is the subject id the ratios are
 * taken against; `signed` (their unit) marks figures that can be zero or negative (RSS growth,
 * import time over bare node), where a ratio means nothing and a difference is shown instead.
 */
export function metricRows(p) {
  const rows = []
  const row = (scenario, label, key, f, extra = {}) => rows.push({ scenario, label, key, f, better: 'lower', of: () => true, base: 'official', ...extra })
  const calls = p.rssCalls.toLocaleString('en-US')
  for (const [name, op, c] of THROUGHPUT) {
    const what = op === 'post' ? `posts.create 2 KB c=${c}` : `listAccounts c=${c}`
    row(name, `${what} · req/s`, 'rps', fmt.int, { better: 'higher' })
    row(name, `${what} · p50 ms`, 'p50Ms', fmt.ms)
    row(name, `${what} · p99 ms`, 'p99Ms', fmt.ms)
    row(name, `${what} · CPU µs/call`, 'cpuUsPerCall', fmt.us)
  }
  row('big', '10,000-account list · ms to JS objects', 'ms', fmt.ms)
  row('big', '10,000-account list · peak RSS MB', 'peakRssMb', fmt.mb)
  const importer = (s) => importExpr(s) !== undefined
  // A difference of two process times: on a busy machine a single run can come out negative.
  row('import', 'import (cold require) · ms over bare node', 'overBareMs', fmt.ms, { of: importer, signed: 'ms' })
  row('import', 'import · require() alone, in-process ms', 'requireMs', fmt.ms, { of: importer })
  const mb = { signed: 'MB' }
  row('rss', `RSS growth over ${calls} calls (after GC) · MB`, 'growthMb', fmt.mb, mb)
  row('rss', `RSS growth over ${calls} calls (before GC) · MB`, 'growthNoGcMb', fmt.mb, mb)
  row('rss', '… of which V8 heap reserved (heapTotal) growth · MB', 'heapTotalGrowthMb', fmt.mb, mb)
  row('rss', '… RSS growth outside the V8 heap · MB', 'nonHeapGrowthMb', fmt.mb, mb)
  if (p.rssPhases > 1) {
    row('rss', `RSS growth over the next ${calls} calls (after GC) · MB`, 'secondGrowthMb', fmt.mb, mb)
    row('rss', '… of which V8 heap reserved (heapTotal) growth · MB', 'secondHeapTotalGrowthMb', fmt.mb, mb)
    row('rss', '… RSS growth outside the V8 heap · MB', 'secondNonHeapGrowthMb', fmt.mb, mb)
  }
  row('webhook', 'verifyWebhook 4 KB · ops/s (vs node:crypto)', 'opsPerSec', fmt.int, {
    better: 'higher',
    base: 'node:crypto',
    of: (s) => s.client === 'late-native' || s.client === 'node:crypto',
  })
  return rows
}

/** The subjects a row covers, the webhook's node:crypto baseline included. */
export const rowSubjects = (row, subjects) => (row.scenario === 'webhook' ? webhookSubjects(subjects) : subjects).filter(row.of)

/** One value per round of `row` for subject `id` (undefined where it did not run). */
export const perRound = (raw, row, id) => raw[row.scenario]?.[id]?.map((x) => x[row.key])

/** The median of `row` for subject `id` over its rounds. */
export const medianOf = (raw, row, id) => {
  const xs = perRound(raw, row, id)
  return xs ? median(xs) : undefined
}

export const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b)
export const fmtRatio = (r) => (r === undefined ? '–' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`)

/** The wire ceiling's median req/s (the load generator, no client), if it ran. */
export const wireCeiling = (raw) => (raw.wire ? median(raw.wire.loadgen.map((x) => x.rps)) : undefined)
