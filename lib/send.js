'use strict'

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
 *
 * @typedef {object} EngineRequest
 * @property {string} method `GET`, `POST`, `PUT`, `PATCH` or `DELETE`
 * @property {string} path the path under the base URL, already encoded
 * @property {string[] | undefined} query `[name, value, name, value, …]`
 * @property {Record<string, string> | undefined} headers extra headers (an `Idempotency-Key` among them is the call's key)
 * @property {string | undefined} body JSON text
 * @property {object | undefined} payload a raw or multipart body (lib/body.js)
 * @property {boolean | undefined} binaryResponse keep the response's bytes
 *
 * @typedef {object} Engine
 * @property {(req: EngineRequest, options: object | undefined, cancel: object | undefined) => Promise<object>} request
 *   one call with retries, timeouts, pacing and replay safety; resolves to `{ status, headers,
 *   body, bytes?, requestId?, rateLimit?, attempts, idempotencyKey?, queuedMs }`; rejects with
 *   error data (an object with a string `kind`, see `isNativeErrorData` in lib/errors.js)
 */

const { callOptions, invoke, parseBody } = require('./transport.js')
const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')
const { queryPairs } = require('./query.js')
const { encodeBody } = require('./body.js')

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const INIT_KEYS = ['params', 'query', 'body', 'headers']
const REQUEST_KEYS = ['method', 'path', 'query', 'body', 'headers']

/**
 * The channel of every LateClient (`{ engine, secret, baseUrl }`), registered by its
 * constructor: how `sendChecked` reaches a client's engine without a method on the client that
 * a caller could find. Per-client state, held weakly; never state of a call.
 */
const channels = new WeakMap()

/** Registers the channel of a client being constructed (lib/client.js). */
function register(client, channel) {
  channels.set(client, channel)
}

/** Splits `'GET /v1/accounts/{accountId}'` and fills `{accountId}` from `params`. */
function route(spec, params) {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(spec)
  if (!m || !METHODS.includes(m[1].toUpperCase())) {
    throw new LateValidationError(
      "invalid `route`: expected 'METHOD /path', e.g. 'GET /v1/accounts/{accountId}/health'",
      { param: 'route' },
    )
  }
  v.checkText(m[2], 'route')
  const values = v.record(params, 'params')
  const path = m[2].replace(/\{([^}]+)\}/g, (_, name) => {
    const param = `params.${name}`
    const value = values ? values[name] : undefined
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new LateValidationError(`invalid \`${param}\`: the path needs it, expected a string, got ${v.describe(value)}`, { param })
    }
    if (value === '') throw new LateValidationError(`invalid \`${param}\`: expected a non-empty string`, { param })
    return encodeURIComponent(typeof value === 'string' ? v.checkText(value, param) : String(value))
  })
  return { method: m[1].toUpperCase(), path }
}

/**
 * `request(route, init?, options?)` or `request({ method, path, query, body, headers }, options?)`
 * on `channel` (`{ engine, secret, baseUrl }` of a client): checks everything, then sends.
 */
function sendRequest(channel, routeOrRequest, init, options) {
  let method, path, spec
  if (typeof routeOrRequest === 'string') {
    spec = init === undefined ? {} : v.record(init, 'init')
    v.knownKeys(spec, INIT_KEYS, 'init')
    ;({ method, path } = route(routeOrRequest, spec.params))
  } else {
    if (routeOrRequest === undefined) throw new LateValidationError('invalid `request`: expected an object', { param: 'request' })
    spec = v.record(routeOrRequest, 'request')
    v.knownKeys(spec, REQUEST_KEYS, 'request')
    options = init
    method = typeof spec.method === 'string' ? spec.method.toUpperCase() : spec.method
    if (!METHODS.includes(method)) {
      throw new LateValidationError(`invalid \`method\`: expected one of ${METHODS.join(', ')}`, { param: 'method' })
    }
    path = spec.path
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new LateValidationError('invalid `path`: expected a path such as `/v1/accounts`', { param: 'path' })
    }
    v.checkText(path, 'path')
  }
  const call = callOptions(options)
  return dispatch(channel, call, method, path, spec, v.optionalHeaders(spec.headers, 'headers'), false, false, false)
}

/**
 * Sends on LateClient `client` an operation already checked by `operationRequest` (`{ method,
 * path, query: [name, value, …], headers, body }`): its path, query and headers are not checked
 * a second time. `binary`: resolve `data` to the bytes; `raw`: no `data`, the text and URL as
 * `raw` instead (the compat layer builds a Response from them). For named operations
 * (lib/operation-call.js) and late-native/zernio; not exported by the package.
 */
function sendChecked(client, request, options, binary, raw) {
  const channel = channels.get(client)
  if (channel === undefined) {
    throw new LateValidationError(`invalid \`this\`: the operation was called on ${v.describe(client)}, not on a LateClient`, { param: 'this' })
  }
  let call
  try {
    call = callOptions(options)
  } catch (e) {
    return Promise.reject(e)
  }
  return dispatch(channel, call, request.method, request.path, request, request.headers, true, binary, raw)
}

/** Sends `spec` (`query` as pairs when `checked`, else as the caller passed it) with `headers`. */
async function dispatch(channel, call, method, path, spec, headers, checked, binary, raw) {
  const req = {
    method,
    path,
    query: checked ? spec.query : queryPairs(spec.query, 'query'),
    headers: headers && Object.keys(headers).length ? headers : undefined,
    binaryResponse: binary || undefined,
  }
  let encoded = encodeBody(spec.body, 'body')
  if (typeof encoded.then === 'function') encoded = await encoded
  req.body = encoded.body
  req.payload = encoded.payload
  // The core picks the Idempotency-Key (crates/late-core/src/send/transport.rs, the one owner):
  // `options.idempotencyKey`, else an `Idempotency-Key` header, else one of its own where the
  // API dedupes by it (policy/replay.rs); the error or the response says which key was sent.
  const { engine } = channel
  const res = await invoke(call, (o, token) => engine.request(req, o, token))
  const result = {
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

module.exports = { register, sendRequest, sendChecked }
