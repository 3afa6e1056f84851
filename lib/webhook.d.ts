/**
 * Webhook verification for Late / Zernio deliveries.
 *
 * Zernio signs each delivery of a webhook that has a `secret` with HMAC-SHA256 over the raw
 * request body, sent as lowercase hex in `X-Zernio-Signature` (legacy: `X-Late-Signature`).
 * There is no replay window: dedupe on the event id ({@link createWebhookHandler} does it) and
 * check the payload `timestamp` yourself if freshness matters.
 *
 * @packageDocumentation
 */

import type { LateWebhookEvent, LateWebhookEventMap, LateWebhookEventName } from '../types/webhooks.js'

export type { LateWebhookEvent, LateWebhookEventMap, LateWebhookEventName }

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

/** The raw request body, exactly as received: a string, a `Buffer`, any `Uint8Array` view, or an `ArrayBuffer`. */
export type WebhookRawBody = string | Uint8Array | ArrayBuffer | ArrayBufferView

/** Anything with a case-insensitive `get(name)`, such as the WHATWG `Headers` of a fetch `Request`. */
export interface HeadersLike {
  get(name: string): string | null | undefined
}

/**
 * Request headers in any common shape: a WHATWG `Headers`, Node's `IncomingMessage.headers`, a
 * `Map`, or a plain object with header names in any case (array values use the first element).
 */
export type WebhookHeaders =
  | HeadersLike
  | ReadonlyMap<string, string | readonly string[] | undefined>
  | Readonly<Record<string, string | readonly string[] | number | undefined | null>>

/** One secret, or several (tried in order) while rotating: put the new one first, keep the old one until its retries are over. */
export type WebhookSecrets = string | readonly string[]

/**
 * Verifies a Zernio / Late webhook delivery and returns the parsed, typed event.
 *
 * The HMAC-SHA256 comparison runs in constant time in Rust. The signature is read from
 * `X-Zernio-Signature`, else `X-Late-Signature`; a signature string may be passed instead of the
 * headers. Never re-serialise a parsed body: the signature is over the exact bytes received.
 *
 * @param rawBody - The raw request body, exactly as received.
 * @param headersOrSignature - The request headers, or the signature header value itself.
 * @param secretOrSecrets - The webhook's secret, or several while rotating.
 * @returns The event, discriminated on `event`.
 * @throws `WebhookVerificationError` with a {@link WebhookVerificationReason} in `reason`. Its
 *   message never contains the secret.
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
export declare function verifyWebhook(
  rawBody: WebhookRawBody,
  headersOrSignature: WebhookHeaders | string,
  secretOrSecrets: WebhookSecrets,
): LateWebhookEvent

/** A signed delivery built by {@link signWebhook}: send `body` with `headers` to your endpoint. */
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
export declare function signWebhook(
  payload: Partial<LateWebhookEvent> | Record<string, unknown> | string | Uint8Array,
  secret: string,
): SignedWebhook

/**
 * Where {@link createWebhookHandler} remembers the event ids it has processed. Either an atomic
 * `claim` (preferred; `createRedisEventStore` shares one across instances), or `has` + `add` (a
 * `Set` works, but the check-then-add is not atomic across processes).
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

/** The default in-memory store: bounded and expiring. See {@link createMemoryEventStore}. */
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

/** Options of {@link createMemoryEventStore}. */
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
 * Creates the bounded, expiring, per-process store of seen event ids that
 * {@link createWebhookHandler} uses by default. With several server instances use a shared store:
 * `createRedisEventStore({ url })`.
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
export declare function createMemoryEventStore(options?: MemoryEventStoreOptions): MemoryEventStore

/** What `onEvent` is told besides the event. */
export interface WebhookEventContext {
  /** The event id used for deduplication: the signed payload `id`. */
  eventId: string
  /** Index of the secret that matched (0 unless rotating). */
  secretIndex: number
}

/** Options of {@link createWebhookHandler}. */
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

/** What a {@link WebhookHandler} resolves to. */
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
 * (`event_id_mismatch`), and an event older than the store remembers is refused as
 * `stale_event` (see {@link WebhookHandlerOptions.maxEventAgeMs}).
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
export declare function createWebhookHandler<R = unknown>(options: WebhookHandlerOptions<R>): WebhookHandler<R>

/** Signature header names, in the order they are read: `['x-zernio-signature', 'x-late-signature']`. */
export declare const SIGNATURE_HEADERS: readonly ['x-zernio-signature', 'x-late-signature']
/** Event-id header names, in the order they are read: `['x-zernio-event-id', 'x-late-event-id']`. */
export declare const EVENT_ID_HEADERS: readonly ['x-zernio-event-id', 'x-late-event-id']

export { WebhookVerificationError } from './errors'
