#!/usr/bin/env node
'use strict'
// Release build of one Linux target for publishing, in its own output and cargo target dirs so it
// never touches the development build (./late-native.linux-x64-gnu.node, target/release).
//
//   node scripts/build-cross.js                      # x86_64-unknown-linux-gnu via --use-napi-cross (glibc 2.17 floor)
//   node scripts/build-cross.js aarch64-unknown-linux-gnu
//   node scripts/build-cross.js x86_64-unknown-linux-musl   # via -x (cargo-zigbuild + zig), see docs/packaging.md
//   node scripts/build-cross.js aarch64-apple-darwin        # on macOS; x86_64-pc-windows-msvc on Windows
// .github/workflows/release.yml builds all seven `napi.targets` with this script.
//
// Output: target/napi-cross/late-native.<platform>.node (+ native.js / native.d.ts there, unused).
// Cargo dir: target/cross (override with CARGO_TARGET_DIR). Then `node scripts/check-glibc.js` checks a gnu build.
//
// --use-napi-cross unpacks the gcc 4.8 / glibc 2.17 toolchain from the npm package
// @napi-rs/cross-toolchain-<host>-target-<arch> into ~/.napi-rs/cross-toolchain/<version>/<triple>.
// @napi-rs/cross-toolchain 1.0.5 (pulled in by @napi-rs/cli 3.10.12) asks npm for the target package
// at its own version 1.0.5, which does not exist for every target (x64-target-x86_64 stops at 1.0.0),
// so the CLI's own download fails with ETARGET. This script unpacks the newest published version of
// the target package into the place the CLI looks first, so the CLI skips its download.

const { spawnSync, execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const target = process.argv[2] || 'x86_64-unknown-linux-gnu'
const outDir = process.env.LATE_NATIVE_CROSS_OUT || path.join('target', 'napi-cross')
const cargoTargetDir = process.env.CARGO_TARGET_DIR || path.join('target', 'cross')

function hostArch() {
  if (process.arch === 'x64') return 'x64'
  if (process.arch === 'arm64') return 'arm64'
  throw new Error(`--use-napi-cross runs on linux x64/arm64 hosts only, not ${process.arch}`)
}

/** Unpack the napi-cross toolchain for `triple` where `napi build --use-napi-cross` looks for it. */
function ensureNapiCrossToolchain(triple) {
  const crossPkg = path.dirname(require.resolve('@napi-rs/cross-toolchain/package.json', { paths: [root, napi] }))
  const { version } = JSON.parse(fs.readFileSync(path.join(crossPkg, 'package.json'), 'utf8'))
  const dest = path.join(os.homedir(), '.napi-rs', 'cross-toolchain', version, triple)
  if (fs.existsSync(path.join(dest, 'package.json'))) return dest
  const arch = { x86_64: 'x86_64', aarch64: 'aarch64', armv7: 'armv7' }[triple.split('-')[0]]
  if (!arch) throw new Error(`no napi-cross toolchain for ${triple}`)
  const pkg = `@napi-rs/cross-toolchain-${hostArch()}-target-${arch}`
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-native-xtc-'))
  try {
    let packed = null
    for (const spec of [`${pkg}@${version}`, pkg]) {
      const r = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], { encoding: 'utf8' })
      if (r.status === 0) {
        packed = path.join(tmp, r.stdout.trim().split('\n').pop())
        console.log(`late-native: using toolchain package ${spec} (${path.basename(packed)})`)
        break
      }
      console.warn(`late-native: npm pack ${spec} failed, trying the latest version`)
    }
    if (!packed) throw new Error(`could not download ${pkg} from the npm registry`)
    execFileSync('tar', ['-xzf', packed, '-C', tmp])
    const xz = fs.readdirSync(path.join(tmp, 'package')).find((f) => f.endsWith('.tar.xz'))
    fs.mkdirSync(dest, { recursive: true })
    execFileSync('tar', ['-xJf', path.join(tmp, 'package', xz), '-C', dest]) // needs xz-utils
    if (!fs.existsSync(path.join(dest, 'package.json'))) throw new Error(`unexpected toolchain layout in ${xz}`)
    return dest
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

const args = [napi, 'build', '--platform', '--release', '--target', target]
args.push('--output-dir', outDir, '--target-dir', cargoTargetDir, '--js', 'native.js', '--dts', 'native.d.ts')
if (/-linux-gnu/.test(target)) {
  const tc = ensureNapiCrossToolchain(target)
  console.log(`late-native: napi-cross toolchain at ${tc}`)
  args.push('--use-napi-cross')
} else if (/-linux-musl/.test(target)) {
  args.push('--cross-compile') // cargo-zigbuild + zig on PATH
} else if ((/-apple-darwin$/.test(target) && process.platform === 'darwin') || (/-windows-msvc$/.test(target) && process.platform === 'win32')) {
  // macOS and Windows targets build on their own OS (both macOS arches from either Mac), no cross toolchain.
} else {
  console.error(`late-native: ${target} is built on its own OS in CI (.github/workflows/release.yml, docs/packaging.md)`)
  process.exit(2)
}
fs.mkdirSync(path.join(root, outDir), { recursive: true })
const started = Date.now()
console.log(`$ napi ${args.slice(1).join(' ')}`)
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
if (r.status !== 0) {
  console.error(`late-native: cross build for ${target} failed`)
  process.exit(r.status || 1)
}
console.log(`late-native: ${target} built in ${((Date.now() - started) / 1000).toFixed(1)} s into ${outDir}`)
