#!/usr/bin/env node
'use strict'

/**
 * What late-native costs a consumer, next to the official SDK (`@zernio/node`, the pinned dev
 * dependency): the time `require()` takes in a fresh process, and what tsc needs to type-check a
 * one-file consumer that makes the same three calls (time and memory, as `tsc
 * --extendedDiagnostics` reports them; strict, skipLibCheck, module NodeNext, @types/node). Runs
 * alternate between the packages and each figure is the median, so a noisy machine moves all
 * of them alike. A script, not a test: it reports, it does not judge.
 *
 *   node scripts/measure-consumers.js                  # both, 15 import runs and 5 tsc runs each
 *   node scripts/measure-consumers.js --runs 9 --types # tsc only
 *   node scripts/measure-consumers.js --import --baseline ../other-checkout   # also that checkout's late-native
 */

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js')

function parseArgs(argv) {
  const a = { import: true, types: true, runs: undefined, baseline: undefined }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--import') a.types = false
    else if (argv[i] === '--types') a.import = false
    else if (argv[i] === '--runs') a.runs = Number(argv[++i])
    else if (argv[i] === '--baseline') a.baseline = path.resolve(argv[++i])
    else throw new Error(`measure-consumers: unknown argument ${argv[i]}`)
  }
  return a
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * The CPU milliseconds (user + system) `require(target)` takes in a fresh node process, the
 * process start not included: CPU time, not wall time, so other work on the machine moves it less.
 */
function importOnce(target) {
  const code = `const c = process.cpuUsage(); ${target ? `require(${JSON.stringify(target)})` : ''}; const d = process.cpuUsage(c); console.log((d.user + d.system) / 1000)`
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`require(${target}) failed: ${r.stderr}`)
  return Number(r.stdout.trim())
}

function measureImports(runs, baseline) {
  const targets = [
    ['nothing (node -e)', ''],
    ['late-native', path.join(ROOT, 'index.js')],
    ['late-native/zernio', path.join(ROOT, 'zernio.js')],
    ['@zernio/node', require.resolve('@zernio/node', { paths: [ROOT] })],
  ]
  if (baseline) targets.push([`late-native at ${path.relative(process.cwd(), baseline) || '.'}`, path.join(baseline, 'index.js')])
  const times = targets.map(() => [])
  for (const [, t] of targets) importOnce(t) // warm the file cache
  for (let i = 0; i < runs; i++) targets.forEach(([, t], j) => times[j].push(importOnce(t)))
  return targets.map(([name], j) => ({ name, ms: median(times[j]) }))
}

const CONSUMERS = {
  'late-native': `import { LateClient } from 'late-native'
const late = new LateClient({ apiKey: 'sk_test_measure' })
export async function main() {
  const post = await late.posts.createPost({ body: { content: 'hi', platforms: [{ platform: 'twitter', accountId: 'a' }] } })
  const demographics = await late.analytics.getInstagramDemographics({ query: { accountId: 'a' } })
  const accounts = await late.accounts.listAccounts({ query: { profileId: 'p' } })
  return [post, demographics, accounts]
}
`,
  'late-native/zernio': null,
  '@zernio/node': null,
}
const OFFICIAL = `import Zernio from 'PKG'
const zernio = new Zernio({ apiKey: 'sk_test_measure' })
export async function main() {
  const { data: post } = await zernio.posts.createPost({ body: { content: 'hi', platforms: [{ platform: 'twitter', accountId: 'a' }] } })
  const { data: demographics } = await zernio.analytics.getInstagramDemographics({ query: { accountId: 'a' } })
  const { data: accounts } = await zernio.accounts.listAccounts({ query: { profileId: 'p' } })
  return [post, demographics, accounts]
}
`
CONSUMERS['late-native/zernio'] = OFFICIAL.replace('PKG', 'late-native/zernio')
CONSUMERS['@zernio/node'] = OFFICIAL.replace('PKG', '@zernio/node')

/** A throwaway project whose node_modules link to this checkout's packages. */
function project(dir, source) {
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'node_modules', '@zernio'), { recursive: true })
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'late-native'), 'junction')
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@zernio', 'node'), path.join(dir, 'node_modules', '@zernio', 'node'), 'junction')
  fs.symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'junction')
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  fs.writeFileSync(path.join(dir, 'consumer.ts'), source)
  const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: ['node'] }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }))
}

function tscOnce(dir) {
  const r = spawnSync(process.execPath, [TSC, '-p', dir, '--extendedDiagnostics'], { cwd: dir, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`tsc failed in ${dir}:\n${r.stdout}${r.stderr}`)
  const num = (label) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(r.stdout)[1])
  return { seconds: num('Total time'), mb: num('Memory used') / 1024, files: num('Files') }
}

function measureTypes(runs) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-consumers-'))
  try {
    const names = Object.keys(CONSUMERS)
    names.forEach((name, i) => project(path.join(tmp, String(i)), CONSUMERS[name]))
    const samples = names.map(() => [])
    names.forEach((_, i) => tscOnce(path.join(tmp, String(i))))
    for (let r = 0; r < runs; r++) names.forEach((_, i) => samples[i].push(tscOnce(path.join(tmp, String(i)))))
    return names.map((name, i) => ({
      name,
      seconds: median(samples[i].map((s) => s.seconds)),
      mb: median(samples[i].map((s) => s.mb)),
      files: samples[i][0].files,
    }))
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2))
  const ts = require(path.join(ROOT, 'node_modules', 'typescript')).version
  console.log(`node ${process.version}, typescript ${ts}, ${os.cpus().length} CPUs (${os.cpus()[0].model}), ${new Date().toISOString().slice(0, 10)}`)
  if (args.import) {
    const runs = args.runs || 15
    console.log(`\nrequire() in a fresh process, CPU ms, median of ${runs}:`)
    for (const { name, ms } of measureImports(runs, args.baseline)) console.log(`  ${name.padEnd(34)} ${ms.toFixed(2)}`)
  }
  if (args.types) {
    const runs = args.runs || 5
    console.log(`\ntsc --noEmit on a one-file consumer (strict, skipLibCheck, NodeNext), median of ${runs}:`)
    for (const r of measureTypes(runs)) {
      console.log(`  ${r.name.padEnd(20)} ${r.seconds.toFixed(2)} s  ${r.mb.toFixed(0)} MB  (${r.files} files)`)
    }
  }
}

module.exports = { measureImports, measureTypes }
