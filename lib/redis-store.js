'use strict'

/**
 * `createRedisEventStore`: the webhook event store for several server instances. Each event id
 * is claimed in Redis with `SET … NX PX ttl` through the Rust core's Redis client (no Redis
 * package in JS), so one instance handles it; a handler that throws releases the id so that
 * Zernio's retry is handled.
 */

const native = require('./load-native.js')
const { fromNative } = require('./transport.js')
const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')

const KEYS = ['url', 'ttlMs', 'keyPrefix']

/**
 * A store of handled webhook event ids in Redis, for {@link createWebhookHandler}'s `store`.
 *
 * @param {{ url: string, ttlMs?: number, keyPrefix?: string }} options `url`: `redis://` or
 *   `rediss://` (TLS); `ttlMs`: how long an id is remembered (default 72 h, past Zernio's
 *   redelivery window of about 51 h; the handler refuses older events); `keyPrefix`: before
 *   each id (default `late-native:webhook:`).
 * @returns {{ claim(id: string): Promise<boolean>, release(id: string): Promise<void>, ttlMs: number }}
 */
function createRedisEventStore(options) {
  if (options === undefined) {
    throw new LateValidationError('invalid `options`: expected { url, ttlMs?, keyPrefix? }', { param: 'options' })
  }
  // A plain copy: getters and Proxy traps run once, and what they throw names `options`.
  options = v.record(options, 'options')
  v.knownKeys(options, KEYS, 'options')
  // The JS types only: the core checks the URL (RedisTarget::parse) and the ttl (src/millis.rs).
  if (typeof options.url !== 'string') {
    // Never echoed: the URL may carry a password.
    throw new LateValidationError('invalid `url`: expected a redis:// or rediss:// URL', { param: 'url' })
  }
  v.optionalNumber(options.ttlMs, 'ttlMs')
  const keyPrefix = v.optionalString(options.keyPrefix, 'keyPrefix') ?? 'late-native:webhook:'
  let store
  try {
    store = new native.NativeRedisEventStore(options.url, options.ttlMs, keyPrefix)
  } catch (e) {
    throw fromNative(e)
  }
  // The default is the core's (late_core::DEFAULT_EVENT_TTL), 72 h.
  const ttlMs = options.ttlMs ?? native.EVENT_MEMORY_MS
  const call = async (id, fn) => {
    if (typeof id !== 'string' || id === '' || !id.isWellFormed()) {
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
    claim: (id) => call(id, (i) => store.claim(i)),
    /** Forgets `id`, so that a retry of the event is handled. */
    release: (id) => call(id, (i) => store.release(i)),
    /** How long an id is remembered, in ms: the handler refuses events older than this. */
    ttlMs,
    toJSON: () => ({ kind: 'redis', ttlMs, keyPrefix }),
    [require('node:util').inspect.custom]: () => `RedisEventStore { ttlMs: ${ttlMs}, keyPrefix: '${keyPrefix}' }`,
  })
}

module.exports = { createRedisEventStore }
