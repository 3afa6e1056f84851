import 'server-only'
import type { RecordedWebhookEvent } from './types'

// In memory, per server process: enough for a demo. Kept on globalThis so every route bundle
// (and dev-mode reloads) share one list. A real app writes to its database instead.
const store = globalThis as typeof globalThis & { __lateWebhookEvents?: RecordedWebhookEvent[] }
const events = (store.__lateWebhookEvents ??= [])
const MAX_EVENTS = 100

/** Records a verified event once per id (Late retries deliveries); returns false for a duplicate. */
export function recordWebhookEvent(entry: RecordedWebhookEvent): boolean {
  if (entry.id && events.some((e) => e.id === entry.id)) return false
  events.push(entry)
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS)
  return true
}

export function listWebhookEvents(): readonly RecordedWebhookEvent[] {
  return events
}
