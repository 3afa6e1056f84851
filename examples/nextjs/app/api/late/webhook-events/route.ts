import { listWebhookEvents } from '@/lib/webhook-events'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

/** GET /api/late/webhook-events: what the webhook route verified and recorded (demo and tests only). */
export function GET(): Response {
  return Response.json({ events: listWebhookEvents() })
}
