'use strict'

/**
 * Error classes of late-native. Every error the package throws is an instance of {@link LateError}.
 *
 * Errors cross from Rust as data (a JS Error whose own properties are the fields, see `fromNative`)
 * and become these classes here, so
 * `instanceof` works and every field is typed. No error ever carries the API key.
 */

const REDACTED = '[redacted]'

/**
 * Internal: why a failed call was not sent again (the sentence the core ends its message with),
 * kept on the error for the compat layer, whose messages are the official SDK's own.
 */
const NOT_REPLAYED = Symbol('late-native.notReplayed')

/**
 * Reads `obj[key]` for an error constructor, which must never throw: an object that cannot be
 * read (a throwing getter, a revoked Proxy) counts as absent.
 */
function field(obj, key) {
  try {
    return obj !== null && (typeof obj === 'object' || typeof obj === 'function') ? obj[key] : undefined
  } catch {
    return undefined
  }
}

/**
 * The message as text, whatever was passed: a constructor never throws on its arguments, and
 * never runs an object's own `toString` (which may throw, or join a sparse array of 2³² slots).
 */
function text(message) {
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
      let inner
      try {
        inner = message instanceof Error ? message.message : undefined
      } catch {
        inner = undefined
      }
      return typeof inner === 'string' ? inner : `(a message that is not text: ${message === null ? 'null' : typeof message})`
    }
  }
}

/** Base class of every error thrown by late-native. */
class LateError extends Error {
  constructor(message, options) {
    const cause = field(options, 'cause')
    super(text(message), cause !== undefined ? { cause } : undefined)
    this.name = new.target.name
  }
}

/** The API's error envelope: a parsed body that is a plain JSON object, else undefined. */
function envelopeOf(body) {
  if (body === null || typeof body !== 'object') return undefined
  try {
    return Array.isArray(body) ? undefined : body
  } catch {
    return undefined // a revoked Proxy: no envelope
  }
}

/** The API answered with a non-success status. Subclasses narrow it by status. */
class LateApiError extends LateError {
  constructor(message, fields) {
    super(message)
    /** HTTP status of the response. */
    this.status = field(fields, 'status')
    /** Stable machine code from the error envelope (`code`), if any. */
    this.code = field(fields, 'code')
    /** Error class from the envelope (`type`), e.g. `invalid_request_error`. */
    this.type = field(fields, 'type')
    /** The request field the API blamed (`param`), if any. */
    this.param = field(fields, 'param')
    /** The `X-Request-Id` of the response: quote it to support. */
    this.requestId = field(fields, 'requestId')
    /** Response headers, lower-case names. */
    this.headers = field(fields, 'headers') || {}
    /** The parsed JSON body (or the raw text when it was not JSON). */
    this.body = field(fields, 'body')
    /** How long the server asked us to wait before retrying (`Retry-After`), in ms. */
    this.retryAfterMs = field(fields, 'retryAfterMs')
    /** Rate-limit state read from `X-RateLimit-*` headers, if present. */
    this.rateLimit = field(fields, 'rateLimit')
    /** How many attempts were made, retries included. */
    this.attempts = field(fields, 'attempts')
    const envelope = envelopeOf(this.body)
    const pick = (key) => {
      const given = field(fields, key)
      return given !== undefined ? given : field(envelope, key)
    }
    /** Structured context of the error envelope (`details`), e.g. `{ fields }` or `{ existingPostId }`. */
    this.details = pick('details')
    /** A link to the documentation of this error (`docUrl`), when the API sends one. */
    this.docUrl = pick('docUrl')
    /** The upstream platform (`platform`), when `type` is `platform_error`. */
    this.platform = pick('platform')
    /** The upstream platform's own payload, verbatim (`platformError`; Meta: code, subcode, fbtrace_id). */
    this.platformError = pick('platformError')
  }
}

/** 400: the request was malformed or a parameter was invalid. */
class BadRequestError extends LateApiError {}
/** 401: the API key is missing, unknown, revoked or expired. */
class AuthenticationError extends LateApiError {}
/** 402: the plan does not cover this (billing gate). */
class PaymentRequiredError extends LateApiError {}
/** 403: the key may not do this (profile access, restricted key, beta platform). */
class PermissionDeniedError extends LateApiError {}
/** 404: the resource does not exist. */
class NotFoundError extends LateApiError {}
/** 409: a conflict (duplicate content, name clash, idempotency key still in flight). */
class ConflictError extends LateApiError {}
/** 422: the request was understood but refused (e.g. an idempotency key reused with another body). */
class UnprocessableEntityError extends LateApiError {}
/** 429: too many requests. `retryAfterMs` and `rateLimit` say when to try again. */
class RateLimitError extends LateApiError {}
/** 5xx: the API failed. */
class InternalServerError extends LateApiError {}

/**
 * 207 from `posts.create`, `posts.update` or `posts.retry`: the post was saved, but publishing
 * it inline did not fully succeed. Never a silent success. `post` is the saved post,
 * `platformResults` the per-platform outcome (absent when the attempt aborted before it
 * started), `postStatus` is `post.status`: `partial` (some platforms published), `failed`
 * (none did; terminal) or `scheduled` (every platform hit a transient error; Zernio retries by
 * itself, so `willRetry` is true and this is not a failure to show an end user).
 */
class PartialPublishError extends LateApiError {
  constructor(message, fields) {
    super(message, fields)
    if (this.status === undefined) this.status = 207
    const body = field(fields, 'body')
    const post = field(fields, 'post')
    const results = field(fields, 'platformResults')
    /** The saved post. */
    this.post = post !== undefined ? post : field(body, 'post')
    /** Per-platform results: `[{ platform, status, error }]`, or undefined. */
    this.platformResults = results !== undefined ? results : field(body, 'platformResults')
    /** `post.status` after the attempt: `partial`, `failed`, `scheduled`, or another/unchanged status. */
    this.postStatus = field(this.post, 'status')
    /** True when Zernio will retry the publish by itself (`postStatus === 'scheduled'`). */
    this.willRetry = this.postStatus === 'scheduled'
  }
}

/** The request never got an HTTP answer: refused, reset, DNS or TLS failure. `cause` names the reason. */
class LateConnectionError extends LateError {}
/** An attempt took longer than `timeoutMs`. */
class LateTimeoutError extends LateConnectionError {}
/** The caller's `AbortSignal` fired. `name` is `'AbortError'`, like `fetch`. */
class LateAbortError extends LateError {
  constructor(message = 'The request was aborted', options) {
    super(message, options)
    this.name = 'AbortError'
  }
}
/** Bad input caught before any request was sent. `param` names the parameter. */
class LateValidationError extends LateError {
  constructor(message, fields) {
    super(message, fields)
    /** The parameter that was wrong, e.g. `platform` or `options.timeoutMs`. */
    this.param = field(fields, 'param')
  }
}
/** A webhook could not be verified. `reason` is a stable machine code. */
class WebhookVerificationError extends LateError {
  constructor(message, fields) {
    super(message, fields)
    /** One of `missing_header`, `missing_secret`, `secret_whitespace`, `malformed_signature`, `invalid_signature`, `body_parsed`, `invalid_body`. */
    this.reason = field(fields, 'reason')
  }
}

const BY_STATUS = {
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
 * True for an error the native layer threw or rejected with: a JS Error (not yet a LateError)
 * whose own properties are the error's data, with a string `kind` selecting the class (see
 * src/errors.rs). Recognised by shape, never by its message.
 */
function isNativeErrorData(e) {
  return e !== null && typeof e === 'object' && !(e instanceof LateError) && typeof e.kind === 'string'
}

/** The class for an API error of this status. */
function apiErrorClass(status) {
  if (BY_STATUS[status]) return BY_STATUS[status]
  if (status >= 500) return InternalServerError
  return LateApiError
}

module.exports = {
  REDACTED,
  NOT_REPLAYED,
  LateError,
  LateApiError,
  BadRequestError,
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  PartialPublishError,
  LateConnectionError,
  LateTimeoutError,
  LateAbortError,
  LateValidationError,
  WebhookVerificationError,
  apiErrorClass,
  envelopeOf,
  isNativeErrorData,
}
