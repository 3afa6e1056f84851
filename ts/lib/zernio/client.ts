/**
 * `Zernio`: a drop-in for the official SDK's client (`@zernio/node`) on late-native's native
 * transport. Same constructor options, namespaces, method names (and deprecated aliases), and
 * results `{ data, request, response }`; API errors are thrown as `ZernioApiError` (also a
 * late-native `LateApiError`). Underneath it is a `LateClient`: retries only where they cannot
 * repeat an action (one idempotency key per call where the API dedupes by it), timeouts that
 * fire, `signal`, the connection pool — reachable as `zernio.late`.
 */

import { inspect } from 'node:util'
import { LateClient, DEFAULT_BASE_URL } from '../client.js'
import type { LateClientOptions } from '../client.js'
import { sendChecked } from '../send.js'
import type { Sent, RawAnswer } from '../send.js'
import { LateApiError, LateValidationError } from '../errors.js'
import { env, knownKeys, record, reading, optionalString, optionalNumber, optionalHeaders } from '../validate.js'
import { operationRequest, searchParams } from '../operations.js'
import type { OperationRequest } from '../operations.js'
import { installNamespaces } from '../namespaces.js'
import { ZernioApiError, fromLateApiError } from './errors.js'
import { describeInvalidJson } from '../response-json.js'
import { lazy } from '../lazy.js'

export { DEFAULT_BASE_URL }

// Loaded when a result's `response` is first read.
const http: () => typeof import('node:http') = lazy(() => require('node:http') as typeof import('node:http'))

/** What a sent call resolved to, with its raw answer (asked for by every Zernio call). */
type Answer = Sent & { readonly raw: RawAnswer }

/** The state of a Zernio client, kept off its own properties. */
interface State {
  late: LateClient
  apiKey: string
  baseURL: string
  defaultHeaders: Record<string, string>
}

/**
 * What a Zernio method resolves to, as the official SDK shapes it: `request` and `response` are
 * built on first access.
 */
interface ZernioCallResult {
  data: unknown
  readonly request: Request
  readonly response: Response
}

/** late-native's client options that `Zernio` passes through as they are. */
const PASSED = ['maxRetries', 'maxRetryWaitMs', 'maxQueueWaitMs', 'rateLimit', 'maxResponseBytes', 'ca', 'proxy', 'http2', 'logger', 'logLevel', 'onAttempt', 'telemetry']
const OPTION_KEYS = ['apiKey', 'baseURL', 'timeout', 'defaultHeaders', ...PASSED]
const MISSING_KEY =
  "The ZERNIO_API_KEY environment variable is missing or empty; either provide it, or instantiate the Zernio client with an apiKey option, like new Zernio({ apiKey: 'sk_...' }). LATE_API_KEY is also supported for backwards compatibility."

const clients = new WeakMap<object, State>()

/** LateClient's names for the options Zernio names otherwise. */
const RENAMED: Readonly<Record<string, string>> = { baseUrl: 'baseURL', timeoutMs: 'timeout' }

/** An error of the LateClient underneath, with the option named as the caller wrote it. */
function zernioNames(e: unknown): unknown {
  const renamed = e instanceof LateValidationError && e.param !== undefined && RENAMED[e.param]
  if (!renamed) return e
  const err = new LateValidationError(e.message.replaceAll(`\`${e.param}\``, `\`${renamed}\``), { param: renamed, cause: e.cause })
  return err
}

/** Throws unless `self` is a Zernio client: a namespace is only ever pinned on a client. */
function own(self: unknown, name: string): void {
  if (!clients.has(self as object)) {
    throw new LateValidationError(`invalid \`this\`: \`${name}\` was read on something that is not a Zernio client`, { param: 'this' })
  }
}

/** The state of client `self` (a LateValidationError naming `this` when it is not one). */
function state(self: unknown, name: string): State {
  own(self, name)
  return clients.get(self as object) as State
}

/** A Blob of `body` typed as fetch types it (the response's MIME type, serialized). */
function blobOf(body: ConstructorParameters<typeof Response>[0], type: string): Promise<Blob> {
  return new Response(body, { headers: type ? { 'content-type': type } : {} }).blob()
}

/** The `data` of a response, parsed as the official SDK does (by status and content type). */
async function dataOf(res: Answer, binary: boolean, secret: string): Promise<unknown> {
  const type = res.headers['content-type'] || ''
  if (binary) return blobOf(res.data as Buffer, type)
  const text = res.raw.text
  if (res.status === 204 || text === '') return {}
  const mime = type.split(';')[0].trim()
  if (mime.startsWith('application/json') || mime.endsWith('+json') || mime === '') {
    try {
      return JSON.parse(text)
    } catch (e) {
      if (mime !== '') {
        const where = describeInvalidJson(text, secret, (e as Error).message)
        throw new ZernioApiError(`the API returned a ${res.status} response whose body is not valid JSON: ${where}`, res.status, 'invalid_response')
      }
      return text
    }
  }
  if (/^(application|audio|image|video)\//.test(mime)) return blobOf(text, type)
  return text
}

/** The full URL of a request, as the official SDK's `request.url` / `response.url` show it. */
function urlOf(raw: RawAnswer): string {
  const query = searchParams(raw.query)
  return query ? `${raw.url}?${query}` : raw.url
}

/** `{ data, request, response }`; `request` and `response` (and their URL) are built on first access. */
async function result(res: Answer, req: OperationRequest, defaultHeaders: Record<string, string>, binary: boolean, secret: string): Promise<ZernioCallResult> {
  const data = await dataOf(res, binary, secret)
  let request: Request | undefined
  let response: Response | undefined
  return {
    data,
    get request() {
      if (!request) request = new Request(urlOf(res.raw), { method: req.method, headers: new Headers(sentHeaders(defaultHeaders, req, res)) })
      return request
    },
    get response() {
      if (!response) {
        const noBody = res.status === 204 || res.status === 205 || res.status === 304
        const body = noBody ? null : binary ? (res.data as Buffer) : res.raw.text
        response = new Response(body, { status: res.status, statusText: http().STATUS_CODES[res.status] || '', headers: res.headers })
        Object.defineProperty(response, 'url', { value: urlOf(res.raw) })
        Object.defineProperty(response, 'type', { value: 'basic' })
      }
      return response
    },
  }
}

/** The request headers this call sent that JS knows (never `Authorization`). */
function sentHeaders(defaults: Record<string, string>, req: OperationRequest, res: Answer): Record<string, string> {
  const h: Record<string, string> = { ...defaults, ...(req.headers || {}) }
  if (typeof req.body === 'string') h['content-type'] = 'application/json'
  else if (req.body && (req.body as { contentType?: string }).contentType) h['content-type'] = (req.body as { contentType: string }).contentType
  else if (req.body) h['content-type'] = 'multipart/form-data'
  if (res.idempotencyKey) h['idempotency-key'] = res.idempotencyKey
  return h
}

/** One method of a namespace: `(args, options?) => Promise<{ data, request, response }>`. */
function zernioMethod(zernio: Zernio, index: number): (args?: unknown, options?: unknown) => Promise<ZernioCallResult> {
  return async (args, options) => {
    const { late, defaultHeaders, apiKey } = state(zernio, 'a method')
    const req = operationRequest(index, args, { compat: true })
    const signal: unknown = reading('args.signal', () => args && (args as { signal?: unknown }).signal)
    const call = signal ? { ...(record(options, 'options') ?? {}), signal } : options
    let res: Answer
    try {
      // Sent with `raw`: the answer carries it.
      res = (await sendChecked(late, req, call, req.binary, true)) as Answer
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
 * `maxResponseBytes`, `ca`, `proxy`, `http2`, `logger`, `logLevel`, `onAttempt` and `telemetry` too. Its
 * published type is `late-native/zernio`'s (zernio.d.ts).
 * @example
 * ```ts
 * const zernio = new Zernio() // apiKey from ZERNIO_API_KEY (or LATE_API_KEY)
 * const { data } = await zernio.posts.listPosts({ query: { status: 'scheduled' } })
 * ```
 */
export class Zernio {
  /**
   * A client; options as the official SDK's, plus late-native's (see above).
   * @example
   * ```ts
   * const zernio = new Zernio({ apiKey: process.env.ZERNIO_API_KEY, timeout: 10_000 })
   * ```
   */
  constructor(options?: unknown) {
    installNamespaces(Zernio.prototype, zernioMethod, own)
    // A plain copy, read once: a throwing getter or a Proxy trap becomes a LateValidationError
    // naming `options`, as for LateClient. Options are checked here under Zernio's own names
    // (`baseURL`, `timeout`); the rest are LateClient's and keep their names.
    const o: Record<string, unknown> = options === undefined || options === null ? {} : record(options, 'options')
    knownKeys(o, OPTION_KEYS, 'options')
    const apiKey: string | undefined = (o.apiKey as string | undefined) ?? env('ZERNIO_API_KEY') ?? env('LATE_API_KEY')
    if (apiKey === undefined || apiKey === '') throw new ZernioApiError(MISSING_KEY, 401, 'missing_api_key')
    optionalString(apiKey, 'apiKey')
    const baseURL: string = optionalString(o.baseURL, 'baseURL') ?? env('ZERNIO_BASE_URL') ?? env('LATE_BASE_URL') ?? DEFAULT_BASE_URL
    // The JS type here; the range is the core's (src/millis.rs, as LateClient's `timeoutMs`),
    // whose error zernioNames renames to `timeout`.
    const timeout = optionalNumber(o.timeout, 'timeout')
    const defaultHeaders: Record<string, string> | undefined = optionalHeaders(o.defaultHeaders, 'defaultHeaders')
    // Checked by LateClient, under the same names.
    const passed: LateClientOptions = Object.fromEntries(PASSED.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))
    let late: LateClient
    try {
      late = new LateClient({ apiKey, baseUrl: baseURL, timeoutMs: timeout, defaultHeaders, ...passed })
    } catch (e) {
      throw zernioNames(e)
    }
    clients.set(this, { late, apiKey, baseURL, defaultHeaders: { ...(defaultHeaders || {}) } })
  }

  /** The API key (as the official SDK exposes it); never shown by `util.inspect` or `JSON.stringify`. */
  get apiKey(): string {
    return state(this, 'apiKey').apiKey
  }

  /** Base URL requests go to. */
  get baseURL(): string {
    return state(this, 'baseURL').baseURL
  }

  /** The `LateClient` underneath (same connection pool): late-native's hand-shaped methods, `request()`, … */
  get late(): LateClient {
    return state(this, 'late').late
  }

  /** What `JSON.stringify(zernio)` shows: the base URL without the key. */
  toJSON(): { baseURL: string; apiKey: '[redacted]' } {
    return { baseURL: state(this, 'toJSON').baseURL, apiKey: '[redacted]' }
  }

  /** What `util.inspect(zernio)` shows: the base URL without the key. */
  [inspect.custom](): string {
    return `Zernio { baseURL: '${state(this, '[inspect.custom]').baseURL}', apiKey: '[redacted]' }`
  }
}
