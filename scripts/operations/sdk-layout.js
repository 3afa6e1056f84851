'use strict'

/**
 * Where the official SDK (`@zernio/node`, the pinned dev dependency) puts each operation: its
 * namespaces (`zernio.analytics`, nested ones like `zernio.connect.facebook`), method names,
 * deprecated aliases (the `ads` namespace) and the few operations it has that the spec lacks.
 * Read from the SDK's own sources (`src/client.ts`, `src/generated/sdk.gen.ts`), which ship in
 * its npm package; the version must be the one package.json pins, so `npm run generate` gives the
 * same files on every machine.
 */

const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..')
const SDK = '@zernio/node'

/** The pinned version of the official SDK (package.json devDependencies). */
function pinnedVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  const v = pkg.devDependencies && pkg.devDependencies[SDK]
  if (!v || !/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`gen-operations: package.json must pin ${SDK} to an exact version (found ${v})`)
  return v
}

function sdkDir() {
  const dir = path.join(ROOT, 'node_modules', '@zernio', 'node')
  if (!fs.existsSync(path.join(dir, 'src', 'client.ts'))) {
    throw new Error(`gen-operations: ${SDK} is not installed (node_modules/@zernio/node/src/client.ts); run \`npm install\``)
  }
  const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version
  const pinned = pinnedVersion()
  if (installed !== pinned) throw new Error(`gen-operations: ${SDK} ${installed} is installed but package.json pins ${pinned}; run \`npm install\``)
  return { dir, version: installed }
}

/** Text of a `/** … *\/` block without the stars. */
function commentText(lines) {
  return lines
    .map((l) => l.replace(/^\s*\/\*\*?\s?/, '').replace(/\s*\*\/\s*$/, '').replace(/^\s*\*\s?/, ''))
    .join('\n')
    .trim()
}

/**
 * Parses the class body of `client.ts`: `name = { method: this._bind(fn), sub: { … } }`.
 * Returns namespaces in order: `{ path: ['connect', 'facebook'], doc, deprecated, methods: [{ name, fn, deprecated }] }`.
 */
function parseClient(text) {
  const lines = text.split('\n')
  const namespaces = []
  const stack = []
  let pending = []
  let inComment = false
  const byPath = new Map()
  const open = (p, doc) => {
    const key = p.join('.')
    if (!byPath.has(key)) {
      const ns = { path: p, doc: doc.replace(/@deprecated[\s\S]*/, '').trim(), deprecated: /@deprecated/.test(doc) ? doc.replace(/^[\s\S]*@deprecated\s*/, '').trim() : undefined, methods: [] }
      byPath.set(key, ns)
      namespaces.push(ns)
    }
    stack.push(byPath.get(key))
  }
  for (const line of lines) {
    if (inComment || /^\s*\/\*\*/.test(line)) {
      pending.push(line)
      inComment = !/\*\/\s*$/.test(line)
      continue
    }
    let m
    if ((m = /^ {2}(\w+) = \{\s*$/.exec(line))) {
      stack.length = 0
      open([m[1]], commentText(pending))
      pending = []
      continue
    }
    if (stack.length && (m = /^\s+(\w+): \{\s*$/.exec(line))) {
      open([...stack[stack.length - 1].path, m[1]], commentText(pending))
      pending = []
      continue
    }
    if (stack.length && (m = /^\s+(\w+): this\._bind\((\w+)\),?\s*$/.exec(line))) {
      const doc = commentText(pending)
      stack[stack.length - 1].methods.push({ name: m[1], fn: m[2], deprecated: /@deprecated/.test(doc) ? doc.replace(/^[\s\S]*@deprecated\s*/, '').trim() : undefined })
      pending = []
      continue
    }
    if (stack.length && /^\s+\},?\s*$/.test(line)) {
      stack.pop()
      if (/^ {2}\};/.test(line)) stack.length = 0
      pending = []
      continue
    }
    if (line.trim() !== '') pending = []
  }
  return namespaces
}

/** `fn → { method, path, multipart }` from `sdk.gen.ts`. */
function parseOperations(text) {
  const out = new Map()
  const re = /export const (\w+) = [^\n]*\n\s*return \(options\?\.client \?\? client\)\.(\w+)<[^>]*>\(\{([\s\S]*?)url: '([^']+)'/g
  let m
  while ((m = re.exec(text))) out.set(m[1], { method: m[2].toUpperCase(), path: m[4], multipart: m[3].includes('formDataBodySerializer') })
  return out
}

/** The official SDK's layout: `{ version, namespaces, operations }`. */
function sdkLayout() {
  const { dir, version } = sdkDir()
  const namespaces = parseClient(fs.readFileSync(path.join(dir, 'src', 'client.ts'), 'utf8'))
  const operations = parseOperations(fs.readFileSync(path.join(dir, 'src', 'generated', 'sdk.gen.ts'), 'utf8'))
  let count = 0
  for (const ns of namespaces) {
    for (const m of ns.methods) {
      if (!operations.has(m.fn)) throw new Error(`gen-operations: ${SDK} ${ns.path.join('.')}.${m.name} binds ${m.fn}, which sdk.gen.ts does not define`)
      count++
    }
  }
  if (count < 500) throw new Error(`gen-operations: only ${count} methods found in ${SDK}'s client.ts; has its layout changed?`)
  return { version, namespaces, operations }
}

module.exports = { sdkLayout, parseClient, parseOperations }
