// One process of a fleet on one API key: from `startAt` for `durationMs`, `concurrency` loops
// create posts and list accounts as fast as they can, then the calls still queued are aborted
// and the process prints one JSON line: counts, the posts it created, waits and its pacing.
// Run: node fleet-worker.mjs '<json config>'. Used by the fleet tests and bench/fleet.mjs.
import { pathToFileURL } from 'node:url'
import { LateClient } from '../../index.mjs'

export async function runFleetWorker(config, call = (late, fn) => fn()) {
  const { baseUrl, apiKey, rateLimit, concurrency = 8, startAt = Date.now(), durationMs, accountId, tag, maxRetries } = config
  // logLevel info: the rate limiter's notices (Redis lost: warn; Redis back: info) reach the logger.
  const late = new LateClient({ apiKey, baseUrl, rateLimit, maxRetries, timeoutMs: 10_000, logLevel: 'info' })
  const stop = new AbortController()
  const out = { calls: 0, ok: 0, aborted: 0, failed: {}, created: [], attempted: [], queuedMs: [], latencyMs: [] }
  let seq = 0
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())))
  const endAt = startAt + durationMs
  const timer = setTimeout(() => stop.abort(), Math.max(0, endAt - Date.now()))
  async function loop(worker) {
    for (let i = 0; Date.now() < endAt; i++) {
      const post = i % 2 === 0
      const content = `${tag} w${worker} #${seq++}`
      const started = performance.now()
      out.calls++
      if (post) out.attempted.push(content)
      try {
        const res = await call(late, () =>
          post
            ? late.requestWithResponse('POST /v1/posts', { body: { content, platforms: [{ platform: 'twitter', accountId }] } }, { signal: stop.signal })
            : late.requestWithResponse('GET /v1/accounts', undefined, { signal: stop.signal }),
        )
        out.ok++
        out.latencyMs.push(performance.now() - started)
        if (res.queuedMs !== undefined) out.queuedMs.push(res.queuedMs)
        if (post) out.created.push(content)
      } catch (e) {
        if (e && e.name === 'AbortError') {
          out.aborted++
          continue
        }
        const name = e && e.constructor ? e.constructor.name : String(e)
        out.failed[name] = (out.failed[name] ?? 0) + 1
        if (!out.firstError) out.firstError = String(e && e.message)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)))
  clearTimeout(timer)
  out.pacing = late.pacing
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runFleetWorker(JSON.parse(process.argv[2]))
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
