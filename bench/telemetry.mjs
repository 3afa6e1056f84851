#!/usr/bin/env node
// `npm run bench:telemetry`: what observability costs per call on loopback. Small
// `listAccounts` calls against crates/bench-server in a closed loop, each mode in a fresh process
// (bench/telemetry-worker.mjs), the modes' order rotating every round:
//
//   off       telemetry: false
//   idle      telemetry on (the default), @opentelemetry/api installed, nothing registered,
//             no subscriber: the path every user without tracing takes
//   channels  a subscriber on each of the package's diagnostics_channels (no OpenTelemetry)
//   otel      a tracer provider (the real SDK: BasicTracerProvider, SimpleSpanProcessor, an
//             in-memory exporter emptied as it goes), a meter provider with a reader, the
//             AsyncLocalStorage context manager and the W3C propagator: one span per call, the
//             histogram, `traceparent` sent
//
//   node bench/telemetry.mjs [--rounds N] [--duration-ms N] [--concurrency 1,50] [--quick]
//
// Writes bench/TELEMETRY.md and bench/telemetry.json (raw rounds). Each figure is the median of
// the rounds; the ratio to `off` is given with the min–max of the single rounds' ratios. For
// "unchanged when nothing listens" compare a change with its parent with bench/compare.mjs.

import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { ROOT } from './clients.mjs'
import { median, rotate, log, buildServer, machine, writeJson } from './common.mjs'
import { startServer } from './loopback.mjs'

const MODES = ['off', 'idle', 'channels', 'otel']

function parseArgs(argv) {
  const o = { rounds: 5, durationMs: 3000, concurrency: [1, 50], quick: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--rounds') o.rounds = Number(argv[++i])
    else if (a === '--duration-ms') o.durationMs = Number(argv[++i])
    else if (a === '--concurrency') o.concurrency = argv[++i].split(',').map(Number)
    else if (a === '--quick') o.quick = true
    else throw new Error(`unknown argument ${a}`)
  }
  if (o.quick) Object.assign(o, { rounds: 1, durationMs: 300 })
  return o
}

function runWorker(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'telemetry-worker.mjs'), JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`telemetry worker failed (${code}): ${err}`))
      resolve(JSON.parse(out.trim().split('\n').pop()))
    })
  })
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  const server = await startServer(buildServer(o.quick))
  const raw = {}
  try {
    for (let r = 0; r < o.rounds; r++) {
      for (const concurrency of o.concurrency) {
        for (const mode of rotate(MODES, r)) {
          const res = await runWorker({ mode, port: server.port, concurrency, durationMs: o.durationMs, warmupMs: Math.min(1000, o.durationMs / 2) })
          ;((raw[concurrency] ??= {})[mode] ??= []).push(res)
          log(`round ${r + 1} c=${concurrency} ${mode}: ${res.rps.toFixed(0)} req/s, ${res.cpuUsPerCall.toFixed(1)} µs CPU/call, ${res.spans} spans`)
        }
      }
    }
  } finally {
    server.stop()
  }
  const m = machine()
  const lines = [
    '# What observability costs per call (loopback)',
    '',
    `Produced by \`node bench/telemetry.mjs\` (raw rounds in [telemetry.json](telemetry.json)); ${o.rounds} round(s) of ${o.durationMs} ms per mode and concurrency, each in a fresh process, order rotating; ${m.cpu}, ${m.nproc} vCPU, ${m.date.slice(0, 10)}.`,
    '',
    'Small `listAccounts` calls in a closed loop against crates/bench-server. Modes: `off` = `telemetry: false`; `idle` = the default with `@opentelemetry/api` installed but no provider and no subscriber; `channels` = a subscriber on every `late-native` diagnostics channel; `otel` = the OpenTelemetry SDK registered (tracer provider with an in-memory exporter, meter provider, AsyncLocalStorage context, W3C propagator): one span and one histogram point per call, `traceparent` sent. Ratios to `off` in the same round; min–max of the rounds in brackets.',
    '',
    '| concurrency | mode | req/s | CPU µs per call | req/s ÷ off | CPU ÷ off | CPU µs added per call |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const c of o.concurrency) {
    const off = raw[c].off
    for (const mode of MODES) {
      const xs = raw[c][mode]
      const rps = median(xs.map((x) => x.rps))
      const cpu = median(xs.map((x) => x.cpuUsPerCall))
      const rr = xs.map((x, i) => x.rps / off[i].rps)
      const cr = xs.map((x, i) => x.cpuUsPerCall / off[i].cpuUsPerCall)
      const added = median(xs.map((x, i) => x.cpuUsPerCall - off[i].cpuUsPerCall))
      const span = (v) => `${median(v).toFixed(2)}× [${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}]`
      lines.push(`| ${c} | ${mode} | ${rps.toFixed(0)} | ${cpu.toFixed(1)} | ${span(rr)} | ${span(cr)} | ${mode === 'off' ? '–' : added.toFixed(1)} |`)
    }
  }
  const md = lines.join('\n') + '\n'
  if (!o.quick) {
    fs.writeFileSync(path.join(ROOT, 'bench', 'TELEMETRY.md'), md)
    writeJson(path.join(ROOT, 'bench', 'telemetry.json'), { params: o, machine: m, raw })
  }
  process.stdout.write(md)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
