#!/usr/bin/env node
'use strict'
// `npm test`: every check, in order, stopping at the first failure.
//   fmt · clippy · cargo-test · build · generated · tsc · node · e2e
// Pass step names to run only some, e.g. `npm test -- node` or `npm test -- tsc node`; after `node`
// or `e2e`, paths pick files: `npm test -- node __test__/accounts.test.mjs`.
//
// No silent skips: every skipped test is listed with its reason at the end of its step. Under
// CI=true a skipped (or todo) test fails the run unless its reason is `platform: <platform>` and
// this machine is not that platform (scripts/lib/platform.js), and so does an ignored cargo test.
// Tests that need a tool this machine lacks (Chromium, actionlint, objdump, a runtime from npm)
// skip locally saying how to install it, and so fail under CI, where .ci/run installs them.

const { spawn } = require('node:child_process')
const path = require('node:path')
const { findTests, runNodeTests, isCI } = require('./lib/node-tests.js')

const root = path.resolve(__dirname, '..')
const node = process.execPath
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')

/** Runs a command with inherited stdin and output copied through; resolves to { code, output }. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      process.stdout.write(d)
      output += d
    })
    child.stderr.on('data', (d) => {
      process.stderr.write(d)
      output += d
    })
    child.on('error', (e) => resolve({ code: 127, output: `${cmd}: ${e.message}` }))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

const command = (cmd, args) => async () => (await run(cmd, args)).code

/** cargo test, failing under CI when any test (or doc test) is #[ignore]d. */
async function cargoTest() {
  const { code, output } = await run('cargo', ['test', '--workspace'])
  if (code !== 0) return code
  const ignored = [...output.matchAll(/test result: \w+\. \d+ passed; \d+ failed; (\d+) ignored/g)].reduce((n, m) => n + Number(m[1]), 0)
  const names = [...output.matchAll(/^test (.+) \.\.\. ignored(?:, (.*))?$/gm)].map((m) => `  · ${m[1]}${m[2] ? `: ${m[2]}` : ''}`)
  if (ignored === 0) return 0
  console.log(`cargo-test: ${ignored} ignored\n${names.join('\n')}`)
  if (isCI()) {
    console.error('cargo-test: ignored tests are not allowed under CI=true (no silent skips)')
    return 1
  }
  return 0
}

const steps = {
  fmt: command('cargo', ['fmt', '--all', '--', '--check']),
  clippy: command('cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings']),
  'cargo-test': cargoTest,
  build: async () =>
    (await run(node, [path.join(root, 'scripts', 'build-native.js')])).code ||
    (await run(node, [path.join(root, 'scripts', 'build-ts.js')])).code ||
    (await run(node, [path.join(root, 'scripts', 'build-native.js'), '--test-hooks'])).code,
  generated: command(node, [path.join(root, 'scripts', 'check-generated.js')]),
  tsc: command(node, [tsc, '--noEmit', '-p', path.join('__test__', 'tsconfig.json')]),
  node: (files) => runNodeTests('node', files.length ? files : findTests('__test__')),
  e2e: (files) => runNodeTests('e2e', files.length ? files : findTests('e2e', /\.e2e\.mjs$/), { timeoutMs: 30 * 60_000 }),
}

async function main() {
  const argv = process.argv.slice(2)
  const files = argv.filter((a) => !(a in steps))
  // Files alone run in the `node` step (`npm test -- __test__/x.test.mjs`).
  const only = argv.filter((a) => a in steps).concat(files.length && !argv.some((a) => a in steps) ? ['node'] : [])
  const unknown = files.filter((f) => !/\.(mjs|cjs|js)$/.test(f))
  if (unknown.length) {
    console.error(`unknown step(s): ${unknown.join(', ')}; steps: ${Object.keys(steps).join(', ')}`)
    process.exit(2)
  }
  const total = Date.now()
  for (const [name, step] of Object.entries(steps)) {
    if (only.length && !only.includes(name)) continue
    const started = Date.now()
    console.log(`\n▶ ${name}${isCI() ? ' (CI)' : ''}`)
    const status = await step(files)
    const secs = ((Date.now() - started) / 1000).toFixed(1)
    if (status !== 0) {
      console.error(`\n✖ ${name} failed after ${secs} s`)
      process.exit(status || 1)
    }
    console.log(`✔ ${name} (${secs} s)`)
  }
  console.log(`\nnpm test: all steps passed in ${((Date.now() - total) / 1000).toFixed(0)} s`)
}

main()
