// The addon in worker_threads: several workers call concurrently, one is terminated
// mid-request, and the process still exits on its own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

const script = `
const { Worker } = require('node:worker_threads')
const body = \`
  const { parentPort, workerData } = require('node:worker_threads')
  const { LateClient } = require(workerData.root + '/index.js')
  const late = new LateClient({ apiKey: workerData.key, baseUrl: workerData.baseUrl })
  const path = workerData.hang ? '/v1/hang' : '/v1/accounts'
  late.request({ method: 'GET', path, query: { profileId: 'p' } }).then(
    (r) => parentPort.postMessage({ ok: true, n: (r.accounts || []).length }),
    (e) => parentPort.postMessage({ ok: false, name: e.name }),
  )
  if (workerData.hang) parentPort.postMessage({ started: true })
\`
const results = []
const workers = []
for (let i = 0; i < 4; i++) {
  const w = new Worker(body, { eval: true, workerData: { root: process.env.ROOT, key: process.env.KEY, baseUrl: process.env.BASE, hang: i === 0 } })
  workers.push(w)
  w.on('message', (m) => {
    if (m.started) setTimeout(() => w.terminate(), 100)
    else results.push(m)
  })
  w.on('error', (e) => console.log('worker error', e.message))
}
Promise.all(workers.map((w) => new Promise((r) => w.on('exit', r)))).then(() => {
  console.log(JSON.stringify(results))
})
`

test('several worker_threads use the addon; one is terminated mid-request; the process exits cleanly', async (t) => {
  const api = await startMockApi({ ...happyRoutes(), 'GET /v1/hang': { hang: true } })
  t.after(() => api.close())
  const started = Date.now()
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      cwd: root,
      env: { ...process.env, ROOT: root, KEY, BASE: api.baseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('exit', (code, signal) => {
      clearTimeout(kill)
      resolve({ code, signal, out, err })
    })
  })
  assert.equal(r.signal, null, `the process was killed or crashed: ${r.err}`)
  assert.equal(r.code, 0, r.err)
  const results = JSON.parse(r.out.trim().split('\n').pop())
  assert.equal(results.length, 3, r.out)
  assert.ok(results.every((x) => x.ok && x.n === 2), r.out)
  // Settles well before the 30 s kill: a hung worker would hold the process until then.
  assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`)
})
