// `npm run demo` must keep working: the four steps end with the Instagram account listed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

test('npm run demo walks the four steps against the simulator and lists the Instagram account', () => {
  const r = spawnSync(process.execPath, ['examples/demo.js'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  assert.equal(r.status, 0, r.stderr + r.stdout)
  for (const s of ['1. Server: ask Late', '2. Customer', '3. Late → server', '4. Server: list']) assert.ok(r.stdout.includes(s), s)
  assert.match(r.stdout, /connectUrl: http:\/\/127\.0\.0\.1:\d+\/__sim\/consent\//)
  assert.match(r.stdout, /parseConnectCallback → \{"ok":true,"platform":"instagram"/)
  assert.match(r.stdout, /event account\.connected/)
  assert.match(r.stdout, /username=acme_studio platform=instagram/)
  assert.match(r.stdout, /Done: the Instagram account is connected and listed\./)
})

test('npm run demo -- --live refuses to run without a key and never calls the real API', () => {
  const env = { ...process.env }
  delete env.LATE_API_KEY
  delete env.ZERNIO_API_KEY
  const r = spawnSync(process.execPath, ['examples/demo.js', '--live'], { cwd: root, encoding: 'utf8', env, timeout: 30_000 })
  assert.equal(r.status, 2)
  assert.match(r.stderr, /LATE_API_KEY/)
})
