/**
 * The one send path of an API request: check the call's options and the request → build the
 * request the engine takes → invoke the engine → map its answer (or error) to the package's
 * result (or a LateError). `LateClient#request`/`requestWithResponse` (lib/client.js), named
 * operations (lib/operation-call.js) and the drop-in `late-native/zernio` (lib/zernio/client.js)
 * all send through `sendRequest` / `sendChecked` here.
 *
 * The seam is the `Engine`: what moves bytes, with the core's policy (replay safety, retry
 * waits, pacing). The native client (Rust, `NativeClient`) is its only implementation. What is
 * defined here and in lib/transport.js holds for any engine: option checks, deadlines, abort
 * wiring, and the mapping of an engine's error data to LateErrors.
 */

import { callOptions, invoke, parseBody } from './transport.js'
import type { Call } from './transport.js'
import { LateValidationError } from './errors.js'
import type { RateLimitInfo } from './errors.js'
import { checkText, describe, knownKeys, optionalHeaders, record } from './validate.js'
import { queryPairs } from './query.js'
import { encodeBody } from './body.js'
import type { EncodedBody } from './body.js'
import type { CallOptions, CancelToken, NativeRequest, NativeResponse } from '../native.js'
import type { OperationRequest } from './operations.js'
import type { Telemetry } from './telemetry/index.js'

/**
 * A request as an {@link Engine} takes it: `method` (`GET`, `POST`, `PUT`, `PATCH` or `DELETE`),
 * `path` under the base URL (already encoded), `query` as `[name, value, name, value, …]`,
 * extra `headers` (an `Idempotency-Key` among them is the call's key), `body` (JSON text) or
 * `payload` (a raw or multipart body, lib/body.js), and `binaryResponse` (keep the response's
 * bytes). The shape is the one the native layer declares (`NativeRequest`, native.d.ts).
 * @example
 * const req: EngineRequest = { method: 'GET', path: '/v1/accounts', query: ['platform', 'instagram'] }
 */
export type EngineRequest = NativeRequest

/**
 * An engine's answer: `{ status, headers, body, bytes?, requestId?, rateLimit?, attempts,
 * idempotencyKey?, queuedMs }` (`NativeResponse`, native.d.ts).
 * @example
 * const res: EngineResponse = await engine.request(req, undefined, undefined)
 */
export type EngineResponse = NativeResponse

/**
 * What moves bytes, with the core's policy (retries, timeouts, pacing, replay safety): the seam
 * between the send path and a transport. The native client (`NativeClient` of native.d.ts) is
 * its implementation, and satisfies this interface by type (lib/client.js hands it over as an
 * `Engine`); a future fetch engine implements the same. `request` resolves to the answer, or
 * rejects with error data (an object with a string `kind`, see `isNativeErrorData` in
 * lib/errors.js) that lib/transport.js maps to a LateError.
 * @example
 * ```ts
 * const engine: Engine = new NativeClient(options)
 * const res = await engine.request({ method: 'GET', path: '/v1/profiles' }, { timeoutMs: 5_000 }, undefined)
 * ```
 */
export interface Engine {
  /** One call with retries, timeouts, pacing and replay safety; `cancel` stops it. */
  request(req: EngineRequest, options: CallOptions | undefined, cancel: CancelToken | undefined): Promise<EngineResponse>
}

/**
 * What the send path needs of a client: its engine, the secret to keep out of messages, its base
 * URL, its telemetry (lib/telemetry/: spans, metrics, `diagnostics_channel`).
 */
export interface Channel {
  engine: Engine
  secret: string
  baseUrl: string
  telemetry: Telemetry
}

/**
 * A result with its response metadata.
 * @example
 * ```ts
 * const { data, requestId, rateLimit, queuedMs }: WithResponse<unknown> = await late.requestWithResponse('GET /v1/profiles')
 * ```
 */
export interface WithResponse<T> {
  data: T
  status: number
  headers: Record<string, string>
  requestId?: string
  rateLimit?: RateLimitInfo
  attempts: number
  idempotencyKey?: string
  /** How long the call waited for the rate limit, in ms (all attempts). */
  queuedMs: number
}

/** The raw answer the compat layer builds a Response from (a non-enumerable `raw`). */
export interface RawAnswer {
  text: string
  url: string
  query: string[] | undefined
}

/** What `sendChecked` resolves to: the result, and `raw` when asked for. */
export type Sent = WithResponse<unknown> & { readonly raw?: RawAnswer }

/** What `request(route, init)` and `request({ … })` read of their argument (a plain copy). */
interface Spec {
  params?: unknown
  method?: unknown
  path?: unknown
  query?: unknown
  body?: unknown
  headers?: unknown
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const INIT_KEYS = ['params', 'query', 'body', 'headers']
const REQUEST_KEYS = ['method', 'path', 'query', 'body', 'headers']

/**
 * The channel of every LateClient (`{ engine, secret, baseUrl }`), registered by its
 * constructor: how `sendChecked` reaches a client's engine without a method on the client that
 * a caller could find. Per-client state, held weakly; never state of a call.
 */
const channels = new WeakMap<object, Channel>()

/** Registers the channel of a client being constructed (lib/client.js). */
export function register(client: object, channel: Channel): void {
  channels.set(client, channel)
}

/** Splits `'GET /v1/accounts/{accountId}'` and fills `{accountId}` from `params`. */
function route(spec: string, params: unknown): { method: string; path: string } {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(spec)
  if (!m || !METHODS.includes(m[1].toUpperCase())) {
    throw new LateValidationError(
      "invalid `route`: expected 'METHOD /path', e.g. 'GET /v1/accounts/{accountId}/health'",
      { param: 'route' },
    )
  }
  checkText(m[2], 'route')
  const values: Record<string, unknown> | undefined = record(params, 'params')
  const path = m[2].replace(/\{([^}]+)\}/g, (_: string, name: string) => {
    const param = `params.${name}`
    const value = values ? values[name] : undefined
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new LateValidationError(`invalid \`${param}\`: the path needs it, expected a string, got ${describe(value)}`, { param })
    }
    if (value === '') throw new LateValidationError(`invalid \`${param}\`: expected a non-empty string`, { param })
    return encodeURIComponent(typeof value === 'string' ? checkText(value, param) : String(value))
  })
  return { method: m[1].toUpperCase(), path }
}

/**
 * `request(route, init?, options?)` or `request({ method, path, query, body, headers }, options?)`
 * on `channel` (`{ engine, secret, baseUrl }` of a client): checks everything, then sends.
 */
export function sendRequest(channel: Channel, routeOrRequest: unknown, init: unknown, options: unknown): Promise<Sent> {
  let method: string, path: string, spec: Spec
  if (typeof routeOrRequest === 'string') {
    spec = init === undefined ? {} : record(init, 'init')
    knownKeys(spec, INIT_KEYS, 'init')
    ;({ method, path } = route(routeOrRequest, spec.params))
  } else {
    if (routeOrRequest === undefined) throw new LateValidationError('invalid `request`: expected an object', { param: 'request' })
    spec = record(routeOrRequest, 'request')
    knownKeys(spec, REQUEST_KEYS, 'request')
    options = init
    const m = typeof spec.method === 'string' ? spec.method.toUpperCase() : spec.method
    if (!METHODS.includes(m as string)) {
      throw new LateValidationError(`invalid \`method\`: expected one of ${METHODS.join(', ')}`, { param: 'method' })
    }
    method = m as string
    const p = spec.path
    if (typeof p !== 'string' || !p.startsWith('/')) {
      throw new LateValidationError('invalid `path`: expected a path such as `/v1/accounts`', { param: 'path' })
    }
    path = p
    checkText(path, 'path')
  }
  const call = callOptions(options)
  return dispatch(channel, call, method, path, spec, optionalHeaders(spec.headers, 'headers'), false, false, false)
}

/**
 * Sends on LateClient `client` an operation already checked by `operationRequest` (`{ method,
 * path, query: [name, value, …], headers, body }`): its path, query and headers are not checked
 * a second time. `binary`: resolve `data` to the bytes; `raw`: no `data`, the text and URL as
 * `raw` instead (the compat layer builds a Response from them). For named operations
 * (lib/operation-call.js) and late-native/zernio; not exported by the package.
 */
export function sendChecked(client: object, request: OperationRequest, options: unknown, binary: boolean, raw: boolean): Promise<Sent> {
  const channel = channels.get(client)
  if (channel === undefined) {
    throw new LateValidationError(`invalid \`this\`: the operation was called on ${describe(client)}, not on a LateClient`, { param: 'this' })
  }
  let call: Call
  try {
    call = callOptions(options)
  } catch (e) {
    return Promise.reject(e)
  }
  return dispatch(channel, call, request.method, request.path, request, request.headers, true, binary, raw)
}

/** Sends `spec` (`query` as pairs when `checked`, else as the caller passed it) with `headers`. */
async function dispatch(
  channel: Channel,
  call: Call,
  method: string,
  path: string,
  spec: Spec,
  headers: Record<string, string> | undefined,
  checked: boolean,
  binary: boolean,
  raw: boolean,
): Promise<Sent> {
  const req: EngineRequest = {
    method,
    path,
    query: checked ? (spec.query as string[] | undefined) : queryPairs(spec.query, 'query'),
    headers: headers && Object.keys(headers).length ? headers : undefined,
    binaryResponse: binary || undefined,
  }
  let encoded = encodeBody(spec.body, 'body')
  if (typeof (encoded as Partial<Promise<unknown>>).then === 'function') encoded = await encoded
  // Awaited above when it was a Promise.
  req.body = (encoded as Readonly<EncodedBody>).body
  req.payload = (encoded as Readonly<EncodedBody>).payload
  // The core picks the Idempotency-Key (crates/late-core/src/send/transport.rs, the one owner):
  // `options.idempotencyKey`, else an `Idempotency-Key` header, else one of its own where the
  // API dedupes by it (policy/replay.rs); the error or the response says which key was sent.
  const { engine } = channel
  const res = await invoke(call, (o, token) => engine.request(req, o, token), undefined, channel.telemetry, method, path)
  const result: WithResponse<unknown> = {
    data: binary ? res.bytes : raw ? undefined : parseBody(res, channel.secret),
    status: res.status,
    headers: res.headers,
    requestId: res.requestId ?? undefined,
    rateLimit: res.rateLimit ?? undefined,
    attempts: res.attempts,
    idempotencyKey: res.idempotencyKey ?? undefined,
    queuedMs: res.queuedMs,
  }
  // The compat layer (late-native/zernio) builds a Response from the raw answer.
  if (raw) Object.defineProperty(result, 'raw', { value: { text: res.body, url: `${channel.baseUrl}${path}`, query: req.query } })
  return result
}
