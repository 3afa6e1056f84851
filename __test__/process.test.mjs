import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

function runChild(code, env = {}) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['-e', code], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('exit', (code, signal) => {
      clearTimeout(kill)
      resolve({ code, signal, out, err, ms: Date.now() - started })
    })
  })
}

test('the process exits by itself right after the last call, with keep-alive sockets still open', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const r = await runChild(
    `const { LateClient } = require('./index.js')
     const late = new LateClient()
     late.listAccounts().then((a) => { console.log('accounts', a.length); globalThis.done = Date.now() })`,
    { LATE_API_KEY: KEY, LATE_BASE_URL: api.baseUrl },
  )
  assert.equal(r.signal, null, `killed: ${r.err}`)
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /accounts 2/)
  // The deadline is generous (a loaded machine is slow); a runtime keeping the loop alive would hit the 20 s kill.
  assert.ok(r.ms < 15_000, `exit took ${r.ms} ms`)
})

test('a failed call does not keep the process alive either', async () => {
  const r = await runChild(
    `const { LateClient } = require('./index.js')
     new LateClient({ apiKey: '${KEY}', baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 }).listAccounts({ profileId: 'p' }).catch((e) => console.log(e.name))`,
  )
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /LateConnectionError/)
})

test('a panic inside the native runtime rejects the promise; Node keeps running', async () => {
  const native = createRequire(import.meta.url)('../native.js')
  await assert.rejects(native.__panicForTest(), (e) => {
    assert.ok(e instanceof Error)
    assert.match(String(e.message), /index out of bounds|panic/i)
    return true
  })
  const r = await runChild(
    `require('./native.js').__panicForTest().catch(() => { console.log('survived'); process.exitCode = 0 })`,
  )
  assert.equal(r.signal, null)
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /survived/)
})
