// Compression: every request offers br, gzip, zstd and deflate; each is decoded in Rust while it
// streams; `maxResponseBytes` caps the decoded size, so a decompression bomb stops at the cap.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import zlib from 'node:zlib'
import { Readable } from 'node:stream'
import { LateClient, LateApiError } from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'
import { encode, zstdBomb } from './helpers/tls.mjs'
import { createHash } from 'node:crypto'
import { ZSTD_FRAME, ZSTD_TEXT_LENGTH, ZSTD_TEXT_SHA256, ZSTD_ACCOUNTS } from './fixtures/zstd.mjs'

const accounts = Array.from({ length: 2000 }, (_, i) => ({
  _id: `acc_${i}`,
  platform: i % 2 ? 'instagram' : 'tiktok',
  username: `user_${i}_ünïcödé_✓`,
  profileId: 'p1',
}))
const BODY = JSON.stringify({ accounts, hasAnalyticsAccess: true })

for (const encoding of ['br', 'gzip', 'zstd', 'deflate']) {
  test(`a ${encoding} response is decoded, and the request offered every encoding`, async (t) => {
    const wire = encode(encoding, BODY)
    assert.ok(wire.length < BODY.length || encoding === 'zstd')
    const api = await startMockApi({ 'GET /v1/accounts': { raw: wire, headers: { 'content-encoding': encoding } } })
    t.after(() => api.close())
    const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
    const list = await late.listAccounts({ profileId: 'p1' })
    assert.deepEqual(list, accounts)
    const data = await late.request('GET /v1/accounts', { query: { profileId: 'p1' } })
    assert.deepEqual(data.accounts, accounts)
    const offered = api.requests[0].headers['accept-encoding'].split(',').map((s) => s.trim())
    assert.deepEqual(offered.sort(), ['br', 'deflate', 'gzip', 'zstd'])
  })
}

/** The type of each block of a zstd frame (RFC 8878 §3.1.1): 0 raw, 1 RLE, 2 compressed. */
function zstdBlockTypes(frame) {
  assert.equal(frame.readUInt32LE(0), 0xfd2fb528, 'zstd magic')
  const fhd = frame[4]
  const single = (fhd >> 5) & 1
  const fcs = [single ? 1 : 0, 2, 4, 8][fhd >> 6]
  let off = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3] + fcs
  const types = []
  for (;;) {
    const h = frame[off] | (frame[off + 1] << 8) | (frame[off + 2] << 16)
    const type = (h >> 1) & 3
    types.push(type)
    off += 3 + (type === 1 ? 1 : h >>> 3)
    if (h & 1) return types
  }
}

test('zstd from libzstd (a fixture made by the zstd crate: entropy-coded blocks) is decoded, on every Node version', async (t) => {
  const frame = Buffer.from(ZSTD_FRAME, 'base64')
  assert.ok(zstdBlockTypes(frame).every((type) => type === 2), 'every block is a compressed (entropy-coded) block')
  assert.ok(frame.length * 3 < ZSTD_TEXT_LENGTH, `${frame.length} bytes for ${ZSTD_TEXT_LENGTH}`)
  const api = await startMockApi({ 'GET /v1/accounts': { raw: frame, headers: { 'content-encoding': 'zstd' } } })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const res = await late.requestWithResponse('GET /v1/accounts', { query: { profileId: 'p1' } })
  assert.equal(res.data.accounts.length, ZSTD_ACCOUNTS)
  assert.equal(createHash('sha256').update(JSON.stringify(res.data)).digest('hex'), ZSTD_TEXT_SHA256)
  assert.equal((await late.listAccounts({ profileId: 'p1' })).length, ZSTD_ACCOUNTS)
})

test('an uncompressed answer still works, and an unknown Content-Encoding is a clear invalid_response', async (t) => {
  const api = await startMockApi({
    'GET /v1/profiles': { raw: '{"profiles":[]}' },
    'GET /v1/accounts': { raw: 'xx', headers: { 'content-encoding': 'compress' } },
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 })
  assert.deepEqual(await late.request('GET /v1/profiles'), { profiles: [] })
  const err = await late.request('GET /v1/accounts').catch((e) => e)
  assert.ok(err instanceof LateApiError)
  assert.equal(err.code, 'invalid_response')
  assert.match(err.message, /Content-Encoding.*compress/)
})

test('a corrupt gzip body is an invalid_response naming the encoding', async (t) => {
  const good = zlib.gzipSync(BODY)
  const bad = Buffer.concat([good.subarray(0, 10), Buffer.alloc(200, 0xff)])
  const api = await startMockApi({ 'GET /v1/profiles': { raw: bad, headers: { 'content-encoding': 'gzip' } } })
  t.after(() => api.close())
  const err = await new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 }).request('GET /v1/profiles').catch((e) => e)
  assert.ok(err instanceof LateApiError, String(err))
  assert.equal(err.code, 'invalid_response')
  assert.match(err.message, /could not be decompressed \(gzip\)/)
})

/** A server streaming an endless gzip (or a big zstd) of zeros until the client hangs up. */
async function bombServer(kind) {
  let sentWire = 0
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': kind })
    if (kind === 'zstd') {
      // 8,192 RLE blocks: 1 GiB decoded from ~32 KB on the wire.
      const bomb = zstdBomb(8192)
      sentWire += bomb.length
      res.end(bomb)
      return
    }
    const zeros = new Readable({
      read() {
        this.push(Buffer.alloc(1 << 20, 0x20)) // spaces: valid JSON whitespace, endless
      },
    })
    const gz = zlib.createGzip({ level: 1 })
    gz.on('data', (c) => (sentWire += c.length))
    zeros.pipe(gz).pipe(res)
    res.on('close', () => zeros.destroy())
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/api`,
    wire: () => sentWire,
    close: () => new Promise((r) => server.close(r)),
  }
}

for (const kind of ['gzip', 'zstd']) {
  test(`a ${kind} decompression bomb stops at maxResponseBytes (decoded) with bounded memory`, async (t) => {
    const srv = await bombServer(kind)
    t.after(() => srv.close())
    const late = new LateClient({ apiKey: KEY, baseUrl: srv.baseUrl, maxResponseBytes: 4 * 1024 * 1024, maxRetries: 0 })
    global.gc?.()
    const before = process.memoryUsage().rss
    const started = Date.now()
    const err = await late.request('GET /v1/accounts').catch((e) => e)
    const grew = process.memoryUsage().rss - before
    assert.ok(err instanceof LateApiError, String(err))
    assert.equal(err.code, 'invalid_response')
    assert.match(err.message, /exceeds the limit of 4194304 bytes \(maxResponseBytes\)/)
    assert.match(err.message, /decoded/)
    assert.ok(grew < 64 * 1024 * 1024, `RSS grew by ${(grew / 1e6).toFixed(1)} MB`)
    assert.ok(Date.now() - started < 20_000)
  })
}
