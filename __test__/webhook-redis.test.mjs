// Webhooks once across instances (issue 12, item 4): createRedisEventStore through the native
// Redis client, against a real Redis; separate processes play the server instances.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { signWebhook, createWebhookHandler, createRedisEventStore, LateConnectionError, LateValidationError } from '../index.mjs'
import { startRedis, freePort } from './helpers/redis-server.mjs'
import { onlyOn } from './helpers/platform.mjs'

/** Redis is a Unix server: the suite runs where a redis-server package exists. */
const REDIS = onlyOn('linux,darwin', 'needs a redis-server: Debian or Homebrew ship one, Windows does not')

const SECRET = 'whsec_test_fleet'
const INSTANCE = fileURLToPath(new URL('./helpers/webhook-instance.mjs', import.meta.url))
let redis
let instances = []

function startInstance(config) {
  const child = fork(INSTANCE, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const replies = []
  let waiting
  child.on('message', (m) => (waiting ? (waiting(m), (waiting = undefined)) : replies.push(m)))
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((r) => (waiting = r)))
  return {
    ready: next(),
    deliver(delivery, fail = false) {
      child.send({ ...delivery, fail })
      return next()
    },
    stop: () => child.kill(),
  }
}

before(async () => {
  if (REDIS) return
  redis = await startRedis()
  instances = Array.from({ length: 4 }, () => startInstance({ url: redis.url, secret: SECRET, ttlMs: 60_000 }))
  await Promise.all(instances.map((i) => i.ready))
})
after(async () => {
  for (const i of instances) i.stop()
  await redis?.stop()
})

test('the same signed delivery sent at once to 4 instances in separate processes is handled exactly once', { skip: REDIS }, async () => {
  const delivery = signWebhook({ id: 'evt_once_1', event: 'post.published', post: { _id: 'p1' } }, SECRET)
  const replies = await Promise.all(instances.map((i) => i.deliver(delivery)))
  assert.deepEqual(replies.filter((r) => r.error), [])
  assert.equal(replies.filter((r) => r.handled).length, 1, JSON.stringify(replies))
  assert.equal(replies.filter((r) => r.duplicate).length, 3)
  assert.equal(await redis.command('EXISTS test:webhook:evt_once_1'), ':1')
})

test('a handler that throws releases the id: the redelivery is handled (once)', { skip: REDIS }, async () => {
  const delivery = signWebhook({ id: 'evt_retry_1', event: 'post.failed', post: { _id: 'p2' } }, SECRET)
  const failed = await instances[0].deliver(delivery, true)
  assert.match(failed.error, /handler failed for evt_retry_1/)
  assert.equal(await redis.command('EXISTS test:webhook:evt_retry_1'), ':0', 'released')
  const retried = await Promise.all([instances[1].deliver(delivery), instances[2].deliver(delivery)])
  assert.equal(retried.filter((r) => r.handled).length, 1, JSON.stringify(retried))
  assert.deepEqual(await instances[3].deliver(delivery), { handled: false, duplicate: true })
})

test('ids expire after ttlMs; the default TTL is 72 hours, past the ~51 h redelivery window', { skip: REDIS }, async () => {
  const short = createRedisEventStore({ url: redis.url, ttlMs: 300, keyPrefix: 'test:ttl:' })
  assert.equal(await short.claim('evt_ttl'), true)
  assert.equal(await short.claim('evt_ttl'), false)
  await new Promise((r) => setTimeout(r, 400))
  assert.equal(await short.claim('evt_ttl'), true, 'claimable again after the TTL')
  const kept = createRedisEventStore({ url: redis.url })
  assert.equal(kept.ttlMs, 72 * 3600_000)
  assert.equal(await kept.claim('evt_day'), true)
  const ttl = Number((await redis.command('PTTL late-native:webhook:evt_day')).slice(1))
  assert.ok(ttl > 71 * 3600_000 && ttl <= 72 * 3600_000, `PTTL ${ttl}`)
})

test('Redis unreachable: the delivery fails (so the sender retries) instead of running twice or never', { skip: REDIS }, async () => {
  const port = await freePort()
  const handle = createWebhookHandler({
    secret: SECRET,
    store: createRedisEventStore({ url: `redis://:s3cret-pass@127.0.0.1:${port}` }),
    onEvent: () => assert.fail('must not run without the store'),
  })
  const delivery = signWebhook({ id: 'evt_down', event: 'post.published' }, SECRET)
  await assert.rejects(handle(delivery.body, delivery.headers), (e) => {
    assert.ok(e instanceof LateConnectionError, String(e))
    assert.match(e.message, new RegExp(`webhook event store \\(Redis at redis://127.0.0.1:${port}\\)`))
    assert.doesNotMatch(e.message, /s3cret-pass/)
    return true
  })
  assert.throws(() => createRedisEventStore({ url: 'http://:s3cret-pass@127.0.0.1' }), (e) => {
    assert.ok(e instanceof LateValidationError)
    assert.equal(e.param, 'url')
    assert.doesNotMatch(e.message, /s3cret-pass/)
    return true
  })
})
