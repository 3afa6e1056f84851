// Logging and per-attempt hooks: one line per attempt at `debug`, failed attempts at `info`,
// nothing at the default `warn`; `LATE_LOG`; `onAttempt` for metrics; never the key, the
// Authorization header or the query string.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LateClient, LateValidationError } from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function capture() {
  const lines = []
  const logger = {}
  for (const level of ['debug', 'info', 'warn', 'error']) logger[level] = (...args) => lines.push({ level, args })
  return { logger, lines }
}

function flaky() {
  return {
    'GET /v1/profiles': (r, { count }) =>
      count === 1 ? { status: 503, headers: { 'retry-after-ms': '50' }, body: { error: 'busy', code: 'overloaded' } } : { body: { profiles: [{ _id: 'p1' }] } },
  }
}

test('logLevel debug: one line per attempt with method, path, status, attempt, wait, request id, duration, protocol and bytes', async (t) => {
  const api = await startMockApi(flaky())
  t.after(() => api.close())
  const { logger, lines } = capture()
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, logger, logLevel: 'debug' })
  await late.request('GET /v1/profiles', { query: { secretQuery: 'q-value-123' } })
  await new Promise((r) => setTimeout(r, 50)) // records cross threads asynchronously
  assert.equal(lines.length, 2, JSON.stringify(lines))
  const [retry, ok] = lines
  assert.equal(retry.level, 'info')
  assert.match(retry.args[0], /^late-native: GET \/v1\/profiles → 503 overloaded in \d+ ms \(attempt 1, http\/1\.1, \d+ B, request req_1\); retrying in 50 ms$/)
  assert.equal(ok.level, 'debug')
  assert.match(ok.args[0], /^late-native: GET \/v1\/profiles → 200 in \d+ ms \(attempt 2, http\/1\.1, 27 B, request req_2\)$/)
  const record = ok.args[1]
  assert.equal(record.method, 'GET')
  assert.equal(record.path, '/v1/profiles')
  assert.equal(record.status, 200)
  assert.equal(record.attempt, 2)
  assert.equal(record.protocol, 'http/1.1')
  assert.equal(record.bytes, 27)
  assert.equal(record.requestId, 'req_2')
  assert.equal(typeof record.durationMs, 'number')
  assert.equal(retry.args[1].retryInMs, 50)
  const everything = JSON.stringify(lines)
  assert.ok(!everything.includes(KEY), 'never the API key')
  assert.ok(!/authorization|bearer/i.test(everything), 'never the Authorization header')
  assert.ok(!everything.includes('q-value-123'), 'never the query string')
})

test('logLevel info logs failed attempts only; the default (warn) logs no attempt', async (t) => {
  const api = await startMockApi(flaky())
  t.after(() => api.close())
  const info = capture()
  await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, logger: info.logger, logLevel: 'info' }).request('GET /v1/profiles')
  const quiet = capture()
  await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, logger: quiet.logger }).request('GET /v1/profiles')
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(info.lines.length, 1)
  assert.match(info.lines[0].args[0], /→ 503/)
  assert.equal(quiet.lines.length, 0)
})

test('onAttempt receives every attempt whatever the level; a hook that throws breaks nothing', async (t) => {
  const api = await startMockApi(flaky())
  t.after(() => api.close())
  const records = []
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, logLevel: 'off', onAttempt: (a) => records.push(a) })
  await late.request('GET /v1/profiles')
  await new Promise((r) => setTimeout(r, 50))
  assert.deepEqual(records.map((r) => [r.attempt, r.status, r.error ?? null]), [[1, 503, 'overloaded'], [2, 200, null]])

  const warnings = capture()
  let uncaught = 0
  const onUncaught = () => uncaught++
  process.on('uncaughtException', onUncaught)
  t.after(() => process.off('uncaughtException', onUncaught))
  const throwing = new LateClient({
    apiKey: KEY,
    baseUrl: api.baseUrl,
    logger: warnings.logger,
    onAttempt: () => {
      throw new Error('metrics down')
    },
  })
  assert.deepEqual(await throwing.request('GET /v1/profiles'), { profiles: [{ _id: 'p1' }] })
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(uncaught, 0)
  assert.ok(warnings.lines.some((l) => l.level === 'warn' && /onAttempt hook threw \(metrics down\)/.test(l.args[0])))
})

test('withOptions can change the level and hook of a clone', async (t) => {
  const api = await startMockApi({ 'GET /v1/profiles': { body: { profiles: [] } } })
  t.after(() => api.close())
  const { logger, lines } = capture()
  const base = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, logger })
  const hooked = []
  await base.withOptions({ logLevel: 'debug', onAttempt: (a) => hooked.push(a) }).request('GET /v1/profiles')
  await base.request('GET /v1/profiles')
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(lines.length, 1)
  // The clone's hook saw its own attempt only: the base client has none.
  assert.deepEqual(
    hooked.map((a) => `${a.method} ${a.path} ${a.status}`),
    ['GET /v1/profiles 200'],
  )
})

test('LATE_LOG=debug logs through console without the key', () => {
  const script = `
    import { startMockApi, KEY } from ${JSON.stringify(path.join(ROOT, '__test__/helpers/mock-api.mjs'))}
    import { LateClient } from ${JSON.stringify(path.join(ROOT, 'index.mjs'))}
    const api = await startMockApi({ 'GET /v1/profiles': { body: { profiles: [] } } })
    await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl }).request('GET /v1/profiles')
    await new Promise((r) => setTimeout(r, 50))
    await api.close()
  `
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, LATE_LOG: 'debug' }, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  const out = r.stdout + r.stderr
  assert.match(out, /late-native: GET \/v1\/profiles → 200 in \d+ ms \(attempt 1, http\/1\.1/)
  assert.ok(!out.includes(KEY))
  const bad = spawnSync(process.execPath, ['-e', `new (require(${JSON.stringify(ROOT)}).LateClient)({ apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:9' })`], {
    env: { ...process.env, LATE_LOG: 'loud' },
    encoding: 'utf8',
  })
  assert.match(bad.stderr, /LATE_LOG="loud" is not one of debug, info, warn, error, off; using warn/)
})

test('bad logger, logLevel and onAttempt are LateValidationErrors', () => {
  const cases = [
    [{ logLevel: 'verbose' }, 'logLevel'],
    [{ logger: 'console' }, 'logger'],
    [{ logger: { debug() {}, info() {}, warn() {} } }, 'logger'],
    [{ onAttempt: 'no' }, 'onAttempt'],
  ]
  for (const [opts, param] of cases) {
    assert.throws(() => new LateClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', ...opts }), (e) => e instanceof LateValidationError && e.param === param)
  }
})
