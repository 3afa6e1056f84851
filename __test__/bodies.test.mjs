// Request bodies of every kind through the named methods (and `request()`): multipart/form-data
// and application/octet-stream checked byte for byte on a recording server (boundary, part
// headers, file names, content types, lengths), files streamed from disk by Rust (a 50 MB file
// without entering the JS heap), retries resending the same bytes, the simulator's bulk-upload
// route, and the checks that run before anything is sent. Query Dates and deepObject too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LateClient, LateValidationError, fileFromPath, LateFile } from '../index.mjs'
import { Zernio } from '../zernio.mjs'
import { startSimulator } from '../testing.mjs'
import { startRecorder, parseMultipart } from './helpers/recorder.mjs'

const KEY = 'sk_test_bodies_01'
const root = fileURLToPath(new URL('..', import.meta.url))

function tmpdir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-bodies-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('multipart: exact bytes on the wire — boundary, part headers, file names, content types, CRLF, Content-Length', async (t) => {
  const rec = await startRecorder()
  t.after(() => rec.close())
  const dir = tmpdir(t)
  const csv = path.join(dir, 'posts.csv')
  fs.writeFileSync(csv, 'post_content,platforms\n"Hi",twitter\n')
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  await late.posts.bulkUploadPosts({
    query: { dryRun: true },
    body: {
      file: fileFromPath(csv),
      note: 'line 1\nline "2"',
      count: 3,
      flag: false,
      when: new Date(Date.UTC(2026, 0, 2)),
      tags: ['a', 'b'],
      meta: { k: 1 },
      raw: Buffer.from([0, 1, 2, 255]),
      blob: new Blob(['x'], { type: 'text/plain' }),
      named: new File(['<svg/>'], 'logo "1".svg', { type: 'image/svg+xml' }),
      skipped: undefined,
      none: null,
    },
  })
  const [r] = rec.take()
  assert.equal(r.method, 'POST')
  assert.equal(r.path, '/v1/posts/bulk-upload')
  assert.deepEqual(r.query, [['dryRun', 'true']])
  const m = /^multipart\/form-data; boundary=(.+)$/.exec(r.headers['content-type'])
  assert.ok(m, r.headers['content-type'])
  const b = m[1]
  assert.equal(Number(r.headers['content-length']), r.body.length)
  const text = (name, value) => `--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
  const file = (name, filename, type, value) => `--${b}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${value}\r\n`
  const expected =
    file('file', 'posts.csv', 'text/csv', 'post_content,platforms\n"Hi",twitter\n') +
    text('note', 'line 1\r\nline "2"') +
    text('count', '3') +
    text('flag', 'false') +
    text('when', '2026-01-02T00:00:00.000Z') +
    text('tags', 'a') +
    text('tags', 'b') +
    text('meta', '{"k":1}') +
    file('raw', 'blob', 'application/octet-stream', '\x00\x01\x02\xff') +
    file('blob', 'blob', 'text/plain', 'x') +
    file('named', 'logo %221%22.svg', 'image/svg+xml', '<svg/>') +
    `--${b}--\r\n`
  assert.equal(r.body.toString('latin1'), expected)
  assert.equal(r.headers['idempotency-key'], undefined, 'bulkUploadPosts does not accept Idempotency-Key (spec): no automatic key')
})

test('multipart from a FormData: its entries in order, File names and types kept; late-native/zernio sends the same', async (t) => {
  const rec = await startRecorder()
  t.after(() => rec.close())
  const fd = new FormData()
  fd.append('file', new File(['a,b\n'], 'rows.csv', { type: 'text/csv' }))
  fd.append('kind', 'logo')
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  const zernio = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl })
  await late.rcs.uploadRcsAsset({ body: fd })
  await zernio.rcs.uploadRcsAsset({ body: fd })
  const [a, z] = rec.take()
  for (const r of [a, z]) {
    assert.deepEqual(
      parseMultipart(r.headers['content-type'], r.body).map((p) => [p.name, p.filename, p.contentType, p.data.toString()]),
      [['file', 'rows.csv', 'text/csv', 'a,b\n'], ['kind', undefined, undefined, 'logo']],
    )
  }
})

test('application/octet-stream: Buffer, Uint8Array, ArrayBuffer, Blob and a file path arrive as the exact bytes', async (t) => {
  const rec = await startRecorder()
  t.after(() => rec.close())
  const dir = tmpdir(t)
  const bytes = crypto.randomBytes(70_000)
  const file = path.join(dir, 'id.pdf')
  fs.writeFileSync(file, bytes)
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  const headers = { 'X-Filename': 'id.pdf' }
  const inputs = [
    bytes,
    new Uint8Array(bytes),
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    new Blob([bytes], { type: 'application/pdf' }),
    fileFromPath(file),
  ]
  for (const body of inputs) await late.phonenumbers.uploadPhoneNumberKycDocument({ body, headers })
  const sent = rec.take()
  assert.equal(sent.length, inputs.length)
  for (const r of sent) {
    assert.equal(r.path, '/v1/phone-numbers/kyc/upload-document')
    assert.equal(r.headers['content-type'], 'application/octet-stream')
    assert.equal(r.headers['x-filename'], 'id.pdf')
    assert.equal(Number(r.headers['content-length']), bytes.length)
    assert.ok(r.body.equals(bytes))
  }
  // request() sends file data raw too (a Blob with its own type).
  await late.request('POST /v1/phone-numbers/kyc/upload-document', { body: new Blob(['%PDF'], { type: 'application/pdf' }), headers })
  const [viaRequest] = rec.take()
  assert.equal(viaRequest.headers['content-type'], 'application/pdf')
  assert.equal(viaRequest.body.toString(), '%PDF')
})

test('a retried upload resends the same bytes from the start (a 429: the limiter refused it before doing anything)', async (t) => {
  let n = 0
  const rec = await startRecorder(() => (++n === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: { error: 'busy' } } : { status: 200, body: { ok: true } }))
  t.after(() => rec.close())
  const dir = tmpdir(t)
  const file = path.join(dir, 'big.csv')
  fs.writeFileSync(file, crypto.randomBytes(600_000).toString('hex'))
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  assert.deepEqual(await late.posts.bulkUploadPosts({ body: { file: fileFromPath(file) } }), { ok: true })
  const [first, second] = rec.take()
  assert.ok(first.body.equals(second.body))
  assert.equal(second.headers['idempotency-key'], undefined)
  const [part] = parseMultipart(second.headers['content-type'], second.body)
  assert.ok(part.data.equals(fs.readFileSync(file)))
})

test('bad input is a LateValidationError before anything is sent', async (t) => {
  const rec = await startRecorder()
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  const zernio = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl })
  const cases = [
    [() => late.posts.getPost(), 'path.postId'],
    [() => late.posts.getPost({ path: {} }), 'path.postId'],
    [() => late.posts.getPost({ path: { postId: '' } }), 'path.postId'],
    [() => late.posts.getPost({ path: { postId: 'p', other: 'x' } }), 'path.other'],
    [() => zernio.posts.getPost({ path: {} }), 'path.postId'],
    [() => late.analytics.getInstagramDemographics({}), 'query.accountId'],
    [() => late.analytics.getAnalytics({ query: { fromDate: new Date('nope') } }), 'query.fromDate'],
    [() => late.posts.createPost({}), 'body'],
    [() => late.posts.createPost({ body: Buffer.from('x') }), 'body'],
    // JSON has no form for these: never a request sent without its body.
    [() => late.posts.createPost({ body: () => {} }), 'body'],
    [() => late.posts.createPost({ body: Symbol('x') }), 'body'],
    [() => late.posts.createPost({ body: { n: 1n } }), 'body'],
    [() => zernio.posts.createPost({ body: () => {} }), 'body'],
    [() => late.phonenumbers.uploadPhoneNumberKycDocument({ body: { file: 'x' }, headers: { 'X-Filename': 'a' } }), 'body'],
    [() => late.phonenumbers.uploadPhoneNumberKycDocument({ body: Buffer.from('x') }), 'headers.X-Filename'],
    [() => late.posts.bulkUploadPosts({ body: 'not a form' }), 'body'],
    [() => late.posts.listPosts({ page: 1 }), 'args.page'],
    [() => late.posts.listPosts([]), 'args'],
  ]
  for (const [call, param] of cases) {
    await assert.rejects(call(), (e) => e instanceof LateValidationError && e.param === param, param)
  }
  assert.throws(() => fileFromPath('/no/such/late-file.csv'), (e) => e instanceof LateValidationError && e.param === 'file')
  assert.throws(() => fileFromPath(os.tmpdir()), (e) => e instanceof LateValidationError && e.param === 'file')
  assert.equal(rec.requests.length, 0)
})

test('body: null sends no body; query Dates are ISO 8601, objects deepObject, arrays repeated', async (t) => {
  const rec = await startRecorder()
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl })
  await late.posts.retryPost({ path: { postId: 'p1' }, body: null })
  await late.analytics.getAnalytics({ query: { fromDate: new Date(Date.UTC(2026, 4, 6, 7, 8, 9)), platform: ['instagram', 'tiktok'], filter: { a: 1, b: 'x y' }, skip: undefined } })
  await late.request('GET /v1/posts', { query: { dateFrom: new Date(Date.UTC(2026, 0, 1)) } })
  const [retry, analytics, posts] = rec.take()
  assert.equal(retry.body.length, 0)
  assert.equal(retry.headers['content-type'], undefined)
  assert.deepEqual(analytics.query, [['fromDate', '2026-05-06T07:08:09.000Z'], ['platform', 'instagram'], ['platform', 'tiktok'], ['filter[a]', '1'], ['filter[b]', 'x y']])
  assert.deepEqual(posts.query, [['dateFrom', '2026-01-01T00:00:00.000Z']])
})

test('LateFile: the name and type sent, overridable; made only by fileFromPath', (t) => {
  const dir = tmpdir(t)
  const file = path.join(dir, 'rows.csv')
  fs.writeFileSync(file, 'a')
  const f = fileFromPath(file)
  assert.ok(f instanceof LateFile)
  assert.deepEqual([f.path, f.name, f.type], [file, 'rows.csv', 'text/csv'])
  const g = fileFromPath(file, { filename: 'x.bin', contentType: 'application/x-thing' })
  assert.deepEqual([g.name, g.type], ['x.bin', 'application/x-thing'])
  // The same extension table as media.upload: a video or a subtitle file is typed, not octet-stream.
  for (const [name, type] of [['clip.avi', 'video/x-msvideo'], ['captions.srt', 'application/x-subrip'], ['x.unknownext', 'application/octet-stream']]) {
    fs.writeFileSync(path.join(dir, name), 'a')
    assert.equal(fileFromPath(path.join(dir, name)).type, type, name)
  }
  assert.throws(() => new LateFile(), (e) => e instanceof LateValidationError && e.param === 'LateFile')
})

test('the simulator takes a CSV bulk upload: dry run, created posts, a 207 mix, and a 400 for a CSV without its columns', async (t) => {
  const sim = await startSimulator()
  t.after(() => sim.close())
  const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl })
  const profile = sim.state().profiles[0]
  sim.addAccount({ platform: 'twitter', username: 'acme', profileId: profile._id })
  const dir = tmpdir(t)
  const csv = path.join(dir, 'posts.csv')
  fs.writeFileSync(csv, `post_content,platforms,profiles,schedule_time,mood\n"Hello, world",twitter,${profile.name},2030-09-01 10:00,happy\nBye,tiktok,${profile.name},2030-09-01 11:00,\n`)
  const dry = await late.posts.bulkUploadPosts({ query: { dryRun: true }, body: { file: fileFromPath(csv) } }).withResponse()
  assert.equal(dry.status, 207)
  assert.deepEqual(dry.data.results, [{ rowIndex: 1, ok: true }, { rowIndex: 2, ok: false, errors: ['no_account_for_platform:tiktok'] }])
  assert.deepEqual(dry.data.warnings, ['unknown_columns:mood'])
  assert.equal(sim.state().posts.length, 0)
  const real = await late.posts.bulkUploadPosts({ body: { file: fileFromPath(csv) } })
  assert.equal(real.valid, 1)
  const [post] = sim.state().posts
  assert.equal(real.results[0].createdPostId, post._id)
  assert.equal(post.content, 'Hello, world')
  assert.equal(post.status, 'scheduled')
  const bad = new File(['content,platforms\nx,twitter\n'], 'bad.csv', { type: 'text/csv' })
  await assert.rejects(late.posts.bulkUploadPosts({ body: { file: bad } }), (e) => e.status === 400 && e.code === 'invalid_csv')
})

test('a 50 MB CSV streams from disk to the simulator without entering the JS heap', { timeout: 120_000 }, async (t) => {
  const sim = await startSimulator()
  t.after(() => sim.close())
  const profile = sim.state().profiles[0]
  sim.addAccount({ platform: 'twitter', username: 'acme', profileId: profile._id })
  const dir = tmpdir(t)
  const file = path.join(dir, 'big.csv')
  const fd = fs.openSync(file, 'w')
  fs.writeSync(fd, 'post_content,platforms,profiles,schedule_time\n')
  const filler = 'x'.repeat(12_500)
  for (let i = 0; i < 4_000; i++) fs.writeSync(fd, `"Post ${i} ${filler}",twitter,${profile.name},2030-01-01 10:00\n`)
  fs.closeSync(fd)
  const size = fs.statSync(file).size
  assert.ok(size > 50 * 1000 * 1000, `${size} bytes`)
  const code = `
    const { LateClient, fileFromPath } = require('./index.js')
    const late = new LateClient({ apiKey: process.env.KEY, baseUrl: process.env.BASE, timeoutMs: 60000 })
    const ns = late.posts
    globalThis.gc && gc()
    const before = process.memoryUsage()
    let peak = before.rss
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 5)
    ns.bulkUploadPosts({ query: { dryRun: true }, body: { file: fileFromPath(process.env.FILE) } }).then((r) => {
      clearInterval(timer)
      const after = process.memoryUsage()
      console.log(JSON.stringify({ growth: peak - before.rss, heap: after.heapUsed - before.heapUsed, total: r.total, valid: r.valid }))
    }, (e) => { console.error(e); process.exit(1) })`
  const out = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '-e', code], { cwd: root, env: { ...process.env, KEY: sim.apiKey, BASE: sim.baseUrl, FILE: file } })
    let text = ''
    let err = ''
    child.stdout.on('data', (d) => (text += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (c) => (c === 0 ? resolve(JSON.parse(text)) : reject(new Error(err))))
  })
  assert.equal(out.total, 4_000)
  assert.equal(out.valid, 4_000)
  const mb = out.growth / 1024 / 1024
  console.log(`a ${(size / 1e6).toFixed(0)} MB multipart upload: RSS grew by ${mb.toFixed(1)} MB, the JS heap by ${(out.heap / 1024 / 1024).toFixed(1)} MB`)
  assert.ok(mb < 25, `RSS grew by ${mb.toFixed(1)} MB while streaming ${size} bytes`)
  assert.ok(out.heap < 10 * 1024 * 1024, `the JS heap grew by ${out.heap} bytes`)
})
