#!/usr/bin/env node
'use strict'
/**
 * `npm run demo`: the integration guide's four steps, end to end, against the built-in
 * simulator (no key, no network):
 *   1. the server asks Late for an Instagram connection URL;
 *   2. the customer grants access (followed automatically, like a browser would; or open the
 *      printed URL yourself with `--wait`);
 *   3. Late's `account.connected` webhook reaches a local endpoint and is verified;
 *   4. `listAccounts` shows the new Instagram account.
 *
 * `npm run demo -- --live` (with LATE_API_KEY set) runs step 1 against the real API instead and
 * prints the real connection URL.
 */

const http = require('node:http')
const { LateClient, parseConnectCallback, verifyWebhook } = require('../index.js')

const args = process.argv.slice(2)
const live = args.includes('--live')
const wait = args.includes('--wait')

const bold = (t) => (process.stdout.isTTY ? `\x1b[1m${t}\x1b[0m` : t)
const step = (n, text) => console.log(`\n${bold(`${n}. ${text}`)}`)
const info = (text) => console.log(`   ${text}`)

async function runLive() {
  if (!process.env.LATE_API_KEY && !process.env.ZERNIO_API_KEY) {
    console.error('--live needs LATE_API_KEY (or ZERNIO_API_KEY) in the environment.')
    process.exit(2)
  }
  const late = new LateClient()
  step(1, `Connection URL for Instagram from ${late.baseUrl}`)
  const { connectUrl } = await late.connectInstagram({ redirectUrl: process.env.LATE_REDIRECT_URL })
  info(connectUrl)
}

/** The app's own little backend: the redirect target and the webhook endpoint. */
function startApp(secret) {
  let onConnected
  let onWebhook
  const connected = new Promise((resolve) => (onConnected = resolve))
  const webhook = new Promise((resolve) => (onWebhook = resolve))
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    if (req.method === 'GET' && url.pathname === '/connected') {
      const result = parseConnectCallback(url)
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(result.ok ? `Connected ${result.platform} account @${result.username}. You can close this tab.` : `Connect failed: ${result.error}`)
      onConnected(result)
      return
    }
    if (req.method === 'POST' && url.pathname === '/webhooks/late') {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        const raw = Buffer.concat(chunks)
        try {
          const event = verifyWebhook(raw, req.headers, secret)
          res.writeHead(200).end()
          onWebhook({ event, signature: req.headers['x-zernio-signature'] })
        } catch (e) {
          res.writeHead(400).end(e.message)
        }
      })
      return
    }
    res.writeHead(404).end()
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`
      resolve({ origin, connected, webhook, close: () => new Promise((r) => server.close(r)) })
    })
  })
}

/** What a browser does on the consent page: load it, press Allow, follow the redirect. */
async function actLikeABrowser(connectUrl, username) {
  const page = await fetch(connectUrl)
  const html = await page.text()
  const action = /<form[^>]*action="([^"]+)"/.exec(html)
  if (!action) throw new Error('the consent page has no form')
  const submit = await fetch(new URL(action[1], connectUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, decision: 'allow' }),
    redirect: 'manual',
  })
  const location = submit.headers.get('location')
  if (!location) throw new Error(`the consent page answered ${submit.status} without a redirect`)
  await fetch(location)
  return location
}

async function runSimulated() {
  const { startSimulator } = require('../testing.js')
  const secret = 'whsec_demo_only'
  const sim = await startSimulator()
  const app = await startApp(secret)
  try {
    console.log(`Late API simulator on ${sim.baseUrl} (key ${sim.apiKey}); the app on ${app.origin}`)
    const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl })
    await late.request('POST /v1/webhooks/settings', {
      body: { name: 'demo', url: `${app.origin}/webhooks/late`, events: ['account.connected'], secret, isActive: true },
    })

    step(1, 'Server: ask Late for an Instagram connection URL (default profile)')
    const { connectUrl, state } = await late.connectInstagram({ redirectUrl: `${app.origin}/connected` })
    info(`connectUrl: ${connectUrl}`)
    info(`state:      ${state}`)

    step(2, 'Customer: open the URL and grant access')
    let callback
    if (wait) {
      info('Open the URL above in a browser and press Allow; waiting…')
      callback = await app.connected
    } else {
      info('(followed automatically, as a browser would; run with --wait to click it yourself)')
      const location = await actLikeABrowser(connectUrl, 'acme_studio')
      info(`redirected to: ${location}`)
      callback = await app.connected
    }
    if (!callback.ok) throw new Error(`the customer denied access: ${callback.error}`)
    info(`parseConnectCallback → ${JSON.stringify(callback)}`)

    step(3, 'Late → server: the account.connected webhook, signature verified')
    const { event, signature } = await Promise.race([
      app.webhook,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no webhook within 10 s')), 10_000)),
    ])
    info(`X-Zernio-Signature: ${signature.slice(0, 16)}… (HMAC-SHA256 of the raw body: valid)`)
    info(`event ${event.event} ${event.id}: ${JSON.stringify(event.account)}`)

    step(4, "Server: list the profile's accounts and find the Instagram one")
    const accounts = await late.listAccounts({ platform: 'instagram' })
    const ig = accounts.find((a) => a._id === callback.accountId)
    if (!ig) throw new Error('the new account is not listed')
    info(`${accounts.length} Instagram account(s); the new one: _id=${ig._id} username=${ig.username} platform=${ig.platform}`)
    console.log('\nDone: the Instagram account is connected and listed.')
  } finally {
    await app.close()
    await sim.close()
  }
}

;(live ? runLive() : runSimulated()).catch((e) => {
  console.error(`\ndemo failed: ${e.message}`)
  process.exit(1)
})
