// Runtimes proven, not claimed: the public subset (__test__/runtimes/subset.mjs: the connect flow
// against the simulator, listAccounts, abort, timeout, webhook verification, worker threads, TLS
// with a CA made for the run, HTTP/2 and compression) on
// Node 20.17 (the engines floor), 22 and 24, Bun and Deno, each binary installed from the npm
// registry by scripts/runtimes.js into .runtimes/. This test file itself also runs on the Node
// that runs `npm test`. Under CI a runtime that cannot be installed fails; locally it skips saying why.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { onlyOn, missingTool } from './helpers/platform.mjs'

const require = createRequire(import.meta.url)
const { RUNTIMES, ensureRuntime } = require('../scripts/runtimes.js')
const { isCI } = require('../scripts/lib/node-tests.js')
const root = fileURLToPath(new URL('..', import.meta.url))
const SUBSET = '__test__/runtimes/subset.mjs'

function runSubset(bin, args) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      cwd: root,
      // Deno: no update check, no colours; nothing but loopback is reached either way.
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', DENO_DIR: `${root}/.runtimes/deno-dir` },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const kill = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('close', (code, signal) => {
      clearTimeout(kill)
      resolve({ code, signal, out })
    })
  })
}

for (const [id, rt] of Object.entries(RUNTIMES)) {
  test(`the public subset passes on ${rt.label} ${rt.version}${rt.note ?? ''}`, { timeout: 180_000, skip: onlyOn(rt.platforms, `(npm ships ${rt.label} for ${rt.platforms} only)`) }, async (t) => {
    let bin
    try {
      bin = ensureRuntime(id)
    } catch (e) {
      if (isCI()) throw new Error(`${rt.label} could not be installed from the npm registry: ${e.message}`)
      return t.skip(missingTool(`${rt.label} ${rt.version}`, `node scripts/runtimes.js ${id} (from the npm registry): ${e.message}`))
    }
    const r = await runSubset(bin, rt.args(SUBSET))
    t.diagnostic(r.out.trim().split('\n').filter((l) => /^(#|ok|not ok|\d+ passed)/.test(l)).join(' | '))
    assert.equal(r.signal, null, `killed (${r.signal}):\n${r.out}`)
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /^9 passed, 0 failed$/m, r.out)
  })
}
