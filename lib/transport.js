'use strict'

/**
 * The bridge to the native client: per-call options, AbortSignal wiring, and turning the
 * structured errors that cross from Rust into the classes of errors.js.
 */

const native = require('./load-native.js')
const errors = require('./errors.js')
const v = require('./validate.js')

const CALL_OPTION_KEYS = ['signal', 'timeoutMs', 'maxRetries', 'maxRetryWaitMs', 'deadlineMs', 'idempotencyKey', 'headers']

/** Checks per-call options and splits them into native options, signal and headers. */
function callOptions(options) {
  if (options === undefined || options === null) return { native: undefined, signal: undefined, headers: undefined }
  v.optionalObject(options, 'options')
  v.knownKeys(options, CALL_OPTION_KEYS, 'options')
  const signal = options.signal
  if (signal !== undefined && signal !== null && !isAbortSignal(signal)) {
    throw new errors.LateValidationError('invalid `options.signal`: expected an AbortSignal', { param: 'options.signal' })
  }
  const idempotencyKey = v.optionalString(options.idempotencyKey, 'options.idempotencyKey')
  if (idempotencyKey !== undefined && idempotencyKey.length > 255) {
    throw new errors.LateValidationError('invalid `options.idempotencyKey`: at most 255 characters', {
      param: 'options.idempotencyKey',
    })
  }
  return {
    native: {
      timeoutMs: v.optionalPositiveNumber(options.timeoutMs, 'options.timeoutMs'),
      maxRetries: v.optionalCount(options.maxRetries, 'options.maxRetries'),
      maxRetryWaitMs: v.optionalPositiveNumber(options.maxRetryWaitMs, 'options.maxRetryWaitMs'),
      deadlineMs: v.optionalPositiveNumber(options.deadlineMs, 'options.deadlineMs'),
      idempotencyKey,
      headers: v.optionalHeaders(options.headers, 'options.headers'),
    },
    signal: signal ?? undefined,
  }
}

function isAbortSignal(s) {
  return typeof s === 'object' && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function'
}

function abortError(signal) {
  return new errors.LateAbortError('The request was aborted', { cause: signal && signal.reason })
}

/**
 * Runs `fn(nativeOptions, cancelToken)` with the caller's signal wired to a native cancel
 * token through addEventListener (the caller's own `onabort` is never touched). A signal that
 * is already aborted rejects before anything is sent.
 */
async function invoke(call, fn) {
  const { signal } = call
  if (!signal) {
    try {
      return await fn(call.native, undefined)
    } catch (e) {
      throw fromNative(e)
    }
  }
  if (signal.aborted) throw abortError(signal)
  const token = new native.CancelToken()
  const onAbort = () => token.cancel()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await fn(call.native, token)
  } catch (e) {
    if (signal.aborted) throw abortError(signal)
    throw fromNative(e)
  } finally {
    signal.removeEventListener('abort', onAbort)
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
  const message = e && typeof e.message === 'string' ? e.message : String(e)
  let data
  if (message.startsWith('{"')) {
    try {
      data = JSON.parse(message)
    } catch {
      data = undefined
    }
  }
  if (!data || typeof data.kind !== 'string') return new errors.LateError(message)
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

/** Parses a success body; a body that is not JSON is a LateApiError with a short excerpt. */
function parseBody(res) {
  if (res.body === '') return undefined
  try {
    return JSON.parse(res.body)
  } catch {
    const excerpt = res.body.length > 200 ? `${res.body.slice(0, 200)}… (${res.body.length} characters)` : res.body
    throw new errors.LateApiError(`the API returned a ${res.status} response whose body is not JSON: ${excerpt}`, {
      status: res.status,
      code: 'invalid_response',
      requestId: res.requestId ?? undefined,
      headers: res.headers,
    })
  }
}

module.exports = { native, callOptions, invoke, fromNative, parseBody }
