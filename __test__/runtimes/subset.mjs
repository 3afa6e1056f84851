// The public test subset that matters to users, in one plain ES module that Node, Bun and Deno
// all run the same way (no test framework: each runtime's own differs). __test__/runtimes.test.mjs
// runs it on Node 20 (the engines floor), 22 and 24, Bun and Deno:
//
//   node __test__/runtimes/subset.mjs   ·   bun __test__/runtimes/subset.mjs   ·   deno run -A __test__/runtimes/subset.mjs
//
// Prints one line per check and a last line `N passed, N failed`; exits 1 when any failed.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import {
  LateClient,
  LateAbortError,
  LateTimeoutError,
  WebhookVerificationError,
  parseConnectCallback,
  signWebhook,
  verifyWebhook,
} from '../../index.mjs'
import { startSimulator } from '../../testing.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.version}`
let passed = 0
let failed = 0

async function check(name, fn) {
  const started = Date.now()
  try {
    await fn()
    passed++
    console.log(`ok - ${name} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).replace(/\n/g, '\n  ')}`)
  }
}

/** An HTTP server on loopback recording the raw webhook deliveries it receives. */
async function webhookReceiver() {
  const deliveries = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/hook`, deliveries, close: () => new Promise((r) => server.close(r)) }
}

async function until(fn, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

console.log(`# late-native public subset on ${runtime} (${process.platform}-${process.arch})`)
const hooks = await webhookReceiver()
const sim = await startSimulator({ webhookUrl: hooks.url })
const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0 })

await check('connect flow against the simulator: URL, consent, redirect back, verified webhook', async () => {
  const { connectUrl, state } = await late.connectInstagram({ redirectUrl: 'http://127.0.0.1:3000/connected' })
  assert.ok(connectUrl.startsWith(`${sim.origin}/`), connectUrl)
  assert.equal(typeof state, 'string')
  const consent = await sim.grantConsent(connectUrl, { username: 'runtime_ig' })
  const back = parseConnectCallback(consent.redirectUrl)
  assert.equal(back.ok, true)
  assert.equal(back.platform, 'instagram')
  assert.equal(back.accountId, consent.accountId)
  assert.equal(back.username, 'runtime_ig')
  const delivery = await until(() => hooks.deliveries.find((d) => d.body.includes(consent.accountId)), 'the account.connected webhook')
  const event = verifyWebhook(delivery.body, delivery.headers, sim.webhookSecret)
  assert.equal(event.event, 'account.connected')
  assert.equal(event.account.accountId, consent.accountId)
})

await check('listAccounts: every page, the Instagram account found', async () => {
  const all = await late.listAccounts()
  assert.ok(all.some((a) => a.platform === 'instagram' && a.username === 'runtime_ig'), JSON.stringify(all))
  const instagram = await late.listAccounts({ platform: 'instagram' })
  assert.ok(instagram.length >= 1 && instagram.every((a) => a.platform === 'instagram'))
})

await check('abort: an AbortSignal rejects at once with AbortError, and an aborted signal sends nothing', async () => {
  sim.faults.inject({ route: 'GET /v1/accounts', delayMs: 5000 })
  const ac = new AbortController()
  const started = Date.now()
  setTimeout(() => ac.abort(new Error('user left')), 100)
  await assert.rejects(late.listAccounts({}, { signal: ac.signal }), (e) => e instanceof LateAbortError && e.name === 'AbortError')
  assert.ok(Date.now() - started < 4000, 'the abort did not wait for the response')
  sim.faults.clear()
  const before = sim.requests().length
  await assert.rejects(late.listAccounts({}, { signal: AbortSignal.abort() }), (e) => e.name === 'AbortError')
  assert.equal(sim.requests().length, before, 'an already-aborted call sent a request')
})

await check('timeout: timeoutMs really fires (LateTimeoutError)', async () => {
  sim.faults.inject({ route: 'GET /v1/profiles', delayMs: 5000 })
  const started = Date.now()
  const fresh = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0, timeoutMs: 300 })
  await assert.rejects(fresh.listAccounts(), (e) => e instanceof LateTimeoutError && e.timeoutMs === 300)
  assert.ok(Date.now() - started < 4000, 'the timeout did not fire before the response')
  sim.faults.clear()
})

await check('webhook verification: signed body accepted; tampered, wrong secret and missing header rejected', () => {
  const { body, headers } = signWebhook({ event: 'account.connected', id: 'evt_rt', account: { accountId: 'a1', platform: 'instagram' } }, 'whsec_runtime')
  assert.equal(verifyWebhook(body, headers, 'whsec_runtime').event, 'account.connected')
  assert.equal(verifyWebhook(body, headers, ['whsec_old', 'whsec_runtime']).id, 'evt_rt')
  const reason = (fn) => {
    try {
      fn()
    } catch (e) {
      assert.ok(e instanceof WebhookVerificationError, String(e))
      return e.reason
    }
    return 'accepted'
  }
  assert.equal(reason(() => verifyWebhook(body.replace('a1', 'a2'), headers, 'whsec_runtime')), 'invalid_signature')
  assert.equal(reason(() => verifyWebhook(body, headers, 'whsec_other')), 'invalid_signature')
  assert.equal(reason(() => verifyWebhook(body, {}, 'whsec_runtime')), 'missing_header')
})

await check('worker threads: two workers call the API at once with their own clients', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { LateClient } = require(workerData.root + '/index.js')
    new LateClient({ apiKey: workerData.key, baseUrl: workerData.baseUrl, maxRetries: 0 })
      .listAccounts({ platform: 'instagram' })
      .then((a) => parentPort.postMessage({ ok: true, n: a.length }), (e) => parentPort.postMessage({ ok: false, error: String(e) }))
  `
  const results = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { root: ROOT, key: sim.apiKey, baseUrl: sim.baseUrl } })
          w.once('message', (m) => {
            resolve(m)
            w.terminate()
          })
          w.once('error', reject)
        }),
    ),
  )
  for (const r of results) assert.ok(r.ok && r.n >= 1, JSON.stringify(r))
})

await sim.close()
await hooks.close()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
