// Webhook verification: signatures are computed independently here with node:crypto and checked
// through lib/webhook.js (which verifies in Rust through the native addon).

import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { verifyWebhook, signWebhook, createWebhookHandler, createMemoryEventStore } = require('../lib/webhook.js')
const { WebhookVerificationError, LateError, LateValidationError } = require('../lib/errors.js')

const SECRET = 'whsec_Zk3-very-secret-value'
const OLD_SECRET = 'whsec_old-rotated-secret'

// A recent event: the handler refuses events older than its store remembers (72 h by default).
const EVENT = {
  id: '4b0d9f7e-2c1a-4f7e-9d55-1f5a2b3c4d5e',
  event: 'account.connected',
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  account: { accountId: 'acc_1', profileId: 'prof_1', platform: 'instagram', username: 'me', displayName: 'Me' },
}
// Deliberately not JSON.stringify's layout: verification must use the bytes as received.
const RAW = `{"id":"${EVENT.id}", "event":"account.connected","timestamp":"${EVENT.timestamp}",\n "account":{"accountId":"acc_1","profileId":"prof_1","platform":"instagram","username":"me","displayName":"Me"}}`

const hmac = (raw, secret) => createHmac('sha256', secret).update(raw).digest('hex')
const SIG = hmac(RAW, SECRET)

/** Asserts that fn throws a WebhookVerificationError with this reason and no secret in it. */
function assertReason(fn, reason, secrets = [SECRET, OLD_SECRET]) {
  let caught
  try {
    fn()
  } catch (e) {
    caught = e
  }
  assert.ok(caught, `expected a ${reason} error, nothing was thrown`)
  assert.ok(caught instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${caught && caught.stack}`)
  assert.ok(caught instanceof LateError)
  assert.equal(caught.reason, reason, caught.message)
  assert.equal(caught.name, 'WebhookVerificationError')
  for (const s of secrets) {
    const trimmed = s.trim()
    assert.ok(!caught.message.includes(trimmed), `message leaks the secret: ${caught.message}`)
    assert.ok(!String(caught.stack).includes(trimmed), 'stack leaks the secret')
    assert.ok(!JSON.stringify(caught).includes(trimmed), 'JSON leaks the secret')
  }
  return caught
}

describe('verifyWebhook', () => {
  test('accepts a string body with the signature string', () => {
    assert.deepEqual(verifyWebhook(RAW, SIG, SECRET), EVENT)
  })

  test('accepts Buffer, Uint8Array and ArrayBuffer bodies', () => {
    const buf = Buffer.from(RAW)
    assert.deepEqual(verifyWebhook(buf, SIG, SECRET), EVENT)
    const u8 = new Uint8Array(buf)
    assert.deepEqual(verifyWebhook(u8, SIG, SECRET), EVENT)
    // A view into a larger buffer (offset and length must be honoured).
    const big = Buffer.concat([Buffer.from('xxxx'), buf, Buffer.from('yyyy')])
    assert.deepEqual(verifyWebhook(new Uint8Array(big.buffer, big.byteOffset + 4, buf.length), SIG, SECRET), EVENT)
    const ab = u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength)
    assert.deepEqual(verifyWebhook(ab, SIG, SECRET), EVENT)
  })

  test('handles non-ASCII bodies byte-exactly', () => {
    const raw = JSON.stringify({ id: 'e1', event: 'comment.received', comment: { text: 'héllo 👋 — ok' } })
    assert.equal(verifyWebhook(raw, hmac(Buffer.from(raw, 'utf8'), SECRET), SECRET).comment.text, 'héllo 👋 — ok')
  })

  test('reads X-Zernio-Signature from a WHATWG Headers object', () => {
    const headers = new Headers({ 'Content-Type': 'application/json', 'X-Zernio-Signature': SIG, 'X-Zernio-Event': 'account.connected' })
    assert.deepEqual(verifyWebhook(RAW, headers, SECRET), EVENT)
  })

  test('reads the header from a plain object in any case, and from Node IncomingMessage-style headers', () => {
    assert.deepEqual(verifyWebhook(RAW, { 'X-ZERNIO-SIGNATURE': SIG }, SECRET), EVENT)
    assert.deepEqual(verifyWebhook(RAW, { 'x-zernio-signature': SIG, host: 'localhost' }, SECRET), EVENT)
    // Node's req.headers is a null-prototype object with lower-case names.
    const nodeHeaders = Object.assign(Object.create(null), { 'content-type': 'application/json', 'x-zernio-signature': SIG })
    assert.deepEqual(verifyWebhook(RAW, nodeHeaders, SECRET), EVENT)
    // Array values take the first element.
    assert.deepEqual(verifyWebhook(RAW, { 'x-zernio-signature': [SIG, 'ignored'] }, SECRET), EVENT)
    // A Map with any case.
    assert.deepEqual(verifyWebhook(RAW, new Map([['X-Zernio-Signature', SIG]]), SECRET), EVENT)
    // The request itself passed instead of its headers.
    assert.deepEqual(verifyWebhook(RAW, { method: 'POST', headers: { 'x-zernio-signature': SIG } }, SECRET), EVENT)
  })

  test('falls back to X-Late-Signature', () => {
    assert.deepEqual(verifyWebhook(RAW, { 'X-Late-Signature': SIG }, SECRET), EVENT)
    assert.deepEqual(verifyWebhook(RAW, new Headers({ 'x-late-signature': SIG }), SECRET), EVENT)
    // An empty X-Zernio-Signature does not hide the legacy header.
    assert.deepEqual(verifyWebhook(RAW, { 'x-zernio-signature': '', 'x-late-signature': SIG }, SECRET), EVENT)
  })

  test('tolerates whitespace around the header value and a sha256= prefix', () => {
    assert.deepEqual(verifyWebhook(RAW, ` ${SIG}\n`, SECRET), EVENT)
    assert.deepEqual(verifyWebhook(RAW, `sha256=${SIG}`, SECRET), EVENT)
  })

  test('secret rotation: the second secret matches', () => {
    const oldSig = hmac(RAW, OLD_SECRET)
    assert.deepEqual(verifyWebhook(RAW, oldSig, [SECRET, OLD_SECRET]), EVENT)
    assert.deepEqual(verifyWebhook(RAW, SIG, [SECRET, OLD_SECRET]), EVENT)
    assertReason(() => verifyWebhook(RAW, hmac(RAW, 'third'), [SECRET, OLD_SECRET]), 'invalid_signature')
  })

  test('missing header: names both headers and says the webhook needs a secret', () => {
    const e = assertReason(() => verifyWebhook(RAW, { 'content-type': 'application/json' }, SECRET), 'missing_header')
    assert.match(e.message, /X-Zernio-Signature/)
    assert.match(e.message, /X-Late-Signature/)
    assert.match(e.message, /secret configured/)
    assertReason(() => verifyWebhook(RAW, new Headers(), SECRET), 'missing_header')
    assertReason(() => verifyWebhook(RAW, '', SECRET), 'missing_header')
    assertReason(() => verifyWebhook(RAW, undefined, SECRET), 'missing_header')
  })

  test('wrong signature', () => {
    assertReason(() => verifyWebhook(RAW, hmac(RAW, 'another-secret'), SECRET), 'invalid_signature')
    // Right secret, tampered body.
    assertReason(() => verifyWebhook(RAW.replace('acc_1', 'acc_2'), SIG, SECRET), 'invalid_signature')
    // Right secret, body re-serialised after parsing: different bytes.
    assertReason(() => verifyWebhook(JSON.stringify(JSON.parse(RAW)), SIG, SECRET), 'invalid_signature')
  })

  test('malformed signature', () => {
    assertReason(() => verifyWebhook(RAW, 'not-a-signature', SECRET), 'malformed_signature')
    assertReason(() => verifyWebhook(RAW, SIG.slice(0, 40), SECRET), 'malformed_signature')
  })

  test('already-parsed body: tells to pass the raw body', () => {
    const e = assertReason(() => verifyWebhook(JSON.parse(RAW), SIG, SECRET), 'body_parsed')
    assert.match(e.message, /await req\.text\(\)/)
    assert.match(e.message, /express\.raw\(\{ type: 'application\/json' \}\)/)
    // The object coerced to a string on the way.
    const e2 = assertReason(() => verifyWebhook(String(JSON.parse(RAW)), SIG, SECRET), 'body_parsed')
    assert.match(e2.message, /raw request body/)
  })

  test('body of the wrong kind', () => {
    assertReason(() => verifyWebhook(undefined, SIG, SECRET), 'invalid_body')
    assertReason(() => verifyWebhook(42, SIG, SECRET), 'invalid_body')
    const e = assertReason(() => verifyWebhook(Promise.resolve(RAW), SIG, SECRET), 'invalid_body')
    assert.match(e.message, /await/)
    assertReason(() => verifyWebhook(new Request('http://x/', { method: 'POST', body: RAW }), SIG, SECRET), 'invalid_body')
  })

  test('whitespace in the secret (a newline pasted into an env var)', () => {
    const e = assertReason(() => verifyWebhook(RAW, SIG, `${SECRET}\n`), 'secret_whitespace')
    assert.match(e.message, /leading or trailing whitespace \(often a newline pasted into an env var\)/)
    assertReason(() => verifyWebhook(RAW, SIG, [SECRET, ` ${OLD_SECRET}`]), 'secret_whitespace')
  })

  test('missing secret', () => {
    assertReason(() => verifyWebhook(RAW, SIG, undefined), 'missing_secret')
    assertReason(() => verifyWebhook(RAW, SIG, ''), 'missing_secret')
    assertReason(() => verifyWebhook(RAW, SIG, []), 'missing_secret')
    assertReason(() => verifyWebhook(RAW, SIG, [SECRET, undefined]), 'missing_secret')
  })

  test('valid signature over a body that is not JSON', () => {
    const raw = 'not json {'
    const e = assertReason(() => verifyWebhook(raw, hmac(raw, SECRET), SECRET), 'invalid_body')
    assert.match(e.message, /not valid JSON/)
    assertReason(() => verifyWebhook('[1,2]', hmac('[1,2]', SECRET), SECRET), 'invalid_body')
  })

  test('the secret never appears in any error message', () => {
    const cases = [
      () => verifyWebhook(RAW, hmac(RAW, 'nope'), SECRET),
      () => verifyWebhook(RAW, hmac(RAW, 'nope'), [SECRET, OLD_SECRET]),
      () => verifyWebhook(RAW, 'zz', SECRET),
      () => verifyWebhook(RAW, {}, SECRET),
      () => verifyWebhook(JSON.parse(RAW), SIG, SECRET),
      () => verifyWebhook(RAW, SIG, `  ${SECRET}`),
      () => verifyWebhook('nope', hmac('nope', SECRET), SECRET),
      () => signWebhook(EVENT, `${SECRET}\r\n`),
    ]
    for (const fn of cases) {
      let err
      try {
        fn()
      } catch (e) {
        err = e
      }
      assert.ok(err instanceof WebhookVerificationError)
      const text = `${err.message}\n${err.stack}\n${JSON.stringify(err)}\n${require('node:util').inspect(err)}`
      assert.ok(!text.includes(SECRET), text)
      assert.ok(!text.includes(OLD_SECRET), text)
    }
  })
})

describe('signWebhook', () => {
  test('signs like Zernio: verifiable independently, with current and legacy headers', () => {
    const { body, headers } = signWebhook(EVENT, SECRET)
    assert.equal(headers['x-zernio-signature'], hmac(body, SECRET))
    assert.equal(headers['x-late-signature'], headers['x-zernio-signature'])
    assert.equal(headers['content-type'], 'application/json')
    assert.equal(headers['x-zernio-event'], 'account.connected')
    assert.equal(headers['x-late-event'], 'account.connected')
    assert.equal(headers['x-zernio-event-id'], EVENT.id)
    assert.equal(headers['x-late-event-id'], EVENT.id)
    assert.deepEqual(verifyWebhook(body, new Headers(headers), SECRET), EVENT)
  })

  test('signs a string payload as is', () => {
    const { body, headers } = signWebhook(RAW, SECRET)
    assert.equal(body, RAW)
    assert.equal(headers['x-zernio-signature'], SIG)
    assert.equal(headers['x-zernio-event-id'], EVENT.id)
  })

  test('fills in id and timestamp of an object payload that lacks them', () => {
    const { body, headers } = signWebhook({ event: 'webhook.test' }, SECRET)
    const parsed = JSON.parse(body)
    assert.match(parsed.id, /^[0-9a-f-]{36}$/)
    assert.equal(headers['x-zernio-event-id'], parsed.id)
    assert.ok(!Number.isNaN(Date.parse(parsed.timestamp)))
  })

  test('refuses a missing or whitespace secret', () => {
    assertReason(() => signWebhook(EVENT, ''), 'missing_secret')
    assertReason(() => signWebhook(EVENT, `${SECRET}\n`), 'secret_whitespace')
  })
})

describe('createWebhookHandler', () => {
  test('processes an event once and drops a replay with the same event id', async () => {
    const seen = []
    const handle = createWebhookHandler({ secret: SECRET, onEvent: (event) => seen.push(event.id) })
    const { body, headers } = signWebhook(EVENT, SECRET)
    const first = await handle(body, headers)
    assert.equal(first.duplicate, false)
    assert.equal(first.eventId, EVENT.id)
    assert.deepEqual(first.event, EVENT)
    const replay = await handle(body, new Headers(headers))
    assert.equal(replay.duplicate, true)
    assert.deepEqual(replay.event, EVENT)
    assert.deepEqual(seen, [EVENT.id])
    // Another event goes through.
    const other = signWebhook({ ...EVENT, id: 'another-id' }, SECRET)
    assert.equal((await handle(other.body, other.headers)).duplicate, false)
    assert.deepEqual(seen, [EVENT.id, 'another-id'])
  })

  test('keys on the signed payload id; a header id that agrees is fine, one that does not is refused', async () => {
    const seen = []
    const handle = createWebhookHandler({ secret: SECRET, onEvent: (e) => seen.push(e.id) })
    const agrees = await handle(RAW, { 'x-zernio-signature': SIG, 'x-zernio-event-id': EVENT.id })
    assert.equal(agrees.eventId, EVENT.id)
    assert.equal(agrees.duplicate, false)
    // A captured delivery replayed with a fresh header id: refused, onEvent not run again.
    await assert.rejects(handle(RAW, { 'x-zernio-signature': SIG, 'x-zernio-event-id': 'fresh-id' }), (e) => {
      assert.ok(e instanceof WebhookVerificationError)
      assert.equal(e.reason, 'event_id_mismatch')
      return true
    })
    await assert.rejects(handle(RAW, { 'x-late-signature': SIG, 'x-late-event-id': 'fresh-id' }), { reason: 'event_id_mismatch' })
    // Without a header the payload id is the key: the same event is a duplicate.
    assert.equal((await handle(RAW, SIG)).duplicate, true)
    assert.deepEqual(seen, [EVENT.id])
  })

  test('a forged header id cannot pre-claim another event: the real delivery is still handled', async () => {
    const seen = []
    const handle = createWebhookHandler({ secret: SECRET, onEvent: (e) => seen.push(e.id) })
    const other = signWebhook({ ...EVENT, id: 'evt-other' }, SECRET)
    await assert.rejects(handle(other.body, { ...other.headers, 'x-zernio-event-id': EVENT.id }), { reason: 'event_id_mismatch' })
    assert.equal((await handle(RAW, SIG)).duplicate, false)
    assert.deepEqual(seen, [EVENT.id])
  })

  test('an event older than the store remembers is refused as stale; one without an id or a timestamp is refused', async () => {
    const handle = createWebhookHandler({ secret: SECRET, onEvent: () => assert.fail('must not run') })
    const old = signWebhook({ ...EVENT, id: 'evt-old', timestamp: new Date(Date.now() - 73 * 3600_000).toISOString() }, SECRET)
    await assert.rejects(handle(old.body, old.headers), (e) => {
      assert.equal(e.reason, 'stale_event')
      assert.match(e.message, /73 h old, older than the 72 h/)
      return true
    })
    const noId = `{"event":"post.published","timestamp":"${new Date().toISOString()}"}`
    await assert.rejects(handle(noId, hmac(noId, SECRET)), { reason: 'missing_event_id' })
    const noTime = '{"id":"evt-no-time","event":"post.published"}'
    await assert.rejects(handle(noTime, hmac(noTime, SECRET)), { reason: 'invalid_timestamp' })
    // The store's memory sets the bound: a 1 h store refuses a 2 h old event.
    const shortStore = createMemoryEventStore({ ttlMs: 3600_000 })
    const short = createWebhookHandler({ secret: SECRET, store: shortStore })
    const twoHours = signWebhook({ ...EVENT, id: 'evt-2h', timestamp: new Date(Date.now() - 2 * 3600_000).toISOString() }, SECRET)
    await assert.rejects(short(twoHours.body, twoHours.headers), { reason: 'stale_event' })
    assert.throws(() => createWebhookHandler({ secret: SECRET, store: shortStore, maxEventAgeMs: 2 * 3600_000 }), (e) => {
      assert.ok(e instanceof LateValidationError)
      assert.equal(e.param, 'options.maxEventAgeMs')
      return true
    })
    assert.equal(createMemoryEventStore().ttlMs, 72 * 3600_000, 'the default memory is past the ~51 h redelivery window')
  })

  test('a failing onEvent releases the id so the retry is processed', async () => {
    let calls = 0
    const handle = createWebhookHandler({
      secret: SECRET,
      onEvent: () => {
        calls++
        if (calls === 1) throw new Error('database down')
        return 'ok'
      },
    })
    await assert.rejects(handle(RAW, SIG), /database down/)
    const retry = await handle(RAW, SIG)
    assert.equal(retry.duplicate, false)
    assert.equal(retry.result, 'ok')
    assert.equal((await handle(RAW, SIG)).duplicate, true)
    assert.equal(calls, 2)
  })

  test('verification failures throw and do not consume the id', async () => {
    const handle = createWebhookHandler({ secret: SECRET })
    await assert.rejects(handle(RAW, hmac(RAW, 'wrong')), (e) => e instanceof WebhookVerificationError && e.reason === 'invalid_signature')
    assert.equal((await handle(RAW, SIG)).duplicate, false)
  })

  test('pluggable stores: a Set, an async has/add store, an atomic claim store', async () => {
    const set = new Set()
    const h1 = createWebhookHandler({ secret: SECRET, store: set })
    assert.equal((await h1(RAW, SIG)).duplicate, false)
    assert.ok(set.has(EVENT.id))
    assert.equal((await h1(RAW, SIG)).duplicate, true)

    const ids = new Set()
    const asyncStore = { has: async (id) => ids.has(id), add: async (id) => void ids.add(id) }
    const h2 = createWebhookHandler({ secret: SECRET, store: asyncStore })
    assert.equal((await h2(RAW, SIG)).duplicate, false)
    assert.equal((await h2(RAW, SIG)).duplicate, true)

    const claimed = new Set()
    const released = []
    const claimStore = {
      claim: async (id) => (claimed.has(id) ? false : (claimed.add(id), true)),
      release: async (id) => {
        released.push(id)
        claimed.delete(id)
      },
    }
    const h3 = createWebhookHandler({ secret: SECRET, store: claimStore, onEvent: () => Promise.reject(new Error('boom')) })
    await assert.rejects(h3(RAW, SIG), /boom/)
    assert.deepEqual(released, [EVENT.id])
  })

  test('checks the secret when created', () => {
    assertReason(() => createWebhookHandler({ secret: '' }), 'missing_secret')
    assertReason(() => createWebhookHandler({ secret: `${SECRET} ` }), 'secret_whitespace')
    assert.throws(() => createWebhookHandler({ secret: SECRET, store: {} }), (e) => e instanceof LateValidationError && e.param === 'options.store')
  })
})

describe('createMemoryEventStore', () => {
  test('is bounded: the oldest ids are dropped', () => {
    const store = createMemoryEventStore({ maxEntries: 2 })
    assert.equal(store.claim('a'), true)
    assert.equal(store.claim('b'), true)
    assert.equal(store.claim('a'), false)
    assert.equal(store.claim('c'), true)
    assert.equal(store.size, 2)
    assert.equal(store.has('a'), false)
    assert.equal(store.claim('a'), true)
  })

  test('forgets ids after ttlMs', () => {
    let now = 1_000
    const store = createMemoryEventStore({ ttlMs: 100, now: () => now })
    assert.equal(store.claim('a'), true)
    now += 50
    assert.equal(store.claim('a'), false)
    now += 100
    assert.equal(store.claim('a'), true)
  })
})
