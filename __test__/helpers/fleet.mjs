// Runs a fleet of worker processes (fleet-worker.mjs) on one simulator and sums what they saw.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url))

/** Spawns one worker; resolves to its JSON result (and what it logged: `stdout` before the result, `stderr`). */
export function spawnWorker(config, script = WORKER) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1)
      if (code !== 0 || !line) return reject(new Error(`fleet worker exited with ${code}: ${stderr}`))
      resolve({ ...JSON.parse(line), stdout: stdout.trim().split('\n').slice(0, -1).join('\n'), stderr })
    })
  })
}

/**
 * Runs `k` workers with `config` (each gets its own tag) starting together, and returns their
 * results plus the simulator's counts for the run.
 */
export async function runFleet(sim, k, config, script) {
  sim.setRateLimit({ limit: config.limit, windowMs: config.windowMs })
  const startAt = Date.now() + 1500 // time for every process to load
  const workers = await Promise.all(
    Array.from({ length: k }, (_, i) =>
      spawnWorker({ ...config, baseUrl: sim.baseUrl, apiKey: sim.apiKey, startAt, tag: `${config.tag} p${i}` }, script),
    ),
  )
  const server = sim.rateLimitStats()
  const sum = (f) => workers.reduce((n, w) => n + f(w), 0)
  const failed = {}
  for (const w of workers) for (const [name, n] of Object.entries(w.failed)) failed[name] = (failed[name] ?? 0) + n
  return {
    workers,
    server,
    requests: server.allowed + server.limited,
    share429: server.limited / Math.max(1, server.allowed + server.limited),
    // What the limit allowed over the run: `limit` per window.
    throughput: server.allowed / ((config.limit * config.durationMs) / config.windowMs),
    ok: sum((w) => w.ok),
    failed,
    aborted: sum((w) => w.aborted),
  }
}
