// The server side of the Next.js example, with Express 5:
//   POST /api/late/connect   → { connectUrl }  (the browser is then sent there)
//   GET  /api/late/accounts  → { accounts }    (the connected Instagram accounts)
//   POST /api/late/webhook   ← Late's signed deliveries, verified on the RAW body
//   GET  /connected          ← where Late sends the browser back
//   GET  /                   a tiny page with a "Connect Instagram" button
import express from 'express'
import {
  LateApiError,
  LateClient,
  LateConnectionError,
  parseConnectCallback,
  verifyWebhook,
  WebhookVerificationError,
} from 'late-native'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const webhookSecret = process.env.LATE_WEBHOOK_SECRET
const profileId = process.env.LATE_PROFILE_ID || undefined
if (!webhookSecret) throw new Error('Set LATE_WEBHOOK_SECRET (the secret of your Late webhook).')

// One client for the whole process; throws at start if LATE_API_KEY is missing.
const late = new LateClient({ apiKey: process.env.LATE_API_KEY, baseUrl: process.env.LATE_BASE_URL, timeoutMs: 15_000 })

/** Verified events, newest last; a real app writes them to its database. */
const events = []

const app = express()

// The webhook route parses its own body: the signature is an HMAC of the exact bytes sent, so it
// needs the raw Buffer. Do not let a global `express.json()` run before it.
app.post('/api/late/webhook', express.raw({ type: 'application/json', limit: '1mb' }), (req, res) => {
  let event
  try {
    event = verifyWebhook(req.body ?? '', req.headers, webhookSecret)
  } catch (err) {
    if (err instanceof WebhookVerificationError) return res.status(400).json({ error: err.reason })
    throw err
  }
  // Dedupe on the signed payload id: the signature covers the body only, not the X-Zernio-Event-Id
  // header. (createWebhookHandler does this, refuses stale events and shares a store across instances.)
  const id = event.id ?? null
  const duplicate = id !== null && events.some((e) => e.id === id) // Late retries deliveries
  if (!duplicate) {
    events.push({ id, event: event.event, receivedAt: new Date().toISOString(), verified: true, payload: event })
    if (event.event === 'account.connected') {
      console.log(`[late] ${event.account.platform} account connected: @${event.account.username}`)
    }
  }
  res.json({ received: true, duplicate })
})

app.post('/api/late/connect', async (req, res) => {
  const origin = process.env.APP_URL ?? `${req.protocol}://${req.get('host')}`
  const { connectUrl } = await late.connectInstagram({ profileId, redirectUrl: `${origin}/connected` })
  res.json({ connectUrl })
})

app.get('/api/late/accounts', async (_req, res) => {
  const found = await late.listAccounts({ profileId, platform: 'instagram' })
  res.json({
    accounts: found.map((a) => ({
      id: a._id,
      username: a.username ?? null,
      displayName: a.displayName ?? null,
      profilePicture: a.profilePicture ?? null,
      isActive: a.isActive,
    })),
  })
})

// Demo and tests only: what the webhook route verified.
app.get('/api/late/webhook-events', (_req, res) => res.json({ events }))

app.get('/connected', (req, res) => {
  let result = null
  try {
    result = parseConnectCallback(req.query)
  } catch {
    // opened without a connect result
  }
  const message = result?.ok
    ? `Instagram connected: <strong>@${escapeHtml(result.username ?? '')}</strong> (account <code>${escapeHtml(result.accountId ?? '')}</code>).`
    : `Instagram was not connected: ${escapeHtml(result ? result.errorMessage ?? result.error : 'no connect result in this URL')}.`
  res.type('html').send(page(`<p>${message}</p><p><a href="/">← Back to your accounts</a></p>`))
})

app.get('/', (_req, res) => {
  res.type('html').send(
    page(`<button id="connect">Connect Instagram</button> <span id="status"></span><ul id="accounts"><li>Loading…</li></ul>
<script type="module">
const status = document.getElementById('status')
const list = document.getElementById('accounts')
const json = async (res) => { const body = await res.json(); if (!res.ok) throw new Error(body.error ?? res.status); return body }
fetch('/api/late/accounts').then(json).then(({ accounts }) => {
  list.replaceChildren(...accounts.map((a) => Object.assign(document.createElement('li'), { textContent: '@' + a.username })))
  if (!accounts.length) list.innerHTML = '<li>No Instagram account connected yet.</li>'
}, (e) => { list.innerHTML = ''; status.textContent = 'Could not load accounts: ' + e.message })
document.getElementById('connect').onclick = async (e) => {
  e.target.disabled = true
  status.textContent = 'Redirecting…'
  try { location.assign((await json(await fetch('/api/late/connect', { method: 'POST' }))).connectUrl) }
  catch (err) { e.target.disabled = false; status.textContent = 'Could not start the connection: ' + err.message }
}
</script>`),
  )
})

// Failed Late calls: log the details, answer the browser without internals.
app.use((err, _req, res, _next) => {
  console.error('[late]', err)
  if (err instanceof LateApiError) return res.status(502).json({ error: `Late answered ${err.status}`, requestId: err.requestId })
  if (err instanceof LateConnectionError) return res.status(502).json({ error: 'Late could not be reached' })
  res.status(500).json({ error: 'Internal error' })
})

const server = app.listen(port, host, () => {
  const { port: actual } = server.address()
  console.log(`Express example listening on http://${host}:${actual}`)
})

function page(body) {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Connect Instagram · late-native + Express</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>Social accounts</h1>${body}</body></html>`
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
