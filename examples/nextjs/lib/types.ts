/** What the browser gets for each connected Instagram account (not the whole SocialAccount). */
export interface InstagramAccount {
  id: string
  username: string | null
  displayName: string | null
  profilePicture: string | null
  isActive: boolean
}

/** A verified webhook delivery, as recorded by POST /api/late/webhook. */
export interface RecordedWebhookEvent {
  /** `X-Zernio-Event-Id` (else the payload `id`). */
  id: string | null
  /** e.g. `account.connected`. */
  event: string
  receivedAt: string
  /** Always true: unverified deliveries are rejected with 400 and never recorded. */
  verified: true
  payload: unknown
}
