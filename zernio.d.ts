/**
 * `late-native/zernio`: a drop-in for the official SDK, `@zernio/node`, on late-native's native
 * transport (retries with one idempotency key per POST, timeouts that fire, `signal`, a pooled
 * Rust client). Change one import; the code stays the same.
 *
 * @example
 * ```ts
 * import Zernio from 'late-native/zernio' // was: import Zernio from '@zernio/node'
 * const zernio = new Zernio() // apiKey from ZERNIO_API_KEY (or LATE_API_KEY)
 * const { data } = await zernio.posts.listPosts({ query: { status: 'scheduled' } })
 * ```
 * @packageDocumentation
 */

import type { Namespaces } from './types/namespaces'
import type { LateClient, LateClientOptions } from './index'
import { LateApiError as NativeLateApiError } from './index'

export type * from './types/schemas'
export { fileFromPath, LateFile } from './index'
export type { FileInput, ZernioResult, ZernioCallOptions, OperationArgs, SuccessBody, Operations, RequestOptions } from './index'

/** Options of {@link Zernio}: the official SDK's, plus late-native's retry, size and network settings. */
export interface ClientOptions
  extends Pick<LateClientOptions, 'ca' | 'proxy' | 'http2' | 'logger' | 'logLevel' | 'onAttempt' | 'rateLimit' | 'maxQueueWaitMs'> {
  /** API key. Default: env `ZERNIO_API_KEY`, then `LATE_API_KEY`. */
  apiKey?: string | undefined
  /** Default: env `ZERNIO_BASE_URL`, then `LATE_BASE_URL`, then `'https://zernio.com/api'`. */
  baseURL?: string | null | undefined
  /** Timeout of each attempt in ms (it really fires: a `LateTimeoutError`). Default 60 000. */
  timeout?: number
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>
  /** late-native: retries after the first attempt (connection errors, timeouts, 408, 429, 5xx). Default 2. */
  maxRetries?: number
  /** late-native: longest wait between attempts, in ms. Default 60 000. */
  maxRetryWaitMs?: number
  /** late-native: largest response body accepted, in bytes. Default 64 MiB. */
  maxResponseBytes?: number
}

/**
 * A client of the Zernio API with the official SDK's shape: the same namespaces and methods
 * (`zernio.analytics.getInstagramDemographics({ query })`, `zernio.connect.facebook.…`, the
 * deprecated `zernio.ads.…` aliases), each resolving to `{ data, request, response }`.
 * Every method also takes late-native's per-call options as a second argument.
 *
 * @example
 * ```ts
 * const zernio = new Zernio({ apiKey: process.env.ZERNIO_API_KEY })
 * const { data, response } = await zernio.posts.createPost({ body: { content: 'Hi', publishNow: true, platforms } })
 * ```
 */
export interface Zernio extends Namespaces<'zernio'> {}
export declare class Zernio {
  constructor(options?: ClientOptions)
  /** The API key, as the official SDK exposes it (never shown by `util.inspect` or `JSON.stringify`). */
  readonly apiKey: string
  /** Base URL requests go to. */
  readonly baseURL: string
  /** The `LateClient` underneath (same connection pool): late-native's hand-shaped methods and `request()`. */
  readonly late: LateClient
}

/** @deprecated Use {@link Zernio} (as in the official SDK). */
export declare const Late: typeof Zernio
/** @deprecated Use {@link Zernio} (as in the official SDK). */
export type Late = Zernio
export default Zernio

/** The API's error envelope, as the official SDK types it. */
export interface ZernioErrorBody {
  error?: string
  message?: string
  type?: string
  code?: string
  param?: string
  docUrl?: string
  platform?: string
  platformError?: Record<string, unknown>
  details?: Record<string, unknown>
}

/**
 * An API error as the official SDK throws it, which is also a late-native `LateApiError`
 * (`status`, `requestId`, `headers`, `attempts`, `retryAfterMs`, `rateLimit`).
 * @example
 * ```ts
 * catch (e) { if (e instanceof ZernioApiError && e.isNotFound()) return null }
 * ```
 */
export declare class ZernioApiError extends NativeLateApiError {
  constructor(message: string, statusCode: number, code?: string, details?: Record<string, unknown>, body?: ZernioErrorBody)
  /** HTTP status (late-native's `status`). */
  readonly statusCode: number
  readonly code: string | undefined
  readonly details: Record<string, unknown> | undefined
  /** Error class, e.g. `invalid_request_error`, `platform_error`, `rate_limit_error`. */
  readonly type: string | undefined
  /** The request field at fault, when the API names one. */
  readonly param: string | undefined
  /** A link to the documentation of this error, when the API sends one. */
  readonly docUrl: string | undefined
  /** The upstream platform, when `type` is `platform_error`. */
  readonly platform: string | undefined
  /** The upstream platform's own payload, verbatim (Meta: code, subcode, fbtrace_id). */
  readonly platformError: Record<string, unknown> | undefined
  /** The parsed error body as the API sent it (undefined when it was not JSON). */
  readonly body: ZernioErrorBody | undefined
  isRateLimited(): boolean
  isAuthError(): boolean
  isForbidden(): boolean
  isNotFound(): boolean
  isValidationError(): boolean
  isPaymentRequired(): boolean
}
/** @deprecated Use {@link ZernioApiError} (as in the official SDK). */
export declare const LateApiError: typeof ZernioApiError
/** @deprecated Use {@link ZernioApiError} (as in the official SDK). */
export type LateApiError = ZernioApiError

/** A 429, with the `X-RateLimit-*` headers. @example `if (e instanceof RateLimitError) await sleep((e.getSecondsUntilReset() ?? 1) * 1000)` */
export declare class RateLimitError extends ZernioApiError {
  constructor(message: string, limit?: number, remaining?: number, resetAt?: Date, body?: ZernioErrorBody)
  readonly limit: number | undefined
  readonly remaining: number | undefined
  readonly resetAt: Date | undefined
  getSecondsUntilReset(): number | undefined
}

/** A 400 whose `details.fields` name the fields at fault. @example `if (e instanceof ValidationError) console.log(e.fields)` */
export declare class ValidationError extends ZernioApiError {
  constructor(message: string, fields?: Record<string, string[]>, body?: ZernioErrorBody)
  readonly fields: Record<string, string[]> | undefined
}

/** The official SDK's mapping of an error response and its parsed body to an error. @example `throw parseApiError(response, await response.json())` */
export declare function parseApiError(response: Pick<Response, 'status' | 'statusText' | 'headers'>, body?: ZernioErrorBody): ZernioApiError
