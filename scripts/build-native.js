#!/usr/bin/env node
'use strict'
// Builds the native addon (release, LTO) and regenerates native.js / native.d.ts.
// Run by `npm install` (prepare) and by `npm test`. Cargo builds incrementally, so a second
// run with no change takes seconds. Set LATE_NATIVE_DEBUG=1 for a faster debug build.
//
//   node scripts/build-native.js --test-hooks
// builds the test addon instead: debug, with the cargo feature `test-hooks` (`__panicForTest`),
// into target/test-hooks/late-native.<platform>.node, never next to the published one.

const { spawnSync } = require('node:child_process')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const testHooks = process.argv.includes('--test-hooks')
const args = [napi, 'build', '--platform', '--js', 'native.js', '--dts', 'native.d.ts']
if (testHooks) args.push('--features', 'test-hooks', '--output-dir', path.join('target', 'test-hooks'))
else if (!process.env.LATE_NATIVE_DEBUG) args.push('--release')
const started = Date.now()
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
if (r.status !== 0) {
  console.error('late-native: building the native addon failed (is a Rust toolchain installed? https://rustup.rs)')
  process.exit(r.status || 1)
}
console.log(`late-native: ${testHooks ? 'test addon (target/test-hooks)' : 'native addon'} built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
