'use strict'

/**
 * The official SDK's error classes (`@zernio/node` `errors.ts`), on late-native's: a
 * `ZernioApiError` carries the official fields (`statusCode`, `code`, `type`, `param`, `details`,
 * `docUrl`, `platform`, `platformError`, `body`) and helpers (`isRateLimited()`, …), and is also a
 * late-native `LateApiError` (`status`, `requestId`, `headers`, `attempts`, `retryAfterMs`,
 * `rateLimit`), so both kinds of `catch` work.
 */

const { LateApiError, LateValidationError, NOT_REPLAYED, envelopeOf: envelope } = require('../errors.js')
const v = require('../validate.js')

/** The status of `self`, a ZernioApiError (a helper called detached names `this`). */
function statusOf(self, method) {
  if (!(self instanceof ZernioApiError)) {
    throw new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on a ZernioApiError`, { param: 'this' })
  }
  return self.statusCode
}

/** An API error, as the official SDK shapes it. `new ZernioApiError(message, statusCode, code?, details?, body?)`. */
class ZernioApiError extends LateApiError {
  constructor(message, statusCode, code, details, body) {
    const env = envelope(body)
    super(message, { status: statusCode, code, body: env, details, type: env && env.type, param: env && env.param })
    this.name = 'ZernioApiError'
    /** HTTP status (late-native's `status`). */
    this.statusCode = statusCode
    // `details` is only what was given, as in the official SDK (LateApiError falls back to the
    // envelope's); `code`, `type`, `param`, `docUrl`, `platform`, `platformError` and `body` are
    // the envelope's, set by LateApiError from the fields above.
    this.details = details
  }

  /** A 429. */
  isRateLimited() {
    return statusOf(this, 'isRateLimited') === 429
  }

  /** A 401. */
  isAuthError() {
    return statusOf(this, 'isAuthError') === 401
  }

  /** A 403. */
  isForbidden() {
    return statusOf(this, 'isForbidden') === 403
  }

  /** A 404. */
  isNotFound() {
    return statusOf(this, 'isNotFound') === 404
  }

  /** A 400. */
  isValidationError() {
    return statusOf(this, 'isValidationError') === 400
  }

  /** A 402. */
  isPaymentRequired() {
    return statusOf(this, 'isPaymentRequired') === 402
  }
}

/** A 429, with the `X-RateLimit-*` headers (`limit`, `remaining`, `resetAt` as a Date). */
class RateLimitError extends ZernioApiError {
  constructor(message, limit, remaining, resetAt, body) {
    const env = envelope(body)
    super(message, 429, (env && env.code) ?? 'rate_limit_exceeded', env && env.details, env)
    this.name = 'RateLimitError'
    /** Requests allowed per window. */
    this.limit = limit
    /** Requests left in the window. */
    this.remaining = remaining
    /** When the window resets. */
    this.resetAt = resetAt
  }

  /** Seconds until `resetAt`, or undefined without one. */
  getSecondsUntilReset() {
    statusOf(this, 'getSecondsUntilReset')
    if (!(this.resetAt instanceof Date)) return undefined
    return Math.max(0, Math.ceil((this.resetAt.getTime() - Date.now()) / 1000))
  }
}

/** A 400 whose `details` name fields: `fields` maps each field to its messages. */
class ValidationError extends ZernioApiError {
  constructor(message, fields, body) {
    const env = envelope(body)
    super(message, 400, (env && env.code) ?? 'validation_error', (env && env.details) ?? { fields }, env)
    this.name = 'ValidationError'
    /** Field → messages. */
    this.fields = fields
  }
}

function int(value) {
  return value ? parseInt(value, 10) : undefined
}

/**
 * The official SDK's mapping of an error response (`{ status, statusText, headers }`) and its
 * parsed body. Input it cannot read is a LateValidationError naming `response` or `body`.
 */
function parseApiError(response, body) {
  if (response === null || typeof response !== 'object') {
    throw new LateValidationError(`invalid \`response\`: expected a fetch Response or { status, statusText, headers }, got ${v.describe(response)}`, {
      param: 'response',
    })
  }
  const r = v.reading('response', () => ({ status: response.status, statusText: response.statusText, headers: response.headers }))
  const header = (name) => v.reading('response.headers', () => (r.headers && typeof r.headers.get === 'function' ? r.headers.get(name) : undefined))
  const env = envelope(body)
  const { message, details, code } = v.reading('body', () => ({
    message: (env && (env.error || env.message)) || r.statusText || 'Unknown error',
    details: env && env.details,
    code: env && env.code,
  }))
  if (r.status === 429) {
    const reset = header('X-RateLimit-Reset')
    return new RateLimitError(
      message,
      int(header('X-RateLimit-Limit')),
      int(header('X-RateLimit-Remaining')),
      reset ? new Date(parseInt(reset, 10) * 1000) : undefined,
      env,
    )
  }
  const fields = v.reading('body', () => r.status === 400 && details && details.fields)
  if (fields) return new ValidationError(message, fields, env)
  return new ZernioApiError(message, r.status, code, details, env)
}

/** A late-native `LateApiError` as the official SDK would have thrown it, keeping late-native's fields. */
function fromLateApiError(e) {
  const headers = new Headers(e.headers || {})
  const z = parseApiError({ status: e.status, statusText: require('node:http').STATUS_CODES[e.status] || '', headers }, e.body)
  z.requestId = e.requestId
  z.headers = e.headers
  z.retryAfterMs = e.retryAfterMs
  z.rateLimit = e.rateLimit
  z.attempts = e.attempts
  if (e.idempotencyKey !== undefined) z.idempotencyKey = e.idempotencyKey
  if (e.mayHaveBeenProcessed !== undefined) z.mayHaveBeenProcessed = e.mayHaveBeenProcessed
  // Why it was not sent again: the official message, then the core's sentence.
  if (e[NOT_REPLAYED] !== undefined) z.message = `${z.message}; ${e[NOT_REPLAYED]}`
  z.stack = `${z.name}: ${z.message}\n${(e.stack || '').split('\n').slice(1).join('\n')}`
  return z
}

module.exports = { ZernioApiError, RateLimitError, ValidationError, parseApiError, fromLateApiError }
