import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { LateClient, LateValidationError, connectInstagram } from '../index.mjs'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

const pkg = createRequire(import.meta.url)('../package.json')

const CONNECT_PLATFORMS = [
  'facebook', 'instagram', 'linkedin', 'twitter', 'tiktok', 'youtube', 'threads', 'reddit', 'pinterest',
  'bluesky', 'googlebusiness', 'telegram', 'snapchat', 'discord', 'slack', 'whatsapp', 'google', 'microsoft',
]

test('connectInstagram calls GET /v1/connect/instagram with the real query names and headers', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const out = await late.connectInstagram({
    profileId: 'prof_1',
    redirectUrl: 'https://app.example.com/connected?x=1',
    loginMethod: 'facebook_login',
  })
  assert.deepEqual(out, { connectUrl: 'https://www.instagram.com/oauth/authorize?profile=prof_1', state: 'st_1' })
  assert.equal(api.requests.length, 1)
  const [r] = api.requests
  assert.equal(r.method, 'GET')
  assert.equal(r.path, '/v1/connect/instagram')
  assert.deepEqual(r.query, {
    profileId: 'prof_1',
    redirect_url: 'https://app.example.com/connected?x=1',
    loginMethod: 'facebook_login',
  })
  assert.equal(r.headers.authorization, `Bearer ${KEY}`)
  assert.equal(r.headers['user-agent'], `late-native/${pkg.version}`)
  assert.equal(r.headers.accept, 'application/json')
  assert.match(r.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  assert.equal(r.headers['idempotency-key'], undefined, 'a GET carries no idempotency key')
})

test('profileId omitted: the default profile is looked up once per client and cached', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const [a, b] = await Promise.all([late.connectInstagram(), late.connectInstagram()])
  await late.listAccounts()
  assert.equal(a.connectUrl, 'https://www.instagram.com/oauth/authorize?profile=64f0000000000000000000d1')
  assert.equal(b.connectUrl, a.connectUrl)
  assert.equal(api.requests.filter((r) => r.path === '/v1/profiles').length, 1)
  assert.deepEqual(
    api.requests.filter((r) => r.path !== '/v1/profiles').map((r) => r.query.profileId),
    ['64f0000000000000000000d1', '64f0000000000000000000d1', '64f0000000000000000000d1'],
  )
  // A clone with the same key shares the cache; one with another key does not.
  await late.withOptions({ timeoutMs: 5000 }).connectInstagram()
  assert.equal(api.requests.filter((r) => r.path === '/v1/profiles').length, 1)
  await late.withOptions({ apiKey: 'sk_test_other' }).connectInstagram()
  assert.equal(api.requests.filter((r) => r.path === '/v1/profiles').length, 2)
  assert.equal(await late.defaultProfileId(), '64f0000000000000000000d1')
})

test('connect works for every platform id of the spec and sends its name in the path', async (t) => {
  const api = await startMockApi({ '*': (r) => ({ body: { authUrl: `https://auth.example/${r.path}`, state: 's' } }) })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  for (const platform of CONNECT_PLATFORMS) {
    const out = await late.connect(platform, { profileId: 'p1' })
    assert.equal(out.connectUrl, `https://auth.example//v1/connect/${platform}`)
  }
  assert.deepEqual(api.requests.map((r) => r.path), CONNECT_PLATFORMS.map((p) => `/v1/connect/${p}`))
})

test('bad input is a LateValidationError naming the parameter, and nothing is sent', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const cases = [
    [() => late.connect('myspace', { profileId: 'p' }), 'platform'],
    [() => late.connect('x'), 'platform'],
    [() => late.connect(''), 'platform'],
    [() => late.connectInstagram({ redirectUrl: '/relative/path' }), 'redirectUrl'],
    [() => late.connectInstagram({ redirectUrl: 'ftp://files.example' }), 'redirectUrl'],
    [() => late.connectInstagram({ profileId: '' }), 'profileId'],
    [() => late.connectInstagram({ profileId: 42 }), 'profileId'],
    [() => late.connectInstagram({ profileId: 'a b' }), 'profileId'],
    [() => late.connectInstagram({ loginMethod: 'password' }), 'loginMethod'],
    [() => late.connect('linkedin', { loginMethod: 'instagram_login' }), 'loginMethod'],
    [() => late.connectInstagram({ redirectURL: 'https://typo.example' }), 'params.redirectURL'],
    [() => late.connectInstagram({}, { timeoutMs: -1 }), 'options.timeoutMs'],
    [() => late.connectInstagram({}, { signal: 'nope' }), 'options.signal'],
    [() => late.connectInstagram({}, { tiemoutMs: 5 }), 'options.tiemoutMs'],
    [() => late.listAccounts({ status: 'active' }), 'status'],
    [() => late.listAccounts({ platform: 'myspace' }), 'platform'],
    [() => late.request('GET /v1/accounts/{accountId}/health', {}), 'params.accountId'],
    [() => late.request({ method: 'TRACE', path: '/v1/x' }), 'method'],
  ]
  for (const [call, param] of cases) {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof LateValidationError, `${param}: ${e}`)
      assert.equal(e.param, param)
      assert.match(e.message, new RegExp(param.split('.').pop()))
      return true
    })
  }
  assert.equal(api.requests.length, 0, 'no request was sent for bad input')
})

test('bad client options fail at construction, naming the option', () => {
  const cases = [
    [{ apiKey: KEY, baseUrl: 'not a url' }, 'baseUrl'],
    [{ apiKey: KEY, baseUrl: 'ftp://x.example' }, 'baseUrl'],
    [{ apiKey: KEY, timeoutMs: 0 }, 'timeoutMs'],
    [{ apiKey: KEY, timeoutMs: '100' }, 'timeoutMs'],
    [{ apiKey: KEY, maxRetries: -1 }, 'maxRetries'],
    [{ apiKey: KEY, maxRetries: 1.5 }, 'maxRetries'],
    [{ apiKey: KEY, defaultHeaders: { 'bad header': 'x' } }, 'defaultHeaders'],
    [{ apiKey: '   ' }, 'apiKey'],
    [{ apiKey: KEY, baseURL: 'https://typo.example' }, 'options.baseURL'],
  ]
  for (const [opts, param] of cases) {
    assert.throws(() => new LateClient(opts), (e) => e instanceof LateValidationError && e.param === param, param)
  }
})

test('the API key comes from LATE_API_KEY, then ZERNIO_API_KEY; the base URL from LATE_BASE_URL, then ZERNIO_BASE_URL', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const saved = { ...process.env }
  t.after(() => {
    for (const k of ['LATE_API_KEY', 'ZERNIO_API_KEY', 'LATE_BASE_URL', 'ZERNIO_BASE_URL']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
  for (const k of ['LATE_API_KEY', 'ZERNIO_API_KEY', 'LATE_BASE_URL', 'ZERNIO_BASE_URL']) delete process.env[k]
  assert.throws(() => new LateClient(), (e) => e instanceof LateValidationError && e.param === 'apiKey' && /LATE_API_KEY/.test(e.message))
  assert.equal(new LateClient({ apiKey: KEY }).baseUrl, 'https://zernio.com/api')
  process.env.ZERNIO_API_KEY = 'sk_test_zernio'
  process.env.ZERNIO_BASE_URL = 'http://127.0.0.1:1/zernio'
  assert.equal(new LateClient().baseUrl, 'http://127.0.0.1:1/zernio')
  process.env.LATE_BASE_URL = api.baseUrl
  assert.equal(new LateClient().baseUrl, api.baseUrl)
  await new LateClient().connectInstagram({ profileId: 'p' })
  assert.equal(api.requests.at(-1).headers.authorization, 'Bearer sk_test_zernio')
  process.env.LATE_API_KEY = 'sk_test_late'
  await new LateClient().connectInstagram({ profileId: 'p' })
  assert.equal(api.requests.at(-1).headers.authorization, 'Bearer sk_test_late')
  // Options beat env.
  assert.equal(new LateClient({ baseUrl: 'http://127.0.0.1:2/x' }).baseUrl, 'http://127.0.0.1:2/x')
})

test('top-level connectInstagram uses a lazily built default client from env', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  // The default client is built on first use: set env first (this file's only top-level call).
  process.env.LATE_API_KEY = KEY
  process.env.LATE_BASE_URL = api.baseUrl
  const out = await connectInstagram({ redirectUrl: 'https://app.example.com/cb' })
  assert.match(out.connectUrl, /profile=64f0000000000000000000d1/)
  assert.equal(api.requests[0].path, '/v1/profiles')
  assert.equal(api.requests[1].query.redirect_url, 'https://app.example.com/cb')
})

test('defaultHeaders and per-call headers are sent; Authorization cannot be overridden', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, defaultHeaders: { 'x-team': 'blue' } })
  await late.connectInstagram({ profileId: 'p' }, { headers: { 'x-trace': 't1' } })
  assert.equal(api.requests[0].headers['x-team'], 'blue')
  assert.equal(api.requests[0].headers['x-trace'], 't1')
  await assert.rejects(
    late.request({ method: 'GET', path: '/v1/profiles', headers: { Authorization: 'Bearer sk_test_evil' } }),
    (e) => e instanceof LateValidationError && e.param === 'headers.authorization',
  )
})
