/**
 * Pacing under the team's rate limit: the `rateLimit` option of `LateClient` and
 * `LateClient.pacing`. Pacing is on by default, alone or shared by every process on the key
 * through Redis. The pacing itself runs in Rust (crates/late-core/src/policy/pacing); this file
 * checks the option's JS shape and hands it over; the core checks its values.
 *
 * @packageDocumentation
 */

import { LateValidationError } from './errors.js'
import * as v from './validate.js'
import type { NativePacingStats, RateLimitOptions } from '../native.js'

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

/**
 * Settings of {@link RateLimitOption}.
 * @example
 * ```ts
 * const settings: RateLimitSettings = { limit: 100, redis: process.env.REDIS_URL }
 * const late = new LateClient({ rateLimit: settings })
 * ```
 */
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

const KEYS: readonly string[] = ['windowMs', 'limit', 'redis']

/**
 * @internal Checks `rateLimit`: `undefined`/`true` (pacing on, defaults), `false` (off), or
 * `{ windowMs?, limit?, redis? }`. Returns the value to keep (never shown: `redis` may hold a
 * password).
 */
export function checkRateLimit(value: unknown): RateLimitOption | undefined {
  if (value === undefined || value === true || value === false) return value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LateValidationError(
      'invalid `rateLimit`: expected false, or an object { windowMs?, limit?, redis? }',
      { param: 'rateLimit' },
    )
  }
  // A plain copy: getters and Proxy traps run once, and what they throw names `rateLimit`.
  const settings = v.record<{ windowMs?: unknown; limit?: unknown; redis?: unknown }>(value, 'rateLimit')
  v.knownKeys(settings, KEYS, 'rateLimit')
  // Only the JS types, to cross to Rust: the ranges and the Redis URL are checked by the core
  // (late_core::PacingConfig::from_option), which names the parameter the same way.
  v.optionalNumber(settings.windowMs, 'rateLimit.windowMs')
  v.optionalNumber(settings.limit, 'rateLimit.limit')
  if (settings.redis !== undefined && typeof settings.redis !== 'string') {
    // The value is never echoed: a Redis URL may carry a password.
    throw new LateValidationError('invalid `rateLimit.redis`: expected a redis:// or rediss:// URL', {
      param: 'rateLimit.redis',
    })
  }
  return { ...settings } as RateLimitSettings
}

/** @internal The native form of a checked `rateLimit`. */
export function nativeRateLimit(value: RateLimitOption | undefined): RateLimitOptions | undefined {
  if (value === undefined || value === true) return undefined
  if (value === false) return { enabled: false }
  return { enabled: true, windowMs: value.windowMs, limit: value.limit, redis: value.redis }
}
