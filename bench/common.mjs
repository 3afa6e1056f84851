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

/**
 * Copies late-native's runtime files (index.js, lib/, package.json) to a temporary folder and
 * puts the addon beside them: with `build`, a fresh release build made by `napi build
 * --release --output-dir` (the same cargo invocation as scripts/build-native.js, so it reuses
 * its artefacts); without, a copy of the addon in the working tree.
 */
export function preparePackage(build) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-bench-pkg-'))
  for (const f of ['index.js', 'package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f))
  fs.cpSync(path.join(ROOT, 'lib'), path.join(dir, 'lib'), { recursive: true })
  if (build) {
    log('▶ napi build --platform --release (release build of the addon, into a private copy)')
    const napi = path.join(ROOT, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
    run(process.execPath, [napi, 'build', '--platform', '--release', '--output-dir', dir, '--js', 'native.js', '--dts', 'native.d.ts'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    })
  } else {
    const addon = fs.readdirSync(ROOT).find((f) => /^late-native\..+\.node$/.test(f))
    if (!addon) throw new Error('no late-native.*.node in the working tree: run `node scripts/build-native.js` first')
    fs.copyFileSync(path.join(ROOT, addon), path.join(dir, addon))
    fs.copyFileSync(path.join(ROOT, 'native.js'), path.join(dir, 'native.js'))
  }
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
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

