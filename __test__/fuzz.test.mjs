// The fuzz suite: every exported function, class and method of `late-native`,
// `late-native/testing` and `late-native/zernio` — found by walking the exports, prototypes,
// resource groups and namespaces, so a method added later is covered without editing this file —
// is called at every argument position with adversarial values (__test__/fuzz/values.mjs).
// Seeded (FUZZ_SEED, default 15) and bounded: each argument position gets FUZZ_BUDGET / positions
// values (FUZZ_BUDGET default 40,000), but never fewer than 24 of the ~250; every planned call runs.
//
// Each batch runs in its own process, watched for a crash, a blocked event loop or a call that
// does not settle within 10 s, an uncaught exception and an unhandled rejection: all must be 0.
// Every error must be the package's own (a LateError; for late-native/testing the documented
// TypeError with `param`), never a raw TypeError/RangeError/URIError or napi conversion error,
// with a message under 2 KB that never contains the API key. Every call reaches only the
// loopback simulator started here (and the one each batch starts for the testing API).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '../testing.mjs'
import { VALUES } from './fuzz/values.mjs'

const child = fileURLToPath(new URL('./fuzz/child.mjs', import.meta.url))
const API_KEY = 'sk_test_fuzz_key_0001'
const BATCHES = 4
const PARALLEL = 2
const SEED = process.env.FUZZ_SEED ?? '15'
const BUDGET = process.env.FUZZ_BUDGET ?? '40000'
/** A batch that prints nothing for this long has a blocked event loop (or is lost): killed. */
const SILENCE_MS = 20_000
const BATCH_MS = 120_000

function runBatch(index, baseUrl) {
  return new Promise((resolve) => {
    const env = { ...process.env, FUZZ_SEED: SEED, FUZZ_BUDGET: BUDGET, FUZZ_API_KEY: API_KEY, LATE_API_KEY: API_KEY, LATE_BASE_URL: baseUrl }
    // Only the loopback simulator: no key or URL from the environment, no proxy in between.
    for (const name of ['ZERNIO_API_KEY', 'ZERNIO_BASE_URL', 'FUZZ_ONLY', 'FUZZ_SKIP', 'LATE_LOG']) delete env[name]
    for (const name of Object.keys(env)) if (/^(https?|all)_proxy$/i.test(name)) delete env[name]
    const proc = spawn(process.execPath, [child, String(index), String(BATCHES)], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let killedFor
    const kill = (why) => {
      killedFor ??= why
      proc.kill('SIGKILL')
    }
    let silence = setTimeout(() => kill(`silent for ${SILENCE_MS} ms`), SILENCE_MS)
    const total = setTimeout(() => kill(`still running after ${BATCH_MS} ms`), BATCH_MS)
    const heard = () => {
      clearTimeout(silence)
      silence = setTimeout(() => kill(`silent for ${SILENCE_MS} ms`), SILENCE_MS)
    }
    proc.stdout.on('data', (d) => {
      out += d
      heard()
    })
    proc.stderr.on('data', (d) => {
      err += d
      heard()
    })
    proc.on('exit', (code, signal) => {
      clearTimeout(silence)
      clearTimeout(total)
      const line = out.split('\n').find((l) => l.startsWith('FUZZ-RESULT '))
      const blocked = err.split('\n').filter((l) => l.startsWith('FUZZ-BLOCKED ')).map((l) => l.slice(13))
      resolve({ index, code, signal, killedFor, blocked, stderr: err.slice(-4000), result: line ? JSON.parse(line.slice(12)) : undefined })
    })
  })
}

test('fuzz: every public function and method with adversarial arguments — no crash, hang, uncaught throw or raw error', { timeout: 300_000 }, async (t) => {
  for (const [label, make] of VALUES) {
    const value = make()
    if (typeof value === 'string' && value.includes('://') && !value.startsWith('javascript:') && !value.startsWith('file:')) {
      assert.match(new URL(value).hostname, /^(127\.0\.0\.1|localhost)$/, `fuzz value ${label} must be a loopback URL`)
    }
  }
  const sim = await startSimulator({ apiKey: API_KEY, rateLimitPerMinute: 0, webhookAttempts: 1, webhookTimeoutMs: 1000 })
  t.after(() => sim.close())

  const started = Date.now()
  const results = []
  let next = 0
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < BATCHES) results.push(await runBatch(next++, sim.baseUrl))
    }),
  )
  const ms = Date.now() - started

  const problems = []
  const calls = results.reduce((n, r) => n + (r.result ? r.result.stats.calls : 0), 0)
  const planned = results.reduce((n, r) => n + (r.result ? r.result.planned : 0), 0)
  const covered = new Set(results.flatMap((r) => (r.result ? r.result.targetIds : [])))
  for (const r of results.sort((a, b) => a.index - b.index)) {
    const where = `batch ${r.index}`
    if (r.killedFor) problems.push(`${where}: killed, ${r.killedFor}${r.blocked.length ? `; blocked in: ${r.blocked.join('; ')}` : ''}`)
    else if (r.signal || r.code !== 0) problems.push(`${where}: crashed (code ${r.code}, signal ${r.signal}): ${r.stderr}`)
    if (!r.result) {
      if (!r.killedFor) problems.push(`${where}: no result: ${r.stderr}`)
      continue
    }
    const x = r.result
    for (const h of x.hangs) problems.push(`${where}: did not settle within 10 s: ${h}`)
    for (const u of x.uncaught) problems.push(`${where}: uncaught exception: ${u}`)
    for (const u of x.unhandled) problems.push(`${where}: unhandled rejection: ${u}`)
    for (const e of x.raw) problems.push(`${where}: ${e.why}: ${e.call} ${e.how}: ${e.error}`)
    for (const name of x.missingInstances) problems.push(`${where}: exported class ${name} has methods but no instance to fuzz them on`)
  }
  const first = results.find((r) => r.result)
  if (first) assert.equal(covered.size, first.result.allTargets, 'every target ran in some batch')
  t.diagnostic(
    `seed ${SEED}: ${calls} calls of ${covered.size} functions and methods, ${VALUES.length} distinct values ` +
      `(${first ? first.result.perPair : '?'} per argument position), ${BATCHES} processes, ${(ms / 1000).toFixed(1)} s`,
  )
  assert.deepEqual(problems, [], `${problems.length} problem(s):\n${problems.slice(0, 60).join('\n')}`)
  assert.equal(results.filter((r) => r.result).length, BATCHES, 'every batch reported')
  assert.equal(calls, planned, 'every planned call was made')
  // The plan itself: each function and method at every argument position with at least 24 values.
  assert.ok(first && first.result.perPair >= 24, `${first && first.result.perPair} values per argument position`)
  assert.ok(covered.size > 2400, `${covered.size} functions and methods (both clients' every operation by name)`)
  assert.ok([...covered].some((id) => id.startsWith('zernioClient.posts.')), 'late-native/zernio is walked')
})
