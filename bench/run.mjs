#!/usr/bin/env node
// `npm run bench`: late-native vs the official SDK (@zernio/node) vs plain fetch, against a
// fixed-response Rust server on loopback (crates/bench-server).
//
//   node bench/run.mjs [--quick] [--json out.json] [--rounds N] [--clients late-native,official,fetch]
//                      [--no-build] [--rss-calls N] [--duration-ms N]
//                      [--only wire,list,post,big,import,webhook,rss]
//
// Every measurement runs in a fresh child process (bench/worker.mjs); clients alternate within
// each round (the order rotates every round) and the tables show the median over rounds.
// Ratios are late-native ÷ @zernio/node. --quick uses tiny counts (the smoke test in
// __test__/bench-smoke.test.mjs); its numbers mean nothing.

import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { CLIENTS, CLIENT_LABELS, ROOT } from './clients.mjs'
import { median, rotate, log, run, buildServer, preparePackage, machine } from './common.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
/** The package under test: the repository, or the private copy made by preparePackage(). */
let PKG_DIR = ROOT

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { quick: false, json: undefined, rounds: undefined, clients: CLIENTS, build: true }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--quick') o.quick = true
    else if (a === '--json') o.json = value()
    else if (a === '--rounds') o.rounds = Number(value())
    else if (a === '--clients') o.clients = value().split(',').map((s) => s.trim()).filter(Boolean)
    else if (a === '--no-build') o.build = false
    else if (a === '--rss-calls') o.rssCalls = Number(value())
    else if (a === '--duration-ms') o.durationMs = Number(value())
    else if (a === '--only') o.only = value().split(',').map((x) => x.trim())
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).join('\n'))
      process.exit(0)
    } else throw new Error(`unknown argument ${a}`)
  }
  for (const c of o.clients) if (!CLIENTS.includes(c)) throw new Error(`unknown client ${c}; expected ${CLIENTS.join(', ')}`)
  if (!o.clients.includes('late-native')) throw new Error('--clients must include late-native')
  const q = o.quick
  return {
    ...o,
    rounds: o.rounds ?? (q ? 1 : 5),
    warmupMs: q ? 100 : 500,
    durationMs: o.durationMs ?? (q ? 250 : 2000),
    bigWarmup: q ? 1 : 2,
    bigCalls: q ? 1 : 8,
    bigCount: 10_000,
    rssWarmup: q ? 300 : 5_000,
    rssCalls: o.rssCalls ?? (q ? 2_000 : 100_000),
    rssRounds: 1,
    rssPhases: q ? 1 : 2,
    importRuns: q ? 2 : 15,
    webhookMs: q ? 150 : 1000,
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs one measurement in a fresh node process and returns its JSON result. */
function worker(spec, { exposeGc = false } = {}) {
  return new Promise((resolve, reject) => {
    const args = [...(exposeGc ? ['--expose-gc'] : []), path.join(HERE, 'worker.mjs'), JSON.stringify(spec)]
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, LATE_BENCH_PKG: PKG_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`worker ${JSON.stringify(spec)} exited ${code}:\n${err}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()))
      } catch (e) {
        reject(new Error(`worker printed no result: ${out}\n${err}`))
      }
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Build and start the server

function startServer(bin) {
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
      resolve({ child, bin, port: Number(m[1]) })
    })
  })
}

function nodeSize() {
  const file = fs.readdirSync(PKG_DIR).find((f) => /^late-native\..+\.node$/.test(f))
  if (!file) return undefined
  const full = path.join(PKG_DIR, file)
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
 * Runs `node -e` in a fresh process: wall time of the whole process (boot, require, exit) in
 * ms, and for a `require`, the time the require itself took inside the process.
 */
function nodeRun(requireExpr) {
  const code =
    requireExpr === undefined
      ? '0'
      : `const t=process.hrtime.bigint();require(${requireExpr});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`node -e ${code} failed`)
  return { ms, requireMs: requireExpr === undefined ? 0 : Number(r.stdout) }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const clients = CLIENTS.filter((c) => opts.clients.includes(c))
  const meta = { ...machine(), quick: opts.quick, rounds: opts.rounds, durationMs: opts.durationMs, clients }

  // --quick (the smoke test) benchmarks the addon as built; a full run builds a release one.
  PKG_DIR = preparePackage(opts.build && !opts.quick)
  meta.addonBuilt = opts.build && !opts.quick ? 'release build made by this run' : 'copy of the working tree addon'
  const bin = buildServer(opts.quick)
  const server = await startServer(bin)
  const port = server.port
  log(`▶ bench-server on 127.0.0.1:${port}; clients: ${clients.join(', ')}; ${opts.rounds} round(s)`)

  const raw = {}
  const add = (scenario, client, result) => ((raw[scenario] ??= {})[client] ??= []).push(result)

  const want = (name) => !opts.only || opts.only.includes(name)
  try {
    // Ceiling: a native keep-alive load generator (one thread) against the same server.
    if (want('wire')) {
      for (let r = 0; r < opts.rounds; r++) {
        const out = run(bin, ['load', '--port', String(port), '--path', '/api/v1/accounts?profileId=x', '--concurrency', '50', '--duration-ms', String(opts.durationMs), '--threads', '1'])
        add('wire', 'loadgen', JSON.parse(out.trim()))
      }
      log(`  wire ceiling (native load generator, c=50): ${Math.round(median(raw.wire.loadgen.map((x) => x.rps)))} req/s`)
    }

    const throughputScenarios = [
      ['list-c1', 'list', 1],
      ['list-c50', 'list', 50],
      ['list-c256', 'list', 256],
      ['post-c50', 'post', 50],
    ]
    for (const [name, op, concurrency] of throughputScenarios) {
      if (!want(op)) continue
      for (let r = 0; r < opts.rounds; r++) {
        for (const client of rotate(clients, r)) {
          const res = await worker({ kind: 'throughput', client, port, op, concurrency, warmupMs: opts.warmupMs, durationMs: opts.durationMs })
          add(name, client, res)
        }
      }
      log(`  ${name}: ${clients.map((c) => `${c} ${Math.round(median(raw[name][c].map((x) => x.rps)))}/s`).join(', ')}`)
    }

    if (want('big')) {
      for (let r = 0; r < opts.rounds; r++) {
        for (const client of rotate(clients, r)) {
          add('big', client, await worker({ kind: 'big', client, port, warmup: opts.bigWarmup, calls: opts.bigCalls, expect: opts.bigCount }))
        }
      }
      log(`  big list: ${clients.map((c) => `${c} ${median(raw.big[c].map((x) => x.ms)).toFixed(1)} ms`).join(', ')}`)
    }

    // Import time: cold require in a fresh process minus bare `node -e 0`, paired run by run
    // (each run starts bare node and every client back to back, in rotating order), so drifts
    // in machine load cancel out; plus the require's own time measured inside the process.
    const importExpr = {
      'late-native': JSON.stringify(path.join(PKG_DIR, 'index.js')),
      official: `'@zernio/node'`,
    }
    const importers = clients.filter((c) => importExpr[c])
    if (want('import')) {
      for (let i = 0; i < opts.importRuns; i++) {
        const runTimes = {}
        for (const c of rotate(['bare', ...importers], i)) runTimes[c] = nodeRun(c === 'bare' ? undefined : importExpr[c])
        add('import', 'bare', runTimes.bare)
        for (const c of importers) add('import', c, { ...runTimes[c], overBareMs: runTimes[c].ms - runTimes.bare.ms })
      }
      const bare = median(raw.import.bare.map((x) => x.ms))
      log(`  import over bare node (${bare.toFixed(1)} ms): ${importers.map((c) => `${c} ${median(raw.import[c].map((x) => x.overBareMs)).toFixed(1)} ms`).join(', ')}`)
    }

    if (want('webhook')) {
      for (let r = 0; r < opts.rounds; r++) {
        for (const impl of rotate(['late-native', 'node:crypto'], r)) {
          add('webhook', impl, await worker({ kind: 'webhook', impl, durationMs: opts.webhookMs, warmupMs: opts.webhookMs / 4 }))
        }
      }
      log(`  verifyWebhook 4 KB: ${['late-native', 'node:crypto'].map((c) => `${c} ${Math.round(median(raw.webhook[c].map((x) => x.opsPerSec)))}/s`).join(', ')}`)
    }

    if (want('rss')) {
      for (let r = 0; r < opts.rssRounds; r++) {
        for (const client of rotate(clients, r)) {
          add('rss', client, await worker({ kind: 'rss', client, port, warmup: opts.rssWarmup, calls: opts.rssCalls, concurrency: 50, phases: opts.rssPhases }, { exposeGc: true }))
        }
      }
      log(`  RSS growth over ${opts.rssCalls} calls: ${clients.map((c) => `${c} ${median(raw.rss[c].map((x) => x.growthMb)).toFixed(1)} MB`).join(', ')}`)
    }
  } finally {
    server.child.stdin.end()
    server.child.kill()
  }

  meta.loadavgAtEnd = os.loadavg().map((x) => +x.toFixed(2))
  const size = nodeSize()
  const report = summarize(raw, meta, size, opts)
  console.log(report.markdown)
  log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  if (opts.json) {
    fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true })
    fs.writeFileSync(opts.json, `${JSON.stringify({ meta, size, medians: report.medians, targets: report.targets, raw }, null, 2)}\n`)
    log(`wrote ${opts.json}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = {
  int: (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US')),
  ms: (v) => (v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1)),
  mb: (v) => (v === undefined ? '–' : v.toFixed(1)),
  us: (v) => (v === undefined ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toString()),
}
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b)
const fmtRatio = (r) => (r === undefined ? '–' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`)

function summarize(raw, meta, size, opts) {
  const med = (scenario, client, key) => (raw[scenario]?.[client] ? median(raw[scenario][client].map((x) => x[key])) : undefined)
  const clients = meta.clients
  const medians = {}
  const rows = []
  const row = (scenario, label, key, f, { better = 'higher', clientsOf = clients } = {}) => {
    const values = Object.fromEntries(clientsOf.map((c) => [c, med(scenario, c, key)]))
    ;(medians[scenario] ??= {})[key] = values
    const base = clientsOf[1] === 'node:crypto' ? 'node:crypto' : 'official'
    rows.push({ label, values, f, r: ratio(values[clientsOf[0]], values[base]), better })
  }
  row('list-c1', 'listAccounts c=1 · req/s', 'rps', fmt.int)
  row('list-c1', 'listAccounts c=1 · p50 ms', 'p50Ms', fmt.ms, { better: 'lower' })
  row('list-c1', 'listAccounts c=1 · p99 ms', 'p99Ms', fmt.ms, { better: 'lower' })
  row('list-c1', 'listAccounts c=1 · CPU µs/call', 'cpuUsPerCall', fmt.us, { better: 'lower' })
  row('list-c50', 'listAccounts c=50 · req/s', 'rps', fmt.int)
  row('list-c50', 'listAccounts c=50 · p50 ms', 'p50Ms', fmt.ms, { better: 'lower' })
  row('list-c50', 'listAccounts c=50 · p99 ms', 'p99Ms', fmt.ms, { better: 'lower' })
  row('list-c50', 'listAccounts c=50 · CPU µs/call', 'cpuUsPerCall', fmt.us, { better: 'lower' })
  row('list-c256', 'listAccounts c=256 · req/s', 'rps', fmt.int)
  row('list-c256', 'listAccounts c=256 · p50 ms', 'p50Ms', fmt.ms, { better: 'lower' })
  row('list-c256', 'listAccounts c=256 · p99 ms', 'p99Ms', fmt.ms, { better: 'lower' })
  row('list-c256', 'listAccounts c=256 · CPU µs/call', 'cpuUsPerCall', fmt.us, { better: 'lower' })
  row('post-c50', 'posts.create 2 KB c=50 · req/s', 'rps', fmt.int)
  row('post-c50', 'posts.create 2 KB c=50 · p50 ms', 'p50Ms', fmt.ms, { better: 'lower' })
  row('post-c50', 'posts.create 2 KB c=50 · p99 ms', 'p99Ms', fmt.ms, { better: 'lower' })
  row('post-c50', 'posts.create 2 KB c=50 · CPU µs/call', 'cpuUsPerCall', fmt.us, { better: 'lower' })
  row('big', '10,000-account list · ms to JS objects', 'ms', fmt.ms, { better: 'lower' })
  row('big', '10,000-account list · peak RSS MB', 'peakRssMb', fmt.mb, { better: 'lower' })
  row('import', 'import (cold require) · ms over bare node', 'overBareMs', fmt.ms, {
    better: 'lower',
    clientsOf: clients.filter((c) => c !== 'fetch'),
  })
  row('import', 'import · require() alone, in-process ms', 'requireMs', fmt.ms, {
    better: 'lower',
    clientsOf: clients.filter((c) => c !== 'fetch'),
  })
  row('rss', `RSS growth over ${opts.rssCalls.toLocaleString('en-US')} calls (after GC) · MB`, 'growthMb', fmt.mb, { better: 'lower' })
  row('rss', `RSS growth over ${opts.rssCalls.toLocaleString('en-US')} calls (before GC) · MB`, 'growthNoGcMb', fmt.mb, { better: 'lower' })
  row('rss', '… of which V8 heap reserved (heapTotal) growth · MB', 'heapTotalGrowthMb', fmt.mb, { better: 'lower' })
  row('rss', '… RSS growth outside the V8 heap · MB', 'nonHeapGrowthMb', fmt.mb, { better: 'lower' })
  if (opts.rssPhases > 1) {
    row('rss', `RSS growth over the next ${opts.rssCalls.toLocaleString('en-US')} calls (after GC) · MB`, 'secondGrowthMb', fmt.mb, { better: 'lower' })
    row('rss', '… of which V8 heap reserved (heapTotal) growth · MB', 'secondHeapTotalGrowthMb', fmt.mb, { better: 'lower' })
    row('rss', '… RSS growth outside the V8 heap · MB', 'secondNonHeapGrowthMb', fmt.mb, { better: 'lower' })
  }
  row('webhook', 'verifyWebhook 4 KB · ops/s (vs node:crypto)', 'opsPerSec', fmt.int, { clientsOf: ['late-native', 'node:crypto'] })

  const head = ['Scenario · metric', ...clients.map((c) => CLIENT_LABELS[c]), 'late-native ÷ official']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`]
  for (const { label, values, f, r } of rows) {
    const cells = clients.map((c, i) => {
      if (label.startsWith('verifyWebhook')) return i === 0 ? f(values['late-native']) : i === 1 ? `${f(values['node:crypto'])} (node:crypto)` : '–'
      return c in values ? f(values[c]) : 'n/a'
    })
    lines.push(`| ${label} | ${cells.join(' | ')} | ${fmtRatio(r)} |`)
  }
  const wire = raw.wire ? median(raw.wire.loadgen.map((x) => x.rps)) : undefined

  // Targets of issue 7.
  const get = (s, k, c) => medians[s]?.[k]?.[c]
  const hasOfficial = clients.includes('official')
  const targets = []
  const target = (name, value, goal, met, shown) => targets.push({ name, value, goal, met, shown })
  const tput = ratio(get('list-c50', 'rps', 'late-native'), get('list-c50', 'rps', 'official'))
  target('small-call throughput at c=50 vs official', tput, '≥ 8×', hasOfficial ? tput >= 8 : undefined, fmtRatio(tput))
  const cpu = ratio(get('list-c50', 'cpuUsPerCall', 'late-native'), get('list-c50', 'cpuUsPerCall', 'official'))
  target('client CPU per call at c=50 vs official', cpu, '≤ 0.15×', hasOfficial ? cpu <= 0.15 : undefined, fmtRatio(cpu))
  const big = ratio(get('big', 'ms', 'late-native'), get('big', 'ms', 'official'))
  target('10,000-account list time vs official', big, '≤ 0.8×', hasOfficial ? big <= 0.8 : undefined, fmtRatio(big))
  const imp = get('import', 'overBareMs', 'late-native')
  target('import time over bare node', imp, '≤ 25 ms', imp <= 25, `${fmt.ms(imp)} ms`)
  const rss = get('rss', 'growthMb', 'late-native')
  target(`RSS growth over ${opts.rssCalls.toLocaleString('en-US')} calls`, rss, '< 10 MB', rss < 10, `${fmt.mb(rss)} MB`)
  const stripped = size ? size.strippedBytes ?? size.bytes : undefined
  target('stripped release .node', stripped, '≤ 4 MB', stripped !== undefined ? stripped <= 4 * 1024 * 1024 : undefined, stripped ? `${(stripped / 1024 / 1024).toFixed(2)} MiB` : '–')

  const md = []
  md.push(`Machine: ${meta.nproc} CPUs (${meta.cpu}), ${meta.ramGiB} GiB RAM, ${meta.os}; Node ${meta.node}; ${meta.rustc}`)
  md.push(`Versions: late-native ${meta.lateNative}, @zernio/node ${meta.official}; ${meta.date}; medians of ${meta.rounds} round(s), ${meta.durationMs} ms per throughput run${meta.quick ? ' (QUICK: numbers are meaningless)' : ''}`)
  md.push(`Load average (1/5/15 min) at start ${meta.loadavgAtStart.join(' / ')}, at end ${meta.loadavgAtEnd.join(' / ')}`)
  md.push('')
  md.push(lines.join('\n'))
  md.push('')
  md.push(`Wire ceiling (native keep-alive load generator, 1 thread, c=50, same server): ${fmt.int(wire)} req/s`)
  if (size) {
    md.push(`Addon ${size.file}: ${(size.bytes / 1024 / 1024).toFixed(2)} MiB on disk${size.strippedBytes !== undefined ? `, ${(size.strippedBytes / 1024 / 1024).toFixed(2)} MiB after strip --strip-all` : ''}`)
  }
  md.push('')
  md.push('| Target (issue 7) | Goal | Measured | Met |')
  md.push('| --- | --- | ---: | --- |')
  for (const t of targets) md.push(`| ${t.name} | ${t.goal} | ${t.shown} | ${t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO'} |`)
  md.push('')
  md.push(`BENCH DONE: ${Object.keys(raw).length} scenarios (${Object.keys(raw).join(', ')})`)
  return { markdown: md.join('\n'), medians: { ...medians, wire: { rps: wire } }, targets }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e)
  process.exit(1)
})
