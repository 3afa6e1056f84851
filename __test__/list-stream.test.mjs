// Large account pages are parsed while they stream in: Rust cuts `accounts` into runs of whole
// accounts as the (decompressed) bytes arrive and JS parses each at once. These tests watch
// JSON.parse to see the runs arrive before the body ends, and check the result is the same list
// — through retries mid-body, pagination, compression, clones, aborts and broken JSON.
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import zlib from 'node:zlib'
import { LateClient, LateApiError } from '../index.mjs'

const KEY = 'sk_test_stream_0123456789'
const accounts = (n, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    _id: `acc_${from + i}`,
    platform: 'instagram',
    username: `user_${from + i}_ünï ✓`,
    tricky: [from + i, { s: '],}"\\' }],
  }))

let parses
const realParse = JSON.parse
beforeEach(() => {
  parses = []
  JSON.parse = function (text, reviver) {
    parses.push({ length: String(text).length, at: performance.now() })
    return realParse.call(this, text, reviver)
  }
})
afterEach(() => {
  JSON.parse = realParse
})

/** A server answering each request with `plan(n)`: `{ body, split?, delayMs?, drop?, gzip? }`. */
async function server(plan) {
  let n = 0
  const marks = []
  const srv = http.createServer((req, res) => {
    n++
    const p = plan(n, new URL(req.url, 'http://x'))
    const raw = Buffer.from(JSON.stringify(p.body))
    const data = p.gzip ? zlib.gzipSync(raw) : raw
    res.writeHead(200, { 'content-type': 'application/json', ...(p.gzip ? { 'content-encoding': 'gzip' } : {}) })
    const cut = Math.floor(data.length * (p.split ?? 0.5))
    res.write(data.subarray(0, cut))
    setTimeout(() => {
      if (p.drop) return req.socket.destroy()
      marks.push(performance.now())
      res.end(data.subarray(cut))
    }, p.delayMs ?? 250)
  })
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  return {
    baseUrl: `http://127.0.0.1:${srv.address().port}/api`,
    requests: () => n,
    secondHalves: marks,
    close: () => new Promise((r) => srv.close(r)),
  }
}

const big = (n = 20_000) => ({ hasAnalyticsAccess: true, accounts: accounts(n) })

for (const gzip of [false, true]) {
  test(`a large page is parsed in runs while it streams in${gzip ? ' (gzip)' : ''}, and the list is exact`, async (t) => {
    const srv = await server(() => ({ body: big(), gzip }))
    t.after(() => srv.close())
    const list = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl }).listAccounts({ profileId: 'p1' })
    assert.deepEqual(list, accounts(20_000))
    const early = parses.filter((p) => p.at < srv.secondHalves[0])
    assert.ok(early.length >= 2, `only ${early.length} parses before the second half arrived`)
    assert.ok(parses.every((p) => p.length < 600_000), 'no whole-body parse')
  })
}

test('a small page is one parse of the whole body, as before', async (t) => {
  const srv = await server(() => ({ body: { accounts: accounts(3) }, delayMs: 1 }))
  t.after(() => srv.close())
  const list = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl }).listAccounts({ profileId: 'p1' })
  assert.deepEqual(list, accounts(3))
  assert.equal(parses.length, 1)
})

test('a connection dropped mid-body is retried and the runs of the failed attempt are discarded', async (t) => {
  const srv = await server((n) => ({ body: big(), drop: n === 1, delayMs: n === 1 ? 100 : 1 }))
  t.after(() => srv.close())
  const list = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl }).listAccounts({ profileId: 'p1' })
  assert.equal(srv.requests(), 2)
  assert.equal(list.length, 20_000)
  assert.deepEqual(list, accounts(20_000))
})

test('streamed pages follow the cursor and keep the order', async (t) => {
  const srv = await server((n, url) => {
    const page = url.searchParams.get('cursor') === 'c2' ? 2 : 1
    return {
      body: { accounts: accounts(12_000, (page - 1) * 12_000), pagination: { nextCursor: page === 1 ? 'c2' : null } },
      delayMs: 5,
    }
  })
  t.after(() => srv.close())
  const list = await new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl }).listAccounts({ profileId: 'p1' })
  assert.equal(srv.requests(), 2)
  assert.deepEqual(list, accounts(24_000))
})

test('a withOptions clone streams through the shared listener', async (t) => {
  const srv = await server(() => ({ body: big(), delayMs: 5 }))
  t.after(() => srv.close())
  const root = new LateClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api' })
  const clone = root.withOptions({ baseUrl: srv.baseUrl })
  const [a, b] = await Promise.all([clone.listAccounts({ profileId: 'p1' }), clone.withOptions({ timeoutMs: 9_000 }).listAccounts({ profileId: 'p1' })])
  assert.equal(a.length, 20_000)
  assert.deepEqual(a, b)
  // Both lists came in runs, not as one whole-body parse each.
  assert.ok(parses.length >= 4, `${parses.length} parses`)
  assert.ok(parses.every((p) => p.length < 600_000), 'no whole-body parse')
})

test('an abort mid-stream rejects at once; the next call is unaffected', async (t) => {
  const srv = await server((n) => ({ body: big(), delayMs: n === 1 ? 2_000 : 1 }))
  t.after(() => srv.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl })
  const ac = new AbortController()
  const pending = late.listAccounts({ profileId: 'p1' }, { signal: ac.signal })
  setTimeout(() => ac.abort(), 200)
  const err = await pending.catch((e) => e)
  assert.equal(err.name, 'AbortError')
  assert.equal((await late.listAccounts({ profileId: 'p1' })).length, 20_000)
})

test('broken JSON inside the streamed accounts is an invalid_response saying where', async (t) => {
  const good = JSON.stringify(big())
  const cut = good.indexOf('"acc_15000"')
  const bad = `${good.slice(0, cut)}"acc_15000" oops${good.slice(cut + '"acc_15000"'.length)}`
  const srv = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(bad)
  })
  await new Promise((r) => srv.listen(0, '127.0.0.1', r))
  t.after(() => new Promise((r) => srv.close(r)))
  const err = await new LateClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${srv.address().port}/api` })
    .listAccounts({ profileId: 'p1' })
    .catch((e) => e)
  assert.ok(err instanceof LateApiError, String(err))
  assert.equal(err.code, 'invalid_response')
  assert.match(err.message, /not valid JSON: in the accounts that start at byte \d+ of the body: .*line 1, column \d+/)
  assert.match(err.message, /oops/)
})
