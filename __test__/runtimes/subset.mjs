// The public test subset that matters to users, in one plain ES module that Node, Bun and Deno
// all run the same way (no test framework: each runtime's own differs). __test__/runtimes.test.mjs
// runs it on Node 20 (the engines floor), 22 and 24, Bun and Deno; __test__/platforms.test.mjs on
// the cross-built binaries (Node for arm64 under qemu-user, Node for Windows under Wine); release.yml
// on each published binary (it needs the dev dependencies: `npm ci --ignore-scripts`):
//
//   node __test__/runtimes/subset.mjs   ·   bun __test__/runtimes/subset.mjs   ·   deno run -A __test__/runtimes/subset.mjs
//   NAPI_RS_NATIVE_LIBRARY_PATH=target/napi-cross/late-native.linux-arm64-gnu.node node __test__/runtimes/subset.mjs
//
// Everything it talks to is on 127.0.0.1: the simulator, a webhook receiver, an HTTPS server (HTTP/2
// with HTTP/1.1 fallback, its certificate from a CA made for the run) and a compressing HTTP server.
//
// Prints one line per check and a last line `N passed, N failed`; exits 1 when any failed.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import http2 from 'node:http2'
import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import {
  LateClient,
  LateAbortError,
  LateConnectionError,
  LateTimeoutError,
  WebhookVerificationError,
  parseConnectCallback,
  signWebhook,
  verifyWebhook,
} from '../../index.mjs'
import { startSimulator } from '../../testing.mjs'
import { makeCa, makeCrl, makeLeaf, encode } from '../helpers/tls.mjs'

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

/**
 * The CA's (empty) revocation list over HTTP on loopback, named by the leaf certificate: the
 * Windows certificate verifier checks the server certificate's revocation.
 */
async function crlServer(der) {
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(der))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/ca.crl`, close: () => new Promise((r) => server.close(r)) }
}

/** An HTTPS server on loopback, HTTP/2 with HTTP/1.1 fallback, recording ALPN and HTTP versions. */
async function httpsServer(leaf) {
  const seen = { connections: [], requests: [] }
  const server = http2.createSecureServer({ key: leaf.key, cert: leaf.cert, allowHTTP1: true }, (req, res) => {
    seen.requests.push({ path: req.url, httpVersion: req.httpVersion })
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ profiles: [{ _id: 'p_tls', name: 'tls', isDefault: true }] }))
    })
  })
  server.on('secureConnection', (socket) => seen.connections.push({ alpn: socket.alpnProtocol }))
  const open = new Set()
  server.on('session', (session) => {
    open.add(session)
    session.on('close', () => open.delete(session))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    // By name: Wine's crypt32 matches DNS names only, not IP addresses (tls.test.mjs covers those).
    baseUrl: `https://localhost:${server.address().port}/api`,
    seen,
    close: () => {
      for (const s of open) s.destroy()
      return new Promise((r) => server.close(r))
    },
  }
}

/** An HTTP server on loopback answering GET /api/v1/accounts?enc=<encoding> with that Content-Encoding. */
async function compressingServer(body) {
  const seen = []
  const server = createServer((req, res) => {
    const enc = new URL(req.url, 'http://x').searchParams.get('enc')
    seen.push({ enc, acceptEncoding: req.headers['accept-encoding'] })
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc })
    res.end(encode(enc, body))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { baseUrl: `http://127.0.0.1:${server.address().port}/api`, seen, close: () => new Promise((r) => server.close(r)) }
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

const ca = await makeCa('late-native subset CA')
const crl = await crlServer(await makeCrl(ca))
const tls = await httpsServer(await makeLeaf(ca, { crlUrl: crl.url }))

await check('TLS: a CA made for this run is trusted through `ca`; without it the call fails as tls, unretried', async () => {
  const trusted = new LateClient({ apiKey: sim.apiKey, baseUrl: tls.baseUrl, ca: ca.pem, maxRetries: 0 })
  const data = await trusted.request('GET /v1/profiles')
  assert.equal(data.profiles[0]._id, 'p_tls')
  const before = tls.seen.requests.length
  const err = await new LateClient({ apiKey: sim.apiKey, baseUrl: tls.baseUrl, maxRetries: 2 }).request('GET /v1/profiles').catch((e) => e)
  assert.ok(err instanceof LateConnectionError, String(err))
  assert.equal(err.reason, 'tls', err.message)
  assert.match(err.message, /unknown issuer/)
  assert.equal(err.attempts, 1)
  assert.equal(tls.seen.requests.length, before, 'an untrusted server got a request')
})

await check('HTTP/2: ALPN h2, one call, then ten at once, all on one connection', async () => {
  const late2 = new LateClient({ apiKey: sim.apiKey, baseUrl: tls.baseUrl, ca: ca.pem, maxRetries: 0 })
  const connections = tls.seen.connections.length
  const requests = tls.seen.requests.length
  await late2.request('GET /v1/profiles') // opens the connection
  const all = await Promise.all(Array.from({ length: 10 }, () => late2.request('GET /v1/profiles')))
  assert.equal(all.length, 10)
  const opened = tls.seen.connections.slice(connections)
  assert.equal(opened.length, 1, `${opened.length} connections for 11 calls`)
  assert.equal(opened[0].alpn, 'h2')
  const mine = tls.seen.requests.slice(requests)
  assert.equal(mine.length, 11)
  assert.ok(mine.every((r) => r.httpVersion === '2.0'), JSON.stringify(mine))
})

await check('compression: br, gzip, zstd and deflate bodies decoded; every request offered all four', async () => {
  const accounts = Array.from({ length: 500 }, (_, i) => ({ _id: `acc_${i}`, platform: 'instagram', username: `user_${i}_ünïcödé`, profileId: 'p1' }))
  const zipped = await compressingServer(JSON.stringify({ accounts }))
  try {
    const client = new LateClient({ apiKey: sim.apiKey, baseUrl: zipped.baseUrl, maxRetries: 0 })
    for (const enc of ['br', 'gzip', 'zstd', 'deflate']) {
      const data = await client.request('GET /v1/accounts', { query: { enc } })
      assert.deepEqual(data.accounts, accounts, enc)
    }
    assert.equal(zipped.seen.length, 4)
    for (const s of zipped.seen) assert.deepEqual(s.acceptEncoding.split(',').map((e) => e.trim()).sort(), ['br', 'deflate', 'gzip', 'zstd'], s.enc)
  } finally {
    await zipped.close()
  }
})

await tls.close()
await crl.close()
await sim.close()
await hooks.close()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
