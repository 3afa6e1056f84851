// Helpers of the end-to-end tests: child processes that are always cleaned up, bounded waits,
// packing late-native and installing it into an example from the tarball.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, copyFileSync, mkdtempSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const OUT = join(ROOT, 'e2e', 'out')
export const TARBALL_NAME = 'late-native.tgz'
mkdirSync(OUT, { recursive: true })

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-breakpad',
]

/** Environment for child processes: the caller's, minus what `npm run` adds about the root package. */
export function childEnv(extra = {}) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_)/.test(k) || ['INIT_CWD', 'npm_command', 'npm_config_local_prefix'].includes(k)) continue
    env[k] = v
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra }
}

const running = new Set()

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

// Last resort: whatever is still running when this process exits is killed with its whole group.
process.on('exit', () => {
  for (const p of running) killGroup(p.child, 'SIGKILL')
})
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const p of running) killGroup(p.child, 'SIGKILL')
    process.exit(130)
  })
}

/**
 * Starts a long-running process in its own process group, logging to e2e/out/<name>.log.
 * `stop()` sends SIGTERM to the group, then SIGKILL after `graceMs`.
 */
export function startProcess(name, cmd, args, { cwd = ROOT, env = childEnv() } = {}) {
  const logPath = join(OUT, `${name}.log`)
  const log = createWriteStream(logPath)
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let tail = ''
  const onData = (d) => {
    log.write(d)
    tail = (tail + d).slice(-8000)
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
  const proc = {
    name,
    child,
    logPath,
    exited,
    output: () => tail,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        running.delete(proc)
        return
      }
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
      killGroup(child, 'SIGKILL') // stray grandchildren of the group
      running.delete(proc)
      log.end()
    },
  }
  running.add(proc)
  child.on('error', (e) => onData(`spawn error: ${e.message}\n`))
  exited.then(() => log.end())
  return proc
}

/** Runs a command to completion within `timeoutMs`; rejects with the log's tail on failure. */
export async function run(name, cmd, args, { cwd = ROOT, env = childEnv(), timeoutMs = 300_000 } = {}) {
  const started = Date.now()
  const p = startProcess(name, cmd, args, { cwd, env })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    p.stop(2000)
  }, timeoutMs)
  const { code, signal } = await p.exited
  clearTimeout(timer)
  await p.stop()
  const secs = (Date.now() - started) / 1000
  if (timedOut || code !== 0) {
    throw new Error(
      `${name} (${cmd} ${args.join(' ')}) ${timedOut ? `timed out after ${timeoutMs / 1000} s` : `failed (code ${code}, signal ${signal})`}; ` +
        `log ${p.logPath}:\n${p.output().slice(-4000)}`,
    )
  }
  return { secs, output: p.output() }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers with a status < 500, the process dies, or `timeoutMs` passes. */
export async function waitForHttp(url, { proc, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${proc.name} exited before ${url} answered; log ${proc.logPath}:\n${proc.output().slice(-4000)}`)
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' })
      await res.arrayBuffer()
      if (res.status < 500) return res
      last = `HTTP ${res.status}`
    } catch (e) {
      last = e.cause?.code ?? e.message
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (last: ${last})${proc ? `; log ${proc.logPath}:\n${proc.output().slice(-4000)}` : ''}`)
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually(fn, { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      lastError = e
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`)
}

/**
 * `npm pack` of the repository (without lifecycle scripts: the native addon must already be
 * built) into a temporary folder; returns the tarball's path.
 */
export async function packLateNative() {
  const nodes = readdirSync(ROOT).filter((f) => /^late-native\..+\.node$/.test(f))
  if (nodes.length === 0) {
    throw new Error('the native addon is not built: run `npm install` (or `node scripts/build-native.js`) at the repository root first')
  }
  const dest = mkdtempSync(join(tmpdir(), 'late-native-pack-'))
  await run('npm-pack', 'npm', ['pack', '--ignore-scripts', '--pack-destination', dest], { timeoutMs: 180_000 })
  // The folder is new: the one tarball in it is the pack (npm's printed file list is long, and
  // only its tail is kept).
  const tarballs = readdirSync(dest).filter((f) => f.endsWith('.tgz'))
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${dest}`)
  return join(dest, tarballs[0])
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex')

/** sha256 of `package/<file>` inside the tarball. */
function tarMemberSha256(tarball, file) {
  const r = spawnSync('tar', ['-xzOf', tarball, `package/${file}`], { maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`tar could not read package/${file} from ${tarball}: ${r.stderr}`)
  return sha256(r.stdout)
}

/**
 * Installs an example's dependencies with late-native from `tarball` (copied in as
 * `late-native.tgz`, the example's `file:` dependency). The old copy is removed first: the
 * example's lockfile deliberately has no integrity for it, so npm takes the new tarball.
 * Then checks the installed copy is the tarball's code and binary.
 */
export async function installExample(exampleDir, tarball, name) {
  copyFileSync(tarball, join(exampleDir, TARBALL_NAME))
  rmSync(join(exampleDir, 'node_modules', 'late-native'), { recursive: true, force: true })
  const lockPath = join(exampleDir, 'package-lock.json')
  const lockBefore = readFileSync(lockPath, 'utf8')
  // A fresh clone gets exactly the committed lockfile (`npm ci`); a re-run keeps node_modules.
  const args = existsSync(join(exampleDir, 'node_modules')) ? ['install', '--no-audit', '--no-fund'] : ['ci', '--no-audit', '--no-fund']
  const result = await run(name, 'npm', args, { cwd: exampleDir, timeoutMs: 600_000 })
  if (readFileSync(lockPath, 'utf8') !== lockBefore) {
    console.warn(`warning: npm ${args[0]} changed ${lockPath}; it is out of date with package.json`)
  }
  const installed = join(exampleDir, 'node_modules', 'late-native')
  for (const f of ['index.js', 'lib/webhook.js', ...readdirSync(installed).filter((f) => f.endsWith('.node'))]) {
    if (sha256(readFileSync(join(installed, f))) !== tarMemberSha256(tarball, f)) {
      throw new Error(`${installed}/${f} differs from the packed ${f}: the install did not take the fresh tarball`)
    }
  }
  return result
}

/**
 * A stand-in for an OpenTelemetry collector on 127.0.0.1: answers every `POST …/v1/traces` of
 * OTLP/HTTP with JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) and records the spans.
 * `spans(prefix)` lists the spans posted under the path `prefix` (so several servers can share
 * one stub, each with its own `OTEL_EXPORTER_OTLP_ENDPOINT=<url><prefix>`), flattened to
 * `{ name, kind, traceId, spanId, parentSpanId, attributes: { key: value }, service }`.
 * Protobuf bodies are answered 415 and counted in `rejected`.
 */
export async function startOtlpCollector() {
  const posts = []
  let rejected = 0
  const server = createHttpServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      let body = Buffer.concat(chunks)
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body)
      if (req.method !== 'POST' || !req.url.endsWith('/v1/traces') || !String(req.headers['content-type']).startsWith('application/json')) {
        rejected++
        res.writeHead(415).end()
        return
      }
      try {
        posts.push({ path: req.url, body: JSON.parse(body.toString('utf8')) })
      } catch {
        rejected++
        res.writeHead(400).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const attrValue = (v) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue ?? v.doubleValue ?? v.arrayValue ?? v.kvlistValue)
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get rejected() {
      return rejected
    },
    spans(prefix = '') {
      const out = []
      for (const { path, body } of posts) {
        if (!path.startsWith(`${prefix}/`)) continue
        for (const rs of body.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              out.push({
                name: s.name,
                kind: s.kind,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, attrValue(a.value ?? {})])),
                scope: ss.scope?.name,
                service,
              })
            }
          }
        }
      }
      return out
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}
