'use strict'

/**
 * Webhook verification for Late / Zernio deliveries.
 *
 * Zernio signs each delivery of a webhook that has a `secret`: HMAC-SHA256 over the raw request
 * body bytes, keyed by the secret, sent as lowercase hex in `X-Zernio-Signature` (and the legacy
 * `X-Late-Signature`). The HMAC and the constant-time comparison run in Rust (late-core); this
 * file finds the header, normalises the body, explains the usual mistakes with a stable `reason`,
 * and parses the verified JSON.
 *
 * No message ever contains a secret.
 */

const randomUUID = () => require('node:crypto').randomUUID()
const { types } = require('node:util')
const { LateError, LateValidationError, WebhookVerificationError, isNativeErrorData } = require('./errors.js')
const native = require('./load-native.js')
const v = require('./validate.js')
const { encodeJsonBody } = require('./json-body.js')

/** Most secrets one call may try (rotation needs two or three). */
const MAX_SECRETS = 100

/** Signature headers, in the order they are read. */
const SIGNATURE_HEADERS = ['x-zernio-signature', 'x-late-signature']
/** Event-id headers, in the order they are read. */
const EVENT_ID_HEADERS = ['x-zernio-event-id', 'x-late-event-id']

/**
 * How long the event stores remember a handled id by default, and how old an event the handler
 * accepts: 72 hours, past Zernio's redelivery window (7 attempts over about 51 hours). Owned by
 * the core (late_core::DEFAULT_EVENT_TTL), read from the addon as lib/redis-store.js does.
 */
const EVENT_MEMORY_MS = native.EVENT_MEMORY_MS

const RAW_BODY_HINT =
  "pass the raw request body (a string or Buffer) instead: `await req.text()` in a Next.js route handler, " +
  "`express.raw({ type: 'application/json' })` in Express"

function fail(reason, message, cause) {
  return new WebhookVerificationError(message, { reason, cause })
}

/**
 * Runs `read` (which reads caller input); anything it throws that is not one of ours becomes a
 * WebhookVerificationError with `reason`, the original as `cause`.
 */
function reading(reason, what, read) {
  try {
    return read()
  } catch (e) {
    if (e instanceof LateError) throw e
    throw fail(reason, `the ${what} could not be read (${v.messageOf(e)})`, e)
  }
}

/** Turns the raw body into a Buffer, or throws a diagnosed WebhookVerificationError. */
function toBuffer(rawBody) {
  return reading('invalid_body', 'webhook body', () => bufferOf(rawBody))
}

function bufferOf(rawBody) {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8')
  if (!types.isProxy(rawBody)) {
    if (Buffer.isBuffer(rawBody)) return rawBody
    if (types.isAnyArrayBuffer(rawBody)) return Buffer.from(rawBody)
    if (ArrayBuffer.isView(rawBody)) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
  }
  if (rawBody === undefined || rawBody === null) {
    throw fail('invalid_body', `the webhook body is ${rawBody}: ${RAW_BODY_HINT}`)
  }
  if (typeof rawBody === 'object') {
    if (typeof rawBody.then === 'function') {
      throw fail('invalid_body', 'the webhook body is a Promise: add `await` (e.g. `await req.text()`)')
    }
    if (typeof rawBody.text === 'function' || typeof rawBody.pipe === 'function' || typeof rawBody.getReader === 'function') {
      throw fail('invalid_body', `the webhook body is a request or stream object, not its contents: ${RAW_BODY_HINT}`)
    }
    throw fail(
      'body_parsed',
      `the webhook body was already parsed into an object, so the exact bytes that were signed are lost (re-serialising does not reproduce them): ${RAW_BODY_HINT}`,
    )
  }
  throw fail('invalid_body', `the webhook body must be a string, Buffer, Uint8Array or ArrayBuffer, got ${typeof rawBody}: ${RAW_BODY_HINT}`)
}

/** Normalises the secret argument to a non-empty list of strings (a copy), or throws. */
function toSecrets(secretOrSecrets) {
  const list = reading('missing_secret', 'webhook secret', () => {
    if (!Array.isArray(secretOrSecrets)) return [secretOrSecrets]
    if (secretOrSecrets.length > MAX_SECRETS) {
      throw fail('missing_secret', `at most ${MAX_SECRETS} webhook secrets can be tried, got ${secretOrSecrets.length}`)
    }
    // Every index, holes included: a hole is a missing secret, not one to skip.
    return Array.from({ length: secretOrSecrets.length }, (_, i) => secretOrSecrets[i])
  })
  if (list.length === 0 || secretOrSecrets === undefined || secretOrSecrets === null || secretOrSecrets === '') {
    throw fail(
      'missing_secret',
      'no webhook secret was given: pass the `secret` configured on the webhook in Zernio (a string, or an array of strings while rotating)',
    )
  }
  list.forEach((s, i) => {
    const which = list.length > 1 ? ` (secret #${i} of the list)` : ''
    if (typeof s !== 'string' || s === '') {
      throw fail(
        'missing_secret',
        `the webhook secret${which} is ${typeof s === 'string' ? 'an empty string' : v.describe(s)}: ` +
          'pass the `secret` configured on the webhook in Zernio (is the environment variable set?)',
      )
    }
    if (s.trim() !== s) {
      throw fail(
        'secret_whitespace',
        `the webhook secret has leading or trailing whitespace (often a newline pasted into an env var)${which}: trim it`,
      )
    }
    if (!s.isWellFormed()) throw fail('missing_secret', `the webhook secret${which} contains a lone surrogate (ill-formed text)`)
  })
  return list
}

/**
 * First value of a header value that may be an array (Node joins some, keeps others as arrays).
 * Only text counts: a number is converted, anything else (an object, a Symbol) is no value.
 */
function firstValue(v) {
  if (Array.isArray(v)) v = v[0]
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

/**
 * Reads the first non-empty header among `names` (lower-case) from a WHATWG Headers, a Map, a
 * plain object with any name case (Node's `IncomingMessage.headers` included), or a request
 * object that carries `headers`.
 */
function readHeader(headers, names) {
  return reading('missing_header', 'webhook headers', () => findHeader(headers, names))
}

function findHeader(headers, names) {
  if (headers === undefined || headers === null || typeof headers !== 'object') return undefined
  if (headers instanceof Map) {
    for (const name of names) {
      for (const [k, v] of headers) {
        if (String(k).toLowerCase() === name) {
          const value = firstValue(v)
          if (value) return value
        }
      }
    }
    return undefined
  }
  if (typeof headers.get === 'function') {
    for (const name of names) {
      const value = firstValue(headers.get(name))
      if (value) return value
    }
    return undefined
  }
  // A request (Node's IncomingMessage, a fetch Request) passed instead of its headers.
  if (headers.headers && typeof headers.headers === 'object' && !names.some((n) => hasKeyCI(headers, n))) {
    return findHeader(headers.headers, names)
  }
  const keys = Object.keys(headers)
  for (const name of names) {
    for (const k of keys) {
      if (k.toLowerCase() === name) {
        const value = firstValue(headers[k])
        if (value) return value
      }
    }
  }
  return undefined
}

function hasKeyCI(obj, name) {
  return Object.keys(obj).some((k) => k.toLowerCase() === name)
}

/** The signature from the second argument of verifyWebhook, or throws `missing_header`. */
function toSignature(headersOrSignature) {
  const value = typeof headersOrSignature === 'string' ? headersOrSignature : readHeader(headersOrSignature, SIGNATURE_HEADERS)
  if (value === undefined || value.trim() === '') {
    throw fail(
      'missing_header',
      'the webhook request has no X-Zernio-Signature (or legacy X-Late-Signature) header: Zernio signs deliveries only when the webhook has a secret configured ' +
        '(set one in the webhook settings), and some proxies strip unknown headers',
    )
  }
  return value
}

/** Runs the native verification and maps its structured error to WebhookVerificationError. */
function nativeVerify(body, signature, secrets) {
  try {
    return native.verifyWebhookSignature(body, signature, secrets)
  } catch (e) {
    if (isNativeErrorData(e) && e.kind === 'webhook') throw fail(e.reason, e.message)
    throw fail('invalid_signature', `the signature could not be checked (${v.messageOf(e)})`, e)
  }
}

/** Parses the verified body, or throws `invalid_body`. */
function parseEvent(body) {
  let event
  try {
    event = JSON.parse(body.toString('utf8'))
  } catch (e) {
    throw fail('invalid_body', `the webhook body has a valid signature but is not valid JSON (${e.message})`)
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw fail('invalid_body', 'the webhook body has a valid signature but is not a JSON object')
  }
  return event
}

/** Verifies and parses; also returns the index of the secret that matched. */
function verifyDetailed(rawBody, headersOrSignature, secretOrSecrets) {
  const body = toBuffer(rawBody)
  const secrets = toSecrets(secretOrSecrets)
  const signature = toSignature(headersOrSignature)
  const secretIndex = nativeVerify(body, signature, secrets)
  return { event: parseEvent(body), secretIndex }
}

/**
 * Verifies a Zernio / Late webhook delivery and returns the parsed, typed event.
 *
 * @param {string | Buffer | Uint8Array | ArrayBuffer} rawBody the raw request body, exactly as received
 * @param {string | Headers | Record<string, string | string[] | undefined>} headersOrSignature the request
 *   headers (a WHATWG `Headers`, Node's `req.headers`, any plain object) or the signature header value itself
 * @param {string | string[]} secretOrSecrets the webhook secret, or several while rotating
 * @returns {object} the event (`{ id, event, timestamp, ... }`)
 * @throws {WebhookVerificationError} with `reason` `body_parsed`, `invalid_body`, `missing_secret`,
 *   `secret_whitespace`, `missing_header`, `malformed_signature` or `invalid_signature`
 */
function verifyWebhook(rawBody, headersOrSignature, secretOrSecrets) {
  return verifyDetailed(rawBody, headersOrSignature, secretOrSecrets).event
}

/**
 * Builds a signed delivery like Zernio sends, for an application's own tests.
 *
 * @param {object | string | Buffer | Uint8Array} payload the event; an object lacking `id` or `timestamp` gets them
 * @param {string} secret the webhook secret
 * @returns {{ body: string, headers: Record<string, string> }}
 */
function signWebhook(payload, secret) {
  toSecrets(secret)
  if (typeof secret !== 'string') throw fail('missing_secret', 'signWebhook takes a single secret string')
  let body
  let parsed
  if (typeof payload === 'string') {
    body = payload
  } else if (!types.isProxy(payload) && (types.isAnyArrayBuffer(payload) || ArrayBuffer.isView(payload))) {
    body = toBuffer(payload).toString('utf8')
  } else if (v.isRecord(payload)) {
    parsed = reading('invalid_body', 'event', () => ({ ...payload }))
    if (parsed.id === undefined) parsed.id = randomUUID()
    if (parsed.timestamp === undefined) parsed.timestamp = new Date().toISOString()
    try {
      body = encodeJsonBody(parsed, 'payload')
    } catch (e) {
      throw fail('invalid_body', `signWebhook: ${e.message.replace(/^invalid `payload`: /, 'the event cannot be encoded: ')}`, e.cause ?? e)
    }
  } else {
    throw fail('invalid_body', 'signWebhook takes the event as an object, a JSON string or a Buffer')
  }
  if (parsed === undefined) {
    try {
      parsed = JSON.parse(body)
    } catch {
      parsed = undefined
    }
  }
  const event = parsed && typeof parsed.event === 'string' ? headerText(parsed.event) : ''
  const id = parsed && (typeof parsed.id === 'string' || typeof parsed.id === 'number') ? headerText(String(parsed.id)) : randomUUID()
  const signature = native.signWebhookPayload(Buffer.from(body, 'utf8'), secret)
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-zernio-signature': signature,
      'x-zernio-event': event,
      'x-zernio-event-id': id,
      'x-late-signature': signature,
      'x-late-event': event,
      'x-late-event-id': id,
    },
  }
}

/** A value for a header: text with line breaks and control characters removed (they cannot be sent). */
function headerText(s) {
  return s.replace(/[\0-\x08\x0a-\x1f\x7f]/g, '').toWellFormed()
}

/**
 * An in-memory store of seen event ids for {@link createWebhookHandler}: bounded (oldest ids are
 * dropped past `maxEntries`) and expiring (ids are forgotten after `ttlMs`). Per process only:
 * with several instances, pass a shared store (`createRedisEventStore` of lib/redis-store.js).
 *
 * @param {{ maxEntries?: number, ttlMs?: number, now?: () => number }} [options]
 */
function createMemoryEventStore(options) {
  const o = v.record(options, 'options') ?? {}
  v.knownKeys(o, ['maxEntries', 'ttlMs', 'now'], 'options')
  const maxEntries = o.maxEntries ?? 10_000
  const ttlMs = o.ttlMs ?? EVENT_MEMORY_MS
  const clock = v.optionalFunction(o.now, 'options.now') ?? Date.now
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new LateValidationError(`invalid \`options.maxEntries\`: expected a positive integer, got ${v.describe(maxEntries)}`, {
      param: 'options.maxEntries',
    })
  }
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new LateValidationError(`invalid \`options.ttlMs\`: expected a positive finite number of ms, got ${v.describe(ttlMs)}`, {
      param: 'options.ttlMs',
    })
  }
  /** The clock's time; a clock that does not return a finite number is a LateValidationError. */
  const now = () => {
    const t = clock()
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new LateValidationError(`invalid \`options.now\`: it returned ${v.describe(t)}, expected a time in ms`, { param: 'options.now' })
    }
    return t
  }
  /** id -> expiry time; Map keeps insertion order, which is expiry order. */
  const seen = new Map()
  function prune(t) {
    for (const [id, expires] of seen) {
      if (expires > t) break
      seen.delete(id)
    }
  }
  return {
    claim(id) {
      const t = now()
      prune(t)
      if (seen.has(id)) return false
      seen.set(id, t + ttlMs)
      while (seen.size > maxEntries) seen.delete(seen.keys().next().value)
      return true
    },
    release(id) {
      seen.delete(id)
    },
    has(id) {
      prune(now())
      return seen.has(id)
    },
    get size() {
      return seen.size
    },
    /** How long an id is remembered, in ms: the handler refuses events older than this. */
    ttlMs,
  }
}

/**
 * Adapts a `{ claim, release? }` or `{ has, add, delete? }` store (a `Set` works) to
 * `{ claim, release, ttlMs }`; `ttlMs` is the store's memory when it says (a number `ttlMs`).
 */
function adaptStore(store) {
  if (store === undefined || store === null) return createMemoryEventStore()
  const method = (name) => v.optionalFunction(v.reading('options.store', () => store[name]), `options.store.${name}`)
  if (typeof store !== 'object' && typeof store !== 'function') {
    throw new LateValidationError(`invalid \`options.store\`: expected an object, got ${v.describe(store)}`, { param: 'options.store' })
  }
  const memory = v.reading('options.store', () => store.ttlMs)
  const ttlMs = typeof memory === 'number' && Number.isFinite(memory) && memory > 0 ? memory : undefined
  const claim = method('claim')
  const release = method('release') ?? method('delete')
  if (claim) {
    return {
      claim: (id) => claim.call(store, id),
      release: (id) => (release ? release.call(store, id) : undefined),
      ttlMs,
    }
  }
  const has = method('has')
  const add = method('add')
  if (has && add) {
    const remove = method('delete')
    return {
      async claim(id) {
        if (await has.call(store, id)) return false
        await add.call(store, id)
        return true
      },
      release: (id) => (remove ? remove.call(store, id) : undefined),
      ttlMs,
    }
  }
  throw new LateValidationError(
    'invalid `options.store`: it must have claim(id) (and optionally release(id)), or has(id) and add(id)',
    { param: 'options.store' },
  )
}

/**
 * The id to handle a verified event once by: the signed payload `id`. A header id (which the
 * signature does not cover) must agree with it, else the delivery is refused: a replay with a
 * fresh header id must not run `onEvent` again, nor a forged one claim another event's id.
 */
function signedEventId(event, headers) {
  const id = typeof event.id === 'string' || typeof event.id === 'number' ? String(event.id) : ''
  if (id === '') {
    throw fail('missing_event_id', 'the verified event has no `id`: without it a delivery cannot be handled once (Zernio sends one on every event)')
  }
  const headerId = typeof headers === 'string' ? undefined : readHeader(headers, EVENT_ID_HEADERS)
  if (headerId !== undefined && headerId !== id) {
    throw fail(
      'event_id_mismatch',
      'the X-Zernio-Event-Id header does not match the signed payload `id`; the header is not covered by the signature, so the delivery is refused',
    )
  }
  return id
}

/**
 * Refuses an event whose signed `timestamp` is older than `maxAgeMs` (the store's memory): a
 * replay of a delivery the store has forgotten must not run again.
 */
function checkFresh(event, maxAgeMs, now) {
  const at = typeof event.timestamp === 'string' || typeof event.timestamp === 'number' ? new Date(event.timestamp).getTime() : NaN
  if (!Number.isFinite(at)) {
    throw fail('invalid_timestamp', 'the verified event has no valid `timestamp`, so its age cannot be checked (Zernio sends one on every event)')
  }
  const age = now - at
  if (age > maxAgeMs) {
    const hours = (ms) => `${Math.round(ms / 3_600_000)} h`
    throw fail(
      'stale_event',
      `the event is ${hours(age)} old, older than the ${hours(maxAgeMs)} the event store remembers (maxEventAgeMs): it may have been handled already, so it is refused`,
    )
  }
}

/**
 * Creates an idempotent webhook handler: verifies each delivery, then runs `onEvent` at most once
 * per event, keyed by the signed payload `id` (a header id that disagrees is refused), because
 * Zernio retries deliveries and the same event can arrive again. Events older than the store's
 * memory (`maxEventAgeMs`, default the store's `ttlMs`, else 72 h) are refused as stale. If
 * `onEvent` throws, the id is released so that Zernio's retry is processed, and the error
 * propagates (answer 5xx to get that retry).
 *
 * @param {{ secret: string | string[], store?: object, maxEventAgeMs?: number, onEvent?: (event: object, context: object) => unknown }} options
 * @returns {(rawBody: string | Buffer | Uint8Array | ArrayBuffer, headers: object) => Promise<{ duplicate: boolean, event: object, eventId: string, result?: unknown }>}
 */
function createWebhookHandler(options) {
  if (!v.isRecord(options)) {
    throw new LateValidationError(`invalid \`options\`: createWebhookHandler takes { secret, store?, maxEventAgeMs?, onEvent? }, got ${v.describe(options)}`, {
      param: 'options',
    })
  }
  const o = v.record(options, 'options')
  v.knownKeys(o, ['secret', 'store', 'maxEventAgeMs', 'onEvent'], 'options')
  const secret = toSecrets(o.secret) // fail at startup, not on the first delivery
  const onEvent = v.optionalFunction(o.onEvent, 'options.onEvent')
  const store = adaptStore(o.store)
  const memory = store.ttlMs ?? EVENT_MEMORY_MS
  const maxAgeMs = v.optionalPositiveNumber(o.maxEventAgeMs, 'options.maxEventAgeMs', Number.MAX_SAFE_INTEGER) ?? memory
  if (store.ttlMs !== undefined && maxAgeMs > store.ttlMs) {
    throw new LateValidationError(
      `invalid \`options.maxEventAgeMs\`: ${maxAgeMs} ms is longer than the store remembers an id (ttlMs ${store.ttlMs} ms), so an old delivery could be handled twice`,
      { param: 'options.maxEventAgeMs' },
    )
  }

  return async function handleWebhook(rawBody, headers) {
    const { event, secretIndex } = verifyDetailed(rawBody, headers, secret)
    const eventId = signedEventId(event, headers)
    checkFresh(event, maxAgeMs, Date.now())
    if (!(await store.claim(eventId))) {
      return { duplicate: true, event, eventId, secretIndex }
    }
    if (!onEvent) return { duplicate: false, event, eventId, secretIndex }
    try {
      const result = await onEvent(event, { eventId, secretIndex })
      return { duplicate: false, event, eventId, secretIndex, result }
    } catch (err) {
      await store.release(eventId)
      throw err
    }
  }
}

module.exports = {
  verifyWebhook,
  signWebhook,
  createWebhookHandler,
  createMemoryEventStore,
  WebhookVerificationError,
  SIGNATURE_HEADERS,
  EVENT_ID_HEADERS,
  EVENT_MEMORY_MS,
}
