// Promise-returning functions reject, never throw. The list is not written by hand: the
// TypeScript checker reads each entry's declarations (late-native, late-native/zernio,
// late-native/testing) and finds every export, and every method of an exported class, whose
// declared result is a Promise (or an ApiPromise). A child process with an empty environment
// (no LATE_API_KEY, no ZERNIO_API_KEY) then calls each one with no arguments and reports
// whether it threw synchronously. The top-level shortcuts, which build the default client
// from the environment, must reject with the missing-key LateValidationError.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
const ts = require('typescript')
const root = fileURLToPath(new URL('..', import.meta.url))
const ENTRIES = { 'late-native': 'index.d.ts', 'late-native/zernio': 'zernio.d.ts', 'late-native/testing': 'testing.d.ts' }

/**
 * `{ entry: { functions: [name], classes: { Name: [member path] } } }`: what returns a Promise.
 * A member path is a method (`request`) or a method of a namespace property (`posts.createPost`,
 * `connect.facebook.selectPage`), as far down as the declarations go.
 */
function promiseReturning() {
  const files = Object.values(ENTRIES).map((f) => path.join(root, f))
  const program = ts.createProgram(files, { strict: true, module: ts.ModuleKind.CommonJS, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'] })
  const checker = program.getTypeChecker()
  const returnsPromise = (type) =>
    type.getCallSignatures().some((sig) => /^(Promise|ApiPromise)</.test(checker.typeToString(sig.getReturnType())))
  const at = (decl) => (p) => checker.getTypeOfSymbolAtLocation(p, decl)
  /** Member paths of `type` that return a Promise, namespaces followed `depth` levels down. */
  function members(type, decl, prefix, depth) {
    const out = []
    for (const p of type.getProperties()) {
      if (p.name.startsWith('__@')) continue // Symbol-named (asyncDispose)
      const t = at(decl)(p)
      if (returnsPromise(t)) out.push(`${prefix}${p.name}`)
      else if (depth > 0 && !(p.flags & ts.SymbolFlags.Method) && t.getProperties().length && !t.getCallSignatures().length) {
        out.push(...members(t, decl, `${prefix}${p.name}.`, depth - 1))
      }
    }
    return out
  }
  const out = {}
  for (const [entry, file] of Object.entries(ENTRIES)) {
    const source = program.getSourceFile(path.join(root, file))
    const found = { functions: [], classes: {} }
    for (let exp of checker.getExportsOfModule(checker.getSymbolAtLocation(source))) {
      if (exp.flags & ts.SymbolFlags.Alias) exp = checker.getAliasedSymbol(exp)
      const decl = exp.valueDeclaration
      if (!decl) continue
      // A class, or a constant of a constructor type (`const Zernio: ZernioConstructor`): named by
      // the type of its instances, so that an alias (`Late`) is the same class.
      const ctor = exp.flags & ts.SymbolFlags.Class ? undefined : checker.getTypeOfSymbolAtLocation(exp, decl).getConstructSignatures()[0]
      if (exp.flags & ts.SymbolFlags.Class || ctor) {
        const instance = ctor ? ctor.getReturnType() : checker.getDeclaredTypeOfSymbol(exp)
        const name = ctor ? instance.symbol.name : exp.name
        const list = members(instance, decl, '', 2)
        if (list.length) found.classes[name] = [...new Set([...(found.classes[name] || []), ...list])]
      } else if (returnsPromise(checker.getTypeOfSymbolAtLocation(exp, decl))) {
        found.functions.push(exp.name)
      }
    }
    out[entry] = found
  }
  return out
}

// The child: calls each one with no arguments in an empty environment, and says how it failed.
// Instances are built with explicit settings (the environment is empty), against a loopback
// port nothing listens on; a resource group is found on the client by its class name.
const CHILD = `
const list = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
const modules = { 'late-native': require('./index.js'), 'late-native/zernio': require('./zernio.js'), 'late-native/testing': require('./testing.js') }
const late = new modules['late-native'].LateClient({ apiKey: 'sk_test_rejects', baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 })
const zernio = new modules['late-native/zernio'].Zernio({ apiKey: 'sk_test_rejects', baseURL: 'http://127.0.0.1:9/api', maxRetries: 0 })
const groups = Object.getOwnPropertyNames(Object.getPrototypeOf(late)).map((k) => { try { return late[k] } catch { return undefined } })
  .filter((g) => g && typeof g === 'object')
// Each in a box: awaiting the maker must not await a thenable (an ApiPromise) itself.
const make = {
  LateClient: () => [late],
  Zernio: () => [zernio],
  ApiPromise: () => [late.profiles.get('p1')],
  Paginator: () => [late.posts.list()],
  Simulator: async () => [await modules['late-native/testing'].startSimulator()],
}
;(async () => {
  const report = []
  async function call(name, fn) {
    let r
    try { r = fn() } catch (e) { report.push({ name, threw: e && e.name, message: e && e.message }); return }
    if (!r || typeof r.then !== 'function') { report.push({ name, notThenable: typeof r }); return }
    try { await r; report.push({ name, resolved: true }) } catch (e) { report.push({ name, rejected: e && e.name, message: String(e && e.message) }) }
  }
  for (const [entry, found] of Object.entries(list)) {
    const m = modules[entry]
    for (const f of found.functions) await call(entry + ' ' + f, () => m[f]())
    for (const [cls, paths] of Object.entries(found.classes)) {
      const obj = make[cls] ? (await make[cls]())[0] : groups.find((g) => g.constructor && g.constructor.name === cls)
      if (cls === 'ApiPromise') obj.catch(() => {})
      if (!obj) { report.push({ name: entry + ' ' + cls, missing: true }); continue }
      for (const p of paths) {
        const parts = p.split('.')
        const owner = parts.slice(0, -1).reduce((o, k) => o && o[k], obj)
        const method = parts[parts.length - 1]
        await call(entry + ' ' + cls + '#' + p, () => owner[method]())
      }
      if (cls === 'Simulator' && !obj.closed) await obj.close()
    }
  }
  process.stdout.write(JSON.stringify(report))
})()
`

test('every promise-returning export of every entry rejects, never throws, with an empty environment', () => {
  const list = promiseReturning()
  assert.ok(list['late-native'].functions.includes('connectInstagram'), JSON.stringify(list))
  assert.ok(list['late-native'].functions.includes('listAccounts'))
  assert.ok(list['late-native/testing'].functions.includes('startSimulator'))
  assert.ok(list['late-native'].classes.LateClient.includes('request'))
  const env = { PATH: process.env.PATH, SystemRoot: process.env.SystemRoot }
  const r = spawnSync(process.execPath, ['-e', CHILD], { cwd: root, env, input: JSON.stringify(list), encoding: 'utf8', timeout: 120_000 })
  assert.equal(r.status, 0, `${r.error || ''} ${r.stderr}`)
  const report = JSON.parse(r.stdout)
  assert.deepEqual(report.filter((x) => x.missing), [], 'an instance of every class was found')
  const threw = report.filter((x) => x.threw || x.notThenable)
  assert.deepEqual(threw, [], 'these threw synchronously instead of rejecting')
  // Every operation by name on both clients is among them (1137 in spec 1.444.0, each twice).
  assert.ok(report.length > 2000, `${report.length} calls`)
  assert.ok(report.some((x) => x.name === 'late-native/zernio Zernio#posts.createPost'))
  for (const name of ['late-native connectInstagram', 'late-native listAccounts']) {
    const got = report.find((x) => x.name === name)
    assert.equal(got.rejected, 'LateValidationError', JSON.stringify(got))
    assert.match(got.message, /an API key is required/)
  }
})
