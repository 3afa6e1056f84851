// Smoke test of `npm run bench:compare` (bench/compare.mjs) in --quick mode against HEAD: the
// reference is HEAD's own commit, so the script serves the current build as the reference (and
// says so) instead of building a second copy. After the first build of the addon and of
// crates/bench-server (debug) it takes ~30 s on 2 cores. The figures are not checked — a quick
// run's numbers mean nothing — only the report's structure: every row, a median for both builds
// and the official SDK, ratios with their min–max, both shas, the machine and the noise note.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runNode } from './helpers/run-node.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const script = path.join(root, 'bench', 'compare.mjs')

const compare = (args, timeoutMs = 170_000) => runNode([script, ...args], { cwd: root, timeoutMs })

// Every row of the loopback table (bench/loopback.mjs metricRows, --quick: one RSS phase), by name.
const ROWS = [
  ...['listAccounts c=1', 'listAccounts c=50', 'listAccounts c=256', 'posts.create 2 KB c=50'].flatMap((s) =>
    ['req/s', 'p50 ms', 'p99 ms', 'CPU µs/call'].map((m) => `${s} · ${m}`),
  ),
  '10,000-account list · ms to JS objects',
  '10,000-account list · peak RSS MB',
  'import (cold require) · ms over bare node',
  'import · require() alone, in-process ms',
  'RSS growth over 2,000 calls (after GC) · MB',
  'RSS growth over 2,000 calls (before GC) · MB',
  '… of which V8 heap reserved (heapTotal) growth · MB',
  '… RSS growth outside the V8 heap · MB',
  'verifyWebhook 4 KB · ops/s (vs node:crypto)',
]

const RATIO = /^\d+\.\d+× \(\d+\.\d+–\d+\.\d+\)$/
const DIFFERENCE = /^[+−]\d+\.\d (MB|ms) \([+−]\d+\.\d…[+−]\d+\.\d\)$/

test('package.json runs bench/compare.mjs as bench:compare', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  assert.equal(pkg.scripts['bench:compare'], 'node bench/compare.mjs')
})

test('bench:compare --quick HEAD reports every row for both builds and the official SDK, with paired ratios', { timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-compare-smoke-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const json = path.join(dir, 'compare.json')
  const r = await compare(['HEAD', '--quick', '--json', json])
  assert.equal(r.code, 0, `bench:compare failed (${r.code ?? r.signal}):\n${r.err}\n${r.out}`)

  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim()
  assert.match(r.out, new RegExp(`^Current: +${head.slice(0, 12)}`, 'm'))
  assert.match(r.out, new RegExp(`^Reference: +${head.slice(0, 12)} \\(HEAD\\); the same commit as HEAD, so the current build serves as the reference`, 'm'))
  assert.match(r.out, /^Machine: \d+ CPUs/m)
  assert.match(r.out, /^Load average/m)
  assert.match(r.out, /CPU make every figure noisy/)
  assert.match(r.out, /QUICK: the figures mean nothing/)
  assert.match(r.out, /^Wire ceiling .*: [\d,]+ req\/s$/m)
  assert.doesNotMatch(r.out, /NaN|undefined|faster|slower/i)

  // The table: a header and its rule, then one line per row with 8 cells.
  const lines = r.out.split('\n').filter((l) => l.startsWith('| '))
  assert.deepEqual(lines[0].split(' | ').slice(1, 6), ['better', 'current', 'reference', '@zernio/node', 'current ÷ reference (min–max)'])
  const table = new Map(lines.slice(2).map((l) => [l.split(' | ')[0].slice(2), l.slice(2, -2).split(' | ')]))
  for (const label of ROWS) {
    const cells = table.get(label)
    assert.ok(cells, `the report lacks "${label}":\n${r.out}`)
    assert.equal(cells.length, 8, label)
    assert.ok(['higher', 'lower'].includes(cells[1]), `${label}: better ${cells[1]}`)
    for (const v of cells.slice(2, 5)) assert.match(v, /^-?[\d,]+(\.\d+)?( \(node:crypto\))?$/, `${label}: median ${v}`)
    // RSS growth and import time over bare node can be ≤ 0: differences, not ratios.
    const shape = label.includes('growth') || label.includes('over bare node') ? DIFFERENCE : RATIO
    for (const v of cells.slice(5)) assert.match(v, shape, `${label}: comparison ${v}`)
  }
  assert.equal(table.size, ROWS.length, `unexpected rows: ${[...table.keys()].join(' | ')}`)
  assert.match(r.out, new RegExp(`COMPARE DONE: ${ROWS.length} rows, 9 scenarios`))

  const report = JSON.parse(fs.readFileSync(json, 'utf8'))
  assert.equal(report.meta.current.sha, head)
  assert.equal(report.meta.reference.sha, head)
  assert.equal(report.meta.reference.reused, true)
  assert.equal(report.rows.length, ROWS.length)
  for (const row of report.rows) {
    for (const id of ['current', 'reference', row.base]) assert.ok(Number.isFinite(row.medians[id]), `${row.label}: ${id} ${row.medians[id]}`)
    for (const rel of [row.currentVsReference, row.currentVsBase, row.referenceVsBase]) {
      assert.ok(Number.isFinite(rel.value) && rel.min <= rel.max && rel.rounds.length >= 1, `${row.label}: ${JSON.stringify(rel)}`)
    }
  }
  // Both builds ran in every round of every scenario, side by side.
  for (const [scenario, bySubject] of Object.entries(report.raw)) {
    if (scenario === 'wire') continue
    assert.equal(bySubject.current.length, bySubject.reference.length, scenario)
  }
})

test('bench:compare refuses a ref that is not one plainly named commit, before building anything', async () => {
  for (const [ref, message] of [
    ['HEAD~1..HEAD', /refusing the ref name/],
    ['HEAD:package.json', /refusing the ref name/],
    ['no-such-branch-of-late-native', /is not a commit of this repository/],
  ]) {
    const r = await compare([ref, '--quick'], 30_000)
    assert.equal(r.code, 1, `${ref}: ${r.err}`)
    assert.match(r.err, message)
    assert.equal(r.out, '')
  }
})
