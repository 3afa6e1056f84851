// The `late-native/testing` simulator through its public JS API, with plain fetch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import { once } from 'node:events'

import { startSimulator, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } from '../testing.mjs'

const auth = (sim) => ({ authorization: `Bearer ${sim.apiKey}` })

async function getJson(sim, path, init = {}) {
  const res = await fetch(`${sim.baseUrl}${path}`, { ...init, headers: { ...auth(sim), ...(init.headers ?? {}) } })
  return { res, body: await res.json() }
}

test('start, defaults, basic calls and close', async () => {
  const sim = await startSimulator()
  try {
    assert.match(sim.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api$/)
    assert.equal(sim.apiKey, DEFAULT_API_KEY)
    assert.equal(sim.webhookSecret, DEFAULT_WEBHOOK_SECRET)
    assert.doesNotMatch(sim.apiKey, /^sk_[0-9a-f]{64}$/)

    const unauth = await fetch(`${sim.baseUrl}/v1/profiles`)
    assert.equal(unauth.status, 401)
    assert.equal((await unauth.json()).code, 'missing_credentials')
    assert.ok(unauth.headers.get('x-request-id'))
    assert.equal(unauth.headers.get('x-ratelimit-limit'), '600')

    const { res, body } = await getJson(sim, '/v1/profiles')
    assert.equal(res.status, 200)
    assert.equal(body.profiles.length, 1)
    assert.equal(body.profiles[0].isDefault, true)
    assert.match(body.profiles[0]._id, /^[0-9a-f]{24}$/)
  } finally {
    await sim.close()
  }
  assert.equal(sim.closed, true)
  await sim.close() // idempotent
  await assert.rejects(fetch(`${sim.baseUrl}/v1/profiles`))
})

test('options are validated', async () => {
  await assert.rejects(startSimulator({ port: -1 }), (e) => e instanceof TypeError && /options\.port/.test(e.message))
  await assert.rejects(startSimulator({ colour: 'red' }), (e) => e instanceof TypeError && /colour/.test(e.message))
  await assert.rejects(startSimulator({ apiKey: '' }), (e) => e instanceof TypeError && /apiKey/.test(e.message))
  const sim = await startSimulator({ apiKey: 'sk_test_custom', rateLimitPerMinute: 2 })
  try {
    assert.equal(sim.apiKey, 'sk_test_custom')
    assert.equal((await getJson(sim, '/v1/auth/verify')).res.status, 200)
    assert.equal((await getJson(sim, '/v1/auth/verify')).res.status, 200)
    const { res, body } = await getJson(sim, '/v1/auth/verify')
    assert.equal(res.status, 429)
    assert.equal(body.code, 'rate_limited')
    assert.ok(Number(res.headers.get('retry-after')) >= 1)
  } finally {
    await sim.close()
  }
})

test('faults: status with Retry-After, validation, drop, malformed, delay', async () => {
  const sim = await startSimulator()
  try {
    sim.faults.inject({ route: 'GET /v1/accounts', status: 503, retryAfter: 2, times: 2 })
    assert.equal(sim.faults.list()[0].times, 2)
    for (let i = 0; i < 2; i++) {
      const { res, body } = await getJson(sim, '/v1/accounts')
      assert.equal(res.status, 503)
      assert.equal(res.headers.get('retry-after'), '2')
      assert.equal(body.type, 'api_error')
    }
    assert.equal((await getJson(sim, '/v1/accounts')).res.status, 200)

    assert.throws(() => sim.faults.inject({ route: 'GET /v1/accounts', status: 'x' }), (e) => e instanceof TypeError && /fault\.status/.test(e.message))
    assert.throws(() => sim.faults.inject({ route: 42, status: 500 }), (e) => e instanceof TypeError && /fault\.route/.test(e.message))
    assert.throws(() => sim.faults.inject({ route: 'GET /v1/x', drop: 'yes' }), (e) => e instanceof TypeError && /fault\.drop/.test(e.message))
    assert.throws(() => sim.faults.inject({ route: 'GET /v1/x', status: 500, colour: 1 }), (e) => e instanceof TypeError && /colour/.test(e.message))
    assert.throws(() => sim.faults.inject({ route: 'GET /v1/x' }), TypeError)

    sim.faults.inject({ route: 'GET /v1/profiles/{profileId}', drop: true })
    await assert.rejects(fetch(`${sim.baseUrl}/v1/profiles/abc`, { headers: auth(sim) }), TypeError)

    sim.faults.inject({ route: 'GET /v1/profiles', malformed: true })
    const bad = await fetch(`${sim.baseUrl}/v1/profiles`, { headers: auth(sim) })
    assert.equal(bad.status, 200)
    await assert.rejects(bad.json(), SyntaxError)

    sim.faults.inject({ route: 'GET /v1/auth/verify', delayMs: 250 })
    const t0 = Date.now()
    assert.equal((await getJson(sim, '/v1/auth/verify')).res.status, 200)
    assert.ok(Date.now() - t0 >= 240)

    sim.faults.inject([{ route: '*', status: 500 }])
    sim.faults.clear()
    assert.deepEqual(sim.faults.list(), [])
  } finally {
    await sim.close()
  }
})

test('requests log records method, path, query, headers and body', async () => {
  const sim = await startSimulator()
  try {
    await fetch(`${sim.baseUrl}/v1/profiles`, {
      method: 'POST',
      headers: { ...auth(sim), 'content-type': 'application/json', 'x-request-id': 'req-abc' },
      body: JSON.stringify({ name: 'Logged' }),
    })
    await fetch(`${sim.baseUrl}/v1/accounts?platform=instagram`, { headers: { authorization: 'Bearer sk_live_other' } })
    const log = sim.requests()
    assert.equal(log.length, 2)
    assert.equal(log[0].method, 'POST')
    assert.equal(log[0].path, '/api/v1/profiles')
    assert.deepEqual(JSON.parse(log[0].body), { name: 'Logged' })
    assert.equal(log[0].requestId, 'req-abc')
    assert.equal(log[0].status, 201)
    assert.equal(log[0].headers.authorization, `Bearer ${sim.apiKey}`)
    assert.equal(log[1].query, 'platform=instagram')
    assert.equal(log[1].headers.authorization, '[other]')
    assert.equal(log[1].status, 401)
    sim.clearRequests()
    assert.deepEqual(sim.requests(), [])
  } finally {
    await sim.close()
  }
})

test('connect → grantConsent → signed account.connected webhook → listed account', async () => {
  const deliveries = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) })
      res.end('ok')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const hookUrl = `http://127.0.0.1:${server.address().port}/hook`
  const sim = await startSimulator({ webhookUrl: hookUrl })
  try {
    const { body: profiles } = await getJson(sim, '/v1/profiles')
    const profileId = profiles.profiles[0]._id
    const redirect = encodeURIComponent('http://localhost:3000/connected')
    const { res, body } = await getJson(sim, `/v1/connect/instagram?profileId=${profileId}&redirect_url=${redirect}`)
    assert.equal(res.status, 200)
    assert.ok(body.authUrl.startsWith(`${sim.origin}/__sim/consent/`))

    const page = await fetch(body.authUrl)
    const html = await page.text()
    assert.match(html, /id="allow"/)
    assert.match(html, /id="deny"/)

    const out = await sim.grantConsent(body.authUrl, { username: 'acme_ig' })
    assert.equal(out.connected, true)
    assert.equal(out.username, 'acme_ig')
    const redirected = new URL(out.redirectUrl)
    assert.equal(redirected.searchParams.get('connected'), 'instagram')
    assert.equal(redirected.searchParams.get('profileId'), profileId)
    assert.equal(redirected.searchParams.get('accountId'), out.accountId)
    assert.equal(redirected.searchParams.get('username'), 'acme_ig')

    const deadline = Date.now() + 5000
    while (deliveries.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    assert.equal(deliveries.length, 1)
    const d = deliveries[0]
    assert.equal(d.headers['x-zernio-event'], 'account.connected')
    const expected = createHmac('sha256', sim.webhookSecret).update(d.body).digest('hex')
    assert.equal(d.headers['x-zernio-signature'], expected)
    assert.equal(d.headers['x-late-signature'], expected)
    const event = JSON.parse(d.body)
    assert.equal(event.id, d.headers['x-zernio-event-id'])
    assert.deepEqual(event.account, {
      accountId: out.accountId,
      profileId,
      platform: 'instagram',
      username: 'acme_ig',
      displayName: 'acme_ig',
    })

    const { body: list } = await getJson(sim, `/v1/accounts?profileId=${profileId}`)
    assert.equal(list.accounts.length, 1)
    assert.equal(list.accounts[0]._id, out.accountId)

    // Deny, and a reused consent URL.
    const again = await getJson(sim, `/v1/connect/twitter?profileId=${profileId}&redirect_url=${redirect}`)
    const denied = await sim.grantConsent(again.body.authUrl, { allow: false })
    assert.equal(denied.connected, false)
    assert.equal(new URL(denied.redirectUrl).searchParams.get('error'), 'oauth_denied')
    const reused = await sim.grantConsent(again.body.authUrl)
    assert.equal(reused.error, 'invalid_state')
    await assert.rejects(sim.grantConsent('http://127.0.0.1:1/__sim/consent/unknown'))
    await assert.rejects(() => sim.grantConsent(42), TypeError)

    assert.equal(sim.state().accounts.length, 1)
    sim.reset()
    assert.equal(sim.state().accounts.length, 0)
  } finally {
    await sim.close()
    server.close()
  }
})

test('addAccount, state and Symbol.asyncDispose', async () => {
  let outer
  {
    const sim = await startSimulator()
    outer = sim
    const acc = sim.addAccount({ platform: 'tiktok', username: 'tt' })
    assert.match(acc._id, /^[0-9a-f]{24}$/)
    const { body } = await getJson(sim, '/v1/accounts?platform=tiktok')
    assert.equal(body.accounts[0].username, 'tt')
    assert.throws(() => sim.addAccount({}), TypeError)
    if (typeof Symbol.asyncDispose === 'symbol') await sim[Symbol.asyncDispose]()
    else await sim.close()
  }
  assert.equal(outer.closed, true)
})
