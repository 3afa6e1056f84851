#!/usr/bin/env node
'use strict'
// The committed generated files must be what the build just generated: native.js and
// native.d.ts come from `napi build`, never from an editor. (types/ is checked by
// __test__/types-fresh.test.mjs.)

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
if (!fs.existsSync(path.join(root, '.git'))) {
  console.log('check-generated: not a git checkout; skipped')
  process.exit(0)
}
const files = ['native.js', 'native.d.ts']
const r = spawnSync('git', ['diff', '--stat', '--exit-code', '--', ...files], { cwd: root, encoding: 'utf8' })
if (r.status !== 0) {
  console.error(`check-generated: ${files.join(', ')} differ from the committed version:\n${r.stdout}`)
  console.error('The build regenerated them: commit the result (never edit them by hand).')
  process.exit(1)
}
const untracked = spawnSync('git', ['ls-files', '--error-unmatch', ...files], { cwd: root, encoding: 'utf8' })
if (untracked.status !== 0) {
  console.error(`check-generated: ${files.join(', ')} are not committed`)
  process.exit(1)
}
console.log(`check-generated: ${files.join(', ')} match the build`)
