/**
 * Pacing under the team's rate limit: the `rateLimit` option of `LateClient` and
 * `LateClient.pacing`.
 *
 * @packageDocumentation
 */

import type { NativePacingStats } from '../native'

/**
 * The `rateLimit` option. Pacing is on by default: the client learns the limit from
 * `X-RateLimit-*`, spaces calls so a burst queues instead of drawing 429s, and a 429 pauses
 * every call of the client (and its `withOptions` clones) until its `Retry-After`. `false`
 * turns it off (429s are then only retried, like any retryable error).
 *
 * @example
 * ```ts
 * // Every process on the key draws from one window in Redis; a 429 seen by any pauses all.
 * const late = new LateClient({ rateLimit: { redis: process.env.REDIS_URL } })
 * // Tests against a simulator with a 2 s window:
 * const test = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, rateLimit: { windowMs: 2000 } })
 * ```
 */
export type RateLimitOption = boolean | RateLimitSettings

/** Settings of {@link RateLimitOption}. */
export interface RateLimitSettings {
  /**
   * The team's window in ms. Default 60 000 (the API's minute); set it for a simulator with a
   * shorter window (`X-RateLimit-Reset` is in whole seconds, too coarse to learn one from).
   */
  windowMs?: number
  /** Requests per window, instead of what `X-RateLimit-Limit` says (e.g. to leave room for others). */
  limit?: number
  /**
   * `redis://…` or `rediss://…` (TLS): share one window with every process on the same API key
   * (identified in Redis by a hash of the key, never the key). When Redis is unreachable or
   * slow, calls go on paced locally with this process's share of the limit (`pacing.mode` is
   * `'fallback'`, a line is logged) and rejoin when it is back: a Redis problem never fails a call.
   */
  redis?: string
}

/**
 * What pacing does and did: {@link LateClient.pacing}. The counters are the native layer's
 * (`NativePacingStats`, documented in src/pacing.rs), with `mode` narrowed.
 *
 * @example
 * ```ts
 * const { mode, queued, fallbacks } = late.pacing
 * if (mode === 'fallback') console.warn('Redis is away: pacing locally')
 * ```
 */
export interface PacingStats extends Omit<NativePacingStats, 'mode'> {
  /** `off`, `local` (this client alone), `redis` (the shared window), `fallback` (Redis configured but away). */
  mode: 'off' | 'local' | 'redis' | 'fallback'
}
