'use strict'

/**
 * The `rateLimit` client option: pacing under the team's rate limit (on by default), alone or
 * shared by every process on the key through Redis. The pacing itself runs in Rust
 * (crates/late-core/src/policy/pacing); this file checks the option's JS shape and hands it
 * over; the core checks its values.
 */

const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')

const KEYS = ['windowMs', 'limit', 'redis']

/**
 * Checks `rateLimit`: `undefined`/`true` (pacing on, defaults), `false` (off), or
 * `{ windowMs?, limit?, redis? }`. Returns the value to keep (never shown: `redis` may hold a
 * password).
 */
function checkRateLimit(value) {
  if (value === undefined || value === true || value === false) return value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LateValidationError(
      'invalid `rateLimit`: expected false, or an object { windowMs?, limit?, redis? }',
      { param: 'rateLimit' },
    )
  }
  // A plain copy: getters and Proxy traps run once, and what they throw names `rateLimit`.
  value = v.record(value, 'rateLimit')
  v.knownKeys(value, KEYS, 'rateLimit')
  // Only the JS types, to cross to Rust: the ranges and the Redis URL are checked by the core
  // (late_core::PacingConfig::from_option), which names the parameter the same way.
  v.optionalNumber(value.windowMs, 'rateLimit.windowMs')
  v.optionalNumber(value.limit, 'rateLimit.limit')
  if (value.redis !== undefined && typeof value.redis !== 'string') {
    // The value is never echoed: a Redis URL may carry a password.
    throw new LateValidationError('invalid `rateLimit.redis`: expected a redis:// or rediss:// URL', {
      param: 'rateLimit.redis',
    })
  }
  return { ...value }
}

/** The native form of a checked `rateLimit`. */
function nativeRateLimit(value) {
  if (value === undefined || value === true) return undefined
  if (value === false) return { enabled: false }
  return { enabled: true, windowMs: value.windowMs, limit: value.limit, redis: value.redis }
}

module.exports = { checkRateLimit, nativeRateLimit }
