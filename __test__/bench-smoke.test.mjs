// Smoke test of the benchmark (bench/run.mjs --quick): tiny counts, every scenario, every
// client, so `npm run bench` cannot rot. The numbers are not checked, only that each scenario
// ran and produced finite, positive figures. The first run compiles crates/bench-server
// (debug), which can take a minute on a cold target/; after that it takes ~15 s.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { onlyOn } from './helpers/platform.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

function runBench(args, script = 'run.mjs') {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bench', script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const kill = setTimeout(() => child.kill('SIGKILL'), 540_000)
    child.on('exit', (code, signal) => {
      clearTimeout(kill)
      resolve({ code, signal, out, err })
    })
  })
}

test('bench/run.mjs --quick runs every scenario for every client', { timeout: 600_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-bench-smoke-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const json = path.join(dir, 'quick.json')
  const r = await runBench(['--quick', '--json', json])
  assert.equal(r.code, 0, `bench failed (${r.code ?? r.signal}):\n${r.err}\n${r.out}`)

  for (const row of [
    'listAccounts c=1 · req/s',
    'listAccounts c=50 · req/s',
    'listAccounts c=50 · CPU µs/call',
    'listAccounts c=256 · req/s',
    'posts.create 2 KB c=50 · req/s',
    '10,000-account list · ms to JS objects',
    '10,000-account list · peak RSS MB',
    'import (cold require) · ms over bare node',
    'RSS growth over',
    'verifyWebhook 4 KB · ops/s',
    'Wire ceiling',
    'stripped release .node',
  ]) {
    assert.ok(r.out.includes(row), `the report lacks "${row}":\n${r.out}`)
  }
  assert.match(r.out, /BENCH DONE: 9 scenarios/)
  assert.doesNotMatch(r.out, /NaN|undefined/)

  const report = JSON.parse(fs.readFileSync(json, 'utf8'))
  const m = report.medians
  for (const scenario of ['list-c1', 'list-c50', 'list-c256', 'post-c50']) {
    for (const client of ['late-native', 'official', 'fetch']) {
      const rps = m[scenario].rps[client]
      assert.ok(Number.isFinite(rps) && rps > 0, `${scenario} ${client}: rps ${rps}`)
      const cpu = m[scenario].cpuUsPerCall[client]
      assert.ok(Number.isFinite(cpu) && cpu > 0, `${scenario} ${client}: cpu ${cpu}`)
    }
  }
  for (const client of ['late-native', 'official', 'fetch']) {
    assert.ok(m.big.ms[client] > 0, `big list ${client}`)
    assert.ok(m.big.peakRssMb[client] > 0, `big list RSS ${client}`)
    assert.ok(Number.isFinite(m.rss.growthMb[client]), `rss ${client}`)
  }
  assert.ok(Number.isFinite(m.import.overBareMs['late-native']))
  assert.ok(m.webhook.opsPerSec['late-native'] > 0 && m.webhook.opsPerSec['node:crypto'] > 0)
  assert.ok(m.wire.rps > 0)
  assert.equal(report.targets.length, 6)
})

test('bench/wan.mjs --quick runs every WAN scenario for every client through the proxy', { timeout: 600_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-wan-smoke-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const json = path.join(dir, 'wan.json')
  const r = await runBench(['--quick', '--json', json], 'wan.mjs')
  assert.equal(r.code, 0, `bench:wan failed (${r.code ?? r.signal}):\n${r.err}\n${r.out}`)
  const report = JSON.parse(fs.readFileSync(json, 'utf8'))
  // Every scenario · metric of WAN.md, by name (a row lost or renamed fails here).
  const labels = report.rows.map((r) => r.label)
  for (const want of [
    'cold start · import', 'cold start · first call incl. TCP + TLS', 'cold start · process start → first result',
    '20 sequential small calls · total',
    '10,000-account list at 50 Mbit/s · time', '10,000-account list at 50 Mbit/s · bytes on the wire (down)',
    '10,000-account list at 50 Mbit/s · bytes on the wire (up)',
    '10,000-account list at 200 Mbit/s · time', '10,000-account list at 200 Mbit/s · bytes on the wire (down)',
    '20 concurrent small calls (cold) · total', '20 concurrent small calls · TCP connections',
  ]) assert.ok(labels.includes(want), `WAN row missing: ${want}`)
  assert.equal(labels.length, 11, `unexpected WAN rows: ${labels.join(' | ')}`)
  for (const row of report.rows) {
    for (const client of ['late-native', 'official', 'fetch']) {
      const v = row.values[client]
      assert.ok(Number.isFinite(v) && v >= 0, `${row.label} ${client}: ${v}`)
    }
  }
  // The list really crossed the proxy compressed, for every client, and the floor ran.
  for (const client of ['late-native', 'official', 'fetch', 'download-only']) {
    const down = report.raw.list50[client][0].wire.downBytes
    assert.ok(down > 100_000 && down < 2_000_000, `${client}: ${down} bytes down`)
  }
  assert.equal(report.protocols['late-native'], 'h2')
  assert.equal(report.raw.list50['late-native'][0].count, 10_000)
})

test(
  'bench/fleet.mjs --quick runs late-native (shared Redis window) and Bottleneck through a real Redis and writes the report',
  { timeout: 300_000, skip: onlyOn('linux,darwin', 'needs a redis-server: Debian or Homebrew ship one, Windows does not') },
  async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-fleet-smoke-'))
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
    const out = path.join(dir, 'FLEET.md')
    const args = ['--quick', '--k', '1', '--windows', '1', '--window-ms', '2000', '--limit', '60', '--variants', 'late-native,bottleneck-minTime', '--out', out]
    const r = await runBench(args, 'fleet.mjs')
    assert.equal(r.code, 0, `bench:fleet failed (${r.code ?? r.signal}):\n${r.err}\n${r.out}`)
    const report = fs.readFileSync(out, 'utf8')
    // One row per variant, with its figures; late-native's Redis round trips counted.
    const row = (variant) => report.split('\n').find((l) => l.startsWith(`| 1 | ${variant} |`))
    for (const variant of ['late-native', 'bottleneck-minTime']) assert.ok(row(variant), `no row for ${variant}:\n${report}`)
    const redisPerCall = Number(row('late-native').split('|')[8])
    assert.ok(redisPerCall > 0, `late-native Redis/call: ${row('late-native')}`)
    assert.match(report, /\| Redis \| \d+\.\d+/)
  },
)

test('bench/telemetry.mjs --quick measures every mode, and its otel mode really traces', { timeout: 600_000 }, async () => {
  const r = await runBench(['--quick'], 'telemetry.mjs')
  assert.equal(r.code, 0, `bench failed (${r.code ?? r.signal}):\n${r.err}\n${r.out}`)
  for (const c of [1, 50]) for (const mode of ['off', 'idle', 'channels', 'otel']) assert.match(r.out, new RegExp(`^\\| ${c} \\| ${mode} \\| \\d+ \\|`, 'm'), r.out)
  assert.doesNotMatch(r.out, /NaN|undefined/)
  // The log names the spans each mode exported: none but in `otel`.
  const spans = [...r.err.matchAll(/c=\d+ (\w+): .* (\d+) spans/g)].map((m) => [m[1], Number(m[2])])
  assert.equal(spans.length, 8, r.err)
  for (const [mode, n] of spans) assert.ok(mode === 'otel' ? n > 0 : n === 0, `${mode}: ${n} spans`)
})
