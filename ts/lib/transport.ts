/**
 * The bridge to the native client: per-call options, AbortSignal wiring, and turning the
 * errors that cross from Rust as data (a JS Error whose own properties are the fields) into the
 * classes of errors.js.
 */

import native = require('./load-native.js')
import errors = require('./errors.js')
import { parseJsonBody } from './response-json.js'
import v = require('./validate.js')
import type { CallOptions, CancelToken, NativeRateLimit } from '../native.js'
import type { LateError, LateConnectionError, LateTimeoutError, RateLimitInfo } from './errors.js'
import type { Telemetry } from './telemetry/index.js'

export { native }

/**
 * What an engine rejects with: error data (an object with a string `kind`), as the native layer
 * sends it (src/errors.rs). Only the fields of its `kind` are set.
 */
interface ErrorData {
  kind: string
  message: string
  status?: number
  code?: string | null
  type?: string | null
  param?: string | null
  requestId?: string | null
  headers?: Record<string, string> | null
  body?: unknown
  retryAfterMs?: number | null
  rateLimit?: NativeRateLimit | null
  attempts?: number
  cause?: string
  detail?: string
  timeoutMs?: number
  mayHaveBeenProcessed?: unknown
  idempotencyKey?: unknown
  notReplayed?: unknown
}

const { NOT_REPLAYED, isNativeErrorData, apiErrorClass } = errors

/** A view of an error whose read-only fields this module fills in (as lib/errors.js' own constructors do). */
type Filled<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Per-call options, accepted as the last argument of every method. The numbers and the key are
 * the native layer's per-call options (`CallOptions` of native.d.ts, ranges checked there and
 * named in the LateValidationError), plus `signal`.
 *
 * @example
 * ```ts
 * const ac = new AbortController()
 * await late.listAccounts({}, { signal: ac.signal, timeoutMs: 5_000, maxRetries: 0 })
 * ```
 */
export interface RequestOptions extends Omit<CallOptions, 'trace'> {
  /**
   * Cancels the call: it rejects at once with a {@link LateAbortError} (`name === 'AbortError'`).
   * An `AbortSignal`, or an object with `aborted`, `addEventListener` and `removeEventListener`.
   */
  signal?: AbortSignal | null
  /** Per-attempt timeout for this call, in ms (at most 2³¹ − 1). */
  timeoutMs?: number
  /** Retries after the first attempt for this call. */
  maxRetries?: number
  /** Longest wait between two attempts for this call, in ms (caps the backoff too). */
  maxRetryWaitMs?: number
  /** Longest wait for a slot of the team's rate limit for this call, in ms (`Infinity`: no bound). */
  maxQueueWaitMs?: number
  /** Overall deadline of the call in ms: every attempt and wait, the default-profile lookup included. */
  deadlineMs?: number
  /**
   * `Idempotency-Key` to send, reused on every retry; sent whatever the operation. Without it, the
   * operations the API dedupes by the key (createPost, createProfile, inbox replies, ads, money,
   * …) get a generated one. At most 255 printable ASCII characters. A key does not make an
   * operation the API does not dedupe safe to resend.
   */
  idempotencyKey?: string
  /**
   * You know this call is safe to repeat: it may be sent again after any retryable failure, like
   * a `GET`, although its operation does not accept `Idempotency-Key`. Without it such a
   * `POST`/`PATCH` is resent only when the failure proves nothing was done.
   * @example
   * ```ts
   * await late.posts.pinPost({ path: { postId } }, { replaySafe: true }) // pinning twice pins once
   * ```
   */
  replaySafe?: boolean
  /** Extra headers for this call (`Authorization` and framing headers are refused, as in `defaultHeaders`). */
  headers?: Record<string, string>
}

/** A real AbortSignal, or an object with the three members the package uses. */
interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** A call's checked options: what goes to the native layer, the caller's signal, and a deadline already passed. */
export interface Call {
  native: CallOptions | undefined
  signal: AbortSignalLike | undefined
  headers?: undefined
  expired?: LateTimeoutError
}

/** The fields of a call's options as read from the caller's object (a plain copy). */
type RawCallOptions = { [K in (typeof CALL_OPTION_KEYS)[number]]?: unknown }

const CALL_OPTION_KEYS = [
  'signal',
  'timeoutMs',
  'maxRetries',
  'maxRetryWaitMs',
  'maxQueueWaitMs',
  'deadlineMs',
  'idempotencyKey',
  'replaySafe',
  'headers',
] as const

/** Checks per-call options and splits them into native options, signal and headers. */
export function callOptions(options: unknown): Call {
  if (options === undefined || options === null) return { native: undefined, signal: undefined, headers: undefined }
  const o: RawCallOptions = v.record(options, 'options')
  v.knownKeys(o, CALL_OPTION_KEYS, 'options')
  const signal = o.signal
  if (signal !== undefined && signal !== null && !v.reading('options.signal', () => isAbortSignal(signal))) {
    throw new errors.LateValidationError(
      'invalid `options.signal`: expected an AbortSignal (an object with `aborted`, `addEventListener` and `removeEventListener`)',
      { param: 'options.signal' },
    )
  }
  const idempotencyKey: string | undefined = v.optionalString(o.idempotencyKey, 'options.idempotencyKey')
  if (idempotencyKey !== undefined && (idempotencyKey.length > 255 || /[^\x20-\x7e]/.test(idempotencyKey))) {
    throw new errors.LateValidationError('invalid `options.idempotencyKey`: at most 255 printable ASCII characters', {
      param: 'options.idempotencyKey',
    })
  }
  return {
    // Numbers: the JS type here; the ranges are the core's (src/millis.rs, through
    // CallOptions::to_core in src/options.rs), which names `options.<name>` in its error.
    native: {
      timeoutMs: v.optionalNumber(o.timeoutMs, 'options.timeoutMs'),
      maxRetries: v.optionalCount(o.maxRetries, 'options.maxRetries'),
      maxRetryWaitMs: v.optionalNumber(o.maxRetryWaitMs, 'options.maxRetryWaitMs'),
      maxQueueWaitMs: v.optionalWaitBound(o.maxQueueWaitMs, 'options.maxQueueWaitMs'),
      deadlineMs: v.optionalNumber(o.deadlineMs, 'options.deadlineMs'),
      idempotencyKey,
      replaySafe: v.optionalBoolean(o.replaySafe, 'options.replaySafe'),
      headers: v.optionalHeaders(o.headers, 'options.headers'),
    },
    // Checked above: null or undefined, or a signal.
    signal: (signal ?? undefined) as AbortSignalLike | undefined,
  }
}

/**
 * `call` for the part of a call that starts now, when the call started at `started` (ms): its
 * `deadlineMs` shrinks by the time spent, so one deadline spans every page of a list. A deadline
 * already passed is a LateTimeoutError, before anything more is sent. For a later part only: the
 * first goes with the caller's deadline as it is, for the core to check its range.
 */
export function deadlineLeft(call: Call, started: number): Call {
  const total = call.native && call.native.deadlineMs
  if (total === undefined) return call
  const left = total - (Date.now() - started)
  if (left <= 0) {
    const err = new errors.LateTimeoutError(`the call's deadline of ${total} ms passed`) as Filled<LateTimeoutError>
    err.reason = 'timeout'
    err.timeoutMs = total
    return Object.assign({}, call, { expired: err })
  }
  return { ...call, native: { ...call.native, deadlineMs: left } }
}

/** A real AbortSignal, or an object with the three members the package uses. */
function isAbortSignal(s: unknown): boolean {
  if (typeof AbortSignal !== 'undefined' && s instanceof AbortSignal) return true
  if (typeof s !== 'object' || s === null) return false
  const o = s as Record<string, unknown>
  return typeof o.aborted === 'boolean' && typeof o.addEventListener === 'function' && typeof o.removeEventListener === 'function'
}

/** `signal.aborted`, read without letting a throwing getter escape. */
function aborted(signal: AbortSignalLike): boolean {
  try {
    return signal.aborted === true
  } catch {
    return false
  }
}

function abortError(signal: AbortSignalLike): LateError {
  let reason: unknown
  try {
    reason = signal.reason
  } catch {
    reason = undefined
  }
  return new errors.LateAbortError('The request was aborted', { cause: reason })
}

/**
 * Runs `fn(nativeOptions, cancelToken)` with the caller's signal wired to a native cancel
 * token through addEventListener (the caller's own `onabort` is never touched). A signal that
 * is already aborted rejects before anything is sent. `token`, when given, is used (and may be
 * cancelled by the caller for its own reasons); else one is made when there is a signal.
 */
export function invoke<T>(
  call: Call,
  fn: (options: CallOptions | undefined, token: CancelToken | undefined) => Promise<T>,
  token?: CancelToken,
  telemetry?: Telemetry,
  method?: string,
  path?: string,
): Promise<T> {
  const listening = telemetry !== undefined ? telemetry.listening() : undefined
  if (listening === undefined) return invokeNow(call, fn, token)
  // Something listens (lib/telemetry/): the call runs traced, named by `method` and `path`.
  return (telemetry as Telemetry).run(listening, method ?? '', path ?? '', call.native, (native) =>
    invokeNow(native === call.native ? call : { ...call, native }, fn, token),
  )
}

async function invokeNow<T>(
  call: Call,
  fn: (options: CallOptions | undefined, token: CancelToken | undefined) => Promise<T>,
  token: CancelToken | undefined,
): Promise<T> {
  if (call.expired) throw call.expired
  const { signal } = call
  if (!signal) {
    try {
      return await fn(call.native, token)
    } catch (e) {
      throw fromNative(e)
    }
  }
  if (aborted(signal)) throw abortError(signal)
  const cancel = token || new native.CancelToken()
  const onAbort = () => cancel.cancel()
  v.reading('options.signal', () => signal.addEventListener('abort', onAbort, { once: true }))
  try {
    return await fn(call.native, cancel)
  } catch (e) {
    const err = fromNative(e)
    if (!aborted(signal)) throw err
    // The caller's abort, with what the call may have done by then.
    const abort: Filled<LateError> = abortError(signal)
    if (err.mayHaveBeenProcessed !== undefined) abort.mayHaveBeenProcessed = err.mayHaveBeenProcessed
    if (err.idempotencyKey !== undefined) abort.idempotencyKey = err.idempotencyKey
    throw abort
  } finally {
    // A signal whose removeEventListener throws must not turn a result into a failure.
    try {
      signal.removeEventListener('abort', onAbort)
    } catch {
      // the listener stays; it only cancels a token nobody uses any more
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Turns an error from the native layer into a LateError subclass. */
export function fromNative(e: unknown): LateError {
  if (e instanceof errors.LateError) return e
  if (!isNativeErrorData(e)) {
    const message = e !== null && e !== undefined ? (e as { message?: unknown }).message : undefined
    return new errors.LateError(e && typeof message === 'string' ? message : String(e))
  }
  // The fields of its `kind` (src/errors.rs): read as the shape the native layer sends.
  const data = e as unknown as ErrorData
  const err: Filled<LateError> = fromData(data, e.message)
  // What the call may have done (crate::replay): set by the transport on every call's error.
  if (typeof e.mayHaveBeenProcessed === 'boolean') err.mayHaveBeenProcessed = e.mayHaveBeenProcessed
  if (typeof e.idempotencyKey === 'string') err.idempotencyKey = e.idempotencyKey
  if (typeof e.notReplayed === 'string') Object.defineProperty(err, NOT_REPLAYED, { value: e.notReplayed })
  return err
}

/** The error class and fields of a native error's data. */
function fromData(data: ErrorData, message: string): LateError {
  switch (data.kind) {
    case 'api': {
      const Cls = apiErrorClass(data.status ?? 0)
      return new Cls(data.message, {
        status: data.status,
        code: data.code ?? undefined,
        type: data.type ?? undefined,
        param: data.param ?? undefined,
        requestId: data.requestId ?? undefined,
        headers: data.headers || {},
        body: typeof data.body === 'string' && data.body !== '' ? parseJson(data.body) : undefined,
        retryAfterMs: data.retryAfterMs ?? undefined,
        rateLimit: (data.rateLimit ?? undefined) satisfies RateLimitInfo | undefined,
        attempts: data.attempts,
      })
    }
    case 'connection': {
      const cause: Error & { code?: string } = new Error(data.detail)
      cause.code = data.cause
      const err = new errors.LateConnectionError(data.message, { cause }) as Filled<LateConnectionError>
      err.reason = data.cause as string
      err.attempts = data.attempts
      return err
    }
    case 'timeout': {
      const err = new errors.LateTimeoutError(data.message) as Filled<LateTimeoutError>
      err.reason = 'timeout'
      err.timeoutMs = data.timeoutMs as number
      err.attempts = data.attempts
      return err
    }
    case 'aborted':
      return new errors.LateAbortError(data.message)
    case 'validation':
      return new errors.LateValidationError(data.message, { param: data.param as string | undefined })
    case 'decode':
      return new errors.LateApiError(data.message, {
        status: data.status,
        code: 'invalid_response',
        requestId: data.requestId ?? undefined,
      })
    default:
      return new errors.LateError(data.message || message)
  }
}

/** A success answer of an engine, as far as `parseBody` reads it. */
interface Answer {
  status: number
  body: string
  requestId?: string
  headers: Record<string, string>
}

/** Parses a success body; a body that is not valid JSON is a LateApiError saying where it broke. */
export function parseBody(res: Answer, secret: string | undefined): unknown {
  if (res.body === '') return undefined
  return parseJsonBody(res.body, { status: res.status, requestId: res.requestId, headers: res.headers, secret })
}
