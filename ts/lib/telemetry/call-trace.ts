/**
 * One traced call: the spans of its attempts (OpenTelemetry), the messages of its attempts
 * (`diagnostics_channel`) and the duration of each attempt (the `http.client.request.duration`
 * histogram). The native layer tells it of each attempt before it is sent and when it ended
 * (src/attempt_hook.rs); it answers the first with the attempt's trace headers.
 *
 * Spans follow the HTTP client semantic conventions: one CLIENT span per physical request, so a
 * retried call shows one span per attempt, each with its own `traceparent` on the wire and
 * `http.request.resend_count` from the second on; all are children of the context that was
 * active when the call was made.
 */

import { attemptError, attemptResponse, attemptSend } from './channels.js'
import type { AttemptErrorMessage, AttemptResponseMessage, AttemptSendMessage, CallMessage } from './channels.js'
import type { OtelApi, OtelContext, OtelHistogram, OtelSpan, OtelTracer } from './otel.js'
import type { NativeAttempt, NativeAttemptEvent } from '../../native.js'

/** Where a client's requests go: for `server.*` and `url.*`. */
export interface Origin {
  /** The base URL without a trailing slash (`https://zernio.com/api`). */
  base: string
  /** `server.address`. */
  address: string
  /** `server.port` (the scheme's default when the URL has none). */
  port: number
  /** The base URL's path (`/api`), put before a route's template. */
  basePath: string
}

/** What a traced call uses of OpenTelemetry: the API, a tracer (when tracing), a histogram (when metering). */
export interface Otel {
  api: OtelApi
  tracer: OtelTracer | undefined
  histogram: OtelHistogram | undefined
  /** The context active when the call was made: the parent of its spans. */
  parent: OtelContext
}

/** `'h2'` → `'2'`, `'http/1.1'` → `'1.1'`: `network.protocol.version`. */
function protocolVersion(protocol: string | undefined): string | undefined {
  if (protocol === 'h2') return '2'
  if (protocol === 'http/1.1') return '1.1'
  return undefined
}

/** The attempt in flight. */
interface Current {
  attempt: number
  span: OtelSpan | undefined
  send: AttemptSendMessage
  started: number
  attributes: Record<string, string | number>
}

/** One traced call (see the module's comment). */
export class CallTrace {
  readonly message: CallMessage
  readonly #origin: Origin
  readonly #otel: Otel | undefined
  readonly #templates: (operation: string) => string | undefined
  #current: Current | undefined

  constructor(message: CallMessage, origin: Origin, otel: Otel | undefined, templates: (operation: string) => string | undefined) {
    this.message = message
    this.#origin = origin
    this.#otel = otel
    this.#templates = templates
  }

  /** The native layer's news of an attempt; for one about to be sent, its headers as `[name, value, …]`. */
  event(e: NativeAttemptEvent): string[] | undefined {
    if (e.end) {
      this.#ended(e.end)
      return undefined
    }
    return this.#start(e)
  }

  #start(e: NativeAttemptEvent): string[] | undefined {
    // An attempt still open here ended without news (cannot happen; kept closed all the same).
    if (this.#current) this.#close(this.#current, undefined, undefined, 'unknown')
    const url = this.#origin.base + e.path
    const send: AttemptSendMessage = { call: this.message, method: e.method, url, attempt: e.attempt, operation: e.operation ?? undefined }
    const attributes: Record<string, string | number> = {
      'http.request.method': e.method,
      'server.address': this.#origin.address,
      'server.port': this.#origin.port,
    }
    if (e.operation) attributes['late.operation'] = e.operation
    const current: Current = { attempt: e.attempt, span: undefined, send, started: performance.now(), attributes }
    this.#current = current
    if (attemptSend.hasSubscribers) attemptSend.publish(send)
    const otel = this.#otel
    if (!otel || !otel.tracer) return undefined
    const template = e.operation ? this.#templates(e.operation) : undefined
    const spanAttributes: Record<string, string | number> = { ...attributes, 'url.full': url }
    if (template !== undefined) spanAttributes['url.template'] = this.#origin.basePath + template
    if (e.attempt > 1) spanAttributes['http.request.resend_count'] = e.attempt - 1
    const name = template !== undefined ? `${e.method} ${this.#origin.basePath}${template}` : e.method
    const span = otel.tracer.startSpan(name, { kind: otel.api.SpanKind.CLIENT, attributes: spanAttributes }, otel.parent)
    current.span = span
    const carrier: Record<string, string> = {}
    otel.api.propagation.inject(otel.api.trace.setSpan(otel.parent, span), carrier)
    const headers: string[] = []
    for (const name of Object.keys(carrier)) headers.push(name, carrier[name])
    return headers.length ? headers : undefined
  }

  #ended(record: NativeAttempt): void {
    const current = this.#current
    if (!current || current.attempt !== record.attempt) return
    this.#current = undefined
    const status = record.status ?? undefined
    const errorType = status !== undefined && status >= 400 ? String(status) : status === undefined ? record.error ?? 'unknown' : undefined
    const base = current.send
    if (status !== undefined) {
      if (attemptResponse.hasSubscribers) {
        const m: AttemptResponseMessage = {
          ...base,
          status,
          requestId: record.requestId ?? undefined,
          durationMs: record.durationMs,
          protocol: record.protocol ?? undefined,
          retryInMs: record.retryInMs ?? undefined,
        }
        attemptResponse.publish(m)
      }
    } else if (attemptError.hasSubscribers) {
      const m: AttemptErrorMessage = { ...base, error: errorType as string, durationMs: record.durationMs, retryInMs: record.retryInMs ?? undefined }
      attemptError.publish(m)
    }
    this.#close(current, status, record, errorType)
  }

  /** Ends the span and records the duration of `current`. */
  #close(current: Current, status: number | undefined, record: NativeAttempt | undefined, errorType: string | undefined): void {
    const otel = this.#otel
    if (!otel) return
    const attributes = current.attributes
    if (status !== undefined) attributes['http.response.status_code'] = status
    if (errorType !== undefined) attributes['error.type'] = errorType
    const version = protocolVersion(record?.protocol ?? undefined)
    if (version !== undefined) attributes['network.protocol.version'] = version
    const span = current.span
    if (span) {
      for (const key of ['http.response.status_code', 'error.type', 'network.protocol.version']) {
        if (attributes[key] !== undefined) span.setAttribute(key, attributes[key])
      }
      if (record?.requestId) span.setAttribute('late.request_id', record.requestId)
      if (errorType !== undefined) span.setStatus({ code: otel.api.SpanStatusCode.ERROR })
      span.end()
    }
    // The attempt's own duration when the core measured it; else (stopped without news) until now.
    if (otel.histogram) otel.histogram.record((record ? record.durationMs : performance.now() - current.started) / 1000, attributes)
  }

  /**
   * The call settled: an attempt still open was stopped without news of its end (the call was
   * cancelled while it was in flight); it ends with the call's error.
   */
  settled(error: unknown): void {
    const current = this.#current
    if (!current) return
    this.#current = undefined
    const e = error as { reason?: unknown; code?: unknown; name?: unknown } | undefined
    const type = e && typeof e.reason === 'string' ? e.reason : e && typeof e.name === 'string' ? e.name : 'unknown'
    if (attemptError.hasSubscribers) {
      const m: AttemptErrorMessage = { ...current.send, error: type, durationMs: performance.now() - current.started }
      attemptError.publish(m)
    }
    this.#close(current, undefined, undefined, type)
  }
}
