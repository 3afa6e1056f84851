// Every operation of the spec is a named method, on `LateClient` and on `late-native/zernio`'s
// `Zernio`: the method named after its operationId, found in the namespace tree, is called with
// arguments built from the spec, and the request that reaches a recording server must be the
// spec's route (method and path, parameters encoded) with its required query parameters.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { LateClient } from '../index.mjs'
import { Zernio } from '../zernio.mjs'
import { startRecorder } from './helpers/recorder.mjs'
import { specOperations, sampleArgs, expectedPath } from './helpers/op-args.mjs'

const require = createRequire(import.meta.url)
const KEY = 'sk_test_every_operation'

/** The namespace paths (`['connect', 'facebook', 'listFacebookPages']`) of every method named `id`. */
function locate(tree, id, prefix = []) {
  const out = []
  for (const [name, v] of Object.entries(tree)) {
    if (typeof v === 'number') {
      if (name === id) out.push([...prefix, name])
    } else out.push(...locate(v, id, [...prefix, name]))
  }
  return out
}

test('every one of the 1,137 operations is a named method on LateClient and Zernio that sends its route', { timeout: 120_000 }, async (t) => {
  const { NAMESPACES } = require('../lib/generated/operations.js')
  const ops = specOperations()
  assert.equal(ops.length, 1137)
  const rec = await startRecorder()
  t.after(() => rec.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: rec.baseUrl, maxRetries: 0 })
  const zernio = new Zernio({ apiKey: KEY, baseURL: rec.baseUrl, maxRetries: 0 })
  const unnamed = []
  let called = 0
  for (const entry of ops) {
    // The deprecated `ads` aliases do not count: every operation needs a current name.
    const where = locate(NAMESPACES, entry.id).filter((p) => p[0] !== 'ads')
    if (!where.length) {
      unnamed.push(entry.id)
      continue
    }
    const args = sampleArgs(entry, { allQuery: false })
    for (const [name, client] of [['LateClient', late], ['Zernio', zernio]]) {
      const method = where[0].reduce((o, k) => o[k], client)
      assert.equal(typeof method, 'function', `${name}.${where[0].join('.')}`)
      await method(args)
      const sent = rec.take()
      assert.equal(sent.length, 1, `${name}.${where[0].join('.')} sent ${sent.length} requests`)
      const [r] = sent
      assert.equal(`${r.method} ${r.rawPath}`, `${entry.method} /api${expectedPath(entry, args)}`, `${name}.${where[0].join('.')}`)
      for (const p of entry.params.filter((x) => x.in === 'query' && x.required)) {
        assert.ok(r.query.some(([k]) => k === p.name || k.startsWith(`${p.name}[`)), `${entry.id}: required query ${p.name} not sent`)
      }
      called++
    }
  }
  assert.deepEqual(unnamed, [], 'operations without a named method')
  assert.equal(called, 2 * 1137)
})
