// The committed types/ must be exactly what scripts/gen-types.js generates from the spec.
// Regenerates into a temp dir and compares byte for byte; skips when the spec is not available.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { generate, DEFAULT_SPEC } = require('../scripts/gen-types.js')

const spec = process.env.LATE_OPENAPI_SPEC || DEFAULT_SPEC
const skip = fs.existsSync(spec)
  ? false
  : `the OpenAPI spec is not at ${spec} (set LATE_OPENAPI_SPEC to check that types/ is fresh)`

test('types/ is fresh: `npm run gen:types` would not change it', { skip, timeout: 120_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'late-types-'))
  try {
    const { files } = await generate({ spec, out })
    assert.ok(files.length >= 3)
    for (const name of files) {
      const committed = path.join(ROOT, 'types', name)
      assert.ok(fs.existsSync(committed), `types/${name} is missing: run \`npm run gen:types\` and commit it`)
      const want = fs.readFileSync(path.join(out, name))
      const have = fs.readFileSync(committed)
      assert.ok(want.equals(have), `types/${name} is stale or hand-edited: run \`npm run gen:types\` and commit the result`)
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
})

test('types/webhooks.d.ts covers every webhook of the spec', { skip }, () => {
  const hooks = Object.keys(JSON.parse(fs.readFileSync(spec, 'utf8')).webhooks)
  const text = fs.readFileSync(path.join(ROOT, 'types', 'webhooks.d.ts'), 'utf8')
  assert.equal(hooks.length, 118, 'spec 1.444.0 has 118 webhook events; update this number with the spec')
  for (const name of hooks) assert.ok(text.includes(`  '${name}': `), `no entry for ${name}`)
})
