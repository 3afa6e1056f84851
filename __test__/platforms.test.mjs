// Platforms proven here, not only claimed: on a Linux x64 machine, scripts/build-cross.js builds
// four more binaries (the cross-test profile of Cargo.toml; cargo reuses them when the source is
// unchanged), then each is checked and run:
//
//   linux-arm64-gnu   glibc floor 2.17 (scripts/check-glibc.js), links and exports (scripts/check-binary.js),
//                     the public subset on Node 20, 22 and 24 for arm64 under qemu-user
//   win32-x64-gnu     imports and exports, the subset on Node 20 for Windows under Wine
//                     (x86_64-win7-windows-gnu: the stand-in for the published -msvc binary, docs/packaging.md)
//   linux-x64-musl    links only musl, no GLIBC_ version, exports the entry point; loaded by musl's
//                     own dynamic loader with every symbol bound (a C program built with musl-gcc)
//   linux-arm64-musl  links only musl, no GLIBC_ version, exports the entry point (no musl arm64 loader here)
//
// and broken binaries fail the same checks: a truncated .node does not load on arm64 or Windows, a
// glibc binary fails the musl checks, a binary without the entry point fails to load under musl.
// No JavaScript runtime for musl can be assembled from registry packages here (docs/packaging.md):
// the musl binaries are run-tested by release.yml's Alpine jobs only.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onlyOn, missingTool } from './helpers/platform.mjs'

const require = createRequire(import.meta.url)
const { plan } = require('../scripts/build-cross.js')
const { FOREIGN, foreignCommand } = require('../scripts/runtimes.js')
const root = fileURLToPath(new URL('..', import.meta.url))
const SUBSET = '__test__/runtimes/subset.mjs'
const PROFILE = 'cross-test'
const HOST = onlyOn('linux-x64', 'the cross toolchains, qemu-user and Wine run on a Linux x64 host (release.yml tests each binary on its own runner)')
const scratch = mkdtempSync(join(tmpdir(), 'late-platforms-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, ...opts })
  return { ...r, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` }
}
const has = (cmd) => sh('sh', ['-c', `command -v ${cmd}`]).status === 0

/** A target's build plan, or a skip reason when this machine lacks what it needs. */
function planOrSkip(triple) {
  if (HOST) return { skip: HOST }
  const p = plan(triple, PROFILE)
  return p.cannot ? { skip: missingTool(`the ${triple} toolchain`, `${p.cannot} (.ci/run installs it)`) } : { plan: p, skip: false }
}

const built = new Map() // triple → absolute path of the binary built in this run

function buildTest(triple) {
  const { plan: p, skip } = planOrSkip(triple)
  test(`${triple}: scripts/build-cross.js --profile ${PROFILE} builds it (or reuses it)`, { timeout: 40 * 60_000, skip }, (t) => {
    const started = Date.now()
    const r = sh(process.execPath, ['scripts/build-cross.js', '--profile', PROFILE, triple], { env: { ...process.env, CARGO_TERM_COLOR: 'never' } })
    const secs = ((Date.now() - started) / 1000).toFixed(1)
    assert.equal(r.status, 0, r.out.slice(-6000))
    const file = join(root, p.file)
    assert.ok(existsSync(file), `${p.file} is missing after the build`)
    t.diagnostic(`${triple}: ${secs} s, ${(statSync(file).size / 1048576).toFixed(2)} MiB → ${p.file}`)
    built.set(triple, file)
  })
  return { skip, file: () => built.get(triple) }
}

/** Runs the subset (or `script`) with foreign Node `id` on `binding`; output goes through a file (Wine drops pipes). */
function runForeign(id, binding, script = SUBSET) {
  const c = foreignCommand(id, [script])
  const outFile = join(scratch, `${id}-${Date.now()}.log`)
  const fd = openSync(outFile, 'w')
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(c.command, c.args, {
      cwd: root,
      env: { ...c.env, NAPI_RS_NATIVE_LIBRARY_PATH: c.binding(binding) },
      stdio: ['ignore', fd, fd],
    })
    const kill = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('close', (code, signal) => {
      clearTimeout(kill)
      closeSync(fd)
      resolve({ code, signal, out: readFileSync(outFile, 'utf8'), seconds: (Date.now() - started) / 1000 })
    })
  })
}

const summary = (out) =>
  out
    .split('\n')
    .filter((l) => /^(#|ok|not ok|\d+ passed)/.test(l))
    .join(' | ')

function foreignSkip(buildSkip, id) {
  if (buildSkip) return buildSkip
  const rt = FOREIGN[id]
  if (rt.via === 'qemu' && !has('qemu-aarch64')) return missingTool('qemu-aarch64', 'apt-get install qemu-user gcc-aarch64-linux-gnu libstdc++6-arm64-cross (.ci/run does)')
  if (rt.via === 'wine' && !has('wine')) return missingTool('wine', 'apt-get install wine64 (.ci/run does)')
  return false
}

function subsetTests(build, ids) {
  for (const id of ids) {
    const rt = FOREIGN[id]
    const how = rt.via === 'qemu' ? 'under qemu-user' : 'under Wine'
    test(`the public subset passes on Node ${rt.version} for ${rt.platform} ${how}`, { timeout: 300_000, skip: foreignSkip(build.skip, id) }, async (t) => {
      assert.ok(build.file(), 'the build test above failed')
      const r = await runForeign(id, build.file())
      t.diagnostic(`${r.seconds.toFixed(1)} s: ${summary(r.out)}`)
      assert.equal(r.signal, null, `killed (${r.signal}):\n${r.out}`)
      assert.equal(r.code, 0, r.out)
      assert.match(r.out, new RegExp(`^# late-native public subset on node v${rt.version.replace(/\./g, '\\.')} \\(${rt.platform}\\)$`, 'm'), r.out)
      assert.match(r.out, /^9 passed, 0 failed$/m, r.out)
    })
  }
}

/**
 * A copy of `file` cut to its first 100 bytes (an interrupted download), under the same name. (Cut
 * further in, the headers survive and the loader maps pages past the end: a SIGBUS, not an error.)
 */
function truncatedCopy(file) {
  const dir = mkdtempSync(join(scratch, 'cut-'))
  const copy = join(dir, file.split(/[\\/]/).pop())
  copyFileSync(file, copy)
  truncateSync(copy, 100)
  return copy
}

/** A copy of `file` whose Node-API entry point is renamed (napi_register_module_vX): nothing exports it. */
function withoutEntryPoint(file, name = file.split(/[\\/]/).pop()) {
  const bytes = readFileSync(file)
  const from = Buffer.from('napi_register_module_v1')
  const to = Buffer.from('napi_register_module_vX')
  let n = 0
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1), n++) to.copy(bytes, at)
  assert.ok(n > 0, `${file} has no napi_register_module_v1 string`)
  const copy = join(mkdtempSync(join(scratch, 'noentry-')), name)
  writeFileSync(copy, bytes)
  return copy
}

// ── linux-arm64-gnu ──────────────────────────────────────────────────────────────────────────────
const arm64Gnu = buildTest('aarch64-unknown-linux-gnu')

test('linux-arm64-gnu: glibc floor 2.17 (scripts/check-glibc.js), links and exports (scripts/check-binary.js)', { skip: arm64Gnu.skip }, () => {
  assert.ok(arm64Gnu.file(), 'the build test above failed')
  const floor = sh(process.execPath, ['scripts/check-glibc.js', arm64Gnu.file()])
  assert.equal(floor.status, 0, floor.out)
  assert.match(floor.out, /newest glibc symbol version GLIBC_2\.\d+ <= 2\.17/)
  const c = sh(process.execPath, ['scripts/check-binary.js', arm64Gnu.file()])
  assert.equal(c.status, 0, c.out)
})

subsetTests(arm64Gnu, ['node-20-linux-arm64', 'node-22-linux-arm64', 'node-24-linux-arm64'])

test('linux-arm64-gnu: a truncated .node fails the subset under qemu-user (the run can fail)', { timeout: 300_000, skip: foreignSkip(arm64Gnu.skip, 'node-20-linux-arm64') }, async () => {
  assert.ok(arm64Gnu.file(), 'the build test above failed')
  const r = await runForeign('node-20-linux-arm64', truncatedCopy(arm64Gnu.file()))
  assert.notEqual(r.code, 0, r.out)
  assert.doesNotMatch(r.out, /passed, 0 failed/)
  assert.match(r.out, /ERR_LATE_NATIVE_BINDING|too short|ELF|invalid/i, r.out)
})

// ── win32-x64 (the windows-gnu stand-in) ─────────────────────────────────────────────────────────
const win = buildTest('x86_64-win7-windows-gnu')

test('win32-x64-gnu: imports only Windows DLLs, exports the entry point (scripts/check-binary.js)', { skip: win.skip }, () => {
  assert.ok(win.file(), 'the build test above failed')
  const c = sh(process.execPath, ['scripts/check-binary.js', win.file()])
  assert.equal(c.status, 0, c.out)
  assert.doesNotMatch(c.out, /libgcc_s|libwinpthread|node\.exe|libnode/i)
})

subsetTests(win, ['node-20-win32-x64'])

test('win32-x64-gnu: a truncated .node fails the subset under Wine (the run can fail)', { timeout: 300_000, skip: foreignSkip(win.skip, 'node-20-win32-x64') }, async () => {
  assert.ok(win.file(), 'the build test above failed')
  const r = await runForeign('node-20-win32-x64', truncatedCopy(win.file()))
  assert.notEqual(r.code, 0, r.out)
  assert.doesNotMatch(r.out, /passed, 0 failed/)
  assert.match(r.out, /ERR_LATE_NATIVE_BINDING|not a valid Win32 application|%1/i, r.out)
})

// ── linux-x64-musl and linux-arm64-musl ──────────────────────────────────────────────────────────
const musl64 = buildTest('x86_64-unknown-linux-musl')
const muslArm = buildTest('aarch64-unknown-linux-musl')

for (const [label, build] of [
  ['linux-x64-musl', musl64],
  ['linux-arm64-musl', muslArm],
]) {
  test(`${label}: only musl's libraries, no GLIBC_ version, exports the entry point (scripts/check-binary.js)`, { skip: build.skip }, () => {
    assert.ok(build.file(), 'the build test above failed')
    const c = sh(process.execPath, ['scripts/check-binary.js', '--json', build.file()])
    assert.equal(c.status, 0, c.out)
    const [r] = JSON.parse(c.stdout)
    assert.deepEqual(r.problems, [])
    assert.ok(r.needed.length >= 1 && r.needed.every((l) => /^(libc\.so|libc\.musl-\w+\.so\.1|ld-musl-\w+\.so\.1)$/.test(l)), r.needed.join(', '))
  })
}

test('the musl checks fail a glibc binary and a binary without the entry point (they can fail)', { skip: arm64Gnu.skip || muslArm.skip }, () => {
  assert.ok(arm64Gnu.file() && muslArm.file(), 'a build test above failed')
  const glibcAsMusl = join(mkdtempSync(join(scratch, 'as-musl-')), 'late-native.linux-arm64-musl.node')
  copyFileSync(arm64Gnu.file(), glibcAsMusl)
  const a = sh(process.execPath, ['scripts/check-binary.js', glibcAsMusl])
  assert.equal(a.status, 1, a.out)
  assert.match(a.out, /needs libc\.so\.6, which is not musl's/)
  assert.match(a.out, /has glibc symbol versions: GLIBC_2/)
  const b = sh(process.execPath, ['scripts/check-binary.js', withoutEntryPoint(muslArm.file())])
  assert.equal(b.status, 1, b.out)
  assert.match(b.out, /does not export napi_register_module_v1/)
})

const PROBE = `#include <dlfcn.h>
#include <stdio.h>
/* Loads a .node with musl's dynamic loader, binding every symbol now, and finds the Node-API entry point. */
int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { printf("dlopen failed: %s\\n", dlerror()); return 1; }
  if (!dlsym(h, "napi_register_module_v1")) { printf("dlsym failed: %s\\n", dlerror()); return 1; }
  printf("loaded by musl: napi_register_module_v1 found\\n");
  return 0;
}
`
const probeSkip = musl64.skip || (has('musl-gcc') ? false : missingTool('musl-gcc', 'apt-get install musl-tools (.ci/run does)'))

test("linux-x64-musl: musl's own loader loads it with every symbol bound (dlopen RTLD_NOW), and refuses broken ones", { skip: probeSkip }, () => {
  assert.ok(musl64.file(), 'the build test above failed')
  const src = join(scratch, 'probe.c')
  const exe = join(scratch, 'probe-musl')
  writeFileSync(src, PROBE)
  const cc = sh('musl-gcc', ['-o', exe, src])
  assert.equal(cc.status, 0, cc.out)
  assert.match(sh('readelf', ['-l', exe]).out, /ld-musl-x86_64\.so\.1/, 'the probe is not a musl program')
  const ok = sh(exe, [musl64.file()])
  assert.equal(ok.status, 0, ok.out)
  assert.match(ok.out, /loaded by musl/)
  // The same probe refuses what a musl system would refuse.
  const noEntry = sh(exe, [withoutEntryPoint(musl64.file())])
  assert.equal(noEntry.status, 1, noEntry.out)
  assert.match(noEntry.out, /dlsym failed/)
  const gnu = join(root, 'late-native.linux-x64-gnu.node') // the development build: glibc
  if (existsSync(gnu)) {
    const r = sh(exe, [gnu])
    assert.equal(r.status, 1, r.out)
    assert.match(r.out, /dlopen failed/)
  }
  const cut = sh(exe, [truncatedCopy(musl64.file())])
  assert.equal(cut.status, 1, cut.out)
})
