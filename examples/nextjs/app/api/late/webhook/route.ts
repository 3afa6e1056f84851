import { verifyWebhook, WebhookVerificationError } from 'late-native'
import { recordWebhookEvent } from '@/lib/webhook-events'

export const runtime = 'nodejs'

/**
 * POST /api/late/webhook: Late's signed deliveries. The signature is an HMAC of the exact
 * bytes sent, so read the RAW body with `req.text()`; never `req.json()` and re-serialise.
 */
export async function POST(req: Request): Promise<Response> {
  const secret = process.env.LATE_WEBHOOK_SECRET
  if (!secret) {
    console.error('[late] LATE_WEBHOOK_SECRET is not set')
    return Response.json({ error: 'webhook secret not configured' }, { status: 500 })
  }
  const rawBody = await req.text()
  let event
  try {
    event = verifyWebhook(rawBody, req.headers, secret)
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      return Response.json({ error: err.reason }, { status: 400 })
    }
    throw err
  }
  // Dedupe on the signed payload id: the signature covers the body only, not the X-Zernio-Event-Id
  // header. (createWebhookHandler does this, refuses stale events and shares a store across instances.)
  const id = event.id ?? null
  const isNew = recordWebhookEvent({
    id,
    event: event.event,
    receivedAt: new Date().toISOString(),
    verified: true,
    payload: event,
  })
  if (isNew && event.event === 'account.connected') {
    console.log(`[late] ${event.account.platform} account connected: @${event.account.username}`)
  }
  return Response.json({ received: true, duplicate: !isNew })
}
