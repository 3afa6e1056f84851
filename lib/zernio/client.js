'use strict'

/**
 * `Zernio`: a drop-in for the official SDK's client (`@zernio/node`) on late-native's native
 * transport. Same constructor options, namespaces, method names (and deprecated aliases), and
 * results `{ data, request, response }`; API errors are thrown as `ZernioApiError` (also a
 * late-native `LateApiError`). Underneath it is a `LateClient`: retries only where they cannot
 * repeat an action (one idempotency key per call where the API dedupes by it), timeouts that
 * fire, `signal`, the connection pool — reachable as `zernio.late`.
 */

const { inspect } = require('node:util')
const { LateClient, DEFAULT_BASE_URL } = require('../client.js')
const { sendChecked } = require('../send.js')
const { LateApiError, LateValidationError } = require('../errors.js')
const { env, knownKeys, record, reading, optionalString, optionalPositiveNumber, optionalHeaders } = require('../validate.js')
const { operationRequest, searchParams } = require('../operations.js')
const { installNamespaces } = require('../namespaces.js')
const { ZernioApiError, fromLateApiError } = require('./errors.js')
const { describeInvalidJson } = require('../response-json.js')
const { lazy } = require('../lazy.js')

// Loaded when a result's `response` is first read.
const http = lazy(() => require('node:http'))

/** late-native's client options that `Zernio` passes through as they are. */
const PASSED = ['maxRetries', 'maxRetryWaitMs', 'maxQueueWaitMs', 'rateLimit', 'maxResponseBytes', 'ca', 'proxy', 'http2', 'logger', 'logLevel', 'onAttempt']
const OPTION_KEYS = ['apiKey', 'baseURL', 'timeout', 'defaultHeaders', ...PASSED]
const MISSING_KEY =
  "The ZERNIO_API_KEY environment variable is missing or empty; either provide it, or instantiate the Zernio client with an apiKey option, like new Zernio({ apiKey: 'sk_...' }). LATE_API_KEY is also supported for backwards compatibility."

const clients = new WeakMap()

/** LateClient's names for the options Zernio names otherwise. */
const RENAMED = { baseUrl: 'baseURL', timeoutMs: 'timeout' }

/** An error of the LateClient underneath, with the option named as the caller wrote it. */
function zernioNames(e) {
  const renamed = e instanceof LateValidationError && RENAMED[e.param]
  if (!renamed) return e
  const err = new LateValidationError(e.message.replaceAll(`\`${e.param}\``, `\`${renamed}\``), { param: renamed, cause: e.cause })
  return err
}

/** Throws unless `self` is a Zernio client: a namespace is only ever pinned on a client. */
function own(self, name) {
  if (!clients.has(self)) {
    throw new LateValidationError(`invalid \`this\`: \`${name}\` was read on something that is not a Zernio client`, { param: 'this' })
  }
}

/** The state of client `self` (a LateValidationError naming `this` when it is not one). */
function state(self, name) {
  own(self, name)
  return clients.get(self)
}

/** A Blob of `body` typed as fetch types it (the response's MIME type, serialized). */
function blobOf(body, type) {
  return new Response(body, { headers: type ? { 'content-type': type } : {} }).blob()
}

/** The `data` of a response, parsed as the official SDK does (by status and content type). */
async function dataOf(res, binary, secret) {
  const type = res.headers['content-type'] || ''
  if (binary) return blobOf(res.data, type)
  const text = res.raw.text
  if (res.status === 204 || text === '') return {}
  const mime = type.split(';')[0].trim()
  if (mime.startsWith('application/json') || mime.endsWith('+json') || mime === '') {
    try {
      return JSON.parse(text)
    } catch (e) {
      if (mime !== '') {
        const where = describeInvalidJson(text, secret, e.message)
        throw new ZernioApiError(`the API returned a ${res.status} response whose body is not valid JSON: ${where}`, res.status, 'invalid_response')
      }
      return text
    }
  }
  if (/^(application|audio|image|video)\//.test(mime)) return blobOf(text, type)
  return text
}

/** The full URL of a request, as the official SDK's `request.url` / `response.url` show it. */
function urlOf(raw) {
  const query = searchParams(raw.query)
  return query ? `${raw.url}?${query}` : raw.url
}

/** `{ data, request, response }`; `request` and `response` (and their URL) are built on first access. */
async function result(res, req, defaultHeaders, binary, secret) {
  const data = await dataOf(res, binary, secret)
  let request
  let response
  return {
    data,
    get request() {
      if (!request) request = new Request(urlOf(res.raw), { method: req.method, headers: new Headers(sentHeaders(defaultHeaders, req, res)) })
      return request
    },
    get response() {
      if (!response) {
        const noBody = res.status === 204 || res.status === 205 || res.status === 304
        const body = noBody ? null : binary ? res.data : res.raw.text
        response = new Response(body, { status: res.status, statusText: http().STATUS_CODES[res.status] || '', headers: res.headers })
        Object.defineProperty(response, 'url', { value: urlOf(res.raw) })
        Object.defineProperty(response, 'type', { value: 'basic' })
      }
      return response
    },
  }
}

/** The request headers this call sent that JS knows (never `Authorization`). */
function sentHeaders(defaults, req, res) {
  const h = { ...defaults, ...(req.headers || {}) }
  if (typeof req.body === 'string') h['content-type'] = 'application/json'
  else if (req.body && req.body.contentType) h['content-type'] = req.body.contentType
  else if (req.body) h['content-type'] = 'multipart/form-data'
  if (res.idempotencyKey) h['idempotency-key'] = res.idempotencyKey
  return h
}

/** One method of a namespace: `(args, options?) => Promise<{ data, request, response }>`. */
function zernioMethod(zernio, index) {
  return async (args, options) => {
    const { late, defaultHeaders, apiKey } = state(zernio, 'a method')
    const req = operationRequest(index, args, { compat: true })
    const signal = reading('args.signal', () => args && args.signal)
    const call = signal ? { ...(record(options, 'options') ?? {}), signal } : options
    let res
    try {
      res = await sendChecked(late, req, call, req.binary, true)
    } catch (e) {
      if (e instanceof LateApiError && !(e instanceof ZernioApiError)) throw fromLateApiError(e)
      throw e
    }
    return result(res, req, defaultHeaders, req.binary, apiKey)
  }
}

/**
 * A client of the Zernio API with the official SDK's shape. Options: `apiKey` (default: env
 * `ZERNIO_API_KEY`, then `LATE_API_KEY`), `baseURL` (default: env `ZERNIO_BASE_URL`, then
 * `LATE_BASE_URL`, then `https://zernio.com/api`), `timeout` (ms per attempt, default 60 000),
 * `defaultHeaders`; late-native's `maxRetries`, `maxRetryWaitMs`, `maxQueueWaitMs`, `rateLimit`,
 * `maxResponseBytes`, `ca`, `proxy`, `http2`, `logger`, `logLevel` and `onAttempt` too.
 */
class Zernio {
  constructor(options) {
    installNamespaces(Zernio.prototype, zernioMethod, own)
    // A plain copy, read once: a throwing getter or a Proxy trap becomes a LateValidationError
    // naming `options`, as for LateClient. Options are checked here under Zernio's own names
    // (`baseURL`, `timeout`); the rest are LateClient's and keep their names.
    const o = options === undefined || options === null ? {} : record(options, 'options')
    knownKeys(o, OPTION_KEYS, 'options')
    const apiKey = o.apiKey ?? env('ZERNIO_API_KEY') ?? env('LATE_API_KEY')
    if (apiKey === undefined || apiKey === '') throw new ZernioApiError(MISSING_KEY, 401, 'missing_api_key')
    optionalString(apiKey, 'apiKey')
    const baseURL = optionalString(o.baseURL, 'baseURL') ?? env('ZERNIO_BASE_URL') ?? env('LATE_BASE_URL') ?? DEFAULT_BASE_URL
    const timeout = optionalPositiveNumber(o.timeout, 'timeout')
    const defaultHeaders = optionalHeaders(o.defaultHeaders, 'defaultHeaders')
    const passed = Object.fromEntries(PASSED.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))
    let late
    try {
      late = new LateClient({ apiKey, baseUrl: baseURL, timeoutMs: timeout, defaultHeaders, ...passed })
    } catch (e) {
      throw zernioNames(e)
    }
    clients.set(this, { late, apiKey, baseURL, defaultHeaders: { ...(defaultHeaders || {}) } })
  }

  /** The API key (as the official SDK exposes it); never shown by `util.inspect` or `JSON.stringify`. */
  get apiKey() {
    return state(this, 'apiKey').apiKey
  }

  /** Base URL requests go to. */
  get baseURL() {
    return state(this, 'baseURL').baseURL
  }

  /** The `LateClient` underneath (same connection pool): late-native's hand-shaped methods, `request()`, … */
  get late() {
    return state(this, 'late').late
  }

  toJSON() {
    return { baseURL: state(this, 'toJSON').baseURL, apiKey: '[redacted]' }
  }

  [inspect.custom]() {
    return `Zernio { baseURL: '${state(this, '[inspect.custom]').baseURL}', apiKey: '[redacted]' }`
  }
}

module.exports = { Zernio, DEFAULT_BASE_URL }
