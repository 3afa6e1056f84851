#!/usr/bin/env node
'use strict'

/**
 * Replaces the repository's OpenAPI spec and regenerates everything derived from it.
 *
 *   npm run update:spec -- path/to/openapi.json    # or .yaml / .yml (the vendor's crate ships YAML)
 *
 * The file must be an OpenAPI 3.x document with `paths` and `webhooks`. It is written to
 * spec/openapi.json as JSON (compact when it was YAML, like the vendor's JSON; byte for byte when it was
 * JSON), then scripts/generate.js runs every generator. Same input, same output.
 */

const fs = require('node:fs')
const path = require('node:path')
const { generate, SPEC_PATH } = require('./generate.js')

function fail(message) {
  console.error(`update:spec: ${message}`)
  process.exit(1)
}

function load(file) {
  const text = fs.readFileSync(file, 'utf8')
  if (/\.ya?ml$/i.test(file)) {
    const YAML = require('yaml')
    const doc = YAML.parse(text, { maxAliasCount: -1 })
    return { spec: doc, text: JSON.stringify(doc) }
  }
  try {
    return { spec: JSON.parse(text), text }
  } catch (e) {
    return fail(`${file} is not valid JSON (${e.message}); YAML files need a .yaml or .yml name`)
  }
}

async function main() {
  const file = process.argv[2]
  if (!file || file === '--help' || file === '-h') {
    console.log('usage: npm run update:spec -- <openapi.json|openapi.yaml>')
    process.exit(file ? 0 : 1)
  }
  if (!fs.existsSync(file)) fail(`no such file: ${file}`)
  const { spec, text } = load(file)
  if (!spec || typeof spec !== 'object' || !/^3\./.test(String(spec.openapi))) fail(`${file} is not an OpenAPI 3.x document`)
  if (!spec.paths || typeof spec.paths !== 'object') fail(`${file} has no \`paths\``)
  if (!spec.webhooks || typeof spec.webhooks !== 'object') fail(`${file} has no \`webhooks\` section`)
  const before = fs.existsSync(SPEC_PATH) ? JSON.parse(fs.readFileSync(SPEC_PATH, 'utf8')).info.version : undefined
  fs.writeFileSync(SPEC_PATH, text)
  const r = await generate()
  const s = r.summary
  console.log(`update:spec: ${before ?? '(none)'} → ${s.version}: ${s.operations} operations, ${s.webhooks} webhooks; regenerated ${r.files.length} files`)
  console.log('Now run `npm test` (the simulator and contract tests check against the new spec) and commit.')
}

main().catch((e) => fail(e.stack || e.message))
