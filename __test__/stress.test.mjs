// The concurrency stress (issue 15): three identical rounds of 1,500 calls each, 150 in flight,
// against the simulator injecting random delays, 503s, dropped connections and malformed bodies,
// with random per-call timeouts, deadlines, retries and aborts; a fifth of the calls on a client
// made for them and dropped (collected with --expose-gc); worker threads calling the addon
// terminated mid-flight. Run in a child process (__test__/stress/run.mjs).
//
// Asserted: every promise settles within its own limits plus 2 s of slack (its timeouts and
// waits, its deadline, its abort — a bound, never a speed claim), every error is a LateError,
// no uncaught exception or unhandled rejection, the workers exit, no call acted twice on the
// simulator (its ledger of actions, with faults that lose answers after the route acted), RSS
// after the third round is within 24 MB of RSS after the second, and the leak probe — 3 × 20,000
// plain calls, RSS after each batch — grows by less than 16 MB over the last 40,000 calls: a
// leak of 1 KB per call adds 40 MB (seen: STRESS_LEAK_BYTES=1024 keeps 1 KB per call and fails it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { runNode } from './helpers/run-node.mjs'

const script = fileURLToPath(new URL('./stress/run.mjs', import.meta.url))
const RSS_GROWTH_LIMIT = 24 * 1024 * 1024
const LEAK_GROWTH_LIMIT = 16 * 1024 * 1024

test('stress: thousands of calls with random timeouts, aborts and faults all settle within their own limits; RSS stays bounded', { timeout: 240_000 }, async (t) => {
  const env = { ...process.env, STRESS_ROUNDS: '3' }
  for (const name of Object.keys(env)) if (/^(https?|all)_proxy$/i.test(name)) delete env[name]
  const r = await runNode(['--expose-gc', script], { env, timeoutMs: 200_000 })
  assert.equal(r.signal, null, `the stress process was killed or crashed: ${r.err.slice(-2000)}`)
  assert.equal(r.code, 0, r.err.slice(-2000))
  const line = r.out.split('\n').find((l) => l.startsWith('STRESS-RESULT '))
  assert.ok(line, `no result: ${r.err.slice(-2000)}`)
  const { rounds, leak, uncaught, unhandled } = JSON.parse(line.slice(14))
  for (const x of rounds) {
    t.diagnostic(
      `round ${x.round}: ${x.calls} calls in ${(x.ms / 1000).toFixed(1)} s, ${JSON.stringify(x.outcomes)}, RSS ${(x.rss / 1048576).toFixed(1)} MB`,
    )
  }
  assert.deepEqual(uncaught, [])
  assert.deepEqual(unhandled, [])
  const violations = rounds.flatMap((x) => x.violations.map((v) => `round ${x.round}: ${v}`))
  assert.deepEqual(violations, [], `${violations.length} call(s) outside their limits:\n${violations.slice(0, 30).join('\n')}`)
  const outcomes = rounds[0].outcomes
  for (const kind of ['ok', 'AbortError', 'LateTimeoutError']) assert.ok(outcomes[kind] > 0, `the stress produced no ${kind}: ${JSON.stringify(outcomes)}`)
  const growth = rounds[2].rss - rounds[1].rss
  assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${(growth / 1048576).toFixed(1)} MB between two identical rounds`)
  for (const x of rounds) {
    assert.deepEqual(x.duplicates, [], `round ${x.round}: calls that acted twice`)
    assert.ok(x.actions > 0, `round ${x.round}: the stress created nothing (${x.actions} actions)`)
  }
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`
  t.diagnostic(`leak probe: RSS ${leak.rss.map(mb).join(' → ')} over 3 × ${leak.calls} calls`)
  const leaked = leak.rss[2] - leak.rss[0]
  assert.ok(leaked < LEAK_GROWTH_LIMIT, `RSS grew by ${mb(leaked)} over ${2 * leak.calls} calls (${(leaked / (2 * leak.calls)).toFixed(0)} bytes a call)`)
})
