/**
 * Webhook verification for Late / Zernio deliveries.
 *
 * Zernio signs each delivery of a webhook that has a `secret`: HMAC-SHA256 over the raw request
 * body bytes, keyed by the secret, sent as lowercase hex in `X-Zernio-Signature` (and the legacy
 * `X-Late-Signature`). The HMAC and the constant-time comparison run in Rust (late-core); this
 * file finds the header, normalises the body, explains the usual mistakes with a stable `reason`,
 * and parses the verified JSON.
 *
 * There is no replay window: dedupe on the event id ({@link createWebhookHandler} does it) and
 * check the payload `timestamp` yourself if freshness matters.
 *
 * No message ever contains a secret.
 *
 * @packageDocumentation
 */

import { types } from 'node:util'
import { LateError, LateValidationError, WebhookVerificationError, isNativeErrorData } from './errors.js'
import native = require('./load-native.js')
import * as v from './validate.js'
import type { WellFormedText } from './validate.js'
import { encodeJsonBody } from './json-body.js'
import type { LateWebhookEvent, LateWebhookEventMap, LateWebhookEventName } from '../types/webhooks.js'

export type { LateWebhookEvent, LateWebhookEventMap, LateWebhookEventName }
export { WebhookVerificationError } from './errors.js'

/**
 * Why a webhook could not be verified (`WebhookVerificationError.reason`):
 *
 * - `body_parsed`: the body was already parsed into an object (pass the raw body).
 * - `invalid_body`: the body is missing or of the wrong type, or, after a valid signature, is not a JSON object.
 * - `missing_secret`: no secret, an empty secret, or a non-string secret.
 * - `secret_whitespace`: a secret has leading or trailing whitespace (often a newline pasted into an env var).
 * - `missing_header`: neither `X-Zernio-Signature` nor `X-Late-Signature` is present (the webhook has no secret configured?).
 * - `malformed_signature`: the signature is not 64 hex characters (optionally prefixed by `sha256=`).
 * - `invalid_signature`: the signature does not match the body under any given secret.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof WebhookVerificationError && e.reason === 'secret_whitespace') console.error('trim the secret') }
 * ```
 */
export type WebhookVerificationReason =
  | 'body_parsed'
  | 'invalid_body'
  | 'missing_secret'
  | 'secret_whitespace'
  | 'missing_header'
  | 'malformed_signature'
  | 'invalid_signature'
  /** {@link createWebhookHandler}: the verified event has no `id`. */
  | 'missing_event_id'
  /** {@link createWebhookHandler}: `X-Zernio-Event-Id` disagrees with the signed payload `id`. */
  | 'event_id_mismatch'
  /** {@link createWebhookHandler}: the verified event has no valid `timestamp`. */
  | 'invalid_timestamp'
  /** {@link createWebhookHandler}: the event is older than the store remembers (`maxEventAgeMs`). */
  | 'stale_event'

/**
 * The raw request body, exactly as received: a string, a `Buffer`, any `Uint8Array` view, or an `ArrayBuffer`.
 * @example
 * ```ts
 * const body: WebhookRawBody = await req.text()
 * ```
 */
export type WebhookRawBody = string | Uint8Array | ArrayBuffer | ArrayBufferView

/**
 * Anything with a case-insensitive `get(name)`, such as the WHATWG `Headers` of a fetch `Request`.
 * @example
 * ```ts
 * const headers: HeadersLike = req.headers
 * ```
 */
export interface HeadersLike {
  get(name: string): string | null | undefined
}

/**
 * Request headers in any common shape: a WHATWG `Headers`, Node's `IncomingMessage.headers`, a
 * `Map`, or a plain object with header names in any case (array values use the first element).
 * @example
 * ```ts
 * const headers: WebhookHeaders = { 'X-Zernio-Signature': signature }
 * ```
 */
export type WebhookHeaders =
  | HeadersLike
  | ReadonlyMap<string, string | readonly string[] | undefined>
  | Readonly<Record<string, string | readonly string[] | number | undefined | null>>

/**
 * One secret, or several (tried in order) while rotating: put the new one first, keep the old one until its retries are over.
 * @example
 * ```ts
 * const secrets: WebhookSecrets = [process.env.ZERNIO_WEBHOOK_SECRET!, process.env.ZERNIO_WEBHOOK_SECRET_OLD!]
 * ```
 */
export type WebhookSecrets = string | readonly string[]

/** Most secrets one call may try (rotation needs two or three). */
const MAX_SECRETS = 100

/**
 * Signature header names, in the order they are read: `['x-zernio-signature', 'x-late-signature']`.
 * @example
 * ```ts
 * const signature = SIGNATURE_HEADERS.map((h) => req.headers.get(h)).find(Boolean)
 * ```
 */
export const SIGNATURE_HEADERS: readonly ['x-zernio-signature', 'x-late-signature'] = ['x-zernio-signature', 'x-late-signature']
/**
 * Event-id header names, in the order they are read: `['x-zernio-event-id', 'x-late-event-id']`.
 * @example
 * ```ts
 * const eventId = EVENT_ID_HEADERS.map((h) => req.headers.get(h)).find(Boolean)
 * ```
 */
export const EVENT_ID_HEADERS: readonly ['x-zernio-event-id', 'x-late-event-id'] = ['x-zernio-event-id', 'x-late-event-id']

/**
 * How long the event stores remember a handled id by default, and how old an event the handler
 * accepts: 72 hours, past Zernio's redelivery window (7 attempts over about 51 hours). Owned by
 * the core (late_core::DEFAULT_EVENT_TTL), read from the addon as lib/redis-store.js does.
 */
const EVENT_MEMORY_MS: number = native.EVENT_MEMORY_MS

const RAW_BODY_HINT =
  "pass the raw request body (a string or Buffer) instead: `await req.text()` in a Next.js route handler, " +
  "`express.raw({ type: 'application/json' })` in Express"

let crypto: typeof import('node:crypto') | undefined
/** A random UUID (node:crypto loaded on first use). */
function randomUUID(): string {
  crypto ??= require('node:crypto') as typeof import('node:crypto')
  return crypto.randomUUID()
}

function fail(reason: WebhookVerificationReason, message: string, cause?: unknown): WebhookVerificationError {
  return new WebhookVerificationError(message, { reason, cause })
}

/**
 * Runs `read` (which reads caller input); anything it throws that is not one of ours becomes a
 * WebhookVerificationError with `reason`, the original as `cause`.
 */
function reading<T>(reason: WebhookVerificationReason, what: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof LateError) throw e
    throw fail(reason, `the ${what} could not be read (${v.messageOf(e)})`, e)
  }
}

/** Turns the raw body into a Buffer, or throws a diagnosed WebhookVerificationError. */
function toBuffer(rawBody: unknown): Buffer {
  return reading('invalid_body', 'webhook body', () => bufferOf(rawBody))
}

function bufferOf(rawBody: unknown): Buffer {
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
    const body = rawBody as { then?: unknown; text?: unknown; pipe?: unknown; getReader?: unknown }
    if (typeof body.then === 'function') {
      throw fail('invalid_body', 'the webhook body is a Promise: add `await` (e.g. `await req.text()`)')
    }
    if (typeof body.text === 'function' || typeof body.pipe === 'function' || typeof body.getReader === 'function') {
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
function toSecrets(secretOrSecrets: unknown): string[] {
  const list = reading('missing_secret', 'webhook secret', (): unknown[] => {
    if (!Array.isArray(secretOrSecrets)) return [secretOrSecrets]
    if (secretOrSecrets.length > MAX_SECRETS) {
      throw fail('missing_secret', `at most ${MAX_SECRETS} webhook secrets can be tried, got ${secretOrSecrets.length}`)
    }
    // Every index, holes included: a hole is a missing secret, not one to skip.
    return Array.from({ length: secretOrSecrets.length }, (_, i): unknown => secretOrSecrets[i])
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
    if (!(s as WellFormedText).isWellFormed()) throw fail('missing_secret', `the webhook secret${which} contains a lone surrogate (ill-formed text)`)
  })
  // Each item was checked above to be a non-empty string.
  return list as string[]
}

/**
 * First value of a header value that may be an array (Node joins some, keeps others as arrays).
 * Only text counts: a number is converted, anything else (an object, a Symbol) is no value.
 */
function firstValue(v: unknown): string | undefined {
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
function readHeader(headers: unknown, names: readonly string[]): string | undefined {
  return reading('missing_header', 'webhook headers', () => findHeader(headers, names))
}

function findHeader(headers: unknown, names: readonly string[]): string | undefined {
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
  const h = headers as { get?: unknown; headers?: unknown; [name: string]: unknown }
  if (typeof h.get === 'function') {
    const getter = h as { get(name: string): unknown }
    for (const name of names) {
      const value = firstValue(getter.get(name))
      if (value) return value
    }
    return undefined
  }
  // A request (Node's IncomingMessage, a fetch Request) passed instead of its headers.
  if (h.headers && typeof h.headers === 'object' && !names.some((n) => hasKeyCI(h, n))) {
    return findHeader(h.headers, names)
  }
  const keys = Object.keys(h)
  for (const name of names) {
    for (const k of keys) {
      if (k.toLowerCase() === name) {
        const value = firstValue(h[k])
        if (value) return value
      }
    }
  }
  return undefined
}

function hasKeyCI(obj: object, name: string): boolean {
  return Object.keys(obj).some((k) => k.toLowerCase() === name)
}

/** The signature from the second argument of verifyWebhook, or throws `missing_header`. */
function toSignature(headersOrSignature: unknown): string {
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
function nativeVerify(body: Buffer, signature: string, secrets: string[]): number {
  try {
    return native.verifyWebhookSignature(body, signature, secrets)
  } catch (e) {
    // The core's webhook errors carry one of the reasons above (src/errors.rs).
    if (isNativeErrorData(e) && e.kind === 'webhook') throw fail(e.reason as WebhookVerificationReason, e.message)
    throw fail('invalid_signature', `the signature could not be checked (${v.messageOf(e)})`, e)
  }
}

/** Parses the verified body, or throws `invalid_body`. */
function parseEvent(body: Buffer): LateWebhookEvent {
  let event: unknown
  try {
    event = JSON.parse(body.toString('utf8'))
  } catch (e) {
    throw fail('invalid_body', `the webhook body has a valid signature but is not valid JSON (${(e as SyntaxError).message})`)
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw fail('invalid_body', 'the webhook body has a valid signature but is not a JSON object')
  }
  // A signed JSON object from Zernio: one of its webhook events.
  return event as LateWebhookEvent
}

/** Verifies and parses; also returns the index of the secret that matched. */
function verifyDetailed(rawBody: unknown, headersOrSignature: unknown, secretOrSecrets: unknown): { event: LateWebhookEvent; secretIndex: number } {
  const body = toBuffer(rawBody)
  const secrets = toSecrets(secretOrSecrets)
  const signature = toSignature(headersOrSignature)
  const secretIndex = nativeVerify(body, signature, secrets)
  return { event: parseEvent(body), secretIndex }
}

/**
 * Verifies a Zernio / Late webhook delivery and returns the parsed, typed event.
 *
 * The HMAC-SHA256 comparison runs in constant time in Rust. The signature is read from
 * `X-Zernio-Signature`, else `X-Late-Signature`; a signature string may be passed instead of the
 * headers. Never re-serialise a parsed body: the signature is over the exact bytes received.
 *
 * @param rawBody - The raw request body, exactly as received.
 * @param headersOrSignature - The request headers (a WHATWG `Headers`, Node's `req.headers`, any
 *   plain object), or the signature header value itself.
 * @param secretOrSecrets - The webhook's secret, or several while rotating.
 * @returns The event (`{ id, event, timestamp, … }`), discriminated on `event`.
 * @throws `WebhookVerificationError` with a {@link WebhookVerificationReason} in `reason`
 *   (`body_parsed`, `invalid_body`, `missing_secret`, `secret_whitespace`, `missing_header`,
 *   `malformed_signature` or `invalid_signature`). Its message never contains the secret.
 *
 * @example
 * ```ts
 * // app/api/webhooks/zernio/route.ts (Next.js App Router)
 * import { verifyWebhook, WebhookVerificationError } from 'late-native'
 *
 * export async function POST(req: Request) {
 *   let event
 *   try {
 *     event = verifyWebhook(await req.text(), req.headers, process.env.ZERNIO_WEBHOOK_SECRET!)
 *   } catch (err) {
 *     if (err instanceof WebhookVerificationError) return Response.json({ error: err.reason }, { status: 400 })
 *     throw err
 *   }
 *   if (event.event === 'account.connected') {
 *     console.log('connected', event.account.platform, event.account.accountId)
 *   }
 *   return Response.json({ received: true })
 * }
 * ```
 */
export function verifyWebhook(
  rawBody: WebhookRawBody,
  headersOrSignature: WebhookHeaders | string,
  secretOrSecrets: WebhookSecrets,
): LateWebhookEvent {
  return verifyDetailed(rawBody, headersOrSignature, secretOrSecrets).event
}

/**
 * A signed delivery built by {@link signWebhook}: send `body` with `headers` to your endpoint.
 * @example
 * ```ts
 * const { body, headers }: SignedWebhook = signWebhook({ event: 'post.published' }, 'test-secret')
 * ```
 */
export interface SignedWebhook {
  /** The exact JSON text that was signed. */
  body: string
  /** Lower-case header names, as Zernio sends them (current and legacy names). */
  headers: {
    'content-type': 'application/json'
    'x-zernio-signature': string
    'x-zernio-event': string
    'x-zernio-event-id': string
    'x-late-signature': string
    'x-late-event': string
    'x-late-event-id': string
  }
}

/** A payload as {@link signWebhook} reads it: only `event` and `id` (and, on an object given, `timestamp`). */
type SignedFields = { readonly [field: string]: unknown }

/**
 * Builds a signed webhook delivery exactly like Zernio's, for testing your own endpoint.
 *
 * The event name and id headers come from the payload's `event` and `id`. An object payload
 * that lacks `id` or `timestamp` gets a random UUID and the current time; a string or bytes
 * payload is signed as is.
 *
 * @param payload - The event, as an object, a JSON string or bytes.
 * @param secret - The webhook secret.
 * @returns The body text and the headers to send with it.
 * @throws `WebhookVerificationError` (`missing_secret`, `secret_whitespace`, `invalid_body`).
 *
 * @example
 * ```ts
 * import { signWebhook } from 'late-native'
 *
 * const { body, headers } = signWebhook(
 *   { event: 'account.connected', account: { accountId: 'acc_1', profileId: 'prof_1', platform: 'instagram', username: 'me', displayName: 'Me' } },
 *   'test-secret',
 * )
 * const res = await fetch('http://localhost:3000/api/webhooks/zernio', { method: 'POST', body, headers })
 * ```
 */
export function signWebhook(
  payload: Partial<LateWebhookEvent> | Record<string, unknown> | string | Uint8Array,
  secret: string,
): SignedWebhook {
  toSecrets(secret)
  if (typeof secret !== 'string') throw fail('missing_secret', 'signWebhook takes a single secret string')
  let body: string
  let parsed: SignedFields | undefined
  if (typeof payload === 'string') {
    body = payload
  } else if (!types.isProxy(payload) && (types.isAnyArrayBuffer(payload) || ArrayBuffer.isView(payload))) {
    body = toBuffer(payload).toString('utf8')
  } else if (v.isRecord(payload)) {
    const copy: Record<string, unknown> = reading('invalid_body', 'event', () => ({ ...payload }))
    if (copy.id === undefined) copy.id = randomUUID()
    if (copy.timestamp === undefined) copy.timestamp = new Date().toISOString()
    parsed = copy
    try {
      // An object always encodes to text (encodeJsonBody gives undefined for undefined only).
      body = encodeJsonBody(copy, 'payload') as string
    } catch (e) {
      // encodeJsonBody throws a LateValidationError naming `payload`.
      const err = e as LateValidationError
      throw fail('invalid_body', `signWebhook: ${err.message.replace(/^invalid `payload`: /, 'the event cannot be encoded: ')}`, err.cause ?? err)
    }
  } else {
    throw fail('invalid_body', 'signWebhook takes the event as an object, a JSON string or a Buffer')
  }
  if (parsed === undefined) {
    try {
      // Any JSON value: only its `event` and `id` are read below (nothing, off a primitive).
      parsed = JSON.parse(body) as SignedFields
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
function headerText(s: string): string {
  return (s.replace(/[\0-\x08\x0a-\x1f\x7f]/g, '') as WellFormedText).toWellFormed()
}

/**
 * Where {@link createWebhookHandler} remembers the event ids it has processed. Either an atomic
 * `claim` (preferred; `createRedisEventStore` shares one across instances), or `has` + `add` (a
 * `Set` works, but the check-then-add is not atomic across processes).
 * @example
 * ```ts
 * const store: WebhookEventStore = new Set<string>()
 * const handle = createWebhookHandler({ secret, store })
 * ```
 */
export type WebhookEventStore =
  | {
      /** Records `id` and returns `true` if it was not recorded yet; returns `false` for a duplicate. Must be atomic. */
      claim(id: string): boolean | Promise<boolean>
      /** Forgets `id`; called when `onEvent` throws, so that Zernio's retry is processed. Optional. */
      release?(id: string): unknown
    }
  | {
      /** Whether `id` was recorded. */
      has(id: string): boolean | Promise<boolean>
      /** Records `id`. */
      add(id: string): unknown
      /** Forgets `id`; called when `onEvent` throws. Optional. */
      delete?(id: string): unknown
    }

/**
 * The default in-memory store: bounded and expiring. See {@link createMemoryEventStore}.
 * @example
 * ```ts
 * const store: MemoryEventStore = createMemoryEventStore()
 * console.log(store.size, store.ttlMs)
 * ```
 */
export interface MemoryEventStore {
  /** Records `id`; `false` if it was already recorded and has not expired. */
  claim(id: string): boolean
  /** Forgets `id`. */
  release(id: string): void
  /** Whether `id` is recorded and has not expired. */
  has(id: string): boolean
  /** How many ids are recorded (expired ones may linger until the next call). */
  readonly size: number
  /** How long an id is remembered, in ms; the handler refuses events older than this. */
  readonly ttlMs: number
}

/**
 * Options of {@link createMemoryEventStore}.
 * @example
 * ```ts
 * const options: MemoryEventStoreOptions = { maxEntries: 50_000 }
 * ```
 */
export interface MemoryEventStoreOptions {
  /** Most ids kept; the oldest are dropped first. Default 10 000. */
  maxEntries?: number
  /**
   * How long an id is kept, in ms. Default 72 hours: past Zernio's redelivery window (7 attempts
   * over about 51 hours). A handler on this store refuses events older than this.
   */
  ttlMs?: number
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number
}

/**
 * Creates the bounded (oldest ids are dropped past `maxEntries`), expiring (ids are forgotten
 * after `ttlMs`), per-process store of seen event ids that {@link createWebhookHandler} uses by
 * default. With several server instances use a shared store: `createRedisEventStore({ url })`.
 *
 * @param options - Size and expiry.
 * @returns A store for {@link WebhookHandlerOptions.store}.
 *
 * @example
 * ```ts
 * import { createWebhookHandler, createMemoryEventStore } from 'late-native'
 *
 * const handle = createWebhookHandler({
 *   secret: process.env.ZERNIO_WEBHOOK_SECRET!,
 *   store: createMemoryEventStore({ maxEntries: 50_000, ttlMs: 7 * 24 * 3600_000 }),
 *   onEvent: (event) => console.log(event.event),
 * })
 * ```
 */
export function createMemoryEventStore(options?: MemoryEventStoreOptions): MemoryEventStore {
  const o = v.record<{ maxEntries?: unknown; ttlMs?: unknown; now?: unknown }>(options, 'options') ?? {}
  v.knownKeys(o, ['maxEntries', 'ttlMs', 'now'], 'options')
  const maxEntries = o.maxEntries ?? 10_000
  const ttlMs = o.ttlMs ?? EVENT_MEMORY_MS
  const clock = v.optionalFunction<() => unknown>(o.now, 'options.now') ?? Date.now
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
  const now = (): number => {
    const t = clock()
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new LateValidationError(`invalid \`options.now\`: it returned ${v.describe(t)}, expected a time in ms`, { param: 'options.now' })
    }
    return t
  }
  /** id -> expiry time; Map keeps insertion order, which is expiry order. */
  const seen = new Map<string, number>()
  function prune(t: number): void {
    for (const [id, expires] of seen) {
      if (expires > t) break
      seen.delete(id)
    }
  }
  return {
    claim(id: string): boolean {
      const t = now()
      prune(t)
      if (seen.has(id)) return false
      seen.set(id, t + ttlMs)
      // More than maxEntries (≥ 1) ids: the first key is there.
      while (seen.size > maxEntries) seen.delete(seen.keys().next().value as string)
      return true
    },
    release(id: string): void {
      seen.delete(id)
    },
    has(id: string): boolean {
      prune(now())
      return seen.has(id)
    },
    get size(): number {
      return seen.size
    },
    /** How long an id is remembered, in ms: the handler refuses events older than this. */
    ttlMs,
  }
}

/** A store as the handler uses it, whatever shape it was given in. */
interface AdaptedStore {
  claim(id: string): unknown
  release(id: string): unknown
  /** How long the store remembers an id, when it says (a positive finite number `ttlMs`). */
  ttlMs: number | undefined
}

/**
 * Adapts a `{ claim, release? }` or `{ has, add, delete? }` store (a `Set` works) to
 * `{ claim, release, ttlMs }`; `ttlMs` is the store's memory when it says (a number `ttlMs`).
 */
function adaptStore(store: unknown): AdaptedStore {
  if (store === undefined || store === null) return createMemoryEventStore()
  const method = (name: string) =>
    v.optionalFunction(v.reading('options.store', () => (store as Record<string, unknown>)[name]), `options.store.${name}`)
  if (typeof store !== 'object' && typeof store !== 'function') {
    throw new LateValidationError(`invalid \`options.store\`: expected an object, got ${v.describe(store)}`, { param: 'options.store' })
  }
  const memory = v.reading('options.store', () => (store as { ttlMs?: unknown }).ttlMs)
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

/** The fields of a verified event that the handler reads itself (the API sends them on every event). */
interface EventIdentity {
  id?: unknown
  timestamp?: unknown
}

/**
 * The id to handle a verified event once by: the signed payload `id`. A header id (which the
 * signature does not cover) must agree with it, else the delivery is refused: a replay with a
 * fresh header id must not run `onEvent` again, nor a forged one claim another event's id.
 */
function signedEventId(event: EventIdentity, headers: unknown): string {
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
function checkFresh(event: EventIdentity, maxAgeMs: number, now: number): void {
  const at = typeof event.timestamp === 'string' || typeof event.timestamp === 'number' ? new Date(event.timestamp).getTime() : NaN
  if (!Number.isFinite(at)) {
    throw fail('invalid_timestamp', 'the verified event has no valid `timestamp`, so its age cannot be checked (Zernio sends one on every event)')
  }
  const age = now - at
  if (age > maxAgeMs) {
    const hours = (ms: number) => `${Math.round(ms / 3_600_000)} h`
    throw fail(
      'stale_event',
      `the event is ${hours(age)} old, older than the ${hours(maxAgeMs)} the event store remembers (maxEventAgeMs): it may have been handled already, so it is refused`,
    )
  }
}

/**
 * What `onEvent` is told besides the event.
 * @example
 * ```ts
 * createWebhookHandler({ secret, onEvent: (event, { eventId, secretIndex }) => console.log(eventId, secretIndex) })
 * ```
 */
export interface WebhookEventContext {
  /** The event id used for deduplication: the signed payload `id`. */
  eventId: string
  /** Index of the secret that matched (0 unless rotating). */
  secretIndex: number
}

/**
 * Options of {@link createWebhookHandler}.
 * @example
 * ```ts
 * const options: WebhookHandlerOptions = { secret: process.env.ZERNIO_WEBHOOK_SECRET!, onEvent: (event) => console.log(event.event) }
 * ```
 */
export interface WebhookHandlerOptions<R = unknown> {
  /** The webhook's secret, or several while rotating. Checked when the handler is created. */
  secret: WebhookSecrets
  /**
   * Where processed event ids are kept. Default: {@link createMemoryEventStore}`()`. A store that
   * has a number `ttlMs` (both built-in stores) says how long it remembers an id.
   */
  store?: WebhookEventStore
  /**
   * Events whose signed `timestamp` is older than this (ms) are refused as `stale_event`: a replay
   * after the store forgot the id must not run again. Default: the store's `ttlMs`, else 72 hours;
   * it may not exceed the store's `ttlMs`.
   */
  maxEventAgeMs?: number
  /** Runs once per new event. If it throws, the id is released and the error propagates: answer 5xx so Zernio retries. */
  onEvent?: (event: LateWebhookEvent, context: WebhookEventContext) => R | Promise<R>
}

/**
 * What a {@link WebhookHandler} resolves to.
 * @example
 * ```ts
 * const { duplicate, eventId }: WebhookHandlerResult = await handle(await req.text(), req.headers)
 * ```
 */
export interface WebhookHandlerResult<R = unknown> {
  /** `true` when this event id was already processed: `onEvent` was not called. Answer 2xx anyway. */
  duplicate: boolean
  /** The verified event. */
  event: LateWebhookEvent
  /** The event id used for deduplication: the signed payload `id`. */
  eventId: string
  /** Index of the secret that matched. */
  secretIndex: number
  /** What `onEvent` returned (absent for duplicates or without `onEvent`). */
  result?: R
}

/**
 * Verifies one delivery and processes it at most once.
 *
 * @throws `WebhookVerificationError` when verification fails or the event is refused (answer
 *   400/401), or whatever `onEvent` threw.
 * @example
 * ```ts
 * const handle: WebhookHandler = createWebhookHandler({ secret })
 * await handle(await req.text(), req.headers)
 * ```
 */
export type WebhookHandler<R = unknown> = (
  rawBody: WebhookRawBody,
  headers: WebhookHeaders | string,
) => Promise<WebhookHandlerResult<R>>

/**
 * Creates an idempotent webhook handler: it verifies each delivery, then runs `onEvent` at most
 * once per event, keyed by the signed payload `id`, since Zernio retries deliveries (up to 7
 * attempts over about 51 hours) and redelivers on request. The signature covers the body only,
 * so an `X-Zernio-Event-Id` header that disagrees with the payload is refused
 * (`event_id_mismatch`), and an event older than the store remembers (`maxEventAgeMs`, default
 * the store's `ttlMs`, else 72 h) is refused as `stale_event` (see
 * {@link WebhookHandlerOptions.maxEventAgeMs}). If `onEvent` throws, the id is released so that
 * Zernio's retry is processed, and the error propagates (answer 5xx to get that retry).
 *
 * @param options - The secret, an optional store of seen ids, and the event callback.
 * @returns An async function `(rawBody, headers) => { duplicate, event, eventId, secretIndex, result? }`.
 * @throws `WebhookVerificationError` at creation if the secret is missing or has whitespace.
 *
 * @example
 * ```ts
 * // app/api/webhooks/zernio/route.ts
 * import { createWebhookHandler, WebhookVerificationError } from 'late-native'
 *
 * const handle = createWebhookHandler({
 *   secret: [process.env.ZERNIO_WEBHOOK_SECRET!, process.env.ZERNIO_WEBHOOK_SECRET_OLD!].filter(Boolean),
 *   onEvent: async (event) => {
 *     if (event.event === 'account.connected') await saveAccount(event.account.accountId)
 *   },
 * })
 *
 * export async function POST(req: Request) {
 *   try {
 *     const { duplicate } = await handle(await req.text(), req.headers)
 *     return Response.json({ received: true, duplicate })
 *   } catch (err) {
 *     if (err instanceof WebhookVerificationError) return Response.json({ error: err.reason }, { status: 400 })
 *     return Response.json({ error: 'failed' }, { status: 500 }) // Zernio will retry
 *   }
 * }
 * ```
 */
export function createWebhookHandler<R = unknown>(options: WebhookHandlerOptions<R>): WebhookHandler<R> {
  if (!v.isRecord(options)) {
    throw new LateValidationError(`invalid \`options\`: createWebhookHandler takes { secret, store?, maxEventAgeMs?, onEvent? }, got ${v.describe(options)}`, {
      param: 'options',
    })
  }
  const o = v.record<{ secret?: unknown; store?: unknown; maxEventAgeMs?: unknown; onEvent?: unknown }>(options, 'options')
  v.knownKeys(o, ['secret', 'store', 'maxEventAgeMs', 'onEvent'], 'options')
  const secret = toSecrets(o.secret) // fail at startup, not on the first delivery
  const onEvent = v.optionalFunction<NonNullable<WebhookHandlerOptions<R>['onEvent']>>(o.onEvent, 'options.onEvent')
  const store = adaptStore(o.store)
  const memory = store.ttlMs ?? EVENT_MEMORY_MS
  const maxAgeMs = v.optionalPositiveNumber(o.maxEventAgeMs, 'options.maxEventAgeMs', Number.MAX_SAFE_INTEGER) ?? memory
  if (store.ttlMs !== undefined && maxAgeMs > store.ttlMs) {
    throw new LateValidationError(
      `invalid \`options.maxEventAgeMs\`: ${maxAgeMs} ms is longer than the store remembers an id (ttlMs ${store.ttlMs} ms), so an old delivery could be handled twice`,
      { param: 'options.maxEventAgeMs' },
    )
  }

  return async function handleWebhook(rawBody: WebhookRawBody, headers: WebhookHeaders | string): Promise<WebhookHandlerResult<R>> {
    const { event, secretIndex } = verifyDetailed(rawBody, headers, secret)
    const eventId = signedEventId(event as EventIdentity, headers)
    checkFresh(event as EventIdentity, maxAgeMs, Date.now())
    if (!(await store.claim(eventId))) {
      return { duplicate: true, event, eventId, secretIndex }
    }
    if (!onEvent) return { duplicate: false, event, eventId, secretIndex }
    try {
      // What `onEvent` returned, awaited: `R` itself for an `onEvent` typed `R | Promise<R>`.
      const result = (await onEvent(event, { eventId, secretIndex })) as R
      return { duplicate: false, event, eventId, secretIndex, result }
    } catch (err) {
      await store.release(eventId)
      throw err
    }
  }
}
