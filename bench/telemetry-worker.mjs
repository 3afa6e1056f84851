// One measurement of bench/telemetry.mjs in a fresh process: sets up the mode's listeners,
// runs small listAccounts calls in a closed loop and prints one JSON line
// `{ rps, cpuUsPerCall, calls, spans }`. `process.cpuUsage()` counts every thread, the
// addon's Rust threads included.

import dc from 'node:diagnostics_channel'
import { createRequire } from 'node:module'
import { PKG, PROFILE_ID } from './clients.mjs'

const require = createRequire(import.meta.url)
const spec = JSON.parse(process.argv[2])
let spans = 0

if (spec.mode === 'channels') {
  const { DIAGNOSTICS_CHANNELS: names } = require(PKG)
  const noop = () => {}
  dc.tracingChannel(names.call).subscribe({ start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop })
  for (const name of [names.attemptSend, names.attemptResponse, names.attemptError]) dc.subscribe(name, noop)
}
if (spec.mode === 'otel') {
  const api = require('@opentelemetry/api')
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base')
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
  const { W3CTraceContextPropagator } = require('@opentelemetry/core')
  const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics')
  const exporter = new InMemorySpanExporter()
  // Emptied as it goes, so memory stays flat over the run.
  const drain = setInterval(() => {
    spans += exporter.getFinishedSpans().length
    exporter.reset()
  }, 100)
  drain.unref()
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }))
}

const { LateClient } = require(PKG)
const late = new LateClient({ apiKey: 'sk_bench_0123456789abcdef', baseUrl: `http://127.0.0.1:${spec.port}/api`, telemetry: spec.mode !== 'off' })
const params = { profileId: PROFILE_ID }

let measuring = false
let stopped = false
let calls = 0
async function caller() {
  while (!stopped) {
    await late.listAccounts(params)
    if (measuring) calls++
  }
}
const callers = Array.from({ length: spec.concurrency }, caller)
await new Promise((r) => setTimeout(r, spec.warmupMs))
measuring = true
const cpu0 = process.cpuUsage()
const t0 = performance.now()
await new Promise((r) => setTimeout(r, spec.durationMs))
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const measured = calls
stopped = true
await Promise.all(callers)
console.log(JSON.stringify({ rps: measured / seconds, cpuUsPerCall: (cpu.user + cpu.system) / measured, calls: measured, spans }))
