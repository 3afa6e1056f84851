// What the benchmark runners share (bench/run.mjs, bench/wan.mjs): medians and rotation, the
// private copy of the package under test, building crates/bench-server, facts about the machine.

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './clients.mjs'

/** The median of the finite numbers of `xs`. */
export const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return undefined
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The clients in round `r`'s order: rotated so no client is always first or last. */
export const rotate = (list, r) => list.map((_, i) => list[(i + r) % list.length])


export function log(msg) {
  process.stderr.write(`${msg}\n`)
}

/** Writes `value` as indented JSON to `file`, making its folder. */
export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
  log(`wrote ${file}`)
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`)
  return r.stdout
}

export function targetDir() {
  const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps']))
  return meta.target_directory
}

/** Builds crates/bench-server (its `bench-server` and `wan-proxy` binaries) and returns the path of `bench-server`. */
export function buildServer(quick) {
  // --quick (the smoke test) uses a debug build: it compiles much faster and its speed is irrelevant.
  const args = ['build', '-p', 'bench-server', ...(quick ? [] : ['--release'])]
  log(`▶ cargo ${args.join(' ')}`)
  run('cargo', args, { stdio: ['ignore', 'inherit', 'inherit'] })
  return path.join(targetDir(), quick ? 'debug' : 'release', 'bench-server')
}


// The package under test: a private copy, so a concurrent rebuild of the working tree (another
// engineer's debug build, say) cannot swap the addon in the middle of a run.

const ADDON = /^late-native\..+\.node$/

/**
 * The files `npm pack` would ship from `root`: package.json and what its "files" lists
 * (folders, plain names and `*` patterns at the top level). Read from the tree itself, so an
 * older commit with another layout (bench/compare.mjs) is copied as it was published.
 */
function packageFiles(root) {
  const { files = ['index.js', 'lib/'] } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const names = new Set(['package.json'])
  const top = fs.readdirSync(root)
  for (const entry of files) {
    const name = entry.replace(/\/$/, '')
    if (!name.includes('*')) {
      if (fs.existsSync(path.join(root, name))) names.add(name)
      continue
    }
    const re = new RegExp(`^${name.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    for (const f of top) if (re.test(f)) names.add(f)
  }
  return [...names]
}

/**
 * Copies late-native's published files from `root` (the working tree, unless told) to `dir` (a
 * temporary folder removed at exit, unless told) and puts the addon beside them: with `build`,
 * a fresh release build made by `root`'s own `napi build --release --output-dir` (the same
 * cargo invocation as scripts/build-native.js, so it reuses its artefacts); without, a copy of
 * the addon already in `root`. Returns the folder, which `require()` loads as the package.
 */
export function preparePackage(build, { root = ROOT, dir, env } = {}) {
  if (dir) fs.mkdirSync(dir, { recursive: true })
  else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-bench-pkg-'))
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  }
  // The facade's TypeScript compiled first, so the copy is of the tree as it is now.
  const buildTs = path.join(root, 'scripts', 'build-ts.js')
  if (fs.existsSync(buildTs)) run(process.execPath, [buildTs], { cwd: root, env: env ?? process.env, stdio: ['ignore', 2, 2] })
  const files = packageFiles(root)
  // Without a build the addon in `root` is the one under test; with one, only the build's.
  if (!build && !files.some((f) => ADDON.test(f))) {
    throw new Error(`no late-native.*.node in ${root}: run \`node scripts/build-native.js\` there first`)
  }
  for (const f of files) {
    if (build && ADDON.test(f)) continue
    fs.cpSync(path.join(root, f), path.join(dir, f), { recursive: true })
  }
  if (build) {
    log(`▶ napi build --platform --release in ${root} (release build of the addon, into ${dir})`)
    const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
    run(process.execPath, [napi, 'build', '--platform', '--release', '--output-dir', dir, '--js', 'native.js', '--dts', 'native.d.ts'], {
      cwd: root,
      env: env ?? process.env,
      stdio: ['ignore', 2, 2],
    })
  }
  return dir
}

// ---------------------------------------------------------------------------------------------
// Facts about the machine and the packages

export function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : ''
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  const pkg = (p) => JSON.parse(fs.readFileSync(p, 'utf8'))
  let official = 'not installed'
  try {
    official = pkg(path.join(ROOT, 'node_modules', '@zernio', 'node', 'package.json')).version
  } catch {}
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpu: model,
    ramGiB: +(os.totalmem() / 1024 ** 3).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    lateNative: pkg(path.join(ROOT, 'package.json')).version,
    official,
    rustc: spawnSync('rustc', ['--version'], { encoding: 'utf8' }).stdout?.trim(),
    // Other processes competing for the CPU make every figure worse; recorded so a noisy run shows.
    loadavgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  }
}

