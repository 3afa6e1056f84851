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

import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { CLIENTS, CLIENT_LABELS } from './clients.mjs'
import { rotate, log, buildServer, preparePackage, machine, writeJson } from './common.mjs'
import { parseLoopbackArgs, loopbackParams, measureOnServer, nodeSize, metricRows, rowSubjects, medianOf, ratio, fmt, fmtRatio, wireCeiling } from './loopback.mjs'

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const other = (a, value, o) => {
    if (a === '--clients') o.clients = value().split(',').map((s) => s.trim()).filter(Boolean)
    else if (a === '--no-build') o.build = false
    else return false
    return true
  }
  const o = { clients: CLIENTS, build: true, ...parseLoopbackArgs(argv, { script: fileURLToPath(import.meta.url), helpLines: 11, other }) }
  for (const c of o.clients) if (!CLIENTS.includes(c)) throw new Error(`unknown client ${c}; expected ${CLIENTS.join(', ')}`)
  if (!o.clients.includes('late-native')) throw new Error('--clients must include late-native')
  return { ...o, ...loopbackParams(o) }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const clients = CLIENTS.filter((c) => opts.clients.includes(c))
  const meta = { ...machine(), quick: opts.quick, rounds: opts.rounds, durationMs: opts.durationMs, clients }

  // --quick (the smoke test) benchmarks the addon as built; a full run builds a release one.
  const pkg = preparePackage(opts.build && !opts.quick)
  meta.addonBuilt = opts.build && !opts.quick ? 'release build made by this run' : 'copy of the working tree addon'
  // Each client is a subject of its own name; late-native is the private copy made above.
  const subjects = clients.map((c) => ({ id: c, client: c, ...(c === 'late-native' ? { pkg } : {}) }))
  const raw = await measureOnServer(buildServer(opts.quick), subjects, opts, rotate)

  meta.loadavgAtEnd = os.loadavg().map((x) => +x.toFixed(2))
  const size = nodeSize(pkg)
  const report = summarize(raw, meta, size, subjects, opts)
  console.log(report.markdown)
  log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  if (opts.json) writeJson(opts.json, { meta, size, medians: report.medians, targets: report.targets, raw })
}

// ---------------------------------------------------------------------------------------------
// Report

function summarize(raw, meta, size, subjects, opts) {
  const clients = meta.clients
  const medians = {}
  const lines = []
  const head = ['Scenario · metric', ...clients.map((c) => CLIENT_LABELS[c]), 'late-native ÷ official']
  lines.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`)
  for (const row of metricRows(opts)) {
    const ids = rowSubjects(row, subjects).map((s) => s.id)
    const values = Object.fromEntries(ids.map((id) => [id, medianOf(raw, row, id)]))
    ;(medians[row.scenario] ??= {})[row.key] = values
    // The webhook row has late-native and node:crypto; the others one column per client.
    const cells =
      row.scenario === 'webhook'
        ? clients.map((c, i) => (i === 0 ? row.f(values['late-native']) : i === 1 ? `${row.f(values['node:crypto'])} (node:crypto)` : '–'))
        : clients.map((c) => (c in values ? row.f(values[c]) : 'n/a'))
    lines.push(`| ${row.label} | ${cells.join(' | ')} | ${fmtRatio(ratio(values['late-native'], values[row.base]))} |`)
  }
  const wire = wireCeiling(raw)

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
