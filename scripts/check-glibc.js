#!/usr/bin/env node
'use strict'
// Asserts that a Linux gnu `.node` needs no glibc symbol version newer than the floor (2.17, what
// `napi build --use-napi-cross` links against), so it loads on every glibc distro still in use:
// Amazon Linux 2 (2.26), Debian 10+, Ubuntu 18.04+, RHEL/CentOS 7+ (2.17).
//
//   node scripts/check-glibc.js [file.node ...] [--max 2.17] [--json] [--tool objdump|readelf]
//
// Default file: target/napi-cross/late-native.linux-x64-gnu.node (from `node scripts/build-cross.js`).
// Reads the dynamic symbol table with `objdump -T` (binutils), or `readelf --dyn-syms -W` if objdump is
// missing. Exit 0: within the floor; 1: a newer symbol (listed); 2: file or tool missing.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const argv = process.argv.slice(2)
let max = '2.17'
let json = false
let only = null // --tool objdump|readelf forces one reader
const files = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--max') max = argv[++i]
  else if (argv[i] === '--json') json = true
  else if (argv[i] === '--tool') only = argv[++i]
  else if (argv[i] === '-h' || argv[i] === '--help') {
    console.log('usage: node scripts/check-glibc.js [file.node ...] [--max 2.17] [--json]')
    process.exit(0)
  } else files.push(argv[i])
}
if (!files.length) files.push(path.join(root, 'target', 'napi-cross', 'late-native.linux-x64-gnu.node'))

/** Compares dotted versions numerically: '2.17' < '2.2.5' is false. */
function compareVersions(a, b) {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0)
    if (d) return d
  }
  return 0
}

/** Every (symbol, GLIBC version) the file imports or defines, from objdump or readelf. */
function glibcSymbols(file) {
  const errors = []
  for (const [tool, args] of [
    ['objdump', ['-T', file]],
    ['readelf', ['--dyn-syms', '-W', file]],
  ]) {
    if (only && tool !== only) continue
    const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    if (r.error && r.error.code === 'ENOENT') continue
    // objdump of a foreign-architecture ELF (aarch64 on an x64 host) fails: readelf reads any ELF.
    if (r.status !== 0) {
      errors.push(`${tool}: ${(r.stderr || '').trim()}`)
      continue
    }
    const out = []
    for (const line of r.stdout.split('\n')) {
      const m = /GLIBC_(\d+(?:\.\d+)+)/.exec(line)
      if (!m) continue
      // objdump -T: `... GLIBC_2.14  memcpy`; readelf: `... UND memcpy@GLIBC_2.14 (3)`
      const tokens = line.trim().split(/\s+/)
      const at = tokens.find((t) => /@+GLIBC_/.test(t))
      const name = at ? at.replace(/@.*$/, '') : tokens[tokens.length - 1]
      out.push({ symbol: name, version: m[1] })
    }
    return { tool, symbols: out }
  }
  if (errors.length) throw new Error(errors.join('; '))
  const e = new Error('neither objdump nor readelf found: apt-get install binutils')
  e.code = 'ENOTOOL'
  throw e
}

let failed = false
const results = []
for (const file of files) {
  if (!fs.existsSync(file)) {
    console.error(`check-glibc: ${path.relative(process.cwd(), file)} does not exist; build it first: node scripts/build-cross.js`)
    process.exit(2)
  }
  let found
  try {
    found = glibcSymbols(file)
  } catch (e) {
    console.error(`check-glibc: ${e.message}`)
    process.exit(2)
  }
  const { tool, symbols } = found
  const versions = [...new Set(symbols.map((s) => s.version))].sort(compareVersions)
  const newest = versions.length ? versions[versions.length - 1] : null
  const tooNew = symbols.filter((s) => compareVersions(s.version, max) > 0)
  const result = { file, tool, floor: max, maxGlibc: newest, versions, tooNew }
  results.push(result)
  if (!json) {
    const rel = path.relative(process.cwd(), file)
    if (tooNew.length) {
      console.error(`✖ ${rel}: needs GLIBC_${newest} > ${max} (${tool}); symbols above the floor:`)
      for (const s of tooNew) console.error(`    ${s.symbol} @ GLIBC_${s.version}`)
      console.error('  Build linux gnu targets with `napi build --use-napi-cross` (node scripts/build-cross.js).')
    } else {
      console.log(`✔ ${rel}: newest glibc symbol version GLIBC_${newest ?? '(none)'} <= ${max} (${symbols.length} versioned symbols, ${tool})`)
    }
  }
  if (tooNew.length) failed = true
}
if (json) console.log(JSON.stringify(results, null, 2))
process.exit(failed ? 1 : 0)
