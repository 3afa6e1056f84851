// The package as a user gets it: `npm pack` the work tree, install the tarball into a fresh
// project (offline: the package has no runtime dependencies), then require / import / type-check
// it from there, lint it with publint and @arethetypeswrong/cli, and check what the tarball holds.
// Skips (with a message) when the native addon for this platform is not built.
//
//   node --test __test__/package.test.mjs        (npm run test:package)

import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

/** napi-rs' platform name, as in `late-native.<platform>.node` / `@late-native/binding-<platform>`. */
function currentPlatform() {
  if (process.platform === 'linux') {
    const report = process.report.getReport()
    return `linux-${process.arch}-${report.header.glibcVersionRuntime ? 'gnu' : 'musl'}`
  }
  if (process.platform === 'win32') return `win32-${process.arch}-msvc`
  return `${process.platform}-${process.arch}`
}

/** Same mapping as scripts/release.js: Rust target triple → napi-rs platform name. */
function platformOf(triple) {
  const [arch, , sys, abi] = triple.split('-')
  const cpu = { x86_64: 'x64', aarch64: 'arm64' }[arch] || arch
  if (sys === 'linux') return `linux-${cpu}-${abi}`
  if (sys === 'darwin') return `darwin-${cpu}`
  if (triple.endsWith('windows-msvc')) return `win32-${cpu}-msvc`
  throw new Error(`unmapped target ${triple}`)
}

const platform = currentPlatform()
const binary = `${pkg.napi.binaryName}.${platform}.node`
const built = fs.existsSync(path.join(root, binary))
const skip = built ? false : `${binary} is not built (run \`npm run build\`): packaging test skipped`
if (skip) console.log(`# ${skip}`)

/** Runs a command, returning { status, stdout, stderr, output }; never throws. */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' },
    ...opts,
  })
  return { status: r.status, stdout: r.stdout || '', stderr: r.stderr || '', output: `${r.stdout || ''}${r.stderr || ''}`, error: r.error }
}

function ok(r, what) {
  assert.equal(r.status, 0, `${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.output.slice(-4000)}`)
  return r
}

describe('npm package (packed tarball installed into a fresh project)', { skip, timeout: 240_000 }, () => {
  let tmp
  let tgz
  let packInfo
  let app // the consumer project
  let installed // app/node_modules/late-native

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-native-pkg-'))
    // --ignore-scripts: `prepare` would rebuild the addon; this packs what is built
    const r = ok(sh(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root }), 'npm pack')
    ;[packInfo] = JSON.parse(r.stdout)
    tgz = path.join(tmp, packInfo.filename)
    app = path.join(tmp, 'app')
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'commonjs' }, null, 2))
    ok(sh(npm, ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', tgz], { cwd: app }), 'npm install <tgz>')
    installed = path.join(app, 'node_modules', pkg.name)
  })

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  })

  test('the tarball holds what users need and no build leftovers', () => {
    const files = packInfo.files.map((f) => f.path)
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'index.js', 'index.mjs', 'index.d.ts', 'index.d.mts', 'native.js', 'native.d.ts', 'lib/load-native.js', binary]) {
      assert.ok(files.includes(f), `tarball lacks ${f}`)
    }
    for (const [sub, entry] of Object.entries(pkg.exports)) {
      const targets = typeof entry === 'string' ? [entry] : Object.values(entry).flatMap((c) => (typeof c === 'string' ? [c] : Object.values(c)))
      for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, '')), `exports["${sub}"] → ${t} is not in the tarball`)
    }
    const leftovers = files.filter(
      (f) =>
        /^(target|npm|artifacts|__test__|crates|src|scripts|bench|examples|docs|\.ci|\.git|node_modules)\//.test(f) ||
        /(^|\/)(Cargo\.(toml|lock)|build\.rs|\.env[^/]*|\.npmrc|package-lock\.json)$/.test(f) ||
        /\.(rs|tgz|log|orig|rej)$/.test(f),
    )
    assert.deepEqual(leftovers, [], 'build leftovers in the tarball')
    const binaries = files.filter((f) => f.endsWith('.node'))
    assert.deepEqual(binaries, [binary], 'only this platform\'s binary (a build from source) may be packed')
  })

  test('the tarball holds no secrets', () => {
    const secretPatterns = [
      [/sk_[0-9a-f]{64}/, 'a Late API key (sk_ + 64 hex)'],
      [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, 'a private key'],
      [/npm_[A-Za-z0-9]{36}/, 'an npm token'],
      [/gh[pousr]_[A-Za-z0-9]{36}/, 'a GitHub token'],
    ]
    const hits = []
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else {
          const text = fs.readFileSync(p).toString('latin1')
          for (const [re, what] of secretPatterns) if (re.test(text)) hits.push(`${path.relative(installed, p)}: ${what}`)
        }
      }
    }
    walk(installed)
    assert.deepEqual(hits, [])
  })

  test('require() works, from the installed package', () => {
    const script = `
      const late = require('late-native')
      const assert = require('node:assert/strict')
      assert.equal(typeof late.LateClient, 'function')
      assert.equal(typeof late.verifyWebhook, 'function')
      assert.equal(late.VERSION, require('late-native/package.json').version)
      assert.ok(require.resolve('late-native').startsWith(${JSON.stringify(path.join(app, 'node_modules'))}))
      console.log(JSON.stringify(Object.keys(late).sort()))`
    const r = ok(sh(process.execPath, ['-e', script], { cwd: app }), 'require')
    assert.ok(JSON.parse(r.stdout.trim()).includes('LateClient'))
  })

  test('import works and gives the same objects as require (one copy of each class)', () => {
    const script = `
      import assert from 'node:assert/strict'
      import { createRequire } from 'node:module'
      import * as ns from 'late-native'
      const cjs = createRequire(import.meta.url)('late-native')
      assert.equal(ns.LateClient, cjs.LateClient)
      assert.ok(new ns.LateClient({ apiKey: 'sk_test_pkg' }) instanceof cjs.LateClient)`
    ok(sh(process.execPath, ['--input-type=module', '-e', script], { cwd: app }), 'import')
  })

  // Each ESM entry lists the CommonJS entry's names: none missing, none added (no `__esModule`),
  // each bound to the very same object; its default export is what it was before the facade
  // moved to TypeScript: the CommonJS module (late-native, late-native/testing) or its own
  // `default` (late-native/zernio: the Zernio class).
  for (const entry of ['late-native', 'late-native/testing', 'late-native/zernio']) {
    test(`${entry}: the ESM entry has exactly the CommonJS entry's names, bound to the same objects`, () => {
      const script = `
        import assert from 'node:assert/strict'
        import { createRequire } from 'node:module'
        import * as ns from ${JSON.stringify(entry)}
        const cjs = createRequire(import.meta.url)(${JSON.stringify(entry)})
        const names = (o) => Object.keys(o).filter((n) => n !== 'default').sort()
        assert.deepEqual(names(ns), names(cjs), 'ESM names ≠ CommonJS names')
        assert.ok(!('__esModule' in ns), 'the ESM namespace has no __esModule')
        for (const name of names(cjs)) assert.ok(ns[name] === cjs[name], \`\${name}: not the same object from import and require\`)
        assert.ok(ns.default === ('default' in cjs ? cjs.default : cjs), 'the default export is the one it was')
        console.log(names(ns).length)`
      const r = ok(sh(process.execPath, ['--input-type=module', '-e', script], { cwd: app }), entry)
      assert.ok(Number(r.stdout.trim()) > 0, `${entry} exports no name`)
    })
  }

  test('late-native/zernio: require, import (default export), one copy of each class, a named method and the operation table shipped', () => {
    const script = `
      import assert from 'node:assert/strict'
      import { createRequire } from 'node:module'
      import Zernio, { ZernioApiError } from 'late-native/zernio'
      import { LateApiError } from 'late-native'
      const cjs = createRequire(import.meta.url)('late-native/zernio')
      assert.equal(cjs.Zernio, Zernio)
      assert.equal(cjs.default, Zernio)
      assert.ok(ZernioApiError.prototype instanceof LateApiError)
      const zernio = new Zernio({ apiKey: 'sk_test_pkg', baseURL: 'http://127.0.0.1:9/api', maxRetries: 0 })
      assert.equal(typeof zernio.connect.facebook.listFacebookPages, 'function')
      await assert.rejects(zernio.posts.getPost({ path: {} }), (e) => e.param === 'path.postId')`
    ok(sh(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 }), 'late-native/zernio')
  })

  test('late-native/testing: require, import, and a real call through the installed addon', () => {
    const script = `
      import assert from 'node:assert/strict'
      import { createRequire } from 'node:module'
      import { startSimulator } from 'late-native/testing'
      import { LateClient } from 'late-native'
      const cjs = createRequire(import.meta.url)('late-native/testing')
      assert.equal(cjs.startSimulator, startSimulator)
      const sim = await startSimulator({ port: 0 })
      try {
        const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0, timeoutMs: 10000 })
        const accounts = await late.listAccounts()
        assert.ok(Array.isArray(accounts))
      } finally {
        await sim.close()
      }`
    ok(sh(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 }), 'late-native/testing')
  })

  test('a TypeScript consumer type-checks with tsc --strict (module NodeNext, CJS and ESM files)', () => {
    const src = path.join(app, 'src')
    fs.mkdirSync(src, { recursive: true })
    const body = (mod) => `
import { LateClient, LateApiError, RateLimitError, VERSION, connectInstagram } from 'late-native'
import { startSimulator, type Simulator } from 'late-native/testing'
${mod === 'esm' ? "import * as lateDefault from 'late-native'" : "import lateDefault from 'late-native'"}
import Zernio, { ZernioApiError } from 'late-native/zernio'

export async function main(): Promise<string> {
  const late = new LateClient({ apiKey: 'sk_test_consumer', timeoutMs: 5_000, maxRetries: 1 })
  const version: string = VERSION
  const sim: Simulator = await startSimulator()
  try {
    const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
    const { data } = await new Zernio({ apiKey: 'sk_test_consumer' }).analytics.getInstagramDemographics({ query: { accountId: 'a1' } })
    const named = await late.posts.getPost({ path: { postId: 'p1' } })
    return connectUrl + version + String(typeof connectInstagram) + String(typeof lateDefault.LateClient) + JSON.stringify([data, named])
  } catch (e: unknown) {
    if (e instanceof ZernioApiError) return String(e.statusCode)
    if (e instanceof RateLimitError) return String(e.status)
    if (e instanceof LateApiError) {
      const status: number = e.status
      return String(status)
    }
    throw e
  } finally {
    await sim.close()
  }
}
// @ts-expect-error deep imports are not exported
import type {} from 'late-native/lib/client.js'
export const kind = '${mod}'
`
    fs.writeFileSync(path.join(src, 'cjs.ts'), body('cjs'))
    fs.writeFileSync(path.join(src, 'esm.mts'), body('esm'))
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [path.join(root, 'node_modules', '@types')],
          },
          include: ['src'],
        },
        null,
        2,
      ),
    )
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    ok(sh(process.execPath, [tsc, '-p', path.join(app, 'tsconfig.json')], { cwd: app }), 'tsc --strict')
  })

  test('publint (strict) reports nothing', () => {
    const r = ok(sh(bin('publint'), ['--strict', tgz], { cwd: tmp }), 'publint')
    assert.doesNotMatch(r.output, /Errors?:|Warnings?:/)
  })

  test('@arethetypeswrong/cli reports no problem in any resolution mode', () => {
    // node10, node16 from CJS / from ESM, bundler: all must resolve to the right types
    const r = ok(sh(bin('attw'), [tgz, '--format', 'json'], { cwd: tmp }), 'attw')
    const report = JSON.parse(r.stdout)
    assert.deepEqual(report.analysis.problems ?? [], [])
  })

  test('without a binary, loading names the platform package and how to build from source', () => {
    for (const f of fs.readdirSync(installed)) if (f.endsWith('.node')) fs.rmSync(path.join(installed, f))
    const script = `
      try { require(${JSON.stringify(path.join(installed, 'lib', 'load-native.js'))}); console.log('loaded') }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, packageName: e.packageName })) }`
    const r = ok(sh(process.execPath, ['-e', script], { cwd: app }), 'load-native')
    const err = JSON.parse(r.stdout.trim())
    const expected = `${pkg.napi.packageName}-${platform}`
    assert.equal(err.code, 'ERR_LATE_NATIVE_BINDING')
    assert.equal(err.packageName, expected)
    assert.match(err.message, new RegExp(`${expected.replace(/[/@.-]/g, '\\$&')}@${pkg.version.replace(/\./g, '\\.')}`))
    assert.match(err.message, /Build from source/)
    assert.match(err.message, /rustup\.rs/)
    // once lib/transport.js loads the addon through lib/load-native.js, so does the package entry
    if (fs.readFileSync(path.join(installed, 'lib', 'transport.js'), 'utf8').includes('load-native')) {
      const r2 = sh(process.execPath, ['-e', "require('late-native')"], { cwd: app })
      assert.notEqual(r2.status, 0)
      assert.match(r2.stderr, new RegExp(expected.replace(/[/@.-]/g, '\\$&')))
    }
  })
})

describe('package metadata', () => {
  test('load-native.js knows every napi target, and only those', () => {
    const src = fs.readFileSync(path.join(root, 'lib', 'load-native.js'), 'utf8')
    const list = /SUPPORTED_PLATFORMS = \[([^\]]*)\]/.exec(src)
    assert.ok(list, 'SUPPORTED_PLATFORMS not found in lib/load-native.js')
    const listed = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1])
    assert.deepEqual(listed.sort(), pkg.napi.targets.map(platformOf).sort())
  })

  test('the platform table in the docs matches napi.targets', () => {
    const docs = ['README.md', path.join('docs', 'packaging.md')]
      .map((f) => path.join(root, f))
      .filter((f) => fs.existsSync(f) && /Supported platforms/i.test(fs.readFileSync(f, 'utf8')))
    assert.ok(docs.length, 'no "Supported platforms" section in README.md or docs/packaging.md')
    for (const f of docs) {
      const rows = fs.readFileSync(f, 'utf8').split('\n').filter((l) => /^\|.*`[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_-]+`/.test(l))
      const triples = rows.map((l) => /`([a-z0-9_]+-(?:unknown|apple|pc)-[a-z0-9_-]+)`/.exec(l)?.[1]).filter(Boolean)
      assert.deepEqual(triples.sort(), [...pkg.napi.targets].sort(), `${path.relative(root, f)}: platform table ≠ napi.targets`)
      for (const l of rows) {
        const triple = /`([a-z0-9_]+-(?:unknown|apple|pc)-[a-z0-9_-]+)`/.exec(l)[1]
        assert.ok(l.includes(`${pkg.napi.packageName}-${platformOf(triple)}`), `${path.relative(root, f)}: row for ${triple} does not name its package`)
      }
    }
  })

  test('the generated loader (native.js) loads the platform packages named by napi.packageName', { skip: !fs.existsSync(path.join(root, 'native.js')) && 'native.js not generated' }, () => {
    const loader = fs.readFileSync(path.join(root, 'native.js'), 'utf8')
    for (const triple of pkg.napi.targets) {
      const name = `${pkg.napi.packageName}-${platformOf(triple)}`
      assert.ok(loader.includes(`require('${name}')`), `native.js does not require ${name}: regenerate it with \`npm run build\``)
    }
  })

  test('engines, repository, license and publishConfig are set for publishing', () => {
    assert.equal(pkg.license, 'MIT')
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')))
    assert.match(pkg.engines.node, /^>=\s*20\.17/)
    assert.match(pkg.repository.url, /^git\+https:\/\//)
    assert.equal(pkg.publishConfig.access, 'public')
    assert.match(pkg.napi.packageName, /^@[a-z0-9-]+\/[a-z0-9-]+$/)
    assert.equal(pkg.optionalDependencies, undefined, 'optionalDependencies are written at release time by `napi prepublish`, not committed')
  })
})
