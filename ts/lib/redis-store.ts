/**
 * `createRedisEventStore`: the webhook event store for several server instances. Each event id
 * is claimed in Redis with `SET … NX PX ttl` through the Rust core's Redis client (no Redis
 * package in JS), so one instance handles it; a handler that throws releases the id so that
 * Zernio's retry is handled.
 *
 * @packageDocumentation
 */

import { inspect } from 'node:util'
import native = require('./load-native.js')
import { fromNative } from './transport.js'
import { LateValidationError } from './errors.js'
import * as v from './validate.js'
import type { WellFormedText } from './validate.js'
import type { NativeRedisEventStore } from '../native.js'

/**
 * Options of {@link createRedisEventStore}.
 * @example
 * ```ts
 * const options: RedisEventStoreOptions = { url: process.env.REDIS_URL!, keyPrefix: 'myapp:webhook:' }
 * const store = createRedisEventStore(options)
 * ```
 */
export interface RedisEventStoreOptions {
  /** `redis://…` or `rediss://…` (TLS). Never shown in errors (it may carry a password). */
  url: string
  /**
   * How long a handled event id is remembered, in ms. Default 72 hours: past Zernio's redelivery
   * window (7 attempts over about 51 hours). A handler on this store refuses older events.
   */
  ttlMs?: number
  /** Prefix of the Redis keys, before the event id. Default `'late-native:webhook:'`. */
  keyPrefix?: string
}

/**
 * A store of handled event ids in Redis: `claim` is `SET NX PX`, `release` deletes the id.
 * @example
 * ```ts
 * const store: RedisEventStore = createRedisEventStore({ url: process.env.REDIS_URL! })
 * if (await store.claim(event.id)) await handle(event)
 * ```
 */
export interface RedisEventStore {
  /** Records `id`; `false` when an instance already handled it within `ttlMs`. Rejects with a `LateConnectionError` when Redis cannot be reached (answer 5xx: Zernio retries). */
  claim(id: string): Promise<boolean>
  /** Forgets `id`, so that Zernio's retry of the event is handled. */
  release(id: string): Promise<void>
  /** How long an id is remembered, in ms; the handler refuses events older than this. */
  readonly ttlMs: number
}

const KEYS: readonly string[] = ['url', 'ttlMs', 'keyPrefix']

/**
 * A webhook event store shared by every instance through Redis, for
 * `createWebhookHandler({ store })`: each event id is handled once across instances, and a
 * handler that throws releases the id so that Zernio's retry is handled. Uses the native Redis
 * client: no Redis package needed.
 *
 * @param options - `url`: `redis://` or `rediss://` (TLS); `ttlMs`: how long an id is remembered
 *   (default 72 h, past Zernio's redelivery window of about 51 h; the handler refuses older
 *   events); `keyPrefix`: before each id (default `late-native:webhook:`).
 * @returns The store. Nothing is sent before the first delivery.
 * @throws `LateValidationError` for a URL that is not `redis://` or `rediss://`.
 *
 * @example
 * ```ts
 * import { createWebhookHandler, createRedisEventStore } from 'late-native'
 *
 * const handle = createWebhookHandler({
 *   secret: process.env.ZERNIO_WEBHOOK_SECRET!,
 *   store: createRedisEventStore({ url: process.env.REDIS_URL! }),
 *   onEvent: async (event) => { await saveEvent(event) },
 * })
 * ```
 */
export function createRedisEventStore(options: RedisEventStoreOptions): RedisEventStore {
  if (options === undefined) {
    throw new LateValidationError('invalid `options`: expected { url, ttlMs?, keyPrefix? }', { param: 'options' })
  }
  // A plain copy: getters and Proxy traps run once, and what they throw names `options`.
  const o = v.record<{ url?: unknown; ttlMs?: unknown; keyPrefix?: unknown }>(options, 'options')
  v.knownKeys(o, KEYS, 'options')
  // The JS types only: the core checks the URL (RedisTarget::parse) and the ttl (src/millis.rs).
  if (typeof o.url !== 'string') {
    // Never echoed: the URL may carry a password.
    throw new LateValidationError('invalid `url`: expected a redis:// or rediss:// URL', { param: 'url' })
  }
  const givenTtl = v.optionalNumber(o.ttlMs, 'ttlMs')
  const keyPrefix = v.optionalString(o.keyPrefix, 'keyPrefix') ?? 'late-native:webhook:'
  let store: NativeRedisEventStore
  try {
    store = new native.NativeRedisEventStore(o.url, givenTtl, keyPrefix)
  } catch (e) {
    throw fromNative(e)
  }
  // The default is the core's (late_core::DEFAULT_EVENT_TTL), 72 h.
  const ttlMs = givenTtl ?? native.EVENT_MEMORY_MS
  const call = async <R>(id: unknown, fn: (id: string) => Promise<R>): Promise<R> => {
    if (typeof id !== 'string' || id === '' || !(id as WellFormedText).isWellFormed()) {
      throw new LateValidationError('invalid `id`: expected the event id, a non-empty string', { param: 'id' })
    }
    try {
      return await fn(id)
    } catch (e) {
      throw fromNative(e)
    }
  }
  return Object.freeze({
    /** `true` if no instance handled `id` within `ttlMs` (it is now recorded); `false` for a duplicate. */
    claim: (id: string) => call(id, (i) => store.claim(i)),
    /** Forgets `id`, so that a retry of the event is handled. */
    release: (id: string) => call(id, (i) => store.release(i)),
    /** How long an id is remembered, in ms: the handler refuses events older than this. */
    ttlMs,
    toJSON: () => ({ kind: 'redis', ttlMs, keyPrefix }),
    [inspect.custom]: () => `RedisEventStore { ttlMs: ${ttlMs}, keyPrefix: '${keyPrefix}' }`,
  })
}
