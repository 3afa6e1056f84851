// HTTP/2 by ALPN on https, HTTP/1.1 fallback, concurrent calls multiplexed on one connection
// (also on a cold client), `http2: false`, and `warmup()` opening the connection the first call
// then uses.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, LateConnectionError } from '../index.mjs'
import { makeCa, makeLeaf } from './helpers/tls.mjs'
import { startHttpsApi } from './helpers/https-server.mjs'

const KEY = 'sk_test_h2_0123456789'
let ca, leaf
before(async () => {
  ca = await makeCa()
  leaf = await makeLeaf(ca)
})

test('https negotiates HTTP/2; 20 concurrent calls on a cold client multiplex over at most 2 connections, and later bursts open none', async (t) => {
  const srv = await startHttpsApi(leaf, { handler: () => ({ body: { ok: true }, delayMs: 20 }) })
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem })
  const results = await Promise.all(Array.from({ length: 20 }, () => late.request('GET /v1/accounts')))
  assert.equal(results.length, 20)
  assert.ok(results.every((r) => r.ok === true))
  assert.ok(srv.seen.connections.length <= 2, `${srv.seen.connections.length} connections`)
  assert.equal(srv.seen.connections[0].alpn, 'h2')
  assert.ok(srv.seen.requests.every((r) => r.httpVersion === '2.0'))
  // And later bursts stay on it.
  const opened = srv.seen.connections.length
  await Promise.all(Array.from({ length: 20 }, () => late.request('GET /v1/accounts')))
  assert.equal(srv.seen.connections.length, opened, 'a second burst opened a connection')
})

test('the client announces 8 MiB stream and 16 MiB connection windows and 64 KiB frames (not the 64 KB defaults); a large body arrives whole', async (t) => {
  const accounts = Array.from({ length: 20_000 }, (_, i) => ({ _id: `a${i}`, username: `user_${i}`, platform: 'instagram' }))
  const srv = await startHttpsApi(leaf, { handler: (r) => ({ body: r.path.endsWith('/v1/accounts') ? { accounts } : { ok: true } }) })
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem })
  // What the client sent, read from the server's side of the session: its SETTINGS frame and,
  // after its connection-level WINDOW_UPDATE, how much the server may send before the next one.
  await late.request('GET /v1/auth/verify')
  const [session] = srv.seen.sessions
  assert.ok(session, 'an HTTP/2 session')
  assert.equal(session.remoteSettings.initialWindowSize, 8 * 1024 * 1024, 'SETTINGS_INITIAL_WINDOW_SIZE')
  assert.equal(session.remoteSettings.maxFrameSize, 64 * 1024, 'SETTINGS_MAX_FRAME_SIZE')
  const connectionWindow = session.state.remoteWindowSize
  // 16 MiB less the few bytes of the one small answer sent so far (the default would be 65,535).
  assert.ok(connectionWindow > 16 * 1024 * 1024 - 1024 && connectionWindow <= 16 * 1024 * 1024, `connection window ${connectionWindow}`)
  const list = await late.listAccounts({ profileId: 'p1' })
  assert.equal(list.length, 20_000)
  assert.equal(list[19_999]._id, 'a19999')
  assert.equal(srv.seen.requests[1].httpVersion, '2.0')
  assert.equal(srv.seen.sessions.length, 1)
})

test('`http2: false` keeps HTTP/1.1 (ALPN offers only http/1.1)', async (t) => {
  const srv = await startHttpsApi(leaf)
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem, http2: false })
  await late.request('GET /v1/profiles')
  assert.equal(srv.seen.connections[0].alpn, 'http/1.1')
  assert.equal(srv.seen.requests[0].httpVersion, '1.1')
})

test('a server without HTTP/2 gets HTTP/1.1, concurrent calls included', async (t) => {
  const srv = await startHttpsApi(leaf, { h2: false, handler: () => ({ body: { ok: 1 }, delayMs: 10 }) })
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem })
  const out = await Promise.all(Array.from({ length: 8 }, () => late.request('GET /v1/profiles')))
  assert.equal(out.length, 8)
  assert.ok(srv.seen.requests.every((r) => r.httpVersion === '1.1'))
  assert.ok(srv.seen.connections.every((c) => c.alpn === 'http/1.1' || c.alpn === false))
})

test('warmup() opens and handshakes the connection that the first calls then use', async (t) => {
  const srv = await startHttpsApi(leaf)
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem })
  const w = await late.warmup()
  assert.equal(w.protocol, 'h2')
  assert.equal(w.connected, true)
  assert.ok(w.durationMs > 0)
  assert.equal(srv.seen.connections.length, 1)
  const head = srv.seen.requests[0]
  assert.equal(head.method, 'HEAD')
  assert.equal(head.headers.authorization, undefined, 'warm-up sends no credentials')
  await Promise.all(Array.from({ length: 10 }, () => late.request('GET /v1/profiles')))
  assert.equal(srv.seen.connections.length, 1, 'the calls reused the warmed connection')
  const again = await late.warmup()
  assert.equal(again.connected, false, 'nothing new to open')
})

test('warmup() rejects with the connection error when the API cannot be reached', async (t) => {
  const srv = await startHttpsApi(leaf)
  t.after(() => srv.close())
  const err = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl }).warmup().catch((e) => e)
  assert.ok(err instanceof LateConnectionError)
  assert.equal(err.reason, 'tls')
  const controller = new AbortController()
  controller.abort()
  const aborted = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: ca.pem }).warmup({ signal: controller.signal }).catch((e) => e)
  assert.equal(aborted.name, 'AbortError')
})

/**
 * A raw HTTP/2 server for the replay tests: `cut(stream, headers, n)` may refuse or cut the n-th
 * POST stream (return true); every other stream is answered, and each answered POST counts as an
 * action.
 */
async function rawH2(t, cut) {
  const http2 = await import('node:http2')
  const server = http2.createSecureServer({ key: leaf.key, cert: leaf.cert })
  const state = { seen: [], actions: 0, sessions: 0, constants: http2.constants }
  let posts = 0
  const sessions = new Set()
  server.on('session', (session) => {
    state.sessions++
    sessions.add(session)
  })
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {})
    const post = headers[':method'] === 'POST'
    state.seen.push(`${headers[':method']} ${stream.id}`)
    if (post && cut(stream, ++posts)) return
    stream.on('data', () => {})
    stream.on('end', () => {
      if (post) state.actions++
      stream.respond({ ':status': 200, 'content-type': 'application/json' })
      stream.end('{"message":"Post published successfully"}')
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  // A session told to go away stays open until its peer leaves: destroy them, or close() waits.
  t.after(() => {
    for (const session of sessions) session.destroy()
    return new Promise((r) => server.close(r))
  })
  const late = new LateClient({ apiKey: KEY, baseUrl: `https://127.0.0.1:${server.address().port}/api`, ca: ca.pem, maxRetries: 0 })
  return { late, state }
}

// retryPost does not accept Idempotency-Key: only a failure that proves nothing was done may resend it.
test('HTTP/2 REFUSED_STREAM proves nothing was done: an unkeyed POST is sent again, and acts once', async (t) => {
  const { late, state } = await rawH2(t, (stream, n) => n === 1 && (stream.close(state.constants.NGHTTP2_REFUSED_STREAM), true))
  const data = await late.request('POST /v1/posts/p1/retry')
  assert.equal(data.message, 'Post published successfully')
  assert.deepEqual(state.seen, ['POST 1', 'POST 3'])
  assert.equal(state.actions, 1)
})

test('an HTTP/2 GOAWAY below the stream proves nothing was done: the unkeyed POST goes again on a new connection, and acts once', async (t) => {
  // Node sends the last processed stream id for 0, so the first stream of the session is let
  // through (a GET) and the POST after it is cut: GOAWAY with last stream id 1, below its 3.
  const { late, state } = await rawH2(t, (stream, n) => n === 1 && (stream.session.goaway(state.constants.NGHTTP2_NO_ERROR, stream.id - 2), true))
  await late.request('GET /v1/auth/verify')
  const data = await late.request('POST /v1/posts/p1/retry')
  assert.equal(data.message, 'Post published successfully')
  assert.deepEqual(state.seen, ['GET 1', 'POST 3', 'POST 1'])
  assert.equal(state.sessions, 2, 'sent again on a new connection')
  assert.equal(state.actions, 1)
})
