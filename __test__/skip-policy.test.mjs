// The skip policy of scripts/test.js: under CI=true only `platform:` skips for another platform pass.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onlyOn } from './helpers/platform.mjs'

const require = createRequire(import.meta.url)
const { violation } = require('../scripts/lib/node-tests.js')
const root = fileURLToPath(new URL('..', import.meta.url))
const other = process.platform === 'win32' ? 'linux' : 'win32'

test('violation(): only a platform skip naming another platform is allowed', () => {
  assert.equal(violation({ kind: 'skip', reason: `platform: ${other} needs it` }), null)
  assert.match(violation({ kind: 'skip', reason: `platform: ${process.platform} needs it` }), /this machine is/)
  assert.match(violation({ kind: 'skip', reason: `platform: ${process.platform}-${process.arch}` }), /this machine is/)
  assert.match(violation({ kind: 'skip', reason: 'platform: atari' }), /not a platform name/)
  assert.match(violation({ kind: 'skip', reason: 'no redis-server' }), /not a platform skip/)
  assert.match(violation({ kind: 'skip', reason: '' }), /without a reason/)
  assert.match(violation({ kind: 'todo', reason: 'later' }), /todo/)
})

test('onlyOn(): false on this platform, a `platform:` reason elsewhere; unknown names throw', () => {
  assert.equal(onlyOn(process.platform, 'x'), false)
  assert.equal(onlyOn(process.arch, 'x'), false)
  assert.equal(onlyOn(other, 'named pipes'), `platform: ${other} named pipes`)
  assert.throws(() => onlyOn('atari', 'x'), /not a platform name/)
})

test('scripts/test.js: a plain skip passes locally (printed with its reason) and fails under CI=true', { timeout: 60_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'late-skip-policy-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'x.test.mjs')
  writeFileSync(
    file,
    `import { test } from 'node:test'
     test('runs', () => {})
     test('needs a tool', { skip: 'no frobnicator here' }, () => {})
     test('other platform', { skip: 'platform: ${other} only there' }, () => {})
     test('skips inside', (t) => t.skip('decided at run time'))`,
  )
  const runWith = (ci) => spawnSync(process.execPath, ['scripts/test.js', 'node', file], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: ci } })

  const local = runWith('')
  assert.equal(local.status, 0, local.stdout + local.stderr)
  assert.match(local.stdout, /3 skipped/)
  assert.match(local.stdout, /✖ skip "needs a tool" .*: no frobnicator here — not allowed under CI: not a platform skip/)
  assert.match(local.stdout, /· skip "other platform" .*: platform: \w+ only there\n/)
  assert.match(local.stdout, /✖ skip "skips inside" .*: decided at run time/)

  const ci = runWith('true')
  assert.equal(ci.status, 1, ci.stdout + ci.stderr)
  assert.match(ci.stderr, /2 skip\(s\) not allowed under CI=true/)
})
