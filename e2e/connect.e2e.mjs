// End-to-end: the customer journey of the integration guide in a real Next.js app, in Chromium.
//
//   simulator (late-native/testing) ── webhook subscription ──▶ examples/nextjs (next build + next start)
//   Chromium: home → "Connect Instagram" → simulator consent page → Allow → /connected → home lists the account
//
// Also: the webhook reached POST /api/late/webhook and was verified; bad signatures get 400; and
// examples/express does the same server side. Run with `npm run test:e2e` (scripts/e2e.js).
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium } from 'playwright-core'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  OUT,
  ROOT,
  childEnv,
  eventually,
  freePort,
  installExample,
  packLateNative,
  run,
  startProcess,
  waitForHttp,
} from './lib.mjs'

const require = createRequire(import.meta.url)
const { startSimulator } = require('../testing.js')
const { LateClient } = require('../index.js')

const NEXT_DIR = join(ROOT, 'examples', 'nextjs')
const EXPRESS_DIR = join(ROOT, 'examples', 'express')
const skipBuild = process.env.E2E_SKIP_BUILD === '1' // reuse the last install + build while iterating
const timings = {}
const time = async (label, fn) => {
  const t = Date.now()
  try {
    return await fn()
  } finally {
    timings[label] = Number(((Date.now() - t) / 1000).toFixed(1))
  }
}

/** Signs like Late does, independently of late-native: HMAC-SHA256 hex of the raw body. */
const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex')

/** Posts a webhook delivery to `url` and returns `{ status, body }`. */
async function deliver(url, body, headers) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(10_000) })
  return { status: res.status, body: await res.json().catch(() => null) }
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  assert.equal(res.status, 200, `GET ${url} answered ${res.status}`)
  return res.json()
}

/** The webhook checks both examples share: bad deliveries are rejected with 400 and not recorded. */
async function checkWebhookRejections(origin, secret) {
  const url = `${origin}/api/late/webhook`
  const before = (await getJson(`${origin}/api/late/webhook-events`)).events.length
  const body = JSON.stringify({
    event: 'account.connected',
    id: `evt_${randomBytes(6).toString('hex')}`,
    timestamp: new Date().toISOString(),
    account: { accountId: 'acc_forged', profileId: 'prof_forged', platform: 'instagram', username: 'forged', displayName: 'Forged' },
  })

  const wrongSecret = await deliver(url, body, { 'x-zernio-signature': sign(body, 'not-the-secret') })
  assert.deepEqual(wrongSecret, { status: 400, body: { error: 'invalid_signature' } }, 'signed with another secret')

  const tampered = await deliver(url, body.replace('forged', 'f0rged'), { 'x-zernio-signature': sign(body, secret) })
  assert.deepEqual(tampered, { status: 400, body: { error: 'invalid_signature' } }, 'body changed after signing')

  const reserialised = await deliver(url, JSON.stringify(JSON.parse(body), null, 2), { 'x-zernio-signature': sign(body, secret) })
  assert.equal(reserialised.status, 400, 'same JSON, different bytes')

  const unsigned = await deliver(url, body, {})
  assert.deepEqual(unsigned, { status: 400, body: { error: 'missing_header' } }, 'no signature header')

  const garbage = await deliver(url, body, { 'x-zernio-signature': 'nope' })
  assert.deepEqual(garbage, { status: 400, body: { error: 'malformed_signature' } }, 'malformed signature')

  const after = (await getJson(`${origin}/api/late/webhook-events`)).events.length
  assert.equal(after, before, 'rejected deliveries must not be recorded')

  // The same delivery correctly signed (legacy header name) is accepted once, then deduplicated.
  const good = await deliver(url, body, { 'x-late-signature': sign(body, secret) })
  assert.deepEqual(good, { status: 200, body: { received: true, duplicate: false } })
  const again = await deliver(url, body, { 'x-late-signature': sign(body, secret) })
  assert.deepEqual(again, { status: 200, body: { received: true, duplicate: true } })
  assert.equal((await getJson(`${origin}/api/late/webhook-events`)).events.length, before + 1)
}

let tarball
before(async () => {
  if (!skipBuild) tarball = await time('pack', packLateNative)
}, { timeout: 240_000 })

after(() => {
  if (tarball) rmSync(join(tarball, '..'), { recursive: true, force: true })
  console.log(`# timings (s): ${JSON.stringify(timings)}`)
})

describe('examples/nextjs in Chromium', { timeout: 900_000 }, () => {
  const webhookSecret = `whsec_e2e_${randomBytes(12).toString('hex')}`
  const username = `e2e_${randomBytes(3).toString('hex')}`
  let sim
  let app
  let appOrigin
  let context
  let userDataDir
  let accountId
  const pageRequests = []
  const blocked = []

  before(async () => {
    sim = await startSimulator()
    const port = await freePort()
    appOrigin = `http://127.0.0.1:${port}`
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0 })
    await late.request('POST /v1/webhooks/settings', {
      body: { name: 'nextjs-e2e', url: `${appOrigin}/api/late/webhook`, events: ['account.connected'], secret: webhookSecret, isActive: true },
    })

    if (!skipBuild) {
      await time('nextjs npm install', () => installExample(NEXT_DIR, tarball, 'nextjs-npm-install'))
      await time('next build', () => run('next-build', process.execPath, ['node_modules/next/dist/bin/next', 'build'], { cwd: NEXT_DIR, timeoutMs: 600_000 }))
    }
    app = startProcess('next-start', process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: NEXT_DIR,
      env: childEnv({ LATE_API_KEY: sim.apiKey, LATE_BASE_URL: sim.baseUrl, LATE_WEBHOOK_SECRET: webhookSecret, NODE_ENV: 'production' }),
    })
    await time('next start', () => waitForHttp(`${appOrigin}/`, { proc: app, timeoutMs: 60_000 }))

    userDataDir = mkdtempSync(join(tmpdir(), 'late-e2e-chromium-'))
    context = await time('chromium launch', () =>
      chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000, viewport: { width: 900, height: 700 } }),
    )
    // Nothing but loopback: any other request from the page is aborted and fails the test.
    await context.route(/.*/, (route) => {
      const { hostname, protocol } = new URL(route.request().url())
      if (['127.0.0.1', 'localhost', '[::1]'].includes(hostname) || protocol === 'data:' || protocol === 'blob:') return route.continue()
      blocked.push(route.request().url())
      return route.abort()
    })
    context.on('request', (r) => pageRequests.push({ url: r.url(), method: r.method(), headers: r.headers() }))
  }, { timeout: 900_000 })

  after(async () => {
    await context?.close().catch(() => {})
    await app?.stop()
    await sim?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
  })

  test('connect Instagram: home → consent page → Allow → /connected → the account is listed', { timeout: 120_000 }, async () => {
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    page.setDefaultNavigationTimeout(30_000)
    const consoleErrors = []
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    page.on('pageerror', (e) => consoleErrors.push(e.message))

    await page.goto(`${appOrigin}/`)
    await page.getByText('No Instagram account connected yet.').waitFor()

    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(`${sim.origin}/__sim/consent/`)),
      page.getByRole('button', { name: 'Connect Instagram' }).click(),
    ])
    await page.fill('#username', username)
    await Promise.all([page.waitForURL((u) => u.origin === appOrigin && u.pathname === '/connected'), page.click('#allow')])

    const landed = new URL(page.url())
    assert.equal(landed.searchParams.get('connected'), 'instagram')
    assert.equal(landed.searchParams.get('username'), username)
    accountId = landed.searchParams.get('accountId')
    assert.ok(accountId, 'the redirect carries the accountId')
    await page.getByRole('heading', { name: 'Instagram connected' }).waitFor()
    assert.match(await page.getByRole('status').innerText(), new RegExp(`@${username} is now connected \\(account ${accountId}\\)`))
    await page.screenshot({ path: join(OUT, 'nextjs-connected.png') })

    await Promise.all([page.waitForURL(`${appOrigin}/`), page.getByRole('link', { name: /Back to your accounts/ }).click()])
    const item = page.locator(`[data-account-id="${accountId}"]`)
    await item.waitFor()
    assert.match(await item.innerText(), new RegExp(`@${username}`))
    assert.equal(await page.getByRole('button', { name: 'Connect Instagram' }).isEnabled(), true)
    await page.screenshot({ path: join(OUT, 'nextjs-final.png'), fullPage: true })

    // The account really exists at "Late", and the browser never talked to the Late API or saw the key.
    assert.ok(sim.state().accounts.some((a) => a._id === accountId && a.platform === 'instagram' && a.username === username))
    assert.deepEqual(blocked, [], 'requests to anything but loopback')
    const apiCalls = pageRequests.filter((r) => r.url.startsWith(`${sim.baseUrl}/`))
    assert.deepEqual(apiCalls, [], 'the browser must only call its own backend')
    assert.ok(!pageRequests.some((r) => JSON.stringify(r).includes(sim.apiKey)), 'the API key reached the browser')
    const appCalls = pageRequests.filter((r) => r.url.startsWith(`${appOrigin}/api/late/`)).map((r) => `${r.method} ${new URL(r.url).pathname}`)
    assert.deepEqual([...new Set(appCalls)].sort(), ['GET /api/late/accounts', 'POST /api/late/connect'])
    assert.deepEqual(consoleErrors, [], 'errors in the browser console')
    await page.close()
  })

  test('the account.connected webhook reached the app and was verified', { timeout: 30_000 }, async (t) => {
    if (!accountId) return t.skip('no account was connected')
    const recorded = await eventually(
      async () => (await getJson(`${appOrigin}/api/late/webhook-events`)).events.find((e) => e.event === 'account.connected' && e.payload?.account?.accountId === accountId),
      { timeoutMs: 15_000, what: 'the account.connected event at /api/late/webhook-events' },
    )
    assert.equal(recorded.verified, true)
    assert.equal(recorded.payload.account.platform, 'instagram')
    assert.equal(recorded.payload.account.username, username)
    // The simulator's delivery log: one attempt, answered 2xx by the Next route.
    const deliveries = sim.state().webhookLogs.filter((l) => l.eventId === recorded.id)
    assert.ok(deliveries.length >= 1, 'the simulator logged the delivery')
    assert.ok(deliveries.every((l) => l.statusCode >= 200 && l.statusCode < 300), `delivery statuses: ${deliveries.map((l) => l.statusCode)}`)
  })

  test('POST /api/late/webhook rejects bad signatures with 400 and records only valid deliveries', { timeout: 30_000 }, async () => {
    await checkWebhookRejections(appOrigin, webhookSecret)
  })

  test('ConnectInstagram shows its error states when Late cannot be reached', { timeout: 90_000 }, async () => {
    const port = await freePort()
    const deadPort = await freePort() // nothing listens there
    const origin = `http://127.0.0.1:${port}`
    const broken = startProcess('next-start-unreachable', process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: NEXT_DIR,
      env: childEnv({ LATE_API_KEY: sim.apiKey, LATE_BASE_URL: `http://127.0.0.1:${deadPort}/api`, LATE_WEBHOOK_SECRET: webhookSecret, NODE_ENV: 'production' }),
    })
    try {
      await waitForHttp(`${origin}/`, { proc: broken, timeoutMs: 60_000 })
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      await page.goto(`${origin}/`)
      await page.getByText('Could not load accounts: Late could not be reached').waitFor()
      await page.getByRole('button', { name: 'Connect Instagram' }).click()
      await page.getByText('Could not start the connection: Late could not be reached').waitFor()
      assert.equal(new URL(page.url()).origin, origin, 'stays on the app')
      assert.equal(await page.getByRole('button', { name: 'Connect Instagram' }).isEnabled(), true, 'the button is usable again')
      await page.screenshot({ path: join(OUT, 'nextjs-error-state.png') })
      await page.close()
    } finally {
      await broken.stop()
    }
  })
})

describe('examples/express', { timeout: 600_000 }, () => {
  const webhookSecret = `whsec_e2e_${randomBytes(12).toString('hex')}`
  let sim
  let server
  let origin

  before(async () => {
    sim = await startSimulator()
    if (!skipBuild) await time('express npm install', () => installExample(EXPRESS_DIR, tarball, 'express-npm-install'))
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    server = startProcess('express', process.execPath, ['server.js'], {
      cwd: EXPRESS_DIR,
      env: childEnv({ PORT: String(port), LATE_API_KEY: sim.apiKey, LATE_BASE_URL: sim.baseUrl, LATE_WEBHOOK_SECRET: webhookSecret }),
    })
    await waitForHttp(`${origin}/`, { proc: server, timeoutMs: 30_000 })
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0 })
    await late.request('POST /v1/webhooks/settings', {
      body: { name: 'express-e2e', url: `${origin}/api/late/webhook`, events: ['account.connected'], secret: webhookSecret, isActive: true },
    })
  }, { timeout: 600_000 })

  after(async () => {
    await server?.stop()
    await sim?.close()
  })

  test('connect, consent, callback, webhook and account list', { timeout: 60_000 }, async () => {
    const res = await fetch(`${origin}/api/late/connect`, { method: 'POST', signal: AbortSignal.timeout(10_000) })
    assert.equal(res.status, 200)
    const { connectUrl } = await res.json()
    assert.ok(connectUrl.startsWith(`${sim.origin}/`), connectUrl)

    const consent = await sim.grantConsent(connectUrl, { username: 'express_e2e' })
    assert.ok(consent.redirectUrl.startsWith(`${origin}/connected?`), consent.redirectUrl)
    const callback = await fetch(consent.redirectUrl, { signal: AbortSignal.timeout(10_000) })
    assert.match(await callback.text(), /Instagram connected: <strong>@express_e2e<\/strong>/)

    const event = await eventually(
      async () => (await getJson(`${origin}/api/late/webhook-events`)).events.find((e) => e.payload?.account?.accountId === consent.accountId),
      { timeoutMs: 15_000, what: 'the account.connected event' },
    )
    assert.equal(event.event, 'account.connected')
    const { accounts } = await getJson(`${origin}/api/late/accounts`)
    assert.deepEqual(
      accounts.map((a) => [a.id, a.username]),
      [[consent.accountId, 'express_e2e']],
    )
  })

  test('POST /api/late/webhook rejects bad signatures with 400', { timeout: 30_000 }, async () => {
    await checkWebhookRejections(origin, webhookSecret)
  })
})
