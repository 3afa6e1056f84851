import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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

/** The test addon (`--features test-hooks`, built by `npm test`'s build step into target/test-hooks/). */
function testHooksAddon() {
  const dir = join(root, 'target', 'test-hooks')
  const file = existsSync(dir) && readdirSync(dir).find((f) => /^late-native\..+\.node$/.test(f))
  assert.ok(file, `no test addon in ${dir}: run \`npm test -- build\` (node scripts/build-native.js --test-hooks)`)
  return join(dir, file)
}

test('a panic inside the native runtime rejects the promise; Node keeps running (test addon)', async () => {
  const addon = testHooksAddon()
  const native = createRequire(import.meta.url)(addon)
  await assert.rejects(native.__panicForTest(), (e) => {
    assert.ok(e instanceof Error)
    assert.match(String(e.message), /index out of bounds|panic/i)
    return true
  })
  const r = await runChild(`require(${JSON.stringify(addon)}).__panicForTest().catch(() => { console.log('survived'); process.exitCode = 0 })`)
  assert.equal(r.signal, null)
  assert.equal(r.code, 0, r.err)
  assert.match(r.out, /survived/)
})

test('the published addon has no test hooks: not exported, not in the binary, not in native.js / native.d.ts', () => {
  const require = createRequire(import.meta.url)
  const published = readdirSync(root).filter((f) => /^late-native\..+\.node$/.test(f))
  assert.ok(published.length > 0, 'the release addon is not built (npm run build)')
  for (const f of published) {
    assert.equal(Object.hasOwn(require(join(root, f)), '__panicForTest'), false, `${f} exports __panicForTest`)
    assert.equal(readFileSync(join(root, f)).includes('__panicForTest'), false, `${f} contains the name __panicForTest`)
  }
  assert.equal(Object.hasOwn(require('../native.js'), '__panicForTest'), false)
  for (const f of ['native.js', 'native.d.ts']) assert.ok(!readFileSync(join(root, f), 'utf8').includes('__panicForTest'), `${f} mentions __panicForTest`)
  // …while the test addon does export it (so the check above can fail).
  assert.equal(typeof require(testHooksAddon()).__panicForTest, 'function')
})
