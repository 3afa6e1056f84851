#!/usr/bin/env node
'use strict'
// `npm test`: every check, in order, stopping at the first failure.
//   cargo fmt --check · cargo clippy -D warnings · cargo test · napi build · tsc --noEmit · node --test
// Pass step names to run only some, e.g. `npm test -- node` or `npm test -- tsc node`.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const node = process.execPath
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const testFiles = fs
  .readdirSync(path.join(root, '__test__'))
  .filter((f) => /\.test\.(mjs|cjs|js)$/.test(f))
  .sort()
  .map((f) => path.join('__test__', f))

const steps = [
  ['fmt', 'cargo', ['fmt', '--all', '--', '--check']],
  ['clippy', 'cargo', ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings']],
  ['cargo-test', 'cargo', ['test', '--workspace']],
  ['build', node, [path.join(root, 'scripts', 'build-native.js')]],
  ['generated', node, [path.join(root, 'scripts', 'check-generated.js')]],
  ['tsc', node, [tsc, '--noEmit', '-p', path.join('__test__', 'tsconfig.json')]],
  ['node', node, ['--test', '--test-concurrency=1', ...testFiles]],
]

const only = process.argv.slice(2)
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue
  const started = Date.now()
  console.log(`\n▶ ${name}: ${path.basename(cmd)} ${args.map((a) => path.relative(root, a) || a).join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed after ${secs} s`)
    process.exit(r.status || 1)
  }
  console.log(`✔ ${name} (${secs} s)`)
}
