/**
 * Error classes of late-native. Every error the package throws is an instance of {@link LateError}.
 *
 * Errors cross from Rust as data (a JS Error whose own properties are the fields, see `fromNative`)
 * and become these classes here, so
 * `instanceof` works and every field is typed. No error ever carries the API key.
 */

import type { Post, Schemas } from '../types/index.js'
import type { WebhookVerificationReason } from './webhook.js'

/** @internal What a redacted secret is shown as. */
export const REDACTED = '[redacted]'

/**
 * @internal Why a failed call was not sent again (the sentence the core ends its message with),
 * kept on the error for the compat layer, whose messages are the official SDK's own.
 */
export const NOT_REPLAYED: unique symbol = Symbol('late-native.notReplayed')

/**
 * Reads `obj[key]` for an error constructor, which must never throw: an object that cannot be
 * read (a throwing getter, a revoked Proxy) counts as absent.
 */
function field<T extends object, K extends keyof T>(obj: T | null | undefined, key: K): T[K] | undefined
function field(obj: unknown, key: string): unknown
function field(obj: unknown, key: string): unknown {
  try {
    return obj !== null && (typeof obj === 'object' || typeof obj === 'function') ? (obj as Record<string, unknown>)[key] : undefined
  } catch {
    return undefined
  }
}

/**
 * The message as text, whatever was passed: a constructor never throws on its arguments, and
 * never runs an object's own `toString` (which may throw, or join a sparse array of 2³² slots).
 */
function text(message: unknown): string {
  switch (typeof message) {
    case 'string':
      return message
    case 'undefined':
      return ''
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(message)
    case 'symbol':
      return message.toString()
    default: {
      let inner: unknown
      try {
        inner = message instanceof Error ? message.message : undefined
      } catch {
        inner = undefined
      }
      return typeof inner === 'string' ? inner : `(a message that is not text: ${message === null ? 'null' : typeof message})`
    }
  }
}

/**
 * Rate-limit state from the `X-RateLimit-*` headers.
 * @example
 * ```ts
 * const { rateLimit } = await late.requestWithResponse('GET /v1/profiles')
 * if (rateLimit?.remaining === 0) console.warn('next slot at', new Date((rateLimit.resetAt ?? 0) * 1000))
 * ```
 */
export interface RateLimitInfo {
  /** Requests allowed per window. */
  limit?: number
  /** Requests left in the window. */
  remaining?: number
  /** Unix time (seconds) when the next slot frees up. */
  resetAt?: number
}

/**
 * Base class of every error this package throws.
 * @example
 * ```ts
 * try { await late.listAccounts() } catch (e) { if (e instanceof LateError) console.error(e.message) }
 * ```
 */
export class LateError extends Error {
  /**
   * On a failed call that sent one: the `Idempotency-Key`. Where the API dedupes the operation by
   * it, sending the call again with it (`{ idempotencyKey }`) never does the action twice.
   */
  declare idempotencyKey?: string
  /**
   * On a failed call: whether the API may have acted on it. `true` when a request reached the
   * server and no answer says what became of it (a timeout or a connection lost after sending,
   * a 408 or 5xx, an answer that could not be read): check before sending it again, unless the
   * operation dedupes by `idempotencyKey`. `false` when the failure proves nothing was done (the
   * connection failed before sending, the rate limiter refused it) or the API refused it (a 4xx).
   * @example
   * ```ts
   * try { await late.posts.retryPost({ path: { postId } }) }
   * catch (e) { if (e instanceof LateError && e.mayHaveBeenProcessed) await checkPostStatus(postId) }
   * ```
   */
  declare mayHaveBeenProcessed?: boolean
  /** @internal Why the call was not sent again (see {@link NOT_REPLAYED}); set by the transport only. */
  declare readonly [NOT_REPLAYED]?: string

  constructor(message?: string, options?: { cause?: unknown }) {
    const cause = field(options, 'cause')
    super(text(message), cause !== undefined ? { cause } : undefined)
    this.name = new.target.name
  }
}

/**
 * @internal The API's error envelope (`{ error, code, type, param, details, … }`), as far as it
 * is read by this package.
 */
export interface ErrorEnvelope {
  error?: unknown
  message?: unknown
  code?: string
  type?: string
  param?: string
  details?: Record<string, unknown>
  docUrl?: string
  platform?: string
  platformError?: Record<string, unknown>
  [key: string]: unknown
}

/** @internal The API's error envelope: a parsed body that is a plain JSON object, else undefined. */
export function envelopeOf(body: unknown): ErrorEnvelope | undefined {
  if (body === null || typeof body !== 'object') return undefined
  try {
    return Array.isArray(body) ? undefined : (body as ErrorEnvelope)
  } catch {
    return undefined // a revoked Proxy: no envelope
  }
}

/**
 * Fields of an API error.
 * @example
 * ```ts
 * const fields: LateApiErrorFields = { status: 404, code: 'not_found', requestId: 'req_1' }
 * const err = new NotFoundError('post not found', fields)
 * ```
 */
export interface LateApiErrorFields {
  status?: number
  code?: string
  type?: string
  param?: string
  requestId?: string
  headers?: Record<string, string>
  body?: unknown
  retryAfterMs?: number
  rateLimit?: RateLimitInfo
  attempts?: number
  details?: Record<string, unknown>
  docUrl?: string
  platform?: string
  platformError?: Record<string, unknown>
}

/** The fields an API error reads from `fields`, else from the error envelope of `body`. */
type EnvelopeField = 'details' | 'docUrl' | 'platform' | 'platformError'

/**
 * The API answered with an error status. Subclasses narrow it by status.
 * @example
 * ```ts
 * catch (e) { if (e instanceof LateApiError) console.error(e.status, e.code, e.requestId) }
 * ```
 */
export class LateApiError extends LateError {
  /** HTTP status of the response. */
  declare readonly status: number
  /** Stable machine code from the error envelope (`code`), if any. */
  declare readonly code: string | undefined
  /** Error class from the envelope (`type`), e.g. `invalid_request_error`. */
  declare readonly type: string | undefined
  /** The request field the API blamed (`param`), if any. */
  declare readonly param: string | undefined
  /** The `X-Request-Id` of the response: quote it to support. */
  declare readonly requestId: string | undefined
  /** Response headers, lower-case names. */
  declare readonly headers: Record<string, string>
  /** The parsed JSON body (or the raw text when it was not JSON). */
  declare readonly body: unknown
  /** How long the server asked us to wait before retrying (`Retry-After`), in ms. */
  declare readonly retryAfterMs: number | undefined
  /** Rate-limit state read from `X-RateLimit-*` headers, if present. */
  declare readonly rateLimit: RateLimitInfo | undefined
  /** How many attempts were made, retries included. */
  declare readonly attempts: number | undefined
  /** Structured context of the error envelope (`details`), e.g. `{ fields }` or `{ existingPostId }`. */
  declare readonly details: Record<string, unknown> | undefined
  /** A link to the documentation of this error (`docUrl`), when the API sends one. */
  declare readonly docUrl: string | undefined
  /** The upstream platform (`platform`), when `type` is `platform_error`. */
  declare readonly platform: string | undefined
  /** The upstream platform's own payload, verbatim (`platformError`; Meta: `code`, `error_subcode`, `fbtrace_id`). */
  declare readonly platformError: Record<string, unknown> | undefined

  constructor(message: string, fields?: LateApiErrorFields) {
    super(message)
    // `status` is always set by the layers that make API errors; a hand-made one may omit it.
    this.status = field(fields, 'status') as number
    this.code = field(fields, 'code')
    this.type = field(fields, 'type')
    this.param = field(fields, 'param')
    this.requestId = field(fields, 'requestId')
    this.headers = field(fields, 'headers') || {}
    this.body = field(fields, 'body')
    this.retryAfterMs = field(fields, 'retryAfterMs')
    this.rateLimit = field(fields, 'rateLimit')
    this.attempts = field(fields, 'attempts')
    const envelope = envelopeOf(this.body)
    const pick = <K extends EnvelopeField>(key: K): LateApiErrorFields[K] => {
      const given = field(fields, key)
      return given !== undefined ? given : field(envelope, key)
    }
    this.details = pick('details')
    this.docUrl = pick('docUrl')
    this.platform = pick('platform')
    this.platformError = pick('platformError')
  }
}

/** 400: the request was malformed or a parameter was invalid. @example `catch (e) { if (e instanceof BadRequestError) console.error(e.param) }` */
export class BadRequestError extends LateApiError {}
/** 401: the API key is missing, unknown, revoked or expired. @example `if (e instanceof AuthenticationError) rotateKey()` */
export class AuthenticationError extends LateApiError {}
/** 402: the plan does not cover this (billing gate). @example `if (e instanceof PaymentRequiredError) showUpgrade()` */
export class PaymentRequiredError extends LateApiError {}
/** 403: the key may not do this (profile access, restricted key, beta platform). @example `if (e instanceof PermissionDeniedError) console.error(e.code)` */
export class PermissionDeniedError extends LateApiError {}
/** 404: the resource does not exist. @example `if (e instanceof NotFoundError) return null` */
export class NotFoundError extends LateApiError {}
/** 409: a conflict (duplicate content, name clash, idempotency key still in flight). @example `if (e instanceof ConflictError) console.error(e.body)` */
export class ConflictError extends LateApiError {}
/** 422: the request was understood but refused (e.g. an idempotency key reused with another body). @example `if (e instanceof UnprocessableEntityError) console.error(e.message)` */
export class UnprocessableEntityError extends LateApiError {}
/** 429: too many requests. `retryAfterMs` and `rateLimit` say when to try again. @example `if (e instanceof RateLimitError) await sleep(e.retryAfterMs ?? 1000)` */
export class RateLimitError extends LateApiError {}
/** 5xx: the API failed. @example `if (e instanceof InternalServerError) console.error(e.requestId)` */
export class InternalServerError extends LateApiError {}

/**
 * 207 from `posts.create`, `posts.update` or `posts.retry`: the post was saved, but publishing
 * it inline did not fully succeed. Never a silent success. `post` is the saved post,
 * `platformResults` the per-platform outcome (absent when the attempt aborted before it
 * started), `postStatus` is `post.status`: `partial` (some platforms published), `failed`
 * (none did; terminal) or `scheduled` (every platform hit a transient error; Zernio retries by
 * itself, so `willRetry` is true and this is not a failure to show an end user).
 * @example
 * ```ts
 * try {
 *   await late.posts.create({ content: 'Hi', publishNow: true, platforms })
 * } catch (e) {
 *   if (e instanceof PartialPublishError && !e.willRetry) {
 *     for (const r of e.platformResults ?? []) console.log(r.platform, r.status, r.error)
 *   }
 * }
 * ```
 */
export class PartialPublishError extends LateApiError {
  declare readonly status: 207
  /** The saved post, as the API returned it. */
  declare readonly post: Post | undefined
  /** Per-platform outcome: `[{ platform, status, error }]`; absent when the attempt aborted before it started. */
  declare readonly platformResults: Schemas.PostPublishIncompleteResponse['platformResults']
  /** `post.status` after the attempt: `partial`, `failed`, `scheduled`, or another/unchanged status. */
  declare readonly postStatus: Post['status'] | undefined
  /** True when Zernio will retry the publish by itself (`postStatus === 'scheduled'`). */
  declare readonly willRetry: boolean

  constructor(message: string, fields?: LateApiErrorFields & { post?: unknown; platformResults?: unknown }) {
    super(message, fields)
    if (this.status === undefined) this.status = 207
    const body = field(fields, 'body')
    const post = field(fields, 'post')
    const results = field(fields, 'platformResults')
    // The API's shapes, as received (the 207 body of posts.create / update / retry).
    this.post = (post !== undefined ? post : field(body, 'post')) as Post | undefined
    this.platformResults = (results !== undefined ? results : field(body, 'platformResults')) as PartialPublishError['platformResults']
    this.postStatus = field(this.post, 'status')
    this.willRetry = this.postStatus === 'scheduled'
  }
}

/**
 * The request never got an HTTP answer: refused, reset, DNS or TLS failure. `cause.code` and
 * `reason` name it.
 * @example `if (e instanceof LateConnectionError) console.error(e.reason)`
 */
export class LateConnectionError extends LateError {
  /** `connection_refused`, `connection_reset`, `dns`, `tls`, `connect_timeout`, `timeout` or `other`. */
  declare readonly reason: string
  /** How many attempts were made, retries included. */
  declare readonly attempts: number | undefined
}
/** An attempt took longer than `timeoutMs`. @example `if (e instanceof LateTimeoutError) console.error(e.timeoutMs)` */
export class LateTimeoutError extends LateConnectionError {
  /** The time allowed, in ms. */
  declare readonly timeoutMs: number
}
/** The caller's `AbortSignal` fired. `name` is `'AbortError'`, like `fetch`. @example `if (e instanceof LateAbortError) return` */
export class LateAbortError extends LateError {
  declare readonly name: 'AbortError'

  constructor(message: string = 'The request was aborted', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AbortError'
  }
}
/** Bad input caught before any request was sent. `param` names the parameter. @example `if (e instanceof LateValidationError) console.error(e.param)` */
export class LateValidationError extends LateError {
  /** The parameter that was wrong, e.g. `options.timeoutMs`, `params.accountId` or `this` (a method called detached from its client). */
  declare readonly param: string | undefined
  /** When the input could not be read at all (a throwing getter, a revoked Proxy): what reading it threw. */
  declare readonly cause?: unknown

  constructor(message: string, fields?: { param?: string; cause?: unknown }) {
    super(message, fields)
    this.param = field(fields, 'param')
  }
}
/** A webhook could not be verified. `reason` is a stable machine code. @example `if (e instanceof WebhookVerificationError) return new Response(null, { status: 400 })` */
export class WebhookVerificationError extends LateError {
  /** Why verification failed: a stable machine code (see {@link WebhookVerificationReason}). */
  declare readonly reason: WebhookVerificationReason

  constructor(message: string, fields?: { reason?: WebhookVerificationReason; cause?: unknown }) {
    super(message, fields)
    this.reason = field(fields, 'reason') as WebhookVerificationReason
  }
}

/** @internal A class of API error, as {@link apiErrorClass} returns it. */
export type LateApiErrorClass = new (message: string, fields?: LateApiErrorFields) => LateApiError

const BY_STATUS: Readonly<Record<number, LateApiErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
}

/**
 * @internal The error data the native layer throws or rejects with (see src/errors.rs): a JS Error, not
 * yet a LateError, whose own properties are the fields and whose `kind` selects the class.
 */
export interface NativeErrorData extends Error {
  kind: string
  [field: string]: unknown
}

/**
 * @internal True for an error the native layer threw or rejected with: a JS Error (not yet a LateError)
 * whose own properties are the error's data, with a string `kind` selecting the class (see
 * src/errors.rs). Recognised by shape, never by its message.
 */
export function isNativeErrorData(e: unknown): e is NativeErrorData {
  return e !== null && typeof e === 'object' && !(e instanceof LateError) && typeof (e as { kind?: unknown }).kind === 'string'
}

/** @internal The class for an API error of this status. */
export function apiErrorClass(status: number): LateApiErrorClass {
  if (BY_STATUS[status]) return BY_STATUS[status]
  if (status >= 500) return InternalServerError
  return LateApiError
}
