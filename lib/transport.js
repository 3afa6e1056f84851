'use strict'

/**
 * The bridge to the native client: per-call options, AbortSignal wiring, and turning the
 * errors that cross from Rust as data (a JS Error whose own properties are the fields) into the
 * classes of errors.js.
 */

const native = require('./load-native.js')
const errors = require('./errors.js')
const { parseJsonBody } = require('./response-json.js')
const v = require('./validate.js')

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
]

/** Checks per-call options and splits them into native options, signal and headers. */
function callOptions(options) {
  if (options === undefined || options === null) return { native: undefined, signal: undefined, headers: undefined }
  const o = v.record(options, 'options')
  v.knownKeys(o, CALL_OPTION_KEYS, 'options')
  const signal = o.signal
  if (signal !== undefined && signal !== null && !v.reading('options.signal', () => isAbortSignal(signal))) {
    throw new errors.LateValidationError(
      'invalid `options.signal`: expected an AbortSignal (an object with `aborted`, `addEventListener` and `removeEventListener`)',
      { param: 'options.signal' },
    )
  }
  const idempotencyKey = v.optionalString(o.idempotencyKey, 'options.idempotencyKey')
  if (idempotencyKey !== undefined && (idempotencyKey.length > 255 || /[^\x20-\x7e]/.test(idempotencyKey))) {
    throw new errors.LateValidationError('invalid `options.idempotencyKey`: at most 255 printable ASCII characters', {
      param: 'options.idempotencyKey',
    })
  }
  return {
    native: {
      timeoutMs: v.optionalPositiveNumber(o.timeoutMs, 'options.timeoutMs'),
      maxRetries: v.optionalCount(o.maxRetries, 'options.maxRetries'),
      maxRetryWaitMs: v.optionalPositiveNumber(o.maxRetryWaitMs, 'options.maxRetryWaitMs'),
      maxQueueWaitMs: v.optionalWaitBound(o.maxQueueWaitMs, 'options.maxQueueWaitMs'),
      deadlineMs: v.optionalPositiveNumber(o.deadlineMs, 'options.deadlineMs'),
      idempotencyKey,
      replaySafe: v.optionalBoolean(o.replaySafe, 'options.replaySafe'),
      headers: v.optionalHeaders(o.headers, 'options.headers'),
    },
    signal: signal ?? undefined,
  }
}

/**
 * `call` for the part of a call that starts now, when the call started at `started` (ms): its
 * `deadlineMs` shrinks by the time spent, so one deadline spans every page of a list. A deadline
 * already passed is a LateTimeoutError, before anything more is sent.
 */
function deadlineLeft(call, started) {
  const total = call.native && call.native.deadlineMs
  if (total === undefined) return call
  const left = total - (Date.now() - started)
  if (left <= 0) {
    const err = new errors.LateTimeoutError(`the call's deadline of ${total} ms passed`)
    err.reason = 'timeout'
    err.timeoutMs = total
    return Object.assign({}, call, { expired: err })
  }
  return { ...call, native: { ...call.native, deadlineMs: left } }
}

/** A real AbortSignal, or an object with the three members the package uses. */
function isAbortSignal(s) {
  if (typeof AbortSignal !== 'undefined' && s instanceof AbortSignal) return true
  return (
    typeof s === 'object' &&
    typeof s.aborted === 'boolean' &&
    typeof s.addEventListener === 'function' &&
    typeof s.removeEventListener === 'function'
  )
}

/** `signal.aborted`, read without letting a throwing getter escape. */
function aborted(signal) {
  try {
    return signal.aborted === true
  } catch {
    return false
  }
}

function abortError(signal) {
  let reason
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
async function invoke(call, fn, token) {
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
    const abort = abortError(signal)
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

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Turns an error from the native layer into a LateError subclass. */
function fromNative(e) {
  if (e instanceof errors.LateError) return e
  if (!errors.isNativeErrorData(e)) return new errors.LateError(e && typeof e.message === 'string' ? e.message : String(e))
  const err = fromData(e, e.message)
  // What the call may have done (crate::replay): set by the transport on every call's error.
  if (typeof e.mayHaveBeenProcessed === 'boolean') err.mayHaveBeenProcessed = e.mayHaveBeenProcessed
  if (typeof e.idempotencyKey === 'string') err.idempotencyKey = e.idempotencyKey
  if (typeof e.notReplayed === 'string') Object.defineProperty(err, errors.NOT_REPLAYED, { value: e.notReplayed })
  return err
}

/** The error class and fields of a native error's data. */
function fromData(data, message) {
  switch (data.kind) {
    case 'api': {
      const Cls = errors.apiErrorClass(data.status)
      return new Cls(data.message, {
        status: data.status,
        code: data.code ?? undefined,
        type: data.type ?? undefined,
        param: data.param ?? undefined,
        requestId: data.requestId ?? undefined,
        headers: data.headers || {},
        body: typeof data.body === 'string' && data.body !== '' ? parseJson(data.body) : undefined,
        retryAfterMs: data.retryAfterMs ?? undefined,
        rateLimit: data.rateLimit ?? undefined,
        attempts: data.attempts,
      })
    }
    case 'connection': {
      const cause = new Error(data.detail)
      cause.code = data.cause
      const err = new errors.LateConnectionError(data.message, { cause })
      err.reason = data.cause
      err.attempts = data.attempts
      return err
    }
    case 'timeout': {
      const err = new errors.LateTimeoutError(data.message)
      err.reason = 'timeout'
      err.timeoutMs = data.timeoutMs
      err.attempts = data.attempts
      return err
    }
    case 'aborted':
      return new errors.LateAbortError(data.message)
    case 'validation':
      return new errors.LateValidationError(data.message, { param: data.param })
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

/** Parses a success body; a body that is not valid JSON is a LateApiError saying where it broke. */
function parseBody(res, secret) {
  if (res.body === '') return undefined
  return parseJsonBody(res.body, { status: res.status, requestId: res.requestId, headers: res.headers, secret })
}

module.exports = { native, callOptions, deadlineLeft, invoke, fromNative, parseBody }
