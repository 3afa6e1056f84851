'use strict'
// Runs node:test files for scripts/test.js (the `node` and `e2e` steps) and enforces the skip
// policy of scripts/lib/platform.js: every skip is printed with its reason; under CI=true any
// skip that is not a `platform:` skip for another platform fails the run, and so does any todo.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { isPlatformName, isThisPlatform, platformOfReason, describeMachine } = require('./platform.js')

const root = path.resolve(__dirname, '..', '..')

/** Whether this run is CI (`CI` set to anything but empty, 0 or false). */
const isCI = () => !['', '0', 'false'].includes(String(process.env.CI ?? '').toLowerCase())

/** Every `*.test.{mjs,cjs,js}` under `dir` (relative to the root), recursively, sorted; skips helpers/, out/ and node_modules/. */
function findTests(dir, suffix = /\.test\.(mjs|cjs|js)$/) {
  const found = []
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name)
      if (entry.isDirectory()) {
        if (!['helpers', 'out', 'node_modules'].includes(entry.name)) walk(child)
      } else if (suffix.test(entry.name)) found.push(child)
    }
  }
  walk(dir)
  return found.sort()
}

/** Why a skip or todo is not allowed under CI, or null when it is a legitimate platform skip. */
function violation({ kind, reason }) {
  if (kind === 'todo') return 'a todo test proves nothing'
  const platform = platformOfReason(reason)
  if (!platform) return reason ? 'not a platform skip' : 'skipped without a reason'
  if (!isPlatformName(platform)) return `"${platform}" is not a platform name (see scripts/lib/platform.js)`
  if (isThisPlatform(platform)) return `this machine is ${platform}`
  return null
}

/** Prints every skip with its reason; returns how many break the policy. */
function judgeSkips(label, skips) {
  if (skips.length === 0) {
    console.log(`${label}: no test skipped`)
    return 0
  }
  let bad = 0
  console.log(`\n${label}: ${skips.length} skipped (this machine: ${describeMachine()})`)
  for (const s of skips) {
    const why = violation(s)
    if (why) bad++
    const where = s.file ? `${path.relative(root, s.file)}${s.line ? `:${s.line}` : ''}` : '?'
    console.log(`  ${why ? '✖' : '·'} ${s.kind} "${s.name}" (${where}): ${s.reason || 'no reason given'}${why ? ` — not allowed under CI: ${why}` : ''}`)
  }
  if (bad && isCI()) console.error(`${label}: ${bad} skip(s) not allowed under CI=true (only \`platform: <other platform>\` skips are; see scripts/lib/platform.js)`)
  else if (bad) console.log(`${label}: ${bad} of these fail the run under CI=true; install what they name, or run in CI`)
  return bad
}

/**
 * `node --test` over `files` with the spec reporter on stdout and the skip reporter into a temporary
 * file, in its own process group (ended whole after `timeoutMs`). Resolves to the exit status,
 * non-zero also when the skip policy fails under CI.
 */
function runNodeTests(label, files, { timeoutMs = 60 * 60_000, env = process.env, extraArgs = [] } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-native-skips-'))
  const skipFile = path.join(tmp, 'skips.jsonl')
  const args = [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/lib/skip-reporter.mjs',
    `--test-reporter-destination=${skipFile}`,
    ...extraArgs,
    ...files,
  ]
  const detached = process.platform !== 'win32'
  // Inside a test (NODE_TEST_CONTEXT set), a nested `node --test` would talk to the outer runner
  // instead of using its reporters.
  const { NODE_TEST_CONTEXT, ...childEnv } = env
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: 'inherit', detached })
  const killTree = (signal) => {
    try {
      if (detached) process.kill(-child.pid, signal)
      else child.kill(signal)
    } catch {}
  }
  const timer = setTimeout(() => {
    console.error(`${label}: no result after ${timeoutMs / 1000} s; stopping`)
    killTree('SIGTERM')
    setTimeout(() => killTree('SIGKILL'), 10_000).unref()
  }, timeoutMs)
  const onSignal = (sig) => killTree(sig)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      if (detached) killTree('SIGKILL') // strays of the group
      let skips = []
      try {
        skips = fs.readFileSync(skipFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      } catch {}
      fs.rmSync(tmp, { recursive: true, force: true })
      const bad = judgeSkips(label, skips)
      resolve(code !== 0 ? code || 1 : bad && isCI() ? 1 : 0)
    })
  })
}

module.exports = { findTests, runNodeTests, judgeSkips, violation, isCI }
