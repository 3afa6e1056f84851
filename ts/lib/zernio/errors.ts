/**
 * The official SDK's error classes (`@zernio/node` `errors.ts`), on late-native's: a
 * `ZernioApiError` carries the official fields (`statusCode`, `code`, `type`, `param`, `details`,
 * `docUrl`, `platform`, `platformError`, `body`) and helpers (`isRateLimited()`, …), and is also a
 * late-native `LateApiError` (`status`, `requestId`, `headers`, `attempts`, `retryAfterMs`,
 * `rateLimit`), so both kinds of `catch` work.
 */

import { LateApiError, LateValidationError, NOT_REPLAYED, envelopeOf as envelope } from '../errors.js'
import type { ErrorEnvelope } from '../errors.js'
import * as v from '../validate.js'

/** The API's error envelope (`{ error, code, type, param, details, … }`), as far as it is read here. */
export type Envelope = ErrorEnvelope

/** A view of an error whose read-only fields this module fills in (as lib/errors.js' own constructors do). */
type Filled<T> = { -readonly [K in keyof T]: T[K] }

/** The status of `self`, a ZernioApiError (a helper called detached names `this`). */
function statusOf(self: unknown, method: string): number {
  if (!(self instanceof ZernioApiError)) {
    throw new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on a ZernioApiError`, { param: 'this' })
  }
  return self.statusCode
}

/**
 * An API error, as the official SDK shapes it. `new ZernioApiError(message, statusCode, code?, details?, body?)`.
 * @example
 * ```ts
 * catch (e) { if (e instanceof ZernioApiError && e.isNotFound()) return null }
 * ```
 */
export class ZernioApiError extends LateApiError {
  /** HTTP status (late-native's `status`). */
  declare readonly statusCode: number

  constructor(message: string, statusCode: number, code?: string, details?: Record<string, unknown>, body?: unknown) {
    const env = envelope(body)
    super(message, { status: statusCode, code, body: env, details, type: env && env.type, param: env && env.param })
    const self = this as Filled<ZernioApiError>
    self.name = 'ZernioApiError'
    self.statusCode = statusCode
    // `details` is only what was given, as in the official SDK (LateApiError falls back to the
    // envelope's); `code`, `type`, `param`, `docUrl`, `platform`, `platformError` and `body` are
    // the envelope's, set by LateApiError from the fields above.
    self.details = details
  }

  /** A 429. */
  isRateLimited(): boolean {
    return statusOf(this, 'isRateLimited') === 429
  }

  /** A 401. */
  isAuthError(): boolean {
    return statusOf(this, 'isAuthError') === 401
  }

  /** A 403. */
  isForbidden(): boolean {
    return statusOf(this, 'isForbidden') === 403
  }

  /** A 404. */
  isNotFound(): boolean {
    return statusOf(this, 'isNotFound') === 404
  }

  /** A 400. */
  isValidationError(): boolean {
    return statusOf(this, 'isValidationError') === 400
  }

  /** A 402. */
  isPaymentRequired(): boolean {
    return statusOf(this, 'isPaymentRequired') === 402
  }
}

/**
 * A 429, with the `X-RateLimit-*` headers (`limit`, `remaining`, `resetAt` as a Date).
 * @example
 * ```ts
 * if (e instanceof RateLimitError) await sleep((e.getSecondsUntilReset() ?? 1) * 1000)
 * ```
 */
export class RateLimitError extends ZernioApiError {
  /** Requests allowed per window. */
  declare readonly limit: number | undefined
  /** Requests left in the window. */
  declare readonly remaining: number | undefined
  /** When the window resets. */
  declare readonly resetAt: Date | undefined

  constructor(message: string, limit?: number, remaining?: number, resetAt?: Date, body?: unknown) {
    const env = envelope(body)
    super(message, 429, (env && env.code) ?? 'rate_limit_exceeded', env && env.details, env)
    const self = this as Filled<RateLimitError>
    self.name = 'RateLimitError'
    self.limit = limit
    self.remaining = remaining
    self.resetAt = resetAt
  }

  /** Seconds until `resetAt`, or undefined without one. */
  getSecondsUntilReset(): number | undefined {
    statusOf(this, 'getSecondsUntilReset')
    if (!(this.resetAt instanceof Date)) return undefined
    return Math.max(0, Math.ceil((this.resetAt.getTime() - Date.now()) / 1000))
  }
}

/**
 * A 400 whose `details` name fields: `fields` maps each field to its messages.
 * @example
 * ```ts
 * if (e instanceof ValidationError) for (const [field, messages] of Object.entries(e.fields)) console.error(field, messages)
 * ```
 */
export class ValidationError extends ZernioApiError {
  /** Field → messages. */
  declare readonly fields: Record<string, string[]>

  constructor(message: string, fields: Record<string, string[]>, body?: unknown) {
    const env = envelope(body)
    super(message, 400, (env && env.code) ?? 'validation_error', (env && env.details) ?? { fields }, env)
    const self = this as Filled<ValidationError>
    self.name = 'ValidationError'
    self.fields = fields
  }
}

function int(value: string | null | undefined): number | undefined {
  return value ? parseInt(value, 10) : undefined
}

/**
 * The official SDK's mapping of an error response (`{ status, statusText, headers }`) and its
 * parsed body. Input it cannot read is a LateValidationError naming `response` or `body`.
 * @example
 * ```ts
 * const res = await fetch(url)
 * if (!res.ok) throw parseApiError(res, await res.json().catch(() => undefined))
 * ```
 */
export function parseApiError(response: unknown, body: unknown): ZernioApiError {
  if (response === null || typeof response !== 'object') {
    throw new LateValidationError(`invalid \`response\`: expected a fetch Response or { status, statusText, headers }, got ${v.describe(response)}`, {
      param: 'response',
    })
  }
  const res = response as { status?: unknown; statusText?: unknown; headers?: unknown }
  // The official SDK reads these as a fetch Response has them; what else is there is used as it is.
  const r = v.reading('response', () => ({
    status: res.status as number,
    statusText: res.statusText as string,
    headers: res.headers as { get?: unknown } | null | undefined,
  }))
  const header = (name: string): string | null | undefined =>
    v.reading('response.headers', () => (r.headers && typeof r.headers.get === 'function' ? (r.headers as Headers).get(name) : undefined))
  const env = envelope(body)
  const { message, details, code } = v.reading('body', () => ({
    message: ((env && (env.error || env.message)) || r.statusText || 'Unknown error') as string,
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
  const fields = v.reading('body', () => (r.status === 400 && details && details.fields) as Record<string, string[]> | false | undefined)
  if (fields) return new ValidationError(message, fields, env)
  return new ZernioApiError(message, r.status, code, details, env)
}

let statusCodes: Record<number, string | undefined> | undefined
/** The reason phrase of `status` (node:http loaded on first use, as before). */
function reasonPhrase(status: number): string {
  statusCodes ??= (require('node:http') as typeof import('node:http')).STATUS_CODES
  return statusCodes[status] || ''
}

/**
 * A late-native `LateApiError` as the official SDK would have thrown it, keeping late-native's fields.
 * @example
 * ```ts
 * try { await late.posts.getPost({ path: { postId } }) } catch (e) { throw e instanceof LateApiError ? fromLateApiError(e) : e }
 * ```
 */
export function fromLateApiError(e: LateApiError): ZernioApiError {
  const headers = new Headers(e.headers || {})
  const z = parseApiError({ status: e.status, statusText: reasonPhrase(e.status), headers }, e.body) as Filled<ZernioApiError>
  z.requestId = e.requestId
  z.headers = e.headers
  z.retryAfterMs = e.retryAfterMs
  z.rateLimit = e.rateLimit
  z.attempts = e.attempts
  if (e.idempotencyKey !== undefined) z.idempotencyKey = e.idempotencyKey
  if (e.mayHaveBeenProcessed !== undefined) z.mayHaveBeenProcessed = e.mayHaveBeenProcessed
  // Why it was not sent again: the official message, then the core's sentence.
  const notReplayed = e[NOT_REPLAYED]
  if (notReplayed !== undefined) z.message = `${z.message}; ${notReplayed}`
  z.stack = `${z.name}: ${z.message}\n${(e.stack || '').split('\n').slice(1).join('\n')}`
  return z
}
