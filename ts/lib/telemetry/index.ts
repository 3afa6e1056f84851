/**
 * A client's telemetry: whether a call is traced, and the traced run of a call. A call is traced
 * when something listens — a subscriber on one of the package's `diagnostics_channel`s
 * (lib/telemetry/channels.js) or an OpenTelemetry tracer or meter provider
 * (lib/telemetry/otel.js) — and `telemetry` is not `false`; otherwise it takes the untraced path
 * and pays for a few property reads.
 *
 * A traced call gets an id, registered in its client family's table (a client and its
 * `withOptions` clones share one native listener, src/attempt_hook.rs) for as long as it runs.
 */

import { callTraced, attemptsTraced } from './names.js'
import type { CallMessage } from './channels.js'
import type { CallTrace, Origin, Otel } from './call-trace.js'
import type { Histograms, OtelTracer } from './otel.js'
import { lazy } from '../lazy.js'
import type { Operation } from '../generated/operations.js'
import type { NativeAttemptEvent, CallOptions } from '../../native.js'

/**
 * The `telemetry` option of a client: `false` turns off spans, metrics and `diagnostics_channel`
 * messages for it; an object names the tracer and meter (default `late-native`).
 * @example
 * ```ts
 * new LateClient({ telemetry: false })
 * new LateClient({ telemetry: { tracerName: 'billing-service/zernio' } })
 * ```
 */
export type TelemetryOption = boolean | { tracerName?: string }

// Loaded on the first call that something listens to (or that could be traced), not at import.
const channels = lazy(() => require('./channels.js') as typeof import('./channels.js'))
const callTrace = lazy(() => require('./call-trace.js') as typeof import('./call-trace.js'))
const otel = lazy(() => require('./otel.js') as typeof import('./otel.js'))

/** The package's name: the default tracer and meter. */
const NAME = 'late-native'
/** The package's version, read on the first traced call. */
const version = lazy((): string => (require('../../package.json') as { version: string }).version)

/** operationId → its route template (`/v1/accounts/{accountId}`), built on the first traced call. */
const templates = lazy(() => {
  const map = new Map<string, string>()
  const operations = (require('../generated/operations.js') as { OPERATIONS: readonly Operation[] }).OPERATIONS
  for (const op of operations) map.set(op[0], op[1].slice(op[1].indexOf(' ') + 1))
  return map
})
const templateOf = (operation: string): string | undefined => templates().get(operation)

/**
 * The traced calls of a client and its `withOptions` clones, by id, and the native listener
 * that feeds them (set on first use).
 */
export class TraceFamily {
  readonly calls = new Map<number, CallTrace>()
  #next = 0
  #listening = false
  readonly #listen: (listener: (event: NativeAttemptEvent) => string[] | undefined) => void

  /** `listen` sets the native client's attempt listener (`onAttemptStart`). */
  constructor(listen: (listener: (event: NativeAttemptEvent) => string[] | undefined) => void) {
    this.#listen = listen
  }

  /** Registers `trace` and returns its id. */
  add(trace: CallTrace): number {
    if (!this.#listening) {
      this.#listening = true
      const calls = this.calls
      this.#listen((event) => {
        const trace = calls.get(event.callId)
        if (trace === undefined) return undefined
        try {
          return trace.event(event)
        } catch {
          // A tracer or subscriber that throws never fails the call.
          return undefined
        }
      })
    }
    this.#next = this.#next >= 0x7fffffff ? 1 : this.#next + 1
    this.calls.set(this.#next, trace)
    return this.#next
  }
}

/** What listens to a call: OpenTelemetry (spans, the histogram) and whether the call channel has subscribers. */
export interface Listening {
  otel: Otel | undefined
  onCall: boolean
}

/** A client's telemetry (see the module's comment). */
export class Telemetry {
  readonly #enabled: boolean
  readonly #family: TraceFamily
  readonly #origin: Origin
  readonly #tracerName: string
  #tracer: OtelTracer | undefined
  #histograms: Histograms | undefined

  constructor(option: TelemetryOption | undefined, baseUrl: string, family: TraceFamily) {
    this.#enabled = option !== false
    this.#family = family
    this.#tracerName = (typeof option === 'object' && option.tracerName) || NAME
    const url = new URL(baseUrl)
    this.#origin = {
      base: baseUrl,
      address: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
      basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, ''),
    }
  }

  /**
   * What listens to this client's calls right now, or undefined when nothing does (or
   * `telemetry` is `false`): then the call takes the untraced path, with nothing allocated.
   */
  listening(): Listening | undefined {
    if (!this.#enabled) return undefined
    try {
      return this.#listening()
    } catch {
      // A provider or registry that throws never fails a call: the call goes untraced.
      return undefined
    }
  }

  #listening(): Listening | undefined {
    const o = otel()
    const loaded = o.loadApi()
    const traceSpans = loaded !== undefined && o.tracing(loaded)
    let histogram
    if (loaded !== undefined) {
      this.#histograms ??= new o.Histograms(this.#tracerName, version)
      histogram = this.#histograms.current(loaded.api)
    }
    const onCall = callTraced()
    if (!traceSpans && !histogram && !onCall && !attemptsTraced()) return undefined
    let tracedOtel: Otel | undefined
    if (loaded !== undefined && (traceSpans || histogram)) {
      const api = loaded.api
      if (traceSpans && this.#tracer === undefined) this.#tracer = api.trace.getTracer(this.#tracerName, version())
      tracedOtel = { api, tracer: traceSpans ? this.#tracer : undefined, histogram, parent: api.context.active() }
    }
    return { otel: tracedOtel, onCall }
  }

  /**
   * Runs `run(options)` traced, for a call of `method` on `path` that `listening` (this client's
   * {@link Telemetry.listening}, just taken) says is listened to: `trace` in the native options.
   */
  run<T>(listening: Listening, method: string, path: string, options: CallOptions | undefined, run: (options: CallOptions | undefined) => Promise<T>): Promise<T> {
    const message: CallMessage = { method, path }
    const trace = new (callTrace().CallTrace)(message, this.#origin, listening.otel, templateOf)
    const family = this.#family
    const id = family.add(trace)
    const traced = { ...options, trace: id }
    const settle = (error: unknown) => {
      family.calls.delete(id)
      trace.settled(error)
    }
    const go = (): Promise<T> =>
      run(traced).then(
        (value) => {
          settle(undefined)
          return value
        },
        (error: unknown) => {
          settle(error)
          throw error
        },
      )
    const callChannel = listening.onCall ? channels().callChannel : undefined
    if (callChannel !== undefined) return callChannel.tracePromise(go, message)
    return go()
  }
}
