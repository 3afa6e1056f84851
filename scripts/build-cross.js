#!/usr/bin/env node
'use strict'
// Builds the addon for another target, each in its own output and cargo target dirs so it never
// touches the development build (./late-native.linux-x64-gnu.node, target/release).
// .github/workflows/release.yml builds every `napi.targets` entry with this script, and `npm test`
// (__test__/platforms.test.mjs, __test__/workflows.test.mjs) builds five of them with it here.
//
//   node scripts/build-cross.js                              # x86_64-unknown-linux-gnu (glibc 2.17 floor)
//   node scripts/build-cross.js aarch64-unknown-linux-gnu    # any target(s) of the table below
//   node scripts/build-cross.js --all                        # `npm run build:all`: every target this machine can build
//   node scripts/build-cross.js --profile cross-test <target ...>   # the cheaper test profile (Cargo.toml)
//   node scripts/build-cross.js --plan [--all | target ...]  # how each would be built, as JSON; builds nothing
//
// How each target is built, on a Linux x64 or arm64 host:
//   *-unknown-linux-gnu    napi build --use-napi-cross: gcc 4.8.5 and a glibc 2.17 sysroot from the npm
//                          package @napi-rs/cross-toolchain-<host>-target-<arch>; `node scripts/check-glibc.js` checks it
//   *-unknown-linux-musl   napi build -x: cargo-zigbuild (crates.io) and zig (PyPI `ziglang` or on PATH)
//   x86_64-win7-windows-gnu  Debian's mingw-w64 gcc, always with -Z build-std (a tier-3 target); the
//                          stand-in here for x86_64-pc-windows-msvc, which needs MSVC's libraries (docs/packaging.md)
// and on their own OS only: *-apple-darwin (macOS), x86_64-pc-windows-msvc (Windows).
//
// The standard library: the active toolchain's when it has one for the target (GitHub: `rustup
// target add`); otherwise it is built from source with `-Z build-std` by Debian's rustc-web
// (`apt-get install rustc-web cargo-web rust-web-src`: /usr/bin/cargo and /usr/bin/rustc, with the
// library's source in /usr/lib/rustlib/src), with RUSTC_BOOTSTRAP=1 (build-std is unstable).
//
// Output: target/napi-cross/late-native.<platform>.node (release) or target/napi-cross-test/ (the
// cross-test profile); LATE_NATIVE_CROSS_OUT overrides. Cargo dirs: target/cross (the active
// toolchain's std) and target/cross-std (build-std: every such target shares its host-side build
// scripts and proc macros); CARGO_TARGET_DIR overrides both. Cargo builds incrementally, so a
// second run with no change takes seconds.
//
// --use-napi-cross: @napi-rs/cross-toolchain 1.0.5 (pulled in by @napi-rs/cli 3.10.12) asks npm for
// the target package at its own version 1.0.5, which does not exist for every target
// (x64-target-x86_64 stops at 1.0.0), so the CLI's own download fails with ETARGET. This script
// unpacks the newest published version of the target package into the place the CLI looks first
// (~/.napi-rs/cross-toolchain/<version>/<triple>), so the CLI skips its download.

const { spawnSync, execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))

/** Debian's rustc-web (`apt-get install rustc-web cargo-web rust-web-src`). */
const DEBIAN_RUST = { cargo: '/usr/bin/cargo', rustc: '/usr/bin/rustc', src: '/usr/lib/rustlib/src/rust/library' }
/** The test profile of Cargo.toml: release code generation without LTO (see its comment). */
const PROFILES = ['release', 'cross-test']
/** What each Windows GNU build stands in for: the published Windows target is built with MSVC. */
const STAND_IN = { 'x86_64-win7-windows-gnu': 'x86_64-pc-windows-msvc' }

/** The platform suffix napi gives a target's file: late-native.<platform>.node. */
function platformOf(triple) {
  const [cpu, , sys, abi] = triple.split('-')
  const arch = { x86_64: 'x64', aarch64: 'arm64' }[cpu] ?? cpu
  const os = { linux: 'linux', darwin: 'darwin', windows: 'win32' }[sys] ?? sys
  return abi ? `${os}-${arch}-${abi}` : `${os}-${arch}`
}

function hostArch() {
  if (process.arch === 'x64') return 'x64'
  if (process.arch === 'arm64') return 'arm64'
  throw new Error(`--use-napi-cross runs on linux x64/arm64 hosts only, not ${process.arch}`)
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0
}

/** Whether the active `rustc` (rustup's, on PATH) has a standard library for `triple`. */
function hasStd(triple) {
  const r = spawnSync('rustc', ['--print', 'target-libdir', '--target', triple], { encoding: 'utf8' })
  if (r.status !== 0) return false
  const dir = r.stdout.trim()
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^libstd-.*\.rlib$/.test(f))
}

/** Whether Debian's rustc-web with the library's source is installed (for -Z build-std). */
function hasDebianRust() {
  return fs.existsSync(DEBIAN_RUST.cargo) && fs.existsSync(DEBIAN_RUST.rustc) && fs.existsSync(path.join(DEBIAN_RUST.src, 'std', 'Cargo.toml'))
}

/** Whether cargo-zigbuild and a zig (on PATH, or PyPI's `ziglang` for python3) are there. */
function hasZig() {
  if (!onPath('cargo-zigbuild')) return 'cargo-zigbuild (cargo install cargo-zigbuild --locked)'
  if (onPath('zig')) return null
  if (spawnSync('python3', ['-m', 'ziglang', 'version'], { encoding: 'utf8' }).status === 0) return null
  return 'zig (pip install ziglang==0.14.1)'
}

/**
 * How `triple` is built on this machine: `{ triple, platform, file, via, buildStd, standsInFor }`,
 * or `{ triple, cannot: reason }`.
 */
function plan(triple, profile = 'release') {
  const platform = platformOf(triple)
  const outDir = process.env.LATE_NATIVE_CROSS_OUT || path.join('target', profile === 'release' ? 'napi-cross' : `napi-${profile}`)
  const base = { triple, platform, profile, outDir, file: path.join(outDir, `late-native.${platform}.node`), standsInFor: STAND_IN[triple] ?? null }
  const needsStd = (tier3 = false) => {
    if (!tier3 && hasStd(triple)) return { buildStd: false }
    if (hasDebianRust()) return { buildStd: true }
    return {
      cannot: `no standard library for ${triple}: \`rustup target add ${triple}\`, or Debian's rustc-web to build it from source (apt-get install rustc-web cargo-web rust-web-src)`,
    }
  }
  if (/-apple-darwin$/.test(triple)) {
    if (process.platform !== 'darwin') return { ...base, cannot: 'macOS targets need the macOS SDK: built on a macOS runner by release.yml' }
    return { ...base, via: 'native', buildStd: false }
  }
  if (/-windows-msvc$/.test(triple)) {
    if (process.platform !== 'win32') {
      return { ...base, cannot: `needs MSVC's libraries (Windows only): built on a Windows runner by release.yml; here x86_64-win7-windows-gnu stands in for it` }
    }
    return { ...base, via: 'native', buildStd: false }
  }
  if (process.platform !== 'linux') return { ...base, cannot: `cross builds run on a Linux host (release.yml builds ${triple} on ubuntu)` }
  if (/-unknown-linux-gnu$/.test(triple)) return { ...base, via: 'napi-cross', ...needsStd() }
  if (/-unknown-linux-musl$/.test(triple)) {
    const missing = hasZig()
    if (missing) return { ...base, cannot: `missing ${missing}` }
    return { ...base, via: 'zig', ...needsStd() }
  }
  if (triple === 'x86_64-win7-windows-gnu') {
    if (!onPath('x86_64-w64-mingw32-gcc')) return { ...base, cannot: 'missing x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64)' }
    return { ...base, via: 'mingw', ...needsStd(true) }
  }
  return { ...base, cannot: `unknown target (known: ${[...pkg.napi.targets, ...Object.keys(STAND_IN)].join(', ')})` }
}

/** The targets `--all` builds: napi.targets, with the Windows GNU stand-in where MSVC cannot be built. */
function allTargets() {
  const out = []
  for (const t of pkg.napi.targets) {
    out.push(t)
    for (const [gnu, msvc] of Object.entries(STAND_IN)) if (msvc === t && process.platform !== 'win32') out.push(gnu)
  }
  return out
}

/** Unpack the napi-cross toolchain for `triple` where `napi build --use-napi-cross` looks for it. */
function ensureNapiCrossToolchain(triple) {
  const crossPkg = path.dirname(require.resolve('@napi-rs/cross-toolchain/package.json', { paths: [root, napi] }))
  const { version } = JSON.parse(fs.readFileSync(path.join(crossPkg, 'package.json'), 'utf8'))
  const dest = path.join(os.homedir(), '.napi-rs', 'cross-toolchain', version, triple)
  if (fs.existsSync(path.join(dest, 'package.json'))) return dest
  const arch = { x86_64: 'x86_64', aarch64: 'aarch64', armv7: 'armv7' }[triple.split('-')[0]]
  if (!arch) throw new Error(`no napi-cross toolchain for ${triple}`)
  const name = `@napi-rs/cross-toolchain-${hostArch()}-target-${arch}`
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'late-native-xtc-'))
  try {
    let packed = null
    for (const spec of [`${name}@${version}`, name]) {
      const r = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], { encoding: 'utf8' })
      if (r.status === 0) {
        packed = path.join(tmp, r.stdout.trim().split('\n').pop())
        console.log(`late-native: using toolchain package ${spec} (${path.basename(packed)})`)
        break
      }
      console.warn(`late-native: npm pack ${spec} failed, trying the latest version`)
    }
    if (!packed) throw new Error(`could not download ${name} from the npm registry`)
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

/**
 * napi-build wants `LIBNODE_PATH` to name a folder with a `libnode.dll` for a windows-gnu target and
 * links `-lnode`. Nothing is imported from it (napi-rs's `dyn-symbols` resolves N-API from the host
 * process at run time), so an empty import library (`libnode.dll.a`, which the linker prefers) and a
 * placeholder `libnode.dll` (which only napi-build looks at) are enough.
 */
function libnodePlaceholder(cargoTargetDir) {
  const dir = path.join(root, cargoTargetDir, 'libnode-placeholder')
  const lib = path.join(dir, 'libnode.dll.a')
  if (fs.existsSync(lib)) return dir
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'README'), 'Generated by scripts/build-cross.js: a placeholder libnode for napi-build (nothing is imported from it).\n')
  fs.writeFileSync(path.join(dir, 'libnode.dll'), '')
  fs.writeFileSync(path.join(dir, 'node.def'), 'LIBRARY node.exe\nEXPORTS\n')
  execFileSync('x86_64-w64-mingw32-dlltool', ['-d', path.join(dir, 'node.def'), '-l', lib])
  return dir
}

/** Builds one planned target; returns { ok, seconds }. */
function build(p) {
  const cargoTargetDir = process.env.CARGO_TARGET_DIR || path.join('target', p.buildStd ? 'cross-std' : 'cross')
  const args = [napi, 'build', '--platform', '--target', p.triple]
  args.push(...(p.profile === 'release' ? ['--release'] : ['--profile', p.profile]))
  args.push('--output-dir', p.outDir, '--target-dir', cargoTargetDir, '--js', 'native.js', '--dts', 'native.d.ts')
  const env = { ...process.env }
  if (p.via === 'napi-cross') {
    const tc = ensureNapiCrossToolchain(p.triple)
    console.log(`late-native: napi-cross toolchain at ${tc}`)
    args.push('--use-napi-cross')
    // Its gcc 4.8.5 predates __ARM_ARCH on aarch64, which ring's assembly requires (asm_base.h).
    if (p.triple.startsWith('aarch64-')) env[`CFLAGS_${p.triple.replace(/-/g, '_')}`] ??= '-D__ARM_ARCH=8'
  } else if (p.via === 'zig') {
    args.push('--cross-compile') // cargo-zigbuild + zig
  } else if (p.via === 'mingw') {
    const upper = p.triple.toUpperCase().replace(/-/g, '_')
    env[`CARGO_TARGET_${upper}_LINKER`] ??= 'x86_64-w64-mingw32-gcc'
    env[`CC_${p.triple.replace(/-/g, '_')}`] ??= 'x86_64-w64-mingw32-gcc'
    env[`AR_${p.triple.replace(/-/g, '_')}`] ??= 'x86_64-w64-mingw32-ar'
    env.LIBNODE_PATH ??= libnodePlaceholder(cargoTargetDir)
  }
  if (/-windows-/.test(p.triple)) {
    // The C runtime linked in, as napi-rs's template does: MSVC's vcruntime140.dll is not part of
    // Windows (it comes with the Visual C++ Redistributable), nor are mingw's libgcc_s_seh-1.dll and
    // libwinpthread-1.dll. scripts/check-binary.js fails a .node that imports any of them.
    env.RUSTFLAGS = `${env.RUSTFLAGS ?? ''} -C target-feature=+crt-static`.trim()
  }
  if (p.buildStd) {
    // Debian's cargo and rustc (not rustup's proxies on PATH), which build std from its source.
    Object.assign(env, { CARGO: DEBIAN_RUST.cargo, RUSTC: DEBIAN_RUST.rustc, RUSTDOC: '/usr/bin/rustdoc', RUSTC_BOOTSTRAP: '1' })
    args.push('--', '-Z', 'build-std=std,panic_abort')
  }
  fs.mkdirSync(path.join(root, p.outDir), { recursive: true })
  const started = Date.now()
  const shown = [p.buildStd ? 'RUSTC_BOOTSTRAP=1 CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc' : '', 'napi', ...args.slice(1)].filter(Boolean)
  console.log(`$ ${shown.join(' ')}`)
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env })
  const seconds = (Date.now() - started) / 1000
  if (r.status !== 0 || !fs.existsSync(path.join(root, p.file))) {
    console.error(`late-native: build for ${p.triple} failed after ${seconds.toFixed(1)} s`)
    return { ok: false, seconds }
  }
  const size = fs.statSync(path.join(root, p.file)).size
  console.log(`late-native: ${p.triple} built in ${seconds.toFixed(1)} s: ${p.file} (${(size / 1048576).toFixed(2)} MiB)`)
  return { ok: true, seconds, size }
}

function main() {
  const argv = process.argv.slice(2)
  let profile = 'release'
  let all = false
  let showPlan = false
  const targets = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profile = argv[++i]
    else if (argv[i] === '--all') all = true
    else if (argv[i] === '--plan') showPlan = true
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('usage: node scripts/build-cross.js [--all | target ...] [--profile release|cross-test] [--plan]')
      return 0
    } else targets.push(argv[i])
  }
  if (!PROFILES.includes(profile)) {
    console.error(`late-native: unknown profile ${profile} (${PROFILES.join(', ')})`)
    return 2
  }
  if (all) targets.push(...allTargets())
  if (!targets.length) targets.push('x86_64-unknown-linux-gnu')
  const plans = targets.map((t) => plan(t, profile))
  if (showPlan) {
    console.log(JSON.stringify(plans, null, 2))
    return 0
  }
  const results = []
  for (const p of plans) {
    if (p.cannot) {
      results.push({ ...p, status: 'cannot' })
      if (!all) console.error(`late-native: cannot build ${p.triple} here: ${p.cannot}`)
      continue
    }
    results.push({ ...p, ...build(p) })
  }
  if (results.length > 1 || all) {
    console.log('\nlate-native: cross builds')
    for (const r of results) {
      const what = r.status === 'cannot' ? `not built here: ${r.cannot}` : r.ok ? `built in ${r.seconds.toFixed(1)} s → ${r.file}` : `FAILED after ${r.seconds.toFixed(1)} s`
      console.log(`  ${r.triple.padEnd(28)} ${what}${r.standsInFor && r.ok ? ` (stands in for ${r.standsInFor})` : ''}`)
    }
  }
  // --all: failing to build a target this machine can build fails; targets it cannot build are listed.
  if (results.some((r) => r.ok === false)) return 1
  if (!all && results.some((r) => r.status === 'cannot')) return 2
  return 0
}

module.exports = { plan, allTargets, platformOf }

if (require.main === module) process.exit(main())
