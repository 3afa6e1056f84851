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

import type { Namespaces } from './types/namespaces.js'
import type { LateClient, LateClientOptions } from './index.js'
import { Zernio as ZernioClient } from './lib/zernio/client.js'
import { ZernioApiError } from './lib/zernio/errors.js'

export type * from './types/schemas.js'
export type { FileInput, ZernioResult, ZernioCallOptions, OperationArgs, SuccessBody, Operations, RequestOptions } from './index.js'

/**
 * Options of {@link Zernio}: the official SDK's, plus late-native's retry, size and network settings.
 *
 * @example
 * ```ts
 * const options: ClientOptions = { apiKey: process.env.ZERNIO_API_KEY, timeout: 10_000, maxRetries: 3 }
 * const zernio = new Zernio(options)
 * ```
 */
export interface ClientOptions
  extends Pick<LateClientOptions, 'ca' | 'proxy' | 'http2' | 'logger' | 'logLevel' | 'onAttempt' | 'rateLimit' | 'maxQueueWaitMs' | 'telemetry'> {
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
export interface Zernio extends Namespaces<'zernio'> {
  /** The API key, as the official SDK exposes it (never shown by `util.inspect` or `JSON.stringify`). */
  readonly apiKey: string
  /** Base URL requests go to. */
  readonly baseURL: string
  /** The `LateClient` underneath (same connection pool): late-native's hand-shaped methods and `request()`. */
  readonly late: LateClient
}

/**
 * The class of {@link Zernio} clients: `new Zernio(options?)`.
 *
 * @example
 * ```ts
 * const make: ZernioConstructor = Zernio
 * const zernio = new make({ apiKey: 'sk_test_…' })
 * ```
 */
export interface ZernioConstructor {
  new (options?: ClientOptions): Zernio
  readonly prototype: Zernio
}

/**
 * A client of the Zernio API with the official SDK's shape (see the {@link Zernio} interface).
 *
 * @example
 * ```ts
 * const zernio = new Zernio({ apiKey: process.env.ZERNIO_API_KEY })
 * ```
 */
// The namespaces are installed on the prototype at run time from the operation table
// (lib/namespaces.js), which the declarations inferred from the JavaScript client cannot see.
export const Zernio: ZernioConstructor = ZernioClient as unknown as ZernioConstructor
// (not `export default Zernio`: this way `default` is the CommonJS entry's second name, as it always was)
export { Zernio as default }

/**
 * @deprecated Use {@link Zernio} (as in the official SDK).
 * @example
 * ```ts
 * const late = new Late({ apiKey: 'sk_test_…' }) // prefer new Zernio(…)
 * ```
 */
export const Late: ZernioConstructor = Zernio
/** @deprecated Use {@link Zernio} (as in the official SDK). */
export type Late = Zernio

export { ZernioApiError }
/**
 * @deprecated Use {@link ZernioApiError} (as in the official SDK).
 * @example
 * ```ts
 * catch (e) { if (e instanceof LateApiError) console.error(e.statusCode) } // prefer ZernioApiError
 * ```
 */
export const LateApiError: typeof ZernioApiError = ZernioApiError
/** @deprecated Use {@link ZernioApiError} (as in the official SDK). */
export type LateApiError = ZernioApiError

// (in this order: the names of the CommonJS entry are defined in the order of these statements)
export { RateLimitError, ValidationError, parseApiError } from './lib/zernio/errors.js'
export { fileFromPath, LateFile } from './lib/body.js'

/**
 * The API's error envelope, as the official SDK types it.
 *
 * @example
 * ```ts
 * const body: ZernioErrorBody = await response.json()
 * throw parseApiError(response, body)
 * ```
 */
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
