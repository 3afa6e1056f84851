// When nothing listens, nothing is done: no diagnostics_channel message is built or published,
// no span is made and no trace header is sent, although `@opentelemetry/api` is installed (its
// global providers are the no-op ones in this process). telemetry.test.mjs checks the other side.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import dc from 'node:diagnostics_channel'
import { createRequire } from 'node:module'
import { LateClient } from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const require = createRequire(import.meta.url)
const api = require('@opentelemetry/api')
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
const { W3CTraceContextPropagator } = require('@opentelemetry/core')
// A context manager and a propagator, but no tracer or meter provider.
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())

const NAMES = ['late-native:attempt:send', 'late-native:attempt:response', 'late-native:attempt:error']
const call = dc.tracingChannel('late-native:call')
const channels = [...NAMES.map((n) => dc.channel(n)), call.start, call.end, call.asyncStart, call.asyncEnd, call.error]

/** Counts what is published on the package's channels (whether or not anyone subscribes), and traced calls. */
function countPublished() {
  const counts = { publish: 0, traced: 0, listened: 0 }
  const restore = []
  // A traced call sets its client's native attempt listener (src/attempt_hook.rs).
  const { NativeClient } = require('../lib/load-native.js')
  const listen = NativeClient.prototype.onAttemptStart
  NativeClient.prototype.onAttemptStart = function (...args) {
    counts.listened++
    return listen.apply(this, args)
  }
  restore.push(() => (NativeClient.prototype.onAttemptStart = listen))
  for (const ch of channels) {
    const publish = ch.publish
    ch.publish = function (...args) {
      counts.publish++
      return publish.apply(this, args)
    }
    restore.push(() => (ch.publish = publish))
  }
  const tracePromise = call.tracePromise
  call.tracePromise = function (...args) {
    counts.traced++
    return tracePromise.apply(this, args)
  }
  restore.push(() => (call.tracePromise = tracePromise))
  return { counts, restore: () => restore.forEach((r) => r()) }
}

test('no subscriber and no provider: nothing is published, no span is made, no trace header is sent', async (t) => {
  const mock = await startMockApi({
    'GET /v1/profiles': (r, { count }) => (count === 1 ? { status: 503, headers: { 'retry-after-ms': '10' }, body: { error: 'busy' } } : { body: { profiles: [] } }),
  })
  t.after(() => mock.close())
  const spy = countPublished()
  t.after(spy.restore)
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  await late.request('GET /v1/profiles')
  await late.listAccounts({ profileId: 'p1' }).catch(() => {})
  assert.deepEqual(spy.counts, { publish: 0, traced: 0, listened: 0 })
  assert.equal(mock.requests.length, 3)
  for (const r of mock.requests) assert.equal(r.headers.traceparent, undefined)

  // The spy counts: with one subscriber, the same calls publish.
  const onSend = () => {}
  dc.subscribe('late-native:attempt:send', onSend)
  t.after(() => dc.unsubscribe('late-native:attempt:send', onSend))
  await late.request('GET /v1/profiles')
  assert.equal(spy.counts.publish, 1)
  assert.equal(mock.requests.at(-1).headers.traceparent, undefined, 'a channel subscriber alone sends no trace header')
})

test('inside a span of a provider-less API, the call still sends no trace header of its own', async (t) => {
  const mock = await startMockApi({ 'GET /v1/profiles': { body: { profiles: [] } } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  // A remote parent (as an incoming request would give) in the active context.
  const parent = api.trace.setSpanContext(api.context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
  })
  await api.context.with(parent, () => late.request('GET /v1/profiles'))
  assert.equal(mock.requests[0].headers.traceparent, undefined)
})
