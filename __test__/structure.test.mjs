// The package's structure, checked on its source text:
// - no source learns an error's kind by parsing its message: errors from the native layer are
//   data (a JS Error whose own properties are the fields) and are read by shape;
// - the `require('./…')` graph of lib/ has no cycle, modules required lazily included.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SOURCE = /\.(c|m)?(js|ts)$/
/** Generated or declaration-only trees: not hand-written logic. */
const SKIP = [path.join('lib', 'generated'), path.join('ts', 'lib', 'generated'), 'types']
/** What scripts/build-ts.js writes from ts/: build outputs, not sources (their source is scanned). */
const COMPILED = new Set(
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-ts.js'), '--list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((f) => path.join(root, f)),
)

/** The source of a module at run time (`lib/x.js`): ts/lib/x.ts once it moved to TypeScript. */
function sourceOf(runtime) {
  const ts = path.join(root, 'ts', path.relative(root, runtime)).replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts')
  return fs.existsSync(ts) ? ts : runtime
}

/** The module a source is at run time (ts/lib/x.ts → lib/x.js). */
function runtimeOf(source) {
  const rel = path.relative(path.join(root, 'ts'), source)
  if (rel.startsWith('..')) return source
  return path.join(root, rel).replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs')
}
const ENTRY_FILES = ['index', 'testing', 'zernio'].flatMap((n) => [`${n}.js`, `${n}.mjs`, `${n}.d.ts`, `${n}.d.mts`])

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const rel = path.relative(root, full)
    if (SKIP.some((s) => rel === s || rel.startsWith(s + path.sep))) continue
    if (entry.isDirectory()) walk(full, out)
    else if (SOURCE.test(entry.name) && !COMPILED.has(full)) out.push(full)
  }
  return out
}

/** Every JS/TS source file of the package (lib/**, ts/** when present, the entry files). */
function packageSources() {
  const files = []
  for (const dir of ['lib', 'ts']) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir), files)
  for (const f of ENTRY_FILES) if (fs.existsSync(path.join(root, f)) && !COMPILED.has(path.join(root, f))) files.push(path.join(root, f))
  return files
}

/** The text without comments (block comments and whole-line `//` comments). */
function code(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => (/^\s*\/\//.test(line) ? '' : line))
}

/** Ways of learning an error's kind from its message text. */
const MESSAGE_PARSING = [
  ['a string test on a message', /\bmessage\s*\)?\s*\.\s*(startsWith|endsWith|includes|match|matchAll|search|indexOf)\s*\(/],
  ['JSON.parse of a message', /JSON\s*\.\s*parse\s*\(\s*[\w$.]*\bmessage\b/i],
  ['a regular expression run on a message', /\.\s*(test|exec)\s*\(\s*[\w$.]*\bmessage\b/],
  ['a regular expression run on a message', /\bmessage\b[\w$.]*\s*\)?\s*\.\s*(replace|split)\s*\(\s*\/[^/]*\{/],
]

/**
 * The places that read the text of an error that is not the package's own and carries nothing
 * else to go by. Each entry: file, the line's text, and why. Nothing from the native layer.
 */
const ALLOWED = [
  [
    'ts/lib/json-body.ts',
    "if (/BigInt/i.test(message)) return 'it contains a BigInt",
    "V8's JSON.stringify TypeError has no code: its message is the only way to say why the body cannot be encoded",
  ],
  [
    'ts/lib/json-body.ts',
    "if (/circular|cyclic/i.test(message)) return 'it contains a circular reference'",
    'the same TypeError of JSON.stringify',
  ],
  [
    'ts/lib/load-native.ts',
    "if (e.message && !/wasi/i.test(e.message as string)) out.push(String(e.message).split('\\n')[0])",
    "napi's generated loader also tries WASI packages this package does not ship; their failures are left out of the load report",
  ],
]

test('no source learns the kind of an error by parsing its message', () => {
  const files = packageSources()
  for (const m of ['transport.js', 'webhook.js']) {
    const src = sourceOf(path.join(root, 'lib', m))
    assert.ok(files.includes(src), `${path.relative(root, src)} is scanned`)
  }
  const found = []
  const used = new Set()
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/')
    code(fs.readFileSync(file, 'utf8')).forEach((line, i) => {
      for (const [what, pattern] of MESSAGE_PARSING) {
        if (!pattern.test(line)) continue
        const allowed = ALLOWED.findIndex(([f, text]) => f === rel && line.includes(text))
        if (allowed >= 0) {
          used.add(allowed)
          continue
        }
        found.push(`${rel}:${i + 1}: ${what}: ${line.trim()}`)
      }
    })
  }
  assert.deepEqual(found, [], 'errors are data: read their fields (`e.kind`, `e.status`, …), not their message')
  // An exception that no longer matches anything is stale and goes.
  assert.deepEqual(
    ALLOWED.filter((_, i) => !used.has(i)).map(([f, text]) => `${f}: ${text}`),
    [],
    'every allowed exception still exists',
  )
})

test('the patterns catch the old way of recognising native errors', () => {
  const old = [
    "if (message.startsWith('{\"')) {",
    'data = JSON.parse(message)',
    'const data = JSON.parse(e.message)',
    'if (/"kind":"webhook"/.test(err.message)) throw fail()',
    'if (e.message.includes(\'"kind"\')) return',
  ]
  for (const line of old) assert.ok(MESSAGE_PARSING.some(([, p]) => p.test(line)), line)
  assert.ok(!MESSAGE_PARSING.some(([, p]) => p.test("if (isNativeErrorData(e) && e.kind === 'webhook') throw fail(e.reason, e.message)")))
})

/**
 * The modules of lib/ a lib module loads (by their run-time path): every `'./x.js'` / `'../x.js'`
 * literal of its source, lazy or not, `import type` left out (it loads nothing).
 */
function libEdges(file) {
  const edges = []
  const lines = code(fs.readFileSync(sourceOf(file), 'utf8'))
  for (const line of lines) {
    if (/^\s*(import|export)\s+type\b/.test(line)) continue
    for (const m of line.matchAll(/(['"`])(\.\.?\/[^'"`]+?)\1/g)) {
      let target = path.resolve(path.dirname(file), m[2])
      if (!path.extname(target)) target += '.js'
      if (!target.endsWith('.js')) continue
      const rel = path.relative(path.join(root, 'lib'), target)
      if (rel.startsWith('..') || rel.startsWith('generated' + path.sep)) continue
      edges.push(target)
    }
  }
  return edges
}

/** A cycle of the graph, as a list of files, or undefined. */
function findCycle(graph) {
  const state = new Map()
  const stack = []
  function visit(node) {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) || []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next]
      if (!state.has(next)) {
        const cycle = visit(next)
        if (cycle) return cycle
      }
    }
    stack.pop()
    state.set(node, 'done')
    return undefined
  }
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node)
      if (cycle) return cycle
    }
  }
  return undefined
}

test('the require graph of lib/ has no cycle (lazily required modules included)', () => {
  const files = [...walk(path.join(root, 'lib'), []), ...walk(path.join(root, 'ts', 'lib'), []).map(runtimeOf)].filter((f) => f.endsWith('.js'))
  const graph = new Map(files.map((f) => [f, libEdges(f)]))
  for (const [from, to] of graph) {
    for (const t of to) assert.ok(fs.existsSync(t), `${path.relative(root, from)} loads ${path.relative(root, t)}, which does not exist`)
  }
  // The graph is the real one: the known edges are in it.
  const lib = (f) => path.join(root, 'lib', f)
  assert.ok(graph.get(lib('client.js')).includes(lib('operation-call.js')), 'client.js loads operation-call.js (lazily)')
  assert.ok(graph.get(lib('client.js')).includes(lib('send.js')))
  assert.ok(graph.get(lib('operation-call.js')).includes(lib('send.js')))
  assert.ok(graph.get(lib('zernio/client.js')).includes(lib('send.js')))
  const cycle = findCycle(graph)
  assert.equal(cycle && cycle.map((f) => path.relative(root, f)).join(' → '), undefined, 'a require cycle among lib/ modules')
})

test('the cycle finder finds a cycle', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
  ])
  assert.deepEqual(findCycle(g), ['a', 'b', 'c', 'a'])
  assert.equal(findCycle(new Map([['a', ['b']], ['b', []]])), undefined)
})

test('one send path: no module-level call state, no class-static back door in lib/client.js', () => {
  const text = code(fs.readFileSync(sourceOf(path.join(root, 'lib', 'client.js')), 'utf8')).join('\n')
  assert.doesNotMatch(text, /^\s*static\s*\{/m, 'a class static block')
  assert.doesNotMatch(text, /^let cloning\b/m)
  assert.doesNotMatch(text, /^let sendChecked\b/m)
  // Modules loaded on first use go through a cached lazy, never a require per call.
  for (const file of ['client.js', 'send.js', 'operation-call.js', 'zernio/client.js']) {
    const lines = code(fs.readFileSync(sourceOf(path.join(root, 'lib', file)), 'utf8'))
    const inline = lines.filter((l) => /require\(/.test(l) && !/^(const|let|var)\s|^\S+\s*=\s*lazy\(|lazy\(\(\)\s*=>\s*require\(/.test(l.trim()))
    assert.deepEqual(inline, [], `lib/${file}: a require() inside a function`)
  }
})
