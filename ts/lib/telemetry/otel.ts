/**
 * OpenTelemetry without configuration: `@opentelemetry/api` is an optional peer dependency,
 * loaded on the first traced call if it is installed; nothing else of OpenTelemetry is ever
 * required. A call makes spans only when a tracer provider is registered, and records the
 * duration histogram only when a meter provider is; otherwise the API's no-op objects would
 * cost a span per call for nothing, so the call takes the untraced path.
 *
 * The few members of the API used here are typed below (structurally) so that the published
 * declarations never name a package the user may not have.
 */

import { lazy } from '../lazy.js'

/** A span of the API (what is used of it). */
export interface OtelSpan {
  setAttribute(key: string, value: string | number): unknown
  setStatus(status: { code: number; message?: string }): unknown
  end(): void
}

/** A context of the API (opaque here). */
export type OtelContext = object

/** What is used of `@opentelemetry/api`. */
export interface OtelApi {
  context: { active(): OtelContext }
  trace: {
    getTracerProvider(): { getDelegate?(): unknown }
    getTracer(name: string, version?: string): OtelTracer
    setSpan(context: OtelContext, span: OtelSpan): OtelContext
  }
  propagation: { inject(context: OtelContext, carrier: Record<string, string>): void }
  metrics: { getMeterProvider(): { getMeter(name: string, version?: string): OtelMeter } }
  createNoopMeter(): OtelMeter
  ProxyTracerProvider: new () => { getDelegate(): unknown }
  SpanKind: { CLIENT: number }
  SpanStatusCode: { ERROR: number }
}

/** A tracer of the API. */
export interface OtelTracer {
  startSpan(name: string, options: { kind: number; attributes: Record<string, string | number> }, context: OtelContext): OtelSpan
}

/** A meter of the API. */
export interface OtelMeter {
  createHistogram(name: string, options: { description: string; unit: string; advice?: object }): OtelHistogram
}

/** A histogram of the API. */
export interface OtelHistogram {
  record(value: number, attributes: Record<string, string | number>): void
}

/** The API and its no-op tracer provider, or undefined when the package is not installed. */
interface Loaded {
  api: OtelApi
  noopTracerProvider: unknown
}

/** `@opentelemetry/api`, loaded once (on the first call that could be traced). */
export const loadApi = lazy((): Loaded | undefined => {
  let api: OtelApi
  try {
    api = require('@opentelemetry/api') as OtelApi
  } catch {
    return undefined
  }
  // A fresh proxy has no delegate: it answers with the API's no-op provider, the one the
  // global proxy answers with until a provider is registered.
  return { api, noopTracerProvider: new api.ProxyTracerProvider().getDelegate() }
})

/** Whether a tracer provider is registered with the API. */
export function tracing(loaded: Loaded): boolean {
  const provider = loaded.api.trace.getTracerProvider()
  return typeof provider.getDelegate !== 'function' || provider.getDelegate() !== loaded.noopTracerProvider
}

/** The duration histogram of a meter provider (created once per provider), or undefined for the no-op one. */
export class Histograms {
  #provider: unknown
  #histogram: OtelHistogram | undefined
  readonly #name: string
  readonly #version: () => string

  constructor(name: string, version: () => string) {
    this.#name = name
    this.#version = version
  }

  /** `http.client.request.duration` of the registered meter provider, or undefined. */
  current(api: OtelApi): OtelHistogram | undefined {
    const provider = api.metrics.getMeterProvider()
    if (provider !== this.#provider) {
      this.#provider = provider
      const meter = provider.getMeter(this.#name, this.#version())
      this.#histogram =
        meter === api.createNoopMeter()
          ? undefined
          : meter.createHistogram('http.client.request.duration', {
              description: 'Duration of HTTP client requests.',
              unit: 's',
              // The buckets the semantic conventions advise for this histogram.
              advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
            })
    }
    return this.#histogram
  }
}
