// Proxies: HTTPS_PROXY / NO_PROXY from the environment, the `proxy` option (with credentials,
// or `false`), against a loopback CONNECT proxy that records everything it relays: the API key
// only ever travels inside the TLS tunnel.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { LateClient, LateValidationError } from '../index.mjs'
import { makeCa, makeLeaf } from './helpers/tls.mjs'
import { startHttpsApi, runClient } from './helpers/https-server.mjs'

const KEY = 'sk_test_proxy_0123456789abcdef'
let ca, api, proxy

/** A CONNECT proxy; `auth`: the Proxy-Authorization it requires, if any. */
async function startProxy({ auth } = {}) {
  const seen = { connects: [], bytes: [] }
  const server = http.createServer((req, res) => {
    seen.connects.push({ method: req.method, url: req.url })
    res.writeHead(502).end()
  })
  server.on('connect', (req, client, head) => {
    seen.connects.push({ method: 'CONNECT', url: req.url, auth: req.headers['proxy-authorization'] })
    if (auth && req.headers['proxy-authorization'] !== auth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n')
      return
    }
    const [host, port] = req.url.split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      client.on('data', (c) => seen.bytes.push(Buffer.from(c)))
      upstream.on('data', (c) => seen.bytes.push(Buffer.from(c)))
      client.pipe(upstream)
      upstream.pipe(client)
    })
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    upstream.on('error', end)
    client.on('error', end)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    port: server.address().port,
    seen,
    relayed: () => Buffer.concat(seen.bytes),
    close: () => new Promise((r) => server.close(r)),
  }
}

before(async () => {
  ca = await makeCa()
  api = await startHttpsApi(await makeLeaf(ca))
  proxy = await startProxy({ auth: `Basic ${Buffer.from('user:s3cret-pw').toString('base64')}` })
})
after(async () => {
  await api.close()
  await proxy.close()
})

test('the `proxy` option tunnels with CONNECT and credentials; the key never crosses in the clear', async () => {
  const before = proxy.seen.connects.length
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem, proxy: `http://user:s3cret-pw@127.0.0.1:${proxy.port}` })
  assert.deepEqual(await late.request('GET /v1/profiles'), { profiles: [] })
  const connect = proxy.seen.connects.slice(before)
  assert.equal(connect.length, 1)
  assert.equal(connect[0].method, 'CONNECT')
  assert.equal(connect[0].url, `127.0.0.1:${api.port}`)
  const relayed = proxy.relayed().toString('latin1')
  assert.ok(relayed.length > 500, 'the TLS session went through the proxy')
  assert.ok(!relayed.includes(KEY), 'the API key is never visible to the proxy')
  assert.ok(!/authorization|\/v1\/profiles/i.test(relayed), 'nor any header or path')
  assert.equal(api.seen.requests.at(-1).headers.authorization, `Bearer ${KEY}`, 'the server got it inside the tunnel')
})

test('a proxy refusing the credentials fails without echoing them', async () => {
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem, proxy: `http://user:wrong-pw@127.0.0.1:${proxy.port}`, maxRetries: 0 })
  const err = await late.request('GET /v1/profiles').catch((e) => e)
  assert.equal(err.name, 'LateConnectionError')
  assert.ok(!err.message.includes('wrong-pw') && !err.message.includes(KEY), err.message)
})

test('HTTPS_PROXY from the environment is used, and NO_PROXY is honoured', async () => {
  const open = await startProxy()
  try {
    const env = { HTTPS_PROXY: open.url, https_proxy: open.url, NO_PROXY: '', no_proxy: '' }
    const via = await runClient({ env, options: { apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem } })
    assert.equal(via.ok, true, via.message)
    assert.equal(open.seen.connects.length, 1)
    const bypass = await runClient({ env: { ...env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' }, options: { apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem } })
    assert.equal(bypass.ok, true, bypass.message)
    assert.equal(open.seen.connects.length, 1, 'NO_PROXY: the proxy saw nothing more')
    const off = await runClient({ env, options: { apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem, proxy: false } })
    assert.equal(off.ok, true, off.message)
    assert.equal(open.seen.connects.length, 1, '`proxy: false`: the proxy saw nothing more')
    const explicit = await runClient({
      env: { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
      options: { apiKey: KEY, baseUrl: api.baseUrl, ca: ca.pem, proxy: open.url },
    })
    assert.equal(explicit.ok, true, explicit.message)
    assert.equal(open.seen.connects.length, 1, 'the `proxy` option honours NO_PROXY too')
  } finally {
    await open.close()
  }
})

test('a bad `proxy` is a LateValidationError that does not echo it', () => {
  for (const proxy of ['not a url', 'ftp://user:pw-secret@x:21', 42, true]) {
    assert.throws(
      () => new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, proxy }),
      (e) => e instanceof LateValidationError && e.param === 'proxy' && !e.message.includes('pw-secret'),
    )
  }
})
