// TLS trust and sessions against loopback HTTPS servers with a CA generated for the run:
// trust = the platform store + NODE_EXTRA_CA_CERTS + the `ca` option; a certificate failure is a
// LateConnectionError (`reason: 'tls'`) that names the problem and the fix; sessions resume.
//
// "The platform store" is simulated with SSL_CERT_FILE (which rustls-native-certs reads instead of
// /etc/ssl/certs) in a child process, so the tests can prove that the extra roots are added to it
// rather than replacing it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, LateConnectionError, LateValidationError } from '../index.mjs'
import { makeCa, makeLeaf, tempFile } from './helpers/tls.mjs'
import { startHttpsApi, runClient } from './helpers/https-server.mjs'

const KEY = 'sk_test_tls_0123456789'
let caA, caB, byA, byB, expired, wrongHost
const servers = []

before(async () => {
  caA = await makeCa('late-native test CA A')
  caB = await makeCa('late-native test CA B')
  byA = await startHttpsApi(await makeLeaf(caA))
  byB = await startHttpsApi(await makeLeaf(caB))
  expired = await startHttpsApi(await makeLeaf(caB, { expired: true }))
  wrongHost = await startHttpsApi(await makeLeaf(caB, { names: ['api.example.test'] }))
  servers.push(byA, byB, expired, wrongHost)
})
after(async () => {
  for (const s of servers) await s.close()
})

test('the `ca` option is trusted (PEM string, Buffer, or a list)', async () => {
  for (const ca of [caB.pem, Buffer.from(caB.pem), [caA.pem, caB.pem]]) {
    const late = new LateClient({ apiKey: KEY, baseUrl: byB.baseUrl, ca })
    assert.deepEqual(await late.request('GET /v1/profiles'), { profiles: [] })
  }
})

test('without the CA, the failure is a non-retried LateConnectionError naming the unknown issuer and the fix', async () => {
  const before = byB.seen.connections.length
  const err = await new LateClient({ apiKey: KEY, baseUrl: byB.baseUrl }).request('GET /v1/profiles').catch((e) => e)
  assert.ok(err instanceof LateConnectionError, String(err))
  assert.equal(err.reason, 'tls')
  assert.match(err.message, /unknown issuer/)
  assert.match(err.message, /NODE_EXTRA_CA_CERTS/)
  assert.match(err.message, /`ca`/)
  assert.equal(err.attempts, 1, 'a certificate failure is not retried')
  assert.ok(byB.seen.connections.length === before, 'the server never completed a handshake')
  assert.ok(!err.message.includes(KEY))
})

test('an expired certificate and a wrong host name are named as such', async () => {
  const e1 = await new LateClient({ apiKey: KEY, baseUrl: expired.baseUrl, ca: caB.pem }).request('GET /v1/profiles').catch((e) => e)
  assert.equal(e1.reason, 'tls')
  assert.match(e1.message, /expired/)
  const e2 = await new LateClient({ apiKey: KEY, baseUrl: wrongHost.baseUrl, ca: caB.pem }).request('GET /v1/profiles').catch((e) => e)
  assert.equal(e2.reason, 'tls')
  assert.match(e2.message, /not valid for `127\.0\.0\.1` \(wrong host; it names .*api\.example\.test/)
})

test('a `ca` that is not a PEM certificate is a LateValidationError naming it', () => {
  for (const [ca, param] of [['hello', 'ca'], [42, 'ca'], [[caA.pem, 'nope'], 'ca[1]']]) {
    assert.throws(() => new LateClient({ apiKey: KEY, baseUrl: byA.baseUrl, ca }), (e) => e instanceof LateValidationError && e.param === param)
  }
})

test('NODE_EXTRA_CA_CERTS is trusted, and the platform store stays trusted beside it', async () => {
  const env = { SSL_CERT_FILE: tempFile('platform.pem', caA.pem), NODE_EXTRA_CA_CERTS: tempFile('extra.pem', caB.pem) }
  const a = await runClient({ env, options: { apiKey: KEY, baseUrl: byA.baseUrl } })
  assert.equal(a.ok, true, a.message)
  const b = await runClient({ env, options: { apiKey: KEY, baseUrl: byB.baseUrl } })
  assert.equal(b.ok, true, b.message)
  // Without the variable, B is unknown: the variable is what made it trusted.
  const without = await runClient({ env: { SSL_CERT_FILE: env.SSL_CERT_FILE, NODE_EXTRA_CA_CERTS: '' }, options: { apiKey: KEY, baseUrl: byB.baseUrl } })
  assert.equal(without.ok, false)
  assert.equal(without.reason, 'tls')
})

test('the `ca` option adds to the platform store instead of replacing it', async () => {
  const env = { SSL_CERT_FILE: tempFile('platform.pem', caA.pem), NODE_EXTRA_CA_CERTS: '' }
  for (const s of [byA, byB]) {
    const r = await runClient({ env, options: { apiKey: KEY, baseUrl: s.baseUrl, ca: caB.pem } })
    assert.equal(r.ok, true, r.message)
  }
})

test('an unreadable NODE_EXTRA_CA_CERTS is ignored with one warning, as Node does', async () => {
  const r = await runClient({
    env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem', SSL_CERT_FILE: tempFile('platform.pem', caA.pem) },
    options: { apiKey: KEY, baseUrl: byA.baseUrl },
  })
  assert.equal(r.ok, true, r.message)
  assert.match(r.stderr, /late-native: ignoring extra certs from NODE_EXTRA_CA_CERTS \(\/nonexistent\/ca\.pem\)/)
  // The client's logLevel governs that warning too: silent at `error` and `off`.
  for (const logLevel of ['error', 'off']) {
    const quiet = await runClient({
      env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem', SSL_CERT_FILE: tempFile('platform.pem', caA.pem) },
      options: { apiKey: KEY, baseUrl: byA.baseUrl, logLevel },
    })
    assert.equal(quiet.ok, true, quiet.message)
    assert.doesNotMatch(quiet.stderr, /NODE_EXTRA_CA_CERTS/, logLevel)
  }
})

// rustls uses each TLS 1.3 ticket once (RFC 8446 §C.4); Node's server issues 2 tickets per full
// handshake and none on a resumed one, so the best possible here is 2 resumptions per full
// handshake (F R R F R R …). A client that dropped or ignored tickets would resume none.
test('new connections resume the TLS session with every ticket the server issued', async (t) => {
  const srv = await startHttpsApi(await makeLeaf(caB), { h2: false, close: true })
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, ca: caB.pem })
  for (let i = 0; i < 12; i++) await late.request('GET /v1/profiles')
  const conns = srv.seen.connections
  assert.equal(conns.length, 12, 'the server closes every connection')
  const resumed = conns.filter((c) => c.reused).length
  assert.equal(resumed, 8, `resumed ${resumed} of ${conns.length}: ${conns.map((c) => (c.reused ? 'R' : 'F')).join(' ')}`)
})
