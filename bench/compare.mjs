#!/usr/bin/env node
// `npm run bench:compare -- <git ref>`: the loopback benchmark of bench/run.mjs, run for two
// builds of late-native in the same run — the working tree ("current") and an earlier commit
// ("reference") — with the official SDK (@zernio/node) as the anchor.
//
//   node bench/compare.mjs <git ref> [--rounds N] [--json out.json] [--quick] [--cache DIR]
//                          [--only wire,list,post,big,import,webhook,rss] [--rss-calls N] [--duration-ms N]
//
// The reference is exported with `git archive` into a cache folder outside the work tree
// (--cache, else $LATE_BENCH_CACHE, else $XDG_CACHE_HOME/late-native-bench or
// ~/.cache/late-native-bench), keyed by its commit sha: `<cache>/<sha>/src` gets its own
// `npm ci` (whose `prepare` builds the release addon) with cargo's target dir at
// `<cache>/cargo-target` ($CARGO_TARGET_DIR if set), shared by every reference so dependencies
// compile once; `<cache>/<sha>/package` is the package under test. A second run finds it and
// builds nothing. When <ref> is HEAD's own commit and the working tree is clean (or with
// --quick, whose figures mean nothing anyway), the current build serves as the reference too, so
// the smoke test (__test__/bench-compare.test.mjs) builds no second copy.
//
// Both builds are driven by the current bench/worker.mjs (LATE_BENCH_PKG points it at each
// package folder), each measurement in a fresh process; in every round the two builds run back
// to back, their order alternating (current first in even rounds, reference first in odd ones)
// while the official SDK's place rotates. The table shows each build's median, the ratio
// current ÷ reference and each build ÷ the official SDK, each with the min–max of the ratios
// of the single rounds. It does not say which build is faster: read the spread.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ROOT } from './clients.mjs'
import { median, rotate, log, run, buildServer, preparePackage, machine, writeJson } from './common.mjs'
import { parseLoopbackArgs, loopbackParams, measureOnServer, nodeSize, metricRows, rowSubjects, perRound, medianOf, ratio, fmt, fmtRatio, wireCeiling } from './loopback.mjs'

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const refs = []
  const other = (a, value, o) => {
    if (a === '--cache') o.cache = value()
    else if (a.startsWith('-')) return false
    else refs.push(a)
    return true
  }
  const o = parseLoopbackArgs(argv, { script: fileURLToPath(import.meta.url), helpLines: 23, other })
  if (refs.length !== 1) throw new Error('usage: bench:compare -- <git ref> [--rounds N] [--json out.json] [--only …] [--quick]')
  // RSS rounds alternate like the others (bench/run.mjs measures RSS once per client).
  const p = loopbackParams(o)
  return { ...o, ref: refs[0], ...p, rssRounds: p.rounds }
}

// ---------------------------------------------------------------------------------------------
// The two commits

function git(args) {
  return run('git', args, { stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

/**
 * The commit `ref` names. Refused before git sees it: an option-like name, white space or
 * control characters, a range (`a..b`), a path or tree (`rev:path`, `^{…}`), wildcards — a
 * benchmark reference is one commit, named plainly.
 */
function resolveRef(ref) {
  if (/^-|[\s\x00-\x1f\x7f]|\.\.|:|\^\{|[*?[\\]/.test(ref)) throw new Error(`refusing the ref name ${JSON.stringify(ref)}: name one commit (a sha, branch, tag or HEAD~N)`)
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${JSON.stringify(ref)} is not a commit of this repository`)
  return r.stdout.trim()
}

/** HEAD's sha and the paths the working tree changes (untracked ones included, ignored ones not). */
function workingTree() {
  const changed = git(['status', '--porcelain', '--untracked-files=normal'])
  return { sha: git(['rev-parse', 'HEAD']), changed: changed ? changed.split('\n').map((l) => l.slice(3)) : [] }
}

// ---------------------------------------------------------------------------------------------
// The reference build, cached by sha

function cacheRoot(opts) {
  if (opts.cache) return path.resolve(opts.cache)
  if (process.env.LATE_BENCH_CACHE) return path.resolve(process.env.LATE_BENCH_CACHE)
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'late-native-bench')
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === 'EPERM'
  }
}

/** Runs `fn` holding the lock folder `lock`, so two runs never build the same commit at once. */
function withLock(lock, fn) {
  let told = false
  for (;;) {
    try {
      fs.mkdirSync(lock)
      break
    } catch (e) {
      if (e.code !== 'EEXIST') throw e
    }
    let pid = 0
    try {
      pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'))
    } catch {}
    // A lock whose owner died (or that never got a pid within a minute) is stale.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
    if ((pid && !alive(pid)) || (!pid && age > 60_000)) {
      fs.rmSync(lock, { recursive: true, force: true })
      continue
    }
    if (!told) log(`▶ waiting for process ${pid || '?'}, which is building this commit (${lock})`)
    told = true
    sleep(2000)
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid))
    return fn()
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}

/** `npm` as the one running this script, else the one on PATH. */
function npm(args, opts) {
  const cli = process.env.npm_execpath
  if (cli && /\.c?js$/.test(cli)) return run(process.execPath, [cli, ...args], opts)
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, opts)
}

/**
 * The package folder of commit `sha`, built once into `<cache>/<sha>`: exported by `git archive`
 * (no worktree is registered, so the repository's metadata is untouched), installed by its own
 * `npm ci` from the same registry, its addon built in release by that tree's own napi CLI.
 */
function referenceBuild(sha, cache) {
  const home = path.join(cache, sha)
  const stamp = path.join(home, 'build.json')
  fs.mkdirSync(cache, { recursive: true })
  return withLock(`${home}.lock`, () => {
    if (fs.existsSync(stamp)) {
      log(`▶ reference ${sha.slice(0, 12)}: cached build in ${home}`)
      return { ...JSON.parse(fs.readFileSync(stamp, 'utf8')), cached: true }
    }
    // No stamp: nothing, or a build that was interrupted; start over.
    fs.rmSync(home, { recursive: true, force: true })
    const src = path.join(home, 'src')
    fs.mkdirSync(src, { recursive: true })
    const started = Date.now()
    log(`▶ reference ${sha.slice(0, 12)}: git archive into ${src}`)
    const tar = spawnSync('git', ['archive', '--format=tar', sha], { cwd: ROOT, maxBuffer: 1 << 30 })
    if (tar.status !== 0) throw new Error(`git archive ${sha} failed: ${tar.stderr}`)
    run('tar', ['-x', '-f', '-', '-C', src], { input: tar.stdout, stdio: ['pipe', 'inherit', 'inherit'] })
    const cargoTarget = process.env.CARGO_TARGET_DIR || path.join(cache, 'cargo-target')
    const env = { ...process.env, CARGO_TARGET_DIR: cargoTarget }
    delete env.LATE_NATIVE_DEBUG // scripts/build-native.js would build a debug addon
    // `npm run` describes the current package to its script (npm_package_*, the local prefix):
    // none of it is about the reference tree, which npm ci must find from its own folder.
    for (const k of Object.keys(env)) if (/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k)) delete env[k]
    log(`▶ reference: npm ci in ${src} (its prepare script builds the addon; cargo target ${cargoTarget})`)
    npm(['ci', '--no-audit', '--no-fund'], { cwd: src, env, stdio: ['ignore', 2, 2] })
    // The tree's own `prepare` (scripts/build-native.js: a release build) made the addon and
    // whatever else its package needs; a second napi build would compile and link the top crate
    // again for nothing (napi-rs forces that on every build that writes type definitions, by a
    // fresh NAPI_FORCE_BUILD_* variable). A tree whose prepare built no addon gets one from its
    // own napi CLI.
    const hasAddon = fs.readdirSync(src).some((f) => /^late-native\..+\.node$/.test(f))
    const pkg = preparePackage(!hasAddon, { root: src, dir: path.join(home, 'package'), env })
    // The package has no runtime dependency; its 250 MB of build tools are not kept.
    fs.rmSync(path.join(src, 'node_modules'), { recursive: true, force: true })
    const addon = hasAddon ? 'built by its own npm ci (prepare)' : 'built by its own napi build --release'
    const build = { sha, pkg, src, cargoTarget, addon, builtAt: new Date().toISOString(), buildSeconds: Math.round((Date.now() - started) / 1000) }
    fs.writeFileSync(stamp, `${JSON.stringify(build, null, 2)}\n`)
    log(`▶ reference built in ${build.buildSeconds} s`)
    return { ...build, cached: false }
  })
}

// ---------------------------------------------------------------------------------------------
// Order within a round

/**
 * bench/run.mjs's rotation, with the two builds' order forced to alternate: current before
 * reference in even rounds, after it in odd ones, so neither build always runs first (on a warm
 * or a cooling machine) while the anchors' places still rotate.
 */
function pairedOrder(list, r) {
  const order = rotate(list, r)
  const c = order.findIndex((s) => s.id === 'current')
  const f = order.findIndex((s) => s.id === 'reference')
  if (c >= 0 && f >= 0 && (c < f) !== (r % 2 === 0)) [order[c], order[f]] = [order[f], order[c]]
  return order
}

// ---------------------------------------------------------------------------------------------
// Report

/**
 * `a` against `b` for one row: the ratio of the medians (a difference for signed rows, where a
 * ratio means nothing) and the lowest and highest of the single rounds' ratios, each round's
 * two figures having been measured back to back.
 */
function relation(raw, row, a, b) {
  const xs = perRound(raw, row, a)
  const ys = perRound(raw, row, b)
  if (!xs || !ys) return undefined
  const of = row.signed ? (x, y) => x - y : ratio
  const rounds = xs.map((x, i) => of(x, ys[i])).filter(Number.isFinite)
  const value = of(medianOf(raw, row, a), medianOf(raw, row, b))
  if (!Number.isFinite(value) || rounds.length === 0) return undefined
  return { kind: row.signed ? 'difference' : 'ratio', unit: row.signed || undefined, value, min: Math.min(...rounds), max: Math.max(...rounds), medianOfRounds: median(rounds), rounds }
}

const signed = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`

function fmtRelation(rel) {
  if (!rel) return '–'
  if (rel.kind === 'difference') return `${signed(rel.value)} ${rel.unit} (${signed(rel.min)}…${signed(rel.max)})`
  const f = (r) => fmtRatio(r).replace('×', '')
  return `${fmtRatio(rel.value)} (${f(rel.min)}–${f(rel.max)})`
}

function summarize(raw, meta, subjects, p) {
  const head = ['Scenario · metric', 'better', 'current', 'reference', '@zernio/node', 'current ÷ reference (min–max)', 'current ÷ official', 'reference ÷ official']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`]
  const rows = []
  for (const row of metricRows(p)) {
    const ids = rowSubjects(row, subjects).map((s) => s.id)
    if (!ids.some((id) => raw[row.scenario]?.[id])) continue
    const medians = Object.fromEntries(ids.map((id) => [id, medianOf(raw, row, id)]))
    const r = {
      label: row.label,
      scenario: row.scenario,
      key: row.key,
      better: row.better,
      base: row.base,
      medians,
      currentVsReference: relation(raw, row, 'current', 'reference'),
      currentVsBase: relation(raw, row, 'current', row.base),
      referenceVsBase: relation(raw, row, 'reference', row.base),
    }
    rows.push(r)
    const baseCell = row.base === 'official' ? row.f(medians.official) : `${row.f(medians[row.base])} (${row.base})`
    const cells = [row.better, row.f(medians.current), row.f(medians.reference), baseCell, fmtRelation(r.currentVsReference), fmtRelation(r.currentVsBase), fmtRelation(r.referenceVsBase)]
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`)
  }

  const short = (s) => s.slice(0, 12)
  const { current, reference } = meta
  const md = []
  md.push(`Current:   ${short(current.sha)}${current.changed.length ? ` + ${current.changed.length} uncommitted change(s) in the working tree` : ' (clean working tree)'}; ${current.addonBuilt}`)
  md.push(`Reference: ${short(reference.sha)} (${meta.ref}); ${reference.how}`)
  md.push(`Machine: ${meta.nproc} CPUs (${meta.cpu}), ${meta.ramGiB} GiB RAM, ${meta.os}; Node ${meta.node}; ${meta.rustc}; @zernio/node ${meta.official}`)
  md.push(`${meta.date}; medians of ${p.rounds} round(s), ${p.durationMs} ms per throughput run, import ${p.importRuns} runs${p.quick ? ' (QUICK: the figures mean nothing)' : ''}`)
  md.push(`Load average (1/5/15 min) at start ${meta.loadavgAtStart.join(' / ')}, at end ${meta.loadavgAtEnd.join(' / ')}`)
  md.push('Other processes competing for the CPU make every figure noisy, and not always both builds alike: judge a ratio by its min–max, not by its first digits.')
  md.push('')
  md.push(lines.join('\n'))
  md.push('')
  md.push(
    'Ratios are of the medians; (min–max) are the lowest and highest ratios of single rounds, in which the two builds ran back to back in alternating order. ' +
      'Rows of RSS growth and of import time over bare node show differences (current − reference, build − official) instead of ratios: those figures can be zero or negative. ' +
      "The official SDK has no webhook verifier: that row's anchor is node:crypto by hand.",
  )
  md.push(`Wire ceiling (native keep-alive load generator, 1 thread, c=50, same server for all): ${fmt.int(wireCeiling(raw))} req/s`)
  if (raw.import) md.push(`Bare \`node -e 0\` (what import time is measured over): ${fmt.ms(median(raw.import.bare.map((x) => x.ms)))} ms, median of ${raw.import.bare.length} runs; import runs without NODE_EXTRA_CA_CERTS (bench/loopback.mjs IMPORT_ENV)`)
  for (const [name, side] of [['current', current], ['reference', reference]]) {
    const s = side.size
    if (s) md.push(`Addon (${name}) ${s.file}: ${(s.bytes / 1024 / 1024).toFixed(2)} MiB${s.strippedBytes !== undefined ? `, ${(s.strippedBytes / 1024 / 1024).toFixed(2)} MiB after strip --strip-all` : ''}`)
  }
  md.push('')
  md.push(`COMPARE DONE: ${rows.length} rows, ${Object.keys(raw).length} scenarios (${Object.keys(raw).join(', ')})`)
  return { markdown: md.join('\n'), rows }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const refSha = resolveRef(opts.ref)
  const tree = workingTree()
  const meta = { ...machine(), ref: opts.ref, quick: opts.quick, rounds: opts.rounds, durationMs: opts.durationMs }
  log(`▶ current ${tree.sha.slice(0, 12)}${tree.changed.length ? ` + ${tree.changed.length} uncommitted change(s)` : ''}, reference ${refSha.slice(0, 12)} (${opts.ref})`)

  // The same commit needs no second build: the tree is that commit (clean), or --quick's
  // figures mean nothing anyway. Otherwise the reference is that commit as committed, built
  // first: it takes longest, and a ref that does not build fails before anything else is done.
  const reuse = refSha === tree.sha && (opts.quick || tree.changed.length === 0)
  if (!reuse) {
    const build = referenceBuild(refSha, cacheRoot(opts))
    meta.reference = { ...build, reused: false, how: `${build.cached ? 'cached build' : `built by this run in ${build.buildSeconds} s`} in ${path.dirname(build.pkg)}` }
  }
  // --quick (the smoke test) benchmarks the working tree's addon as built; a full run builds a release one.
  const currentPkg = preparePackage(!opts.quick)
  meta.current = { sha: tree.sha, changed: tree.changed, pkg: currentPkg, addonBuilt: opts.quick ? 'the working tree addon as built' : 'release build made by this run' }
  if (reuse) {
    const why = tree.changed.length ? 'with --quick; the uncommitted changes are on both sides' : 'the working tree is clean'
    meta.reference = { sha: refSha, pkg: currentPkg, reused: true, how: `the same commit as HEAD, so the current build serves as the reference (${why})` }
  }

  const subjects = [
    { id: 'current', client: 'late-native', pkg: currentPkg },
    { id: 'reference', client: 'late-native', pkg: meta.reference.pkg },
    { id: 'official', client: 'official' },
  ]
  const raw = await measureOnServer(buildServer(opts.quick), subjects, opts, pairedOrder)

  meta.loadavgAtEnd = os.loadavg().map((x) => +x.toFixed(2))
  meta.current.size = nodeSize(currentPkg)
  meta.reference.size = nodeSize(meta.reference.pkg)
  const report = summarize(raw, meta, subjects, opts)
  console.log(report.markdown)
  log(`\ncompare finished in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  if (opts.json) {
    const { json, cache, ...params } = opts
    writeJson(json, { meta, params, rows: report.rows, raw })
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e)
  process.exit(1)
})
