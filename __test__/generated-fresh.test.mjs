// Everything derived from the spec (spec/openapi.json) must be exactly what the generators make
// (scripts/generate.js): types/, the method table (ts/lib/generated/), docs/operations.md and the spec note. A stale or hand-edited
// derived file fails here, naming it; `npm run update:spec` regenerates everything in one step.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { stale, generate, SPEC_PATH } = require('../scripts/generate.js')

test('every file derived from spec/openapi.json is fresh (`npm run generate` would change nothing)', { timeout: 180_000 }, async () => {
  const r = await stale()
  assert.ok(r.files.includes('types/operations.d.ts') && r.files.includes('ts/lib/generated/operations.ts') && r.files.includes('spec/README.md'), r.files.join(', '))
  assert.deepEqual(r.stale, [], 'run `npm run generate` and commit the result')
})

test('types/webhooks.d.ts covers every webhook of the spec', () => {
  const hooks = Object.keys(JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8')).webhooks)
  const text = fs.readFileSync(path.join(ROOT, 'types', 'webhooks.d.ts'), 'utf8')
  assert.ok(hooks.length >= 100, `only ${hooks.length} webhooks`)
  for (const name of hooks) assert.ok(text.includes(`  '${name}': `), `no entry for ${name}`)
})

// The names of what the repository used to read from beside it: the shared reference folder
// (reached as a parent-relative path) and the variable that pointed at the spec there. Built from
// parts, so this file holds none of them and is checked like every other.
const OUTSIDE = new RegExp(
  [
    String.raw`\.\.[\\/]+${'shar' + 'ed'}\b`, // a parent-relative path into it
    String.raw`['"]\.\.['"]\s*,\s*['"]${'shar' + 'ed'}['"]`, // a path.join of the parent and that folder
    `${'shar' + 'ed'}[\\/]+refer` + 'ence',
    'LATE_OPENAPI' + '_SPEC',
  ].join('|'),
)

test('nothing in the repository reads files outside it (no parent-relative reference folder, no spec variable)', () => {
  // The pattern itself must catch each way in, or the scan below proves nothing.
  for (const way of ['../' + 'shared/x', "path.join(ROOT, '..', '" + "shared')", 'shared' + '/reference', 'process.env.LATE_OPENAPI' + '_SPEC']) {
    assert.match(way, OUTSIDE)
  }
  const tracked = spawnSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(tracked.status, 0, tracked.stderr)
  const offenders = []
  for (const file of tracked.stdout.split('\n')) {
    // Every tracked text file (code, scripts, .ci/run, Dockerfile, Lua, docs): only the spec and
    // lockfiles, which quote other projects, and binaries are left out.
    if (!file || file.startsWith('spec/') || /(^|\/)(package-lock\.json|Cargo\.lock)$/.test(file)) continue
    if (!fs.existsSync(path.join(ROOT, file))) continue
    const bytes = fs.readFileSync(path.join(ROOT, file))
    if (bytes.includes(0)) continue
    if (OUTSIDE.test(bytes.toString('utf8'))) offenders.push(file)
  }
  assert.deepEqual(offenders, [])
})

test('update:spec on a changed spec regenerates every derived file, and --check catches a stale one', { timeout: 180_000 }, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-spec-'))
  try {
    const spec = JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8'))
    spec.info.version = '9.9.9-test'
    const specPath = path.join(tmp, 'openapi.json')
    fs.writeFileSync(specPath, JSON.stringify(spec))
    const root = path.join(tmp, 'repo')
    const out = await generate({ specPath, root })
    for (const rel of out.files) assert.ok(fs.existsSync(path.join(root, rel)), rel)
    assert.match(fs.readFileSync(path.join(root, 'spec/README.md'), 'utf8'), /version \*\*9\.9\.9-test\*\*/)
    assert.match(fs.readFileSync(path.join(root, 'types/schemas.d.ts'), 'utf8'), /9\.9\.9-test/)
    // Deterministic: a second run changes nothing; a hand edit is caught.
    assert.deepEqual((await stale({ specPath, root })).stale, [])
    fs.appendFileSync(path.join(root, 'types/index.d.ts'), '// hand edit\n')
    assert.deepEqual((await stale({ specPath, root })).stale, [{ file: 'types/index.d.ts', problem: 'stale or hand-edited' }])
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
})

test('update:spec refuses a file that is not an OpenAPI 3 document, leaving the spec untouched', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-spec-'))
  try {
    const bad = path.join(tmp, 'bad.json')
    fs.writeFileSync(bad, JSON.stringify({ swagger: '2.0', paths: {} }))
    const before = fs.readFileSync(SPEC_PATH)
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/update-spec.js'), bad], { encoding: 'utf8' })
    assert.equal(r.status, 1)
    assert.match(r.stderr, /not an OpenAPI 3\.x document/)
    assert.ok(fs.readFileSync(SPEC_PATH).equals(before))
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
})
