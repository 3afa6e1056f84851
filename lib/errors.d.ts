/**
 * Error classes of late-native. Every error the package throws is an instance of {@link LateError}.
 * Declarations for lib/errors.js; re-exported by the package entry point.
 */

import type { WebhookVerificationReason } from './webhook'

/** Rate-limit state from the `X-RateLimit-*` headers. */
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
export declare class LateError extends Error {
  /**
   * On a failed call that sent one: the `Idempotency-Key`. Where the API dedupes the operation by
   * it, sending the call again with it (`{ idempotencyKey }`) never does the action twice.
   */
  idempotencyKey?: string
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
  mayHaveBeenProcessed?: boolean
}

/** Fields of an API error. */
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

/**
 * The API answered with an error status.
 * @example
 * ```ts
 * catch (e) { if (e instanceof LateApiError) console.error(e.status, e.code, e.requestId) }
 * ```
 */
export declare class LateApiError extends LateError {
  constructor(message: string, fields?: LateApiErrorFields)
  /** HTTP status. */
  readonly status: number
  /** Stable machine code (`code` of the error envelope). */
  readonly code: string | undefined
  /** Error class (`type` of the envelope), e.g. `invalid_request_error`. */
  readonly type: string | undefined
  /** The request field at fault. */
  readonly param: string | undefined
  /** `X-Request-Id`: quote it to support. */
  readonly requestId: string | undefined
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string>
  /** Parsed JSON body, or the text when it was not JSON. */
  readonly body: unknown
  /** The server's `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined
  /** `X-RateLimit-*` state of the response. */
  readonly rateLimit: RateLimitInfo | undefined
  /** Attempts made, retries included. */
  readonly attempts: number | undefined
  /** Structured context of the error envelope (`details`), e.g. `{ fields }` or `{ existingPostId }`. */
  readonly details: Record<string, unknown> | undefined
  /** Documentation of this error (`docUrl`), when the API links one. */
  readonly docUrl: string | undefined
  /** The upstream platform (`platform`), when `type` is `platform_error`. */
  readonly platform: string | undefined
  /** The upstream platform's own payload, verbatim (`platformError`; Meta: `code`, `error_subcode`, `fbtrace_id`). */
  readonly platformError: Record<string, unknown> | undefined
}
/** 400. @example `catch (e) { if (e instanceof BadRequestError) console.error(e.param) }` */
export declare class BadRequestError extends LateApiError {}
/** 401: key missing, unknown, revoked or expired. @example `if (e instanceof AuthenticationError) rotateKey()` */
export declare class AuthenticationError extends LateApiError {}
/** 402: billing gate. @example `if (e instanceof PaymentRequiredError) showUpgrade()` */
export declare class PaymentRequiredError extends LateApiError {}
/** 403. @example `if (e instanceof PermissionDeniedError) console.error(e.code)` */
export declare class PermissionDeniedError extends LateApiError {}
/** 404. @example `if (e instanceof NotFoundError) return null` */
export declare class NotFoundError extends LateApiError {}
/** 409. @example `if (e instanceof ConflictError) console.error(e.body)` */
export declare class ConflictError extends LateApiError {}
/** 422. @example `if (e instanceof UnprocessableEntityError) console.error(e.message)` */
export declare class UnprocessableEntityError extends LateApiError {}
/** 429. @example `if (e instanceof RateLimitError) await sleep(e.retryAfterMs ?? 1000)` */
export declare class RateLimitError extends LateApiError {}
/** 5xx. @example `if (e instanceof InternalServerError) console.error(e.requestId)` */
export declare class InternalServerError extends LateApiError {}
/**
 * A 207 from `posts.create`, `posts.update` or `posts.retry`: the post was saved, but the inline
 * publish did not fully succeed. `status` is 207. Branch on `postStatus`: `partial` (some
 * platforms published), `failed` (none; terminal), `scheduled` (transient errors everywhere;
 * Zernio retries by itself, `willRetry` is true, not a failure to show an end user).
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
export declare class PartialPublishError extends LateApiError {
  constructor(message: string, fields?: LateApiErrorFields & { post?: unknown; platformResults?: unknown })
  readonly status: 207
  /** The saved post, as the API returned it. */
  readonly post: import('../types/index').Post | undefined
  /** Per-platform outcome; absent when the attempt aborted before it started. */
  readonly platformResults: import('../types/index').Schemas.PostPublishIncompleteResponse['platformResults']
  /** `post.status` after the attempt. */
  readonly postStatus: import('../types/index').Post['status'] | undefined
  /** True when Zernio retries the publish by itself (`postStatus === 'scheduled'`). */
  readonly willRetry: boolean
}
/**
 * No HTTP answer: connection refused, reset, DNS or TLS failure. `cause.code` and `reason` name it.
 * @example `if (e instanceof LateConnectionError) console.error(e.reason)`
 */
export declare class LateConnectionError extends LateError {
  /** `connection_refused`, `connection_reset`, `dns`, `tls`, `connect_timeout`, `timeout` or `other`. */
  readonly reason: string
  readonly attempts: number | undefined
}
/** An attempt exceeded `timeoutMs`. @example `if (e instanceof LateTimeoutError) console.error(e.timeoutMs)` */
export declare class LateTimeoutError extends LateConnectionError {
  readonly timeoutMs: number
}
/** The call's `signal` fired. `name === 'AbortError'`. @example `if (e instanceof LateAbortError) return` */
export declare class LateAbortError extends LateError {
  readonly name: 'AbortError'
}
/** Bad input caught before any request. @example `if (e instanceof LateValidationError) console.error(e.param)` */
export declare class LateValidationError extends LateError {
  constructor(message: string, fields?: { param?: string; cause?: unknown })
  /** The parameter at fault, e.g. `options.timeoutMs`, `params.accountId` or `this` (a method called detached from its client). */
  readonly param: string | undefined
  /** When the input could not be read at all (a throwing getter, a revoked Proxy): what reading it threw. */
  readonly cause?: unknown
}
/** A webhook could not be verified. @example `if (e instanceof WebhookVerificationError) return new Response(null, { status: 400 })` */
export declare class WebhookVerificationError extends LateError {
  constructor(message: string, fields?: { reason?: WebhookVerificationReason; cause?: unknown })
  /** Why verification failed: a stable machine code. */
  readonly reason: WebhookVerificationReason
}
