/**
 * The webhook event store in Redis, for several server instances.
 *
 * @packageDocumentation
 */

/** Options of {@link createRedisEventStore}. */
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

/** A store of handled event ids in Redis: `claim` is `SET NX PX`, `release` deletes the id. */
export interface RedisEventStore {
  /** Records `id`; `false` when an instance already handled it within `ttlMs`. Rejects with a `LateConnectionError` when Redis cannot be reached (answer 5xx: Zernio retries). */
  claim(id: string): Promise<boolean>
  /** Forgets `id`, so that Zernio's retry of the event is handled. */
  release(id: string): Promise<void>
  /** How long an id is remembered, in ms; the handler refuses events older than this. */
  readonly ttlMs: number
}

/**
 * A webhook event store shared by every instance through Redis, for
 * `createWebhookHandler({ store })`: each event id is handled once across instances, and a
 * handler that throws releases the id so that Zernio's retry is handled. Uses the native Redis
 * client: no Redis package needed.
 *
 * @param options - The Redis URL, the TTL and the key prefix.
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
export declare function createRedisEventStore(options: RedisEventStoreOptions): RedisEventStore
