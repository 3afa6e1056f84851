// Observability: OpenTelemetry spans and metrics through the real SDK (in-memory exporter and
// reader, AsyncLocalStorage context, W3C propagation) and the package's diagnostics_channel
// messages. Providers are registered for this whole file (node:test runs each file in its own
// process); telemetry-off.test.mjs checks the path where nothing listens.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import dc from 'node:diagnostics_channel'
import { createRequire } from 'node:module'
import { LateClient, LateApiError } from '../index.mjs'
import Zernio from '../zernio.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const require = createRequire(import.meta.url)
const api = require('@opentelemetry/api')
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base')
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core')
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics')

const exporter = new InMemorySpanExporter()
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
api.propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }))
api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
class Reader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}
const reader = new Reader()
api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
const tracer = api.trace.getTracer('route')

const PROFILES = { profiles: [{ _id: 'p1', isDefault: true }] }
const QUERY_SECRET = 'q-secret-value-77'

/** The client spans exported so far, oldest first. */
const clientSpans = () => exporter.getFinishedSpans().filter((s) => s.kind === api.SpanKind.CLIENT)
/** The parent span id of an exported span (SDK 2.x: `parentSpanContext`). */
const parentOf = (s) => s.parentSpanContext?.spanId ?? s.parentSpanId
/** `traceparent` → `{ traceId, spanId }`. */
function parseTraceparent(value) {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(value ?? '')
  assert.ok(m, `a W3C traceparent, got ${value}`)
  return { traceId: m[1], spanId: m[2] }
}

test('a call inside an active span makes one CLIENT span, its child, with the conventions’ attributes and the W3C traceparent on the wire', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  let route
  await tracer.startActiveSpan('GET /dashboard', async (span) => {
    route = span
    await new Promise((r) => setTimeout(r, 5)) // the context survives an await before the call
    await late.request('GET /v1/profiles', { query: { q: QUERY_SECRET } })
    span.end()
  })
  const spans = clientSpans()
  assert.equal(spans.length, 1)
  const [s] = spans
  assert.equal(s.name, 'GET /api/v1/profiles')
  assert.equal(s.spanContext().traceId, route.spanContext().traceId)
  assert.equal(parentOf(s), route.spanContext().spanId)
  assert.equal(s.instrumentationScope.name, 'late-native')
  assert.deepEqual(
    { ...s.attributes },
    {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': mock.port,
      'url.full': `${mock.baseUrl}/v1/profiles`,
      'url.template': '/api/v1/profiles',
      'late.operation': 'listProfiles',
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
      'late.request_id': 'req_1',
    },
  )
  assert.equal(s.status.code, api.SpanStatusCode.UNSET)
  const sent = parseTraceparent(mock.requests[0].headers.traceparent)
  assert.equal(sent.traceId, s.spanContext().traceId)
  assert.equal(sent.spanId, s.spanContext().spanId)
})

test('a retried call: one span per attempt, the second with http.request.resend_count, each attempt sends its own traceparent', async (t) => {
  exporter.reset()
  const mock = await startMockApi({
    'POST /v1/posts': (r, { count }) =>
      count === 1 ? { status: 503, headers: { 'retry-after-ms': '10' }, body: { error: 'busy' } } : { status: 201, body: { post: { _id: 'x' } } },
  })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  await tracer.startActiveSpan('job', async (span) => {
    await late.posts.createPost({ body: { content: 'hi' } })
    span.end()
  })
  const spans = clientSpans()
  assert.equal(spans.length, 2)
  const [first, second] = spans
  assert.equal(first.attributes['http.request.resend_count'], undefined)
  assert.equal(first.attributes['http.response.status_code'], 503)
  assert.equal(first.attributes['error.type'], '503')
  assert.equal(first.status.code, api.SpanStatusCode.ERROR)
  assert.equal(second.attributes['http.request.resend_count'], 1)
  assert.equal(second.attributes['http.response.status_code'], 201)
  assert.equal(second.attributes['late.operation'], 'createPost')
  assert.equal(parentOf(first), parentOf(second), 'both attempts are children of the caller’s span')
  const sent = mock.requests.map((r) => parseTraceparent(r.headers.traceparent).spanId)
  assert.deepEqual(sent, [first.spanContext().spanId, second.spanContext().spanId])
  assert.equal(mock.requests[0].headers['idempotency-key'], mock.requests[1].headers['idempotency-key'], 'the key is the call’s, not the attempt’s')
})

test('errors set the span status and error.type: an HTTP error status, a connection that failed', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { status: 404, body: { error: 'nope', code: 'not_found' } } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 })
  await assert.rejects(late.request('GET /v1/profiles'), LateApiError)
  let [s] = clientSpans()
  assert.equal(s.status.code, api.SpanStatusCode.ERROR)
  assert.equal(s.attributes['error.type'], '404')
  assert.equal(s.attributes['http.response.status_code'], 404)

  exporter.reset()
  const port = mock.port
  await mock.close()
  const refused = new LateClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 0 })
  await assert.rejects(refused.request('GET /v1/profiles'))
  ;[s] = clientSpans()
  assert.equal(s.status.code, api.SpanStatusCode.ERROR)
  assert.equal(s.attributes['error.type'], 'connection_refused')
  assert.equal(s.attributes['http.response.status_code'], undefined)
})

test('a call aborted in flight ends its span with the abort', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { hang: true } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  await assert.rejects(late.request('GET /v1/profiles', {}, { signal: AbortSignal.timeout(100) }), (e) => e.name === 'AbortError')
  const [s] = clientSpans()
  assert.equal(s.status.code, api.SpanStatusCode.ERROR)
  assert.equal(s.attributes['error.type'], 'AbortError')
})

test('nothing of the API key or the query string appears in a span, an event or a metric', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/accounts': { status: 500, body: { error: `bad ${QUERY_SECRET}` } } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 1, maxRetryWaitMs: 10 })
  await assert.rejects(late.request('GET /v1/accounts', { query: { profileId: QUERY_SECRET } }))
  const { resourceMetrics } = await reader.collect()
  const text = JSON.stringify({ spans: exporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })), resourceMetrics })
  assert.equal(clientSpans().length, 2)
  assert.ok(!text.includes(KEY), 'the key')
  assert.ok(!text.includes(QUERY_SECRET), 'the query')
})

test('the named methods are traced: the connect flow shows its default-profile lookup and its connect request', async (t) => {
  exporter.reset()
  const mock = await startMockApi({
    'GET /v1/profiles': { body: PROFILES },
    'GET /v1/connect/instagram': { body: { authUrl: 'https://auth.example/x', state: 's' } },
    'GET /v1/accounts': { body: { accounts: [], hasAnalyticsAccess: false } },
  })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  await tracer.startActiveSpan('POST /connect', async (span) => {
    await late.connectInstagram({ redirectUrl: 'https://app.example/cb' })
    await late.listAccounts({ profileId: 'p1' })
    span.end()
  })
  const spans = clientSpans()
  assert.deepEqual(
    spans.map((s) => [s.name, s.attributes['late.operation']]),
    [
      ['GET /api/v1/profiles', 'listProfiles'],
      ['GET /api/v1/connect/{platform}', 'getConnectUrl'],
      ['GET /api/v1/accounts', 'listAccounts'],
    ],
  )
  for (const [i, s] of spans.entries()) assert.equal(parseTraceparent(mock.requests[i].headers.traceparent).spanId, s.spanContext().spanId)
})

test('late-native/zernio is traced the same way', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const zernio = new Zernio({ apiKey: KEY, baseURL: mock.baseUrl })
  await tracer.startActiveSpan('zernio-route', async (span) => {
    await zernio.profiles.listProfiles()
    span.end()
  })
  const [s] = clientSpans()
  assert.equal(s.name, 'GET /api/v1/profiles')
  assert.equal(s.attributes['late.operation'], 'listProfiles')
  assert.equal(parseTraceparent(mock.requests[0].headers.traceparent).spanId, s.spanContext().spanId)
  exporter.reset()
  const off = new Zernio({ apiKey: KEY, baseURL: mock.baseUrl, telemetry: false })
  await off.profiles.listProfiles()
  assert.equal(clientSpans().length, 0)
})

test('http.client.request.duration is recorded per attempt through the registered meter provider', async (t) => {
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const before = await histogramPoints()
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  await late.request('GET /v1/profiles')
  await late.request('GET /v1/profiles')
  const after = await histogramPoints()
  const ok = (points) => points.find((p) => p.attributes['http.response.status_code'] === 200 && p.attributes['server.port'] === mock.port)
  const point = ok(after)
  assert.ok(point, JSON.stringify(after.map((p) => p.attributes)))
  assert.equal(point.value.count - (ok(before)?.value.count ?? 0), 2)
  assert.ok(point.value.sum > 0 && point.value.sum < 10, 'seconds')
  assert.deepEqual(point.attributes, {
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': mock.port,
    'late.operation': 'listProfiles',
    'http.response.status_code': 200,
    'network.protocol.version': '1.1',
  })
})

async function histogramPoints() {
  const { resourceMetrics } = await reader.collect()
  const metrics = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'late-native').flatMap((s) => s.metrics)
  const m = metrics.find((x) => x.descriptor.name === 'http.client.request.duration')
  if (m) assert.equal(m.descriptor.unit, 's')
  return m ? m.dataPoints : []
}

test('telemetry: false: no span, no traceparent, no metric, no channel message', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const messages = []
  const onSend = (m) => messages.push(m)
  dc.subscribe('late-native:attempt:send', onSend)
  t.after(() => dc.unsubscribe('late-native:attempt:send', onSend))
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, telemetry: false })
  await tracer.startActiveSpan('quiet', async (span) => {
    await late.request('GET /v1/profiles')
    span.end()
  })
  assert.equal(clientSpans().length, 0)
  assert.equal(mock.requests[0].headers.traceparent, undefined)
  assert.equal(messages.length, 0)
  // withOptions keeps it, and can turn it back on.
  await late.withOptions({ telemetry: true }).request('GET /v1/profiles')
  assert.equal(clientSpans().length, 1)
  assert.equal(messages.length, 1)
})

test('telemetry option: a tracer name of your own; a wrong value is a validation error naming it', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, telemetry: { tracerName: 'billing/zernio' } })
  await late.request('GET /v1/profiles')
  assert.equal(clientSpans()[0].instrumentationScope.name, 'billing/zernio')
  assert.throws(() => new LateClient({ apiKey: KEY, telemetry: 'yes' }), (e) => e.param === 'telemetry')
  assert.throws(() => new LateClient({ apiKey: KEY, telemetry: { tracerName: '' } }), (e) => e.param === 'telemetry.tracerName')
  assert.throws(() => new LateClient({ apiKey: KEY, telemetry: { name: 'x' } }), (e) => e.param === 'telemetry.name' || e.param === 'telemetry')
})

test('diagnostics_channel: start, asyncEnd and error of a call on the tracing channel, one message per attempt', async (t) => {
  const mock = await startMockApi({
    'GET /v1/profiles': (r, { count }) => (count === 1 ? { status: 503, headers: { 'retry-after-ms': '10' }, body: { error: 'busy' } } : { body: PROFILES }),
    'GET /v1/accounts': { status: 404, body: { error: 'nope' } },
  })
  t.after(() => mock.close())
  const seen = []
  const handlers = {
    start: (m) => seen.push(['start', m.method, m.path]),
    asyncEnd: (m) => seen.push(['asyncEnd', m.method, m.path, m.result !== undefined, m.error?.status]),
    error: (m) => seen.push(['error', m.error.name, m.error.status]),
  }
  const call = dc.tracingChannel('late-native:call')
  call.subscribe(handlers)
  const attempts = []
  const sub = {
    'late-native:attempt:send': (m) => attempts.push(['send', m]),
    'late-native:attempt:response': (m) => attempts.push(['response', m]),
    'late-native:attempt:error': (m) => attempts.push(['error', m]),
  }
  for (const [name, fn] of Object.entries(sub)) dc.subscribe(name, fn)
  t.after(() => {
    call.unsubscribe(handlers)
    for (const [name, fn] of Object.entries(sub)) dc.unsubscribe(name, fn)
  })
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 1, maxRetryWaitMs: 10 })
  await late.request('GET /v1/profiles', { query: { q: QUERY_SECRET } })
  await assert.rejects(late.request('GET /v1/accounts', {}, { maxRetries: 0 }))
  assert.deepEqual(seen, [
    ['start', 'GET', '/v1/profiles'],
    ['asyncEnd', 'GET', '/v1/profiles', true, undefined],
    ['start', 'GET', '/v1/accounts'],
    ['error', 'NotFoundError', 404],
    ['asyncEnd', 'GET', '/v1/accounts', false, 404],
  ])
  assert.deepEqual(
    attempts.map(([kind, m]) => [kind, m.attempt, m.url, m.status, m.operation]),
    [
      ['send', 1, `${mock.baseUrl}/v1/profiles`, undefined, 'listProfiles'],
      ['response', 1, `${mock.baseUrl}/v1/profiles`, 503, 'listProfiles'],
      ['send', 2, `${mock.baseUrl}/v1/profiles`, undefined, 'listProfiles'],
      ['response', 2, `${mock.baseUrl}/v1/profiles`, 200, 'listProfiles'],
      ['send', 1, `${mock.baseUrl}/v1/accounts`, undefined, 'listAccounts'],
      ['response', 1, `${mock.baseUrl}/v1/accounts`, 404, 'listAccounts'],
    ],
  )
  const [, firstResponse] = attempts[1]
  assert.equal(firstResponse.requestId, 'req_1')
  assert.ok(firstResponse.durationMs >= 0)
  assert.ok(firstResponse.retryInMs >= 0)
  assert.equal(firstResponse.protocol, 'http/1.1')
  assert.equal(attempts[0][1].call.path, '/v1/profiles', 'an attempt names its call (the tracing channel’s context)')
  assert.ok(!JSON.stringify(attempts.map(([, m]) => ({ ...m, call: undefined }))).includes(QUERY_SECRET))

  // An attempt that got no answer goes to late-native:attempt:error.
  attempts.length = 0
  const port = mock.port
  await mock.close()
  const refused = new LateClient({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 0 })
  await assert.rejects(refused.request('GET /v1/profiles'))
  assert.deepEqual(attempts.map(([kind, m]) => [kind, m.attempt, m.error]), [
    ['send', 1, undefined],
    ['error', 1, 'connection_refused'],
  ])
})

test('in worker threads: each thread’s calls are spans of its own provider, under its own active span, with its traceparent', async (t) => {
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const { Worker } = await import('node:worker_threads')
  const body = `
    const { parentPort, workerData } = require('node:worker_threads')
    const api = require('@opentelemetry/api')
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base')
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
    const { W3CTraceContextPropagator } = require('@opentelemetry/core')
    const exporter = new InMemorySpanExporter()
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())
    api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
    const { LateClient } = require(workerData.root + '/index.js')
    const late = new LateClient({ apiKey: workerData.key, baseUrl: workerData.baseUrl })
    api.trace.getTracer('worker').startActiveSpan('job', async (job) => {
      await late.request('GET /v1/profiles', { query: { n: String(workerData.n) } })
      job.end()
      const client = exporter.getFinishedSpans().find((s) => s.kind === api.SpanKind.CLIENT)
      parentPort.postMessage({ job: job.spanContext(), parent: client.parentSpanContext.spanId, trace: client.spanContext().traceId, span: client.spanContext().spanId })
    })
  `
  const root = new URL('..', import.meta.url).pathname
  const results = await Promise.all(
    [1, 2].map(
      (n) =>
        new Promise((resolve, reject) => {
          const w = new Worker(body, { eval: true, workerData: { root, key: KEY, baseUrl: mock.baseUrl, n } })
          w.once('message', (m) => {
            resolve({ n, ...m })
            w.terminate()
          })
          w.once('error', reject)
        }),
    ),
  )
  for (const r of results) {
    assert.equal(r.parent, r.job.spanId)
    assert.equal(r.trace, r.job.traceId)
    const request = mock.requests.find((q) => q.query.n === String(r.n))
    assert.deepEqual(parseTraceparent(request.headers.traceparent), { traceId: r.trace, spanId: r.span })
  }
  assert.notEqual(results[0].trace, results[1].trace)
})

test('whatever the registered propagator writes goes with each attempt: tracestate and baggage too', async (t) => {
  exporter.reset()
  const mock = await startMockApi({ 'GET /v1/profiles': { body: PROFILES } })
  t.after(() => mock.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl })
  // A remote parent with a tracestate, and baggage, as an incoming request would give.
  const { TraceState } = require('@opentelemetry/core')
  let ctx = api.trace.setSpanContext(api.context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=abc'),
  })
  ctx = api.propagation.setBaggage(ctx, api.propagation.createBaggage({ tenant: { value: 'acme' } }))
  await api.context.with(ctx, () => late.request('GET /v1/profiles'))
  const [s] = clientSpans()
  const headers = mock.requests[0].headers
  assert.deepEqual(parseTraceparent(headers.traceparent), { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: s.spanContext().spanId })
  assert.equal(parentOf(s), 'b7ad6b7169203331')
  assert.equal(headers.tracestate, 'vendor=abc')
  assert.equal(headers.baggage, 'tenant=acme')
})
