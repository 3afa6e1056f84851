// lib/load-native.js loads the binary beside native.js for this platform directly, without
// native.js's loader. The overrides napi-rs documents must still win over that binary:
// `NAPI_RS_NATIVE_LIBRARY_PATH` loads the file it names (and fails when it cannot), never the
// local binary instead.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const loader = path.join(root, 'lib', 'load-native.js')

/** Loads lib/load-native.js in a fresh process with `env` added; its exit status and output. */
function load(env) {
  const script = `const n = require(${JSON.stringify(loader)}); console.log(typeof n.NativeClient)`
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })
  return { status: r.status, out: r.stdout.trim(), err: r.stderr }
}

test('without an override, the binary beside native.js loads', () => {
  const r = load({ NAPI_RS_NATIVE_LIBRARY_PATH: '' })
  assert.equal(r.status, 0, r.err)
  assert.equal(r.out, 'function')
})

test('NAPI_RS_NATIVE_LIBRARY_PATH wins over the binary beside native.js: a path that cannot load fails the load', () => {
  const missing = path.join(root, 'target', 'no-such-dir', 'late-native.override.node')
  const r = load({ NAPI_RS_NATIVE_LIBRARY_PATH: missing })
  assert.notEqual(r.status, 0, `the local binary loaded despite the override:\n${r.out}`)
  assert.match(r.err, /no-such-dir|Cannot find/)
})
