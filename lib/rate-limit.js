'use strict'

/**
 * The `rateLimit` client option: pacing under the team's rate limit (on by default), alone or
 * shared by every process on the key through Redis. The pacing itself runs in Rust
 * (crates/late-core/src/pacing); this file checks the option and hands it over.
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
  v.optionalPositiveNumber(value.windowMs, 'rateLimit.windowMs')
  if (value.limit !== undefined && (!Number.isInteger(value.limit) || value.limit < 1)) {
    throw new LateValidationError('invalid `rateLimit.limit`: expected a positive integer (requests per window)', {
      param: 'rateLimit.limit',
    })
  }
  if (value.redis !== undefined && (typeof value.redis !== 'string' || !/^(rediss?|valkeys?):\/\/./i.test(value.redis))) {
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
