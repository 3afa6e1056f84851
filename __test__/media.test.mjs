// media.upload: presign, then the bytes PUT from Rust to the presigned URL.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LateClient, LateValidationError, LateAbortError } from '../index.mjs'

const KEY = 'sk_test_media_01'
const root = fileURLToPath(new URL('..', import.meta.url))

/** A presign endpoint plus an upload target that hashes what it receives without keeping it. */
async function startStorage({ failFirst = 0 } = {}) {
  const uploads = []
  const presigns = []
  let puts = 0
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/v1/media/presign') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        presigns.push({ headers: req.headers, body: JSON.parse(body) })
        const port = server.address().port
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ uploadUrl: `http://localhost:${port}/bucket/obj?sig=abc`, publicUrl: `http://localhost:${port}/public/obj`, key: 'temp/obj', expiresIn: 3600 }))
      })
      return
    }
    if (req.method === 'PUT' && req.url.startsWith('/bucket/')) {
      puts++
      const hash = crypto.createHash('sha256')
      let size = 0
      req.on('data', (c) => {
        size += c.length
        hash.update(c)
      })
      req.on('end', () => {
        if (puts <= failFirst) {
          res.writeHead(503, { 'retry-after': '0' })
          res.end('<Error>SlowDown</Error>')
          return
        }
        uploads.push({ headers: req.headers, size, sha256: hash.digest('hex') })
        res.writeHead(200, { etag: '"etag-1"' })
        res.end()
      })
      return
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { baseUrl: `http://127.0.0.1:${server.address().port}/api`, uploads, presigns, puts: () => puts, close: () => new Promise((r) => server.close(r)) }
}

test('media.upload of a Buffer presigns, PUTs the exact bytes without Authorization, and returns the public URL', async (t) => {
  const s = await startStorage()
  t.after(() => s.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: s.baseUrl })
  const bytes = crypto.randomBytes(700_000)
  const events = []
  const out = await late.media.upload(bytes, { contentType: 'image/png', onProgress: (p) => events.push(p) })
  assert.deepEqual(s.presigns[0].body, { filename: 'upload.png', contentType: 'image/png', size: 700_000 })
  assert.equal(s.presigns[0].headers.authorization, `Bearer ${KEY}`)
  // getMediaPresignedUrl does not accept Idempotency-Key (spec): no automatic key.
  assert.equal(s.presigns[0].headers['idempotency-key'], undefined)
  const [u] = s.uploads
  assert.equal(u.size, 700_000)
  assert.equal(u.sha256, crypto.createHash('sha256').update(bytes).digest('hex'))
  assert.equal(u.headers['content-type'], 'image/png')
  assert.equal(u.headers['content-length'], '700000')
  assert.equal(u.headers.authorization, undefined, 'the API key never goes to the storage host')
  assert.match(out.url, /\/public\/obj$/)
  assert.equal(out.publicUrl, out.url)
  assert.equal(out.key, 'temp/obj')
  assert.equal(out.etag, '"etag-1"')
  assert.equal(events.at(-1).percent, 100)
  assert.equal(events.at(-1).sent, 700_000)
  assert.ok(events.every((e, i) => i === 0 || e.sent > events[i - 1].sent), 'progress only grows')
})

test('media.upload infers name and type from a file path, and retries a 503 from storage', async (t) => {
  const s = await startStorage({ failFirst: 1 })
  t.after(() => s.close())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-media-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'clip.MP4')
  fs.writeFileSync(file, crypto.randomBytes(300_000))
  const late = new LateClient({ apiKey: KEY, baseUrl: s.baseUrl, maxRetryWaitMs: 10 })
  const out = await late.media.upload(file)
  assert.equal(out.contentType, 'video/mp4')
  assert.equal(out.filename, 'clip.MP4')
  assert.equal(s.puts(), 2)
  assert.equal(s.uploads[0].size, 300_000)
})

test('media.upload validates before any request', async (t) => {
  const s = await startStorage()
  t.after(() => s.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: s.baseUrl })
  const cases = [
    [() => late.media.upload('/no/such/file.png'), 'file'],
    [() => late.media.upload(42), 'file'],
    [() => late.media.upload(Buffer.alloc(0), { contentType: 'image/png' }), 'file'],
    [() => late.media.upload(Buffer.from('x')), 'contentType'],
    [() => late.media.upload(Buffer.from('x'), { contentType: 'application/octet-stream' }), 'contentType'],
    [() => late.media.upload(Buffer.from('x'), { contentType: 'image/png', onProgress: 'no' }), 'onProgress'],
  ]
  for (const [call, param] of cases) {
    await assert.rejects(call(), (e) => e instanceof LateValidationError && e.param === param, param)
  }
  assert.equal(s.presigns.length, 0)
})

test('media.upload with an aborted signal sends nothing', async (t) => {
  const s = await startStorage()
  t.after(() => s.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: s.baseUrl })
  await assert.rejects(late.media.upload(Buffer.from('abc'), { contentType: 'image/png' }, { signal: AbortSignal.abort() }), LateAbortError)
  assert.equal(s.presigns.length, 0)
})

test('a 50 MB file path uploads with bounded RSS growth and progress reaching 100 %', async (t) => {
  const s = await startStorage()
  t.after(() => s.close())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-media-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'big.mp4')
  const fd = fs.openSync(file, 'w')
  const block = crypto.randomBytes(1024 * 1024)
  for (let i = 0; i < 50; i++) fs.writeSync(fd, block)
  fs.closeSync(fd)
  const code = `
    const { LateClient } = require('./index.js')
    const late = new LateClient({ apiKey: '${KEY}', baseUrl: process.env.BASE })
    const before = process.memoryUsage().rss
    let peak = before, last
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 5)
    late.media.upload(process.env.FILE, { onProgress: (p) => { last = p; peak = Math.max(peak, process.memoryUsage().rss) } }).then((r) => {
      clearInterval(timer)
      console.log(JSON.stringify({ growth: peak - before, last, url: r.url }))
    })`
  const out = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code], { cwd: root, env: { ...process.env, BASE: s.baseUrl, FILE: file } })
    let text = ''
    let err = ''
    child.stdout.on('data', (d) => (text += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (c) => (c === 0 ? resolve(JSON.parse(text)) : reject(new Error(err))))
  })
  assert.equal(s.uploads[0].size, 50 * 1024 * 1024)
  assert.equal(out.last.percent, 100)
  const mb = out.growth / 1024 / 1024
  console.log(`# 50 MB upload: RSS grew by ${mb.toFixed(1)} MB`)
  assert.ok(mb < 25, `RSS grew by ${mb.toFixed(1)} MB while uploading 50 MB`)
})
