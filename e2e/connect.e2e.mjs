// End-to-end: the customer journey of the integration guide in a real Next.js app, in Chromium.
//
//   simulator (late-native/testing) ── webhook subscription ──▶ examples/nextjs (next build, output: standalone)
//   Chromium: home → "Connect Instagram" → simulator consent page → Allow → /connected → home lists the account
//   Chromium: /server (Server Component list behind Suspense) → Server Action → consent → Allow → listed,
//             once more with JavaScript disabled
//
// Both run against `next start` and against the standalone server copied to a clean directory
// outside the repository and started with `node server.js` (what examples/nextjs/Dockerfile runs).
// Also: the webhook reached POST /api/late/webhook and was verified; bad signatures get 400; error
// states of both patterns; OpenTelemetry (instrumentation.ts): both servers export to an OTLP/HTTP
// collector stub on loopback, and a page load's trace holds Next's route span with late-native's
// CLIENT span under it (the server of the error-state test has no endpoint set and must work all
// the same); and examples/express does the same server side. Run with `npm test -- e2e` (or `npm run test:e2e`).
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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
  startOtlpCollector,
  startProcess,
  waitForHttp,
} from './lib.mjs'
import { missingTool } from '../__test__/helpers/platform.mjs'

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

/**
 * A fresh Chromium page that records its requests and console errors, and lets nothing but loopback
 * through (any other request is aborted and fails the test).
 */
async function openPage(context) {
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.setDefaultNavigationTimeout(30_000)
  const seen = { requests: [], blocked: [], consoleErrors: [] }
  await page.route(/.*/, (route) => {
    const { hostname, protocol } = new URL(route.request().url())
    if (['127.0.0.1', 'localhost', '[::1]'].includes(hostname) || protocol === 'data:' || protocol === 'blob:') return route.continue()
    seen.blocked.push(route.request().url())
    return route.abort()
  })
  page.on('request', (r) => seen.requests.push({ url: r.url(), method: r.method(), headers: r.headers(), type: r.resourceType() }))
  page.on('console', (m) => m.type() === 'error' && seen.consoleErrors.push(m.text()))
  page.on('pageerror', (e) => seen.consoleErrors.push(e.message))
  return { page, seen }
}

/** The browser never talked to the Late API, never saw the key, and reached nothing but loopback. */
function assertKeptOnServer(seen, sim) {
  assert.deepEqual(seen.blocked, [], 'requests to anything but loopback')
  assert.deepEqual(seen.requests.filter((r) => r.url.startsWith(`${sim.baseUrl}/`)), [], 'the browser must only call its own backend')
  assert.ok(!seen.requests.some((r) => JSON.stringify(r).includes(sim.apiKey)), 'the API key reached the browser')
}

/** On Late's (the simulator's) consent page: type the username, Allow, and land on `<origin>/connected`. */
async function allowOnConsentPage(page, origin, username) {
  await page.fill('#username', username)
  await Promise.all([page.waitForURL((u) => u.origin === origin && u.pathname === '/connected'), page.click('#allow')])
  const landed = new URL(page.url())
  assert.equal(landed.searchParams.get('connected'), 'instagram')
  assert.equal(landed.searchParams.get('username'), username)
  const accountId = landed.searchParams.get('accountId')
  assert.ok(accountId, 'the redirect carries the accountId')
  await page.getByRole('heading', { name: 'Instagram connected' }).waitFor()
  assert.match(await page.getByRole('status').innerText(), new RegExp(`@${username} is now connected \\(account ${accountId}\\)`))
  return accountId
}

/**
 * The client-side pattern (home page: the ConnectInstagram component calling the route handlers):
 * home → "Connect Instagram" → consent page → Allow → /connected → back home, the account listed.
 */
async function clientJourney({ context, origin, sim, username, shot }) {
  const { page, seen } = await openPage(context)
  await page.goto(`${origin}/`)
  await page.getByRole('heading', { name: 'Connected Instagram accounts' }).waitFor()
  await page.locator('text=Loading accounts…').waitFor({ state: 'detached' })
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${sim.origin}/__sim/consent/`)),
    page.getByRole('button', { name: 'Connect Instagram' }).click(),
  ])
  const accountId = await allowOnConsentPage(page, origin, username)
  await page.screenshot({ path: join(OUT, `${shot}-connected.png`) })

  await Promise.all([page.waitForURL(`${origin}/`), page.getByRole('link', { name: /Back to your accounts/ }).click()])
  const item = page.locator(`[data-account-id="${accountId}"]`)
  await item.waitFor()
  assert.match(await item.innerText(), new RegExp(`@${username}`))
  assert.equal(await page.getByRole('button', { name: 'Connect Instagram' }).isEnabled(), true)
  await page.screenshot({ path: join(OUT, `${shot}-final.png`), fullPage: true })

  assert.ok(sim.state().accounts.some((a) => a._id === accountId && a.platform === 'instagram' && a.username === username))
  assertKeptOnServer(seen, sim)
  const appCalls = seen.requests.filter((r) => r.url.startsWith(`${origin}/api/late/`)).map((r) => `${r.method} ${new URL(r.url).pathname}`)
  assert.deepEqual([...new Set(appCalls)].sort(), ['GET /api/late/accounts', 'POST /api/late/connect'])
  assert.deepEqual(seen.consoleErrors, [], 'errors in the browser console')
  await page.close()
  return accountId
}

/**
 * The App Router pattern (/server): the Server Component lists the accounts behind a Suspense
 * fallback (shown while listAccounts is slow), and the Server Action form connects. With
 * `javaScript: false` the form posts as plain HTML and the server answers with the redirect; the
 * streamed list is then in the HTML but stays hidden (revealing it takes a script).
 */
async function serverJourney({ context, origin, sim, username, shot, javaScript = true }) {
  const { page, seen } = await openPage(context)
  // listAccounts answers slowly once: the streamed page shows the Suspense fallback first.
  sim.faults.inject({ route: 'GET /v1/accounts', delayMs: 1500, times: 1 })
  await page.goto(`${origin}/server`, { waitUntil: 'commit' })
  await page.getByText('Loading accounts…').waitFor()
  const list = page.getByText('No Instagram account connected yet.').or(page.getByTestId('accounts'))
  if (javaScript) {
    await list.waitFor()
    assert.equal(await page.getByText('Loading accounts…').count(), 0, 'the fallback was replaced by the list')
  } else {
    // Streaming reveals the list with a script: without JavaScript it arrives in the HTML, hidden.
    await list.waitFor({ state: 'attached' })
  }

  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${sim.origin}/__sim/consent/`)),
    page.getByRole('button', { name: 'Connect Instagram' }).click(),
  ])
  const action = seen.requests.find((r) => r.method === 'POST' && new URL(r.url).pathname === '/server')
  assert.ok(action, 'the Server Action posted to /server')
  if (javaScript) assert.ok(action.headers['next-action'], 'with JavaScript the action is called by fetch (Next-Action header)')
  else assert.equal(action.type, 'document', 'without JavaScript the form posts as a plain HTML form')
  const accountId = await allowOnConsentPage(page, origin, username)

  await page.goto(`${origin}/server`)
  const item = page.locator(`[data-account-id="${accountId}"]`)
  await item.waitFor({ state: javaScript ? 'visible' : 'attached' })
  assert.match(await item.textContent(), new RegExp(`@${username}`))
  await page.screenshot({ path: join(OUT, `${shot}.png`), fullPage: true })
  assertKeptOnServer(seen, sim)
  assert.deepEqual(seen.requests.filter((r) => new URL(r.url).pathname.startsWith('/api/late/')), [], 'no route handler is involved')
  if (javaScript) assert.deepEqual(seen.consoleErrors, [], 'errors in the browser console')
  await page.close()
  return accountId
}

const SPAN_KIND_SERVER = 2
const SPAN_KIND_CLIENT = 3

/**
 * Loads /server (its render calls listAccounts) once, marked by a query parameter, then waits for
 * the collector to have the trace: Next's SERVER span of the request (`GET /server`, the root) and
 * late-native's CLIENT span of listAccounts under it (parent links followed up to the root), with
 * the attributes late-native documents.
 */
async function checkPageTrace(collector, prefix, origin, sim) {
  const mark = `otel-${randomBytes(4).toString('hex')}`
  const res = await fetch(`${origin}/server?${mark}`, { signal: AbortSignal.timeout(20_000) })
  assert.equal(res.status, 200)
  await res.text() // the streamed list included: listAccounts has answered
  const where = `${prefix} (${origin})`
  const find = () => {
    const spans = collector.spans(prefix)
    const route = spans.find((s) => s.kind === SPAN_KIND_SERVER && !s.parentSpanId && String(s.attributes['http.target'] ?? s.attributes['url.path'] ?? '').includes(mark))
    const inTrace = route ? spans.filter((s) => s.traceId === route.traceId) : []
    return { spans, route, inTrace, client: inTrace.find((s) => s.attributes['late.operation'] === 'listAccounts') }
  }
  const found = await eventually(() => (find().client ? find() : undefined), {
    timeoutMs: 15_000,
    what: `the trace of GET /server?${mark} at the collector stub, under ${where}: Next's route span and late-native's listAccounts span`,
  }).catch((e) => {
    const { spans, route, inTrace } = find()
    const show = (list) => list.map((s) => `  ${s.name} [${s.scope}] kind=${s.kind} ${JSON.stringify(s.attributes)}`).join('\n')
    throw new Error(
      `${e.message}\n${spans.length} spans exported under ${where}; ` +
        (route ? `the page's trace has ${inTrace.length}:\n${show(inTrace)}` : `none is the page's route span; the last 10:\n${show(spans.slice(-10))}`),
    )
  })
  const { route, client, inTrace } = found
  assert.equal(route.name, 'GET /server', `the route span of ${where}`)
  assert.equal(route.service, 'late-native-example-nextjs')

  // late-native's span: a CLIENT span named after the method and route template, a descendant of the route span.
  const base = new URL(sim.baseUrl)
  const template = `${base.pathname.replace(/\/+$/, '')}/v1/accounts` // the base URL's path + the spec's route
  assert.equal(client.kind, SPAN_KIND_CLIENT, 'late-native\'s span is a CLIENT span')
  assert.equal(client.name, `GET ${template}`)
  assert.equal(client.attributes['http.request.method'], 'GET')
  assert.equal(client.attributes['server.address'], base.hostname)
  assert.equal(client.attributes['server.port'], Number(base.port))
  assert.equal(client.attributes['url.template'], template)
  assert.equal(client.attributes['http.response.status_code'], 200)
  assert.ok(String(client.attributes['url.full']).startsWith(`${sim.baseUrl}/v1/accounts`), `url.full ${client.attributes['url.full']}`)
  const byId = new Map(inTrace.map((s) => [s.spanId, s]))
  const chain = [client.name]
  for (let s = client; s !== route; ) {
    s = byId.get(s.parentSpanId)
    assert.ok(s, `late-native's span must descend from the route span; the chain breaks after ${chain.join(' ← ')} (in ${where})`)
    chain.push(s.name)
  }
  return chain
}

/** A Chromium profile of its own (removed by `close`). */
async function launchChromium(label, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), `late-e2e-chromium-${label}-`))
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000, viewport: { width: 900, height: 700 }, ...options })
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The standalone server (`output: 'standalone'`) copied to a fresh directory outside the repository,
 * with the static assets beside it: what the Dockerfile's last stage holds.
 */
function copyStandalone() {
  const dir = mkdtempSync(join(tmpdir(), 'late-nextjs-standalone-'))
  cpSync(join(NEXT_DIR, '.next', 'standalone'), dir, { recursive: true })
  cpSync(join(NEXT_DIR, '.next', 'static'), join(dir, '.next', 'static'), { recursive: true })
  const addon = join(dir, 'node_modules', 'late-native')
  assert.ok(existsSync(join(addon, 'index.js')), 'the standalone output has late-native')
  assert.ok(readdirSync(addon).some((f) => /^late-native\..+\.node$/.test(f)), 'the standalone output has the native addon (.node)')
  // late-native requires the API at run time (an optional peer dependency): the trace must keep it.
  assert.ok(existsSync(join(dir, 'node_modules', '@opentelemetry', 'api', 'package.json')), 'the standalone output has @opentelemetry/api for late-native')
  return dir
}

// Without Chromium this suite skips locally, naming the install; under CI=true that skip fails the run.
const noChromium = existsSync(CHROMIUM) ? false : missingTool(`Chromium at ${CHROMIUM}`, 'apt-get install -y chromium, or set CHROMIUM_PATH')

describe('examples/nextjs in Chromium', { timeout: 1_200_000, skip: noChromium }, () => {
  const webhookSecret = `whsec_e2e_${randomBytes(12).toString('hex')}`
  const username = `e2e_${randomBytes(3).toString('hex')}`
  let sim
  let app
  let appOrigin
  let standalone
  let standaloneDir
  let standaloneOrigin
  let browser
  let accountId
  let collector

  before(async () => {
    sim = await startSimulator()
    collector = await startOtlpCollector()
    appOrigin = `http://127.0.0.1:${await freePort()}`
    standaloneOrigin = `http://127.0.0.1:${await freePort()}`
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0 })
    for (const [name, origin] of [['nextjs-e2e', appOrigin], ['nextjs-standalone-e2e', standaloneOrigin]]) {
      await late.request('POST /v1/webhooks/settings', {
        body: { name, url: `${origin}/api/late/webhook`, events: ['account.connected'], secret: webhookSecret, isActive: true },
      })
    }

    if (!skipBuild) {
      await time('nextjs npm install', () => installExample(NEXT_DIR, tarball, 'nextjs-npm-install'))
      await time('next build', () => run('next-build', process.execPath, ['node_modules/next/dist/bin/next', 'build'], { cwd: NEXT_DIR, timeoutMs: 600_000 }))
    }
    const env = childEnv({ LATE_API_KEY: sim.apiKey, LATE_BASE_URL: sim.baseUrl, LATE_WEBHOOK_SECRET: webhookSecret, NODE_ENV: 'production' })
    // Traces of each server go to the collector stub under a path of their own, as JSON, in
    // batches sent every 200 ms (instead of 5 s).
    const otel = (prefix) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}${prefix}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' })
    app = startProcess('next-start', process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', new URL(appOrigin).port], {
      cwd: NEXT_DIR,
      env: { ...env, ...otel('/next-start') },
    })
    standaloneDir = copyStandalone()
    standalone = startProcess('next-standalone', process.execPath, ['server.js'], {
      cwd: standaloneDir,
      env: { ...env, ...otel('/standalone'), HOSTNAME: '127.0.0.1', PORT: new URL(standaloneOrigin).port },
    })
    await time('next start', () => waitForHttp(`${appOrigin}/`, { proc: app, timeoutMs: 60_000 }))
    await time('standalone start', () => waitForHttp(`${standaloneOrigin}/`, { proc: standalone, timeoutMs: 60_000 }))
    browser = await time('chromium launch', () => launchChromium('js'))
  }, { timeout: 1_200_000 })

  after(async () => {
    await browser?.close()
    await app?.stop()
    await standalone?.stop()
    await sim?.close()
    await collector?.close()
    if (standaloneDir) rmSync(standaloneDir, { recursive: true, force: true })
  })

  test('connect Instagram (client component + route handlers): home → consent page → Allow → /connected → the account is listed', { timeout: 120_000 }, async () => {
    accountId = await clientJourney({ context: browser.context, origin: appOrigin, sim, username, shot: 'nextjs' })
  })

  test('the account.connected webhook reached the app and was verified', { timeout: 30_000 }, async () => {
    assert.ok(accountId, 'the connect test above did not connect an account')
    const recorded = await eventually(
      async () => (await getJson(`${appOrigin}/api/late/webhook-events`)).events.find((e) => e.event === 'account.connected' && e.payload?.account?.accountId === accountId),
      { timeoutMs: 15_000, what: 'the account.connected event at /api/late/webhook-events' },
    )
    assert.equal(recorded.verified, true)
    assert.equal(recorded.payload.account.platform, 'instagram')
    assert.equal(recorded.payload.account.username, username)
    // The simulator's delivery log: answered 2xx by the Next route.
    const deliveries = sim.state().webhookLogs.filter((l) => l.eventId === recorded.id)
    assert.ok(deliveries.length >= 1, 'the simulator logged the delivery')
    assert.ok(deliveries.every((l) => l.statusCode >= 200 && l.statusCode < 300), `delivery statuses: ${deliveries.map((l) => l.statusCode)}`)
  })

  test('POST /api/late/webhook rejects bad signatures with 400 and records only valid deliveries', { timeout: 30_000 }, async () => {
    await checkWebhookRejections(appOrigin, webhookSecret)
  })

  test('server-rendered (/server): Suspense fallback, then the Server Component list; the Server Action connects', { timeout: 120_000 }, async () => {
    await serverJourney({ context: browser.context, origin: appOrigin, sim, username: `${username}_sc`, shot: 'nextjs-server' })
  })

  test('OpenTelemetry (instrumentation.ts): a page load is one trace, Next\'s route span with late-native\'s listAccounts span under it; next start and standalone', { timeout: 60_000 }, async (t) => {
    for (const [prefix, origin] of [['/next-start', appOrigin], ['/standalone', standaloneOrigin]]) {
      const chain = await checkPageTrace(collector, prefix, origin, sim)
      t.diagnostic(`${prefix}: ${chain.join(' ← ')}`)
      writeFileSync(join(OUT, `otel-spans${prefix.replace('/', '-')}.json`), JSON.stringify(collector.spans(prefix), null, 1))
    }
    assert.equal(collector.rejected, 0, 'everything exported was OTLP/HTTP JSON to /v1/traces')
  })

  test('the Server Action works with JavaScript disabled', { timeout: 120_000 }, async () => {
    const noJs = await launchChromium('nojs', { javaScriptEnabled: false })
    try {
      await serverJourney({ context: noJs.context, origin: appOrigin, sim, username: `${username}_nojs`, shot: 'nextjs-server-nojs', javaScript: false })
    } finally {
      await noJs.close()
    }
  })

  test('standalone build (output: standalone), copied out of the repository and run with `node server.js`: the same journeys and the webhook', { timeout: 180_000 }, async () => {
    const id = await clientJourney({ context: browser.context, origin: standaloneOrigin, sim, username: `${username}_sa`, shot: 'nextjs-standalone' })
    await serverJourney({ context: browser.context, origin: standaloneOrigin, sim, username: `${username}_sa_sc`, shot: 'nextjs-standalone-server' })
    const recorded = await eventually(
      async () => (await getJson(`${standaloneOrigin}/api/late/webhook-events`)).events.find((e) => e.payload?.account?.accountId === id),
      { timeoutMs: 15_000, what: 'the account.connected event at the standalone server' },
    )
    assert.equal(recorded.verified, true)
    await checkWebhookRejections(standaloneOrigin, webhookSecret)
  })

  test('both patterns show their error states when Late cannot be reached', { timeout: 120_000 }, async () => {
    const port = await freePort()
    const deadPort = await freePort() // nothing listens there
    const origin = `http://127.0.0.1:${port}`
    const broken = startProcess('next-start-unreachable', process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: NEXT_DIR,
      env: childEnv({ LATE_API_KEY: sim.apiKey, LATE_BASE_URL: `http://127.0.0.1:${deadPort}/api`, LATE_WEBHOOK_SECRET: webhookSecret, NODE_ENV: 'production' }),
    })
    try {
      await waitForHttp(`${origin}/`, { proc: broken, timeoutMs: 60_000 })
      const { page } = await openPage(browser.context)
      await page.goto(`${origin}/`)
      await page.getByText('Could not load accounts: Late could not be reached').waitFor()
      await page.getByRole('button', { name: 'Connect Instagram' }).click()
      await page.getByText('Could not start the connection: Late could not be reached').waitFor()
      assert.equal(new URL(page.url()).origin, origin, 'stays on the app')
      assert.equal(await page.getByRole('button', { name: 'Connect Instagram' }).isEnabled(), true, 'the button is usable again')
      await page.screenshot({ path: join(OUT, 'nextjs-error-state.png') })

      // The Server Component's error reaches the error boundary; the Server Action redirects back with the problem.
      await page.goto(`${origin}/server`)
      await page.getByText(/Could not load accounts \(error \w+, see the server log\)/).waitFor()
      await Promise.all([page.waitForURL((u) => u.pathname === '/server' && u.searchParams.get('connectError') === 'unreachable'), page.getByRole('button', { name: 'Connect Instagram' }).click()])
      await page.getByText('Could not start the connection: Late could not be reached').waitFor()
      await page.getByText(/Could not load accounts \(error \w+, see the server log\)/).waitFor()
      await page.screenshot({ path: join(OUT, 'nextjs-server-error-state.png') })
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
