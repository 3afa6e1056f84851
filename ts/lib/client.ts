/**
 * LateClient: the public client. Holds a native client (Rust, shared connection pool) in a
 * private field; the API key lives only there and in another private field, so it never shows
 * in `util.inspect`, `JSON.stringify` or `Object.keys`.
 */

import { inspect } from 'node:util'
import { native, callOptions, deadlineLeft, invoke, fromNative } from './transport.js'
import type { RequestOptions } from './transport.js'
import { parseJsonBody, excerpt } from './response-json.js'
import { LateValidationError, LateApiError } from './errors.js'
import type { RateLimitInfo } from './errors.js'
import { checkText, describe, env, knownKeys, optionalBoolean, optionalFunction, optionalHeaders, optionalId, optionalNumber, optionalString, reading, record } from './validate.js'
import { installResources } from './resources/index.js'
import type { Profiles, Accounts, ConnectFlow, Posts, Queue, Webhooks, Analytics, ApiKeys, Usage, Auth } from './resources/index.js'
import { register, sendRequest } from './send.js'
import type { Channel, Engine, WithResponse } from './send.js'
import { lazy } from './lazy.js'
import { installNamespaces } from './namespaces.js'
import * as logging from './logging.js'
import type { Logger, LogLevel } from './logging.js'
import { streamedPage } from './list-stream.js'
import { Telemetry, TraceFamily } from './telemetry/index.js'
import type { TelemetryOption } from './telemetry/index.js'
import type { StreamedPage } from './list-stream.js'
import * as trust from './trust.js'
import { checkRateLimit, nativeRateLimit } from './rate-limit.js'
import type { RateLimitOption, RateLimitSettings, PacingStats } from './rate-limit.js'
import type { Route, Routes, OperationArgs, SuccessBody } from './operations.js'
import type { ApiPromise } from './resources/api-promise.js'
import type { UploadResult as MediaUploadResult } from './media.js'
import type {
  ClientOptions,
  NativeAttempt,
  NativeClient,
  NativeConnectParams,
  NativeListAccountsParams,
  NativeNextPage,
  NativeWarmup,
  RateLimitOptions,
} from '../native.js'
import type { SocialAccount, Profile, ConnectUrlResponse, Schemas, Namespaces } from '../types/index.js'

// Loaded on first use, once: most programs never list accounts, upload or call a named operation.
const pagination: () => typeof import('./pagination.js') = lazy(() => require('./pagination.js') as typeof import('./pagination.js'))
const media: () => typeof import('./media.js') = lazy(() => require('./media.js') as typeof import('./media.js'))
const operationCall: () => typeof import('./operation-call.js') = lazy(() => require('./operation-call.js') as typeof import('./operation-call.js'))

/**
 * The defaults the getters show when the options leave them out: owned by the core
 * (crates/late-core/src/send/config.rs), read from the addon. The other defaults
 * (`maxRetryWaitMs`, `maxQueueWaitMs`, `maxResponseBytes`) stay undefined here and the core
 * applies them.
 */
const { DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES } = native

/**
 * The API's base URL when neither the option nor an env variable sets one,
 * `'https://zernio.com/api'`: owned by the core (crates/late-core/src/send/config.rs), read from
 * the addon.
 * @example
 * ```ts
 * new LateClient({ baseUrl: DEFAULT_BASE_URL })
 * ```
 */
export const DEFAULT_BASE_URL: string = native.DEFAULT_BASE_URL

// ---- Public types of the client ---------------------------------------------------------------

/**
 * A MIME type `POST /v1/media/presign` accepts.
 * @example
 * ```ts
 * const type: MediaContentType = 'image/png'
 * ```
 */
export type MediaContentType = Schemas.MediaContentType

/** The options of {@link LateClient} that the native layer takes as they are (`ClientOptions` of native.d.ts). */
type NativeClientOptions = Pick<
  ClientOptions,
  'apiKey' | 'baseUrl' | 'timeoutMs' | 'maxRetries' | 'maxRetryWaitMs' | 'maxQueueWaitMs' | 'defaultHeaders' | 'maxResponseBytes' | 'http2'
>

/**
 * Options of {@link LateClient}. Every field is optional; see each default. The numbers, the
 * key, the base URL, the headers and `http2` are the native layer's, with their docs
 * (`ClientOptions` of native.d.ts, written from src/options.rs; its range checks name the option
 * in a LateValidationError); the others are the facade's.
 *
 * @example
 * ```ts
 * const late = new LateClient({ apiKey: process.env.LATE_API_KEY, timeoutMs: 10_000, maxRetries: 2 })
 * ```
 */
export interface LateClientOptions
  extends Partial<
    Pick<
      NativeClientOptions,
      'apiKey' | 'baseUrl' | 'timeoutMs' | 'maxRetries' | 'maxRetryWaitMs' | 'maxQueueWaitMs' | 'defaultHeaders' | 'maxResponseBytes' | 'http2'
    >
  > {
  /**
   * Extra trusted CA certificates (PEM text or Buffer, one or many), **added** to the platform's
   * trust store and to `NODE_EXTRA_CA_CERTS` — for a corporate TLS proxy or a private CA.
   * @example
   * ```ts
   * new LateClient({ ca: fs.readFileSync('/etc/corp/ca.pem') })
   * ```
   */
  ca?: string | Uint8Array | Array<string | Uint8Array>
  /**
   * An http(s) proxy URL (`http://user:pass@proxy.example:3128`; requests to https origins are
   * tunnelled with CONNECT, `NO_PROXY` still applies), or `false` for no proxy. Default: the
   * environment's `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY`.
   */
  proxy?: string | URL | false
  /** Where log lines go: any object with `debug`, `info`, `warn` and `error` (console, pino, winston). Default `console`. */
  logger?: LateLogger
  /**
   * `debug`: a line per attempt; `info`: failed attempts; `warn` (default): problems of the
   * client itself; `off`. Default: env `LATE_LOG`, else `'warn'`.
   */
  logLevel?: LateLogLevel
  /**
   * Called with a record of every attempt (whatever `logLevel` is), e.g. to feed metrics. Must
   * not throw (a throw is caught and warned about once).
   * @example
   * ```ts
   * new LateClient({ onAttempt: (a) => histogram.observe({ status: a.status ?? a.error }, a.durationMs) })
   * ```
   */
  onAttempt?: (attempt: LateAttempt) => void
  /**
   * Pacing under the team's rate limit, on by default; `false` turns it off,
   * `{ redis: 'redis://…' }` shares one window with every process on the key. See {@link RateLimitOption}.
   */
  rateLimit?: RateLimitOption
  /**
   * Spans, metrics and `diagnostics_channel` messages of this client's calls: on by default
   * (they cost nothing until something listens: a subscriber, or an OpenTelemetry tracer or meter
   * provider registered with `@opentelemetry/api`); `false` turns them off; an object names the
   * tracer and meter (default `late-native`). See the README's "Observability".
   * @example
   * ```ts
   * new LateClient({ telemetry: { tracerName: 'checkout/zernio' } })
   * ```
   */
  telemetry?: TelemetryOption
}

/**
 * Log levels, most verbose first.
 * @example
 * ```ts
 * const level: LateLogLevel = 'debug'
 * ```
 */
export type LateLogLevel = LogLevel

/**
 * What a `logger` must have. Each method receives the line and the {@link LateAttempt} record.
 * @example
 * ```ts
 * const logger: LateLogger = console
 * ```
 */
export interface LateLogger {
  debug(message: string, ...details: unknown[]): void
  info(message: string, ...details: unknown[]): void
  warn(message: string, ...details: unknown[]): void
  error(message: string, ...details: unknown[]): void
}

/**
 * One attempt of a call, as logged and as given to `onAttempt`: method, path, attempt, status or
 * error, duration, request id, protocol, bytes (decoded and on the wire), encoding and the wait
 * before a retry. Never carries a header, the query or the key. Declared once, by the native
 * layer that fills it in (`native.d.ts`, generated from the Rust doc comments).
 *
 * @example
 * const late = new LateClient({ onAttempt: (a) => metrics.timing('late.attempt', a.durationMs, { status: a.status ?? a.error }) })
 */
export interface LateAttempt extends NativeAttempt {}

/**
 * What {@link LateClient.warmup} resolves to: the native layer's `NativeWarmup`, its protocol
 * narrowed to what the core reports.
 * @example
 * ```ts
 * const { protocol, durationMs, connected }: WarmupResult = await late.warmup()
 * ```
 */
export interface WarmupResult extends NativeWarmup {
  /** `h2` or `http/1.1`: what the server negotiated. */
  protocol: 'h2' | 'http/1.1' | 'http/1.0'
}

/**
 * Platforms whose accounts can be connected with {@link LateClient.connect}.
 * @example
 * ```ts
 * const platform: ConnectPlatform = 'linkedin'
 * ```
 */
export type ConnectPlatform =
  | 'facebook'
  | 'instagram'
  | 'linkedin'
  | 'twitter'
  | 'tiktok'
  | 'youtube'
  | 'threads'
  | 'reddit'
  | 'pinterest'
  | 'bluesky'
  | 'googlebusiness'
  | 'telegram'
  | 'snapchat'
  | 'discord'
  | 'slack'
  | 'whatsapp'
  | 'google'
  | 'microsoft'

/**
 * Parameters of {@link LateClient.connect}. `profileId` and `headless` are the native layer's
 * (`NativeConnectParams`); the rest go to the API as they are.
 * @example
 * ```ts
 * const params: ConnectParams = { profileId, redirectUrl: 'https://app.example.com/connected' }
 * ```
 */
export interface ConnectParams extends Pick<NativeConnectParams, 'profileId' | 'redirectUrl' | 'headless'> {
  /** Profile the account joins. Default: the account's default profile (looked up once, cached). */
  profileId?: string
  /** Absolute http(s) URL the customer returns to; read it with {@link parseConnectCallback}. Sent as `redirect_url`. */
  redirectUrl?: string
  /** Run the white-label (headless) flow. */
  headless?: boolean
  /** Refresh this existing account instead of adding one. */
  reconnectAccountId?: string
  /** Connect through your own OAuth app. */
  oauthAppId?: string
  /** Refuse the connect (409) unless this platform user logs in. */
  expectedPlatformUserId?: string
  /** Refuse the connect (409) unless this username logs in. */
  expectedUsername?: string
  /** Ask the platform to show its consent screen again. */
  forceReauth?: boolean
  /** Comma-separated subset of posting, analytics, comments, messaging, ads, email, calendar, files, contacts. */
  scopes?: string
  /** Pre-fill the login e-mail. */
  loginHint?: string
  /** WhatsApp: `api` or `business_app`. */
  onboarding?: 'api' | 'business_app'
  /** WhatsApp: `hosted`. */
  signup?: 'hosted'
  /** Welcome screen: brand name. */
  brandName?: string
  /** Welcome screen: `#rrggbb`. */
  primaryColor?: string
  /** Show the welcome screen. */
  welcome?: boolean
  /** Welcome screen theme JSON. */
  welcomeTheme?: string
  /** Welcome screen logo URL. */
  logoUrl?: string
  /** Welcome screen language. */
  language?: 'en' | 'es' | 'pt-BR'
  /** Offer a QR code to finish on a phone. */
  handoff?: boolean
}

/**
 * Parameters of {@link LateClient.connectInstagram}.
 * @example
 * ```ts
 * const params: ConnectInstagramParams = { loginMethod: 'facebook_login' }
 * ```
 */
export interface ConnectInstagramParams extends ConnectParams {
  /** `instagram_login` (default; no Facebook Page needed) or `facebook_login`. */
  loginMethod?: 'instagram_login' | 'facebook_login'
}

/**
 * What a connect call returns: where to send the customer.
 * @example
 * ```ts
 * const { connectUrl, state }: ConnectResult = await late.connect('tiktok')
 * ```
 */
export type ConnectResult = Omit<ConnectUrlResponse, 'authUrl'> & {
  /** The URL to send the customer's browser to (the API's `authUrl`). */
  connectUrl: string
  /** Opaque state of the OAuth flow. */
  state: string
}

/**
 * Filters of {@link LateClient.listAccounts}: the native layer's `NativeListAccountsParams`,
 * narrowed to the values the API knows.
 * @example
 * ```ts
 * const filters: ListAccountsParams = { platform: 'instagram', status: 'connected' }
 * ```
 */
export interface ListAccountsParams extends NativeListAccountsParams {
  /** Profile whose accounts to list. Default: the default profile. */
  profileId?: string
  /** Only this platform, e.g. `'instagram'`. */
  platform?: SocialAccount['platform']
  /** Only connected or only disconnected accounts. */
  status?: 'connected' | 'disconnected'
}

/**
 * The success body of a route (every 2xx status of the spec). `request()` reads JSON: the five file
 * downloads (a PDF, an attachment) come whole only through their named methods, as a `Buffer`.
 * @example
 * ```ts
 * type Health = RouteResponse<'GET /v1/accounts/{accountId}/health'>
 * ```
 */
export type RouteResponse<R extends Route> = SuccessBody<Routes[R]> extends Buffer ? unknown : SuccessBody<Routes[R]>

type ParamsOf<A> = A extends { path: infer P } ? Omit<A, 'path'> & { params: P } : A

/**
 * The second argument of `request(route, init)`: path params (`params`), query, body and headers checked against the spec.
 * @example
 * ```ts
 * const init: RouteInit<'GET /v1/accounts/{accountId}/health'> = { params: { accountId } }
 * ```
 */
export type RouteInit<R extends Route> = ParamsOf<OperationArgs<Routes[R]>> & { headers?: Record<string, string> }

/**
 * A request for the untyped form of `request`.
 * @example
 * ```ts
 * const req: RawRequest = { method: 'GET', path: '/v1/auth/verify' }
 * ```
 */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path below the base URL, e.g. `/v1/accounts`. */
  path: string
  query?: Record<string, string | number | boolean | Array<string | number | boolean> | undefined> | URLSearchParams
  /** JSON body: an object (serialised) or JSON text. */
  body?: unknown
  headers?: Record<string, string>
}

/**
 * Progress of a media upload.
 * @example
 * ```ts
 * const onProgress = (p: UploadProgress) => console.log(`${p.sent}/${p.total} (${p.percent} %)`)
 * ```
 */
export interface UploadProgress {
  /** Bytes sent so far. */
  sent: number
  /** Bytes in all. */
  total: number
  /** 0–100; the last event is always 100. */
  percent: number
}

/**
 * Options of {@link MediaResource.upload}.
 * @example
 * ```ts
 * await late.media.upload(bytes, { contentType: 'image/png', filename: 'chart.png' })
 * ```
 */
export interface UploadParams {
  /** MIME type; inferred from the file name's extension when omitted. */
  contentType?: MediaContentType
  /** File name sent to presign; the path's base name by default. */
  filename?: string
  /** Called as bytes go out, on the JS thread. */
  onProgress?: (progress: UploadProgress) => void
}

/**
 * An uploaded file, ready for `mediaItems: [{ url }]` (lib/media.js' result, its content type
 * one the API accepts).
 * @example
 * ```ts
 * const { url }: UploadResult = await late.media.upload('./photo.jpg')
 * ```
 */
export interface UploadResult extends MediaUploadResult {
  contentType: MediaContentType
}

/**
 * `late.media`.
 * @example
 * ```ts
 * const { url } = await late.media.upload('./clip.mp4')
 * ```
 */
export interface MediaResource {
  /**
   * Presigns and uploads a file path (streamed from disk by Rust, never loaded into the JS heap),
   * a Buffer, a Uint8Array or an ArrayBuffer, with progress, retries and cancellation.
   * @example
   * ```ts
   * const { url } = await late.media.upload('./clip.mp4', { onProgress: (p) => console.log(p.percent) })
   * await late.request('POST /v1/posts', { body: { content: 'New clip', mediaItems: [{ type: 'video', url }] } })
   * ```
   */
  upload(file: string | Buffer | Uint8Array | ArrayBuffer, params?: UploadParams, options?: RequestOptions): Promise<UploadResult>
}

/**
 * `late.connect(platform, params?, options?)`: the connection URL for `platform`.
 * @example
 * ```ts
 * const connect: ConnectFunction = late.connect
 * ```
 */
export type ConnectFunction = (platform: ConnectPlatform, params?: ConnectInstagramParams, options?: RequestOptions) => Promise<ConnectResult>

/**
 * What `JSON.stringify(client)` shows.
 * @example
 * ```ts
 * JSON.stringify(late) // {"baseUrl":"https://zernio.com/api","timeoutMs":60000,"maxRetries":2,"apiKey":"[redacted]"}
 * ```
 */
export interface LateClientJson {
  baseUrl: string
  timeoutMs: number
  maxRetries: number
  apiKey: '[redacted]'
}

// ---- Options ------------------------------------------------------------------------------------

const CLIENT_OPTION_KEYS = [
  'apiKey',
  'baseUrl',
  'timeoutMs',
  'maxRetries',
  'maxRetryWaitMs',
  'maxQueueWaitMs',
  'defaultHeaders',
  'maxResponseBytes',
  'ca',
  'proxy',
  'http2',
  'logger',
  'logLevel',
  'onAttempt',
  'rateLimit',
  'telemetry',
]
const CONNECT_KEYS = [
  'profileId',
  'redirectUrl',
  'loginMethod',
  'headless',
  'reconnectAccountId',
  'oauthAppId',
  'expectedPlatformUserId',
  'expectedUsername',
  'forceReauth',
  'scopes',
  'loginHint',
  'onboarding',
  'signup',
  'brandName',
  'primaryColor',
  'welcome',
  'welcomeTheme',
  'logoUrl',
  'language',
  'handoff',
]
const LIST_ACCOUNTS_KEYS = ['profileId', 'platform', 'status']

/** Control characters (CR, LF and NUL included): never valid in a key or a URL. */
const CONTROL = /[\0-\x1f\x7f]/

/** A client's options with env defaults applied, each checked for its JS type. */
interface Resolved {
  apiKey: string
  baseUrl: string
  timeoutMs: number
  maxRetries: number
  maxRetryWaitMs: number | undefined
  maxQueueWaitMs: number | undefined
  defaultHeaders: Record<string, string> | undefined
  maxResponseBytes: number | undefined
  ca: string[] | undefined
  proxy: string | false | undefined
  http2: boolean | undefined
  logger: Logger | undefined
  logLevel: LogLevel
  onAttempt: ((attempt: NativeAttempt) => unknown) | undefined
  rateLimit: RateLimitOption | undefined
  telemetry: TelemetryOption | undefined
}

/** `String.prototype.isWellFormed` (Node 20+; ES2024, newer than the `lib` the facade compiles with). */
interface WellFormed {
  isWellFormed(): boolean
}

/** Applies env defaults and checks every option's type. `options` is a plain copy. */
function resolveOptions(options: Record<string, unknown>): Resolved {
  knownKeys(options, CLIENT_OPTION_KEYS, 'options')
  const apiKey = options.apiKey !== undefined ? options.apiKey : env('LATE_API_KEY') ?? env('ZERNIO_API_KEY')
  if (apiKey === undefined) {
    throw new LateValidationError(
      'invalid `apiKey`: an API key is required; pass `apiKey` or set LATE_API_KEY (or ZERNIO_API_KEY)',
      { param: 'apiKey' },
    )
  }
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new LateValidationError('invalid `apiKey`: expected a non-empty string', { param: 'apiKey' })
  }
  // The key itself never appears in a message.
  if (apiKey.trim() !== apiKey || CONTROL.test(apiKey) || !(apiKey as string & WellFormed).isWellFormed()) {
    throw new LateValidationError(
      'invalid `apiKey`: it has leading or trailing whitespace, a line break, a control character or a lone surrogate (often a newline pasted into an env var)',
      { param: 'apiKey' },
    )
  }
  const baseUrl: string = optionalString(
    options.baseUrl !== undefined ? options.baseUrl : env('LATE_BASE_URL') ?? env('ZERNIO_BASE_URL') ?? DEFAULT_BASE_URL,
    'baseUrl',
  )
  if (CONTROL.test(baseUrl)) {
    throw new LateValidationError('invalid `baseUrl`: it contains control characters or a line break', { param: 'baseUrl' })
  }
  const logger: Logger | undefined = reading('logger', () => logging.checkLogger(options.logger))
  optionalFunction(options.onAttempt, 'onAttempt')
  return {
    apiKey,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    // Numbers: the JS type here, the range in the addon (src/millis.rs), which names the option.
    timeoutMs: optionalNumber(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    maxRetries: optionalNumber(options.maxRetries, 'maxRetries') ?? DEFAULT_MAX_RETRIES,
    maxRetryWaitMs: optionalNumber(options.maxRetryWaitMs, 'maxRetryWaitMs'),
    maxQueueWaitMs: optionalNumber(options.maxQueueWaitMs, 'maxQueueWaitMs'),
    defaultHeaders: optionalHeaders(options.defaultHeaders, 'defaultHeaders'),
    maxResponseBytes: optionalNumber(options.maxResponseBytes, 'maxResponseBytes'),
    ca: reading('ca', () => trust.caOption(native, options.ca)),
    proxy: reading('proxy', () => checkProxy(options.proxy)),
    http2: optionalBoolean(options.http2, 'http2'),
    logger,
    logLevel: logging.resolveLevel(options.logLevel, logger),
    // Checked above by optionalFunction: a function or undefined.
    onAttempt: options.onAttempt as Resolved['onAttempt'],
    rateLimit: checkRateLimit(options.rateLimit),
    telemetry: checkTelemetry(options.telemetry),
  }
}

/** `telemetry`: a boolean, or `{ tracerName }` with a non-empty name. */
function checkTelemetry(option: unknown): TelemetryOption | undefined {
  if (option === undefined || typeof option === 'boolean') return option
  const o: Record<string, unknown> | undefined = record(option, 'telemetry')
  if (o === undefined) return undefined
  knownKeys(o, ['tracerName'], 'telemetry')
  const tracerName = optionalString(o.tracerName, 'telemetry.tracerName')
  if (tracerName === '') throw new LateValidationError('invalid `telemetry.tracerName`: expected a non-empty string', { param: 'telemetry.tracerName' })
  return { tracerName }
}

/** `proxy`: an http(s) proxy URL (credentials allowed), or `false` for none; never echoed back. */
function checkProxy(proxy: unknown): string | false | undefined {
  if (proxy === undefined || proxy === false) return proxy
  let url: URL | undefined
  try {
    url = typeof proxy === 'string' || proxy instanceof URL ? new URL(String(proxy)) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new LateValidationError('invalid `proxy`: expected an http(s) proxy URL such as http://user:pass@proxy.example:3128, or false', {
      param: 'proxy',
    })
  }
  return url.href
}

function toNativeOptions(o: Resolved): ClientOptions {
  return {
    apiKey: o.apiKey,
    baseUrl: o.baseUrl,
    timeoutMs: o.timeoutMs,
    maxRetries: o.maxRetries,
    maxRetryWaitMs: o.maxRetryWaitMs,
    maxQueueWaitMs: o.maxQueueWaitMs,
    defaultHeaders: o.defaultHeaders,
    maxResponseBytes: o.maxResponseBytes,
    ca: o.ca,
    envCa: trust.nodeExtraCaCerts(native, (m) => logging.warnOnce(o, m)),
    proxyUrl: typeof o.proxy === 'string' ? o.proxy : undefined,
    proxyDisabled: o.proxy === false ? true : undefined,
    http2: o.http2,
    rateLimit: nativeRateLimit(o.rateLimit),
  }
}

/** `new NativeClient(options, onAttempt, observeAll)` or `withOptions(...)` arguments for `o`. */
function nativeArgs(o: Resolved): ConstructorParameters<typeof NativeClient> {
  const obs = logging.observer(o)
  // Only a client that shares its rate limit through Redis has notices to log (fallback, rejoin).
  const note = o.rateLimit && (o.rateLimit as RateLimitSettings).redis ? logging.notes(o) : undefined
  // The core calls `note` with one of LogLevel's names.
  return [toNativeOptions(o), obs && obs.callback, obs && obs.all, note as ((level: string, message: string) => void) | undefined]
}

function newNative(build: () => NativeClient): NativeClient {
  try {
    return build()
  } catch (e) {
    throw fromNative(e)
  }
}

/** Every LateClient built: a lazy getter only pins its value on one of them (never on the prototype). */
const instances = new WeakSet<object>()

function connectExtra(params: Record<string, unknown>): string[] {
  const extra: string[] = []
  for (const key of CONNECT_KEYS.slice(4)) {
    const value = params[key]
    if (value === undefined) continue
    if (!['string', 'boolean'].includes(typeof value) || value === '') {
      throw new LateValidationError(`invalid \`params.${key}\`: expected a non-empty string or a boolean`, {
        param: key,
      })
    }
    extra.push(key, typeof value === 'string' ? checkText(value, key) : String(value))
  }
  return extra
}

/** Safety stop for a server that never ends its page chain (the one page limit of the account list). */
const MAX_PAGES = 10_000

/** A page of `GET /v1/accounts`, as far as it is read here. */
interface AccountsBody {
  accounts: unknown[]
  pagination?: unknown
}

/**
 * Every account of `GET /v1/accounts`: Rust fetches each page (retries, timeouts, default
 * profile) and hands over its text untouched; JS parses it with one `JSON.parse` and follows
 * `pagination` with the same rule as every other list (`nextQuery` of lib/pagination.js).
 */
async function collectAccounts(fetchPage: (next: NativeNextPage | undefined) => Promise<StreamedPage>, secret: string): Promise<unknown[]> {
  let all: unknown[] | undefined
  let sent: NativeNextPage = {}
  let seen: Set<string> | undefined
  for (let n = 0; n < MAX_PAGES; n++) {
    // A page comes whole (`text`), or streamed: its accounts already parsed, and the rest.
    const page: { text?: string; envelope?: unknown; accounts?: unknown[] } = await fetchPage(n === 0 ? undefined : sent)
    // The envelope is the page's text with its array emptied (`NativeListPage.body`).
    const text = (page.text ?? page.envelope) as string
    const body = parseJsonBody(text, { status: 200, secret }) as AccountsBody | null
    if (!body || typeof body !== 'object' || !Array.isArray(body.accounts)) {
      throw new LateApiError(`the accounts response is not an account list: ${excerpt(text, secret)}`, { status: 200, code: 'invalid_response' })
    }
    if (page.accounts) body.accounts = page.accounts
    if (all === undefined) all = body.accounts
    else for (const a of body.accounts) all.push(a)
    if (body.pagination === undefined) return all
    seen ??= new Set()
    const next = pagination().nextQuery(sent, body, body.accounts.length, seen, { status: 200 })
    if (!next) return all
    sent = next
  }
  throw new LateApiError(`the account list has more than ${MAX_PAGES} pages`, { status: 200, code: 'invalid_response' })
}

/** The error of a method called without its client (`const { listAccounts } = late`). */
function detached(method: string, self: unknown): LateValidationError {
  return new LateValidationError(
    `invalid \`this\`: \`${method}\` was called on ${describe(self)}, not on a LateClient; call it as \`late.${method}(…)\` or bind it (\`late.${method}.bind(late)\`)`,
    { param: 'this' },
  )
}

/**
 * What `withOptions` hands the constructor of its clone: resolved options and the native client.
 * Private to this module, so only `withOptions` can pass one.
 */
class Clone {
  #brand: undefined
  options: Resolved
  engine: NativeClient
  /** The traced calls of the family, which shares the native client's attempt listener. */
  family: TraceFamily
  constructor(options: Resolved, engine: NativeClient, family: TraceFamily) {
    this.options = options
    this.engine = engine
    this.family = family
  }

  /** A brand check, which never runs a Proxy's traps (unlike `instanceof`). */
  static is(value: unknown): value is Clone {
    return value !== null && typeof value === 'object' && #brand in value
  }
}

/**
 * The resource groups and namespaces of a client, installed on `LateClient.prototype` as lazy
 * getters (lib/resources/index.js, lib/namespaces.js): every operation of the spec is a method
 * named as in the official SDK (the operationId), under the official namespaces.
 */
export interface LateClient
  extends Omit<Namespaces, 'connect' | 'media' | 'profiles' | 'accounts' | 'posts' | 'queue' | 'webhooks' | 'analytics' | 'apiKeys' | 'usage'> {
  /**
   * Profiles: list (every page), create, get, update, delete.
   * @example
   * ```ts
   * const profile = await late.profiles.create({ name: 'Acme' })
   * ```
   */
  readonly profiles: Profiles & Namespaces['profiles']
  /**
   * Connected accounts: list (every page), update, move, disconnect, health.
   * @example
   * ```ts
   * for await (const account of late.accounts.list({ platform: 'instagram' })) console.log(account._id)
   * ```
   */
  readonly accounts: Accounts & Namespaces['accounts']
  /**
   * The connect steps after the OAuth URL: page / account / organization / location / board
   * selection, Bluesky credentials, headless pending data.
   * @example
   * ```ts
   * const { pages } = await late.connectFlow.listFacebookPages({ profileId, tempToken, connectToken })
   * ```
   */
  readonly connectFlow: ConnectFlow
  /**
   * Posts: create, list (every page), get, update, delete, retry. A 207 rejects with {@link PartialPublishError}.
   * @example
   * ```ts
   * const { post } = await late.posts.create({ content: 'Hi', publishNow: true, platforms: [{ platform: 'bluesky', accountId }] })
   * ```
   */
  readonly posts: Posts & Namespaces['posts']
  /**
   * Queue slots: get, create, update, delete, preview, nextSlot.
   * @example
   * ```ts
   * const { nextSlot } = await late.queue.nextSlot({ profileId })
   * ```
   */
  readonly queue: Queue & Namespaces['queue']
  /**
   * Webhook settings CRUD, test sends, delivery logs (every page), redelivery.
   * @example
   * ```ts
   * await late.webhooks.test(webhookId)
   * ```
   */
  readonly webhooks: Webhooks & Namespaces['webhooks']
  /**
   * Analytics: get, delta (the change feed, every page).
   * @example
   * ```ts
   * const overview = await late.analytics.get({ profileId })
   * ```
   */
  readonly analytics: Analytics & Namespaces['analytics']
  /**
   * API keys: list, create, delete.
   * @example
   * ```ts
   * const keys = await late.apiKeys.list()
   * ```
   */
  readonly apiKeys: ApiKeys & Namespaces['apiKeys']
  /**
   * Usage and metered spend.
   * @example
   * ```ts
   * const usage = await late.usage.get()
   * ```
   */
  readonly usage: Usage & Namespaces['usage']
  /**
   * Credential check.
   * @example
   * ```ts
   * const { valid } = await late.auth.verify()
   * ```
   */
  readonly auth: Auth
}

/**
 * A client of the Late (Zernio) API. One per process is typical: it keeps a pool of keep-alive
 * connections in Rust. Options default from the environment: `apiKey` ← `LATE_API_KEY`, then
 * `ZERNIO_API_KEY`; `baseUrl` ← `LATE_BASE_URL`, then `ZERNIO_BASE_URL`, then
 * `https://zernio.com/api`.
 *
 * Every operation of the spec is a method named as in the official SDK (the operationId), under
 * the official namespaces: `late.analytics.getInstagramDemographics({ query })`. The rule for
 * which name to use: a short verb (`posts.create`, `posts.list`, `accounts.health`) is a
 * hand-shaped method that adds checks, Dates, unwrapped results, pagination or 207 handling; an
 * operationId (`posts.createPost`) sends exactly that operation with `{ path, query, body, headers }`.
 *
 * @example
 * ```ts
 * const late = new LateClient({ apiKey: process.env.LATE_API_KEY })
 * const accounts = await late.listAccounts({ platform: 'instagram' })
 * ```
 */
export class LateClient {
  #native: NativeClient
  #options: Resolved
  /** What the send path needs of this client: `{ engine, secret, baseUrl, telemetry }` (lib/send.js). */
  #channel: Channel
  /** The traced calls of this client and its clones (lib/telemetry/). */
  #family: TraceFamily

  /**
   * A client; every option is optional (see {@link LateClientOptions}). Throws a
   * {@link LateValidationError} naming the option that is wrong, or when no API key is found.
   * @example
   * ```ts
   * const late = new LateClient() // apiKey from LATE_API_KEY
   * ```
   */
  constructor(options?: LateClientOptions)
  constructor(options?: LateClientOptions | Clone) {
    installNamespaces(LateClient.prototype, namedMethod, own)
    instances.add(this)
    if (Clone.is(options)) {
      this.#options = options.options
      this.#native = options.engine
      this.#family = options.family
    } else {
      const resolved = resolveOptions(record(options, 'options') ?? {})
      this.#options = resolved
      const nativeClient = newNative(() => new native.NativeClient(...nativeArgs(resolved)))
      this.#native = nativeClient
      this.#family = new TraceFamily((listener) => nativeClient.onAttemptStart(listener))
    }
    // The native client is the send path's Engine (lib/send.js), checked here by type.
    const engine: Engine = this.#native
    const telemetry = new Telemetry(this.#options.telemetry, this.#options.baseUrl, this.#family)
    this.#channel = { engine, secret: this.#options.apiKey, baseUrl: this.#options.baseUrl, telemetry }
    register(this, this.#channel)
  }

  /** Throws unless `self` is a LateClient (a method called detached gets a clear error). */
  static #own(self: unknown, method: string): void {
    if (self === null || typeof self !== 'object' || !(#native in self)) throw detached(method, self)
  }

  /**
   * Base URL requests go to.
   * @example
   * ```ts
   * console.log(late.baseUrl) // 'https://zernio.com/api'
   * ```
   */
  get baseUrl(): string {
    return this.#options.baseUrl
  }

  /**
   * Per-attempt timeout in ms.
   * @example
   * ```ts
   * console.log(late.timeoutMs) // 60000
   * ```
   */
  get timeoutMs(): number {
    return this.#options.timeoutMs
  }

  /**
   * Retries after the first attempt.
   * @example
   * ```ts
   * console.log(late.maxRetries) // 2
   * ```
   */
  get maxRetries(): number {
    return this.#options.maxRetries
  }

  /**
   * Media uploads: `late.media.upload(fileOrBytes, { contentType?, filename?, onProgress? })`.
   * @example
   * ```ts
   * const { url } = await late.media.upload('./clip.mp4')
   * ```
   */
  get media(): MediaResource & Namespaces['media'] {
    const { Media } = media()
    const native = this.#native
    const value = new Media(this, (up, o, onProgress, token) => native.upload(up, o, onProgress, token))
    Object.defineProperty(this, 'media', { value, enumerable: false, writable: false, configurable: false })
    // lib/namespaces.js adds the `media` namespace's methods to what this getter returns; the
    // content type of an upload is one presign accepted (MediaContentType), typed as a string there.
    return value as unknown as MediaResource & Namespaces['media']
  }

  /**
   * Rate-limit state (`limit`, `remaining`, `resetAt` in Unix seconds) of the latest response, if
   * the server sent one.
   * @example
   * ```ts
   * console.log(late.rateLimit?.remaining)
   * ```
   */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#native.rateLimit ?? undefined
  }

  /**
   * Pacing under the team's rate limit: `{ mode, limit, windowMs, processes, queued, calls,
   * delayed, waitedMs, refused, pauses, fallbacks, rejoins, redisCalls, redisErrors, absorbed }`.
   * `mode` is `off`, `local`, `redis`, or `fallback` while a configured Redis is away (shared
   * with `withOptions` clones that keep the key and `rateLimit`).
   * @example
   * ```ts
   * console.log(late.pacing.mode, late.pacing.queued)
   * ```
   */
  get pacing(): PacingStats {
    // The core reports one of PacingStats' modes.
    return this.#native.pacing as PacingStats
  }

  /**
   * A client with some options changed that shares this one's connection pool.
   * @example
   * ```ts
   * const patient = late.withOptions({ timeoutMs: 300_000 })
   * ```
   */
  withOptions(options: LateClientOptions): LateClient {
    LateClient.#own(this, 'withOptions')
    const changes = record(options, 'options') ?? {}
    knownKeys(changes, CLIENT_OPTION_KEYS, 'options')
    const merged = resolveOptions({ ...this.#options, ...changes })
    const nativeClone = newNative(() => this.#native.withOptions(...nativeArgs(merged)))
    // The constructor's implementation takes a Clone; its public signature does not show it.
    return new (LateClient as unknown as new (clone: Clone) => LateClient)(new Clone(merged, nativeClone, this.#family))
  }

  /**
   * Opens and handshakes one pooled connection to the API ahead of the first call (TCP, TLS,
   * HTTP/2 negotiation), so a serverless handler can overlap it with its own start-up. Sends a
   * `HEAD` of the base URL without credentials; resolves to `{ protocol, durationMs, connected }`
   * (`connected` is false when a connection was already pooled). Rejects with
   * `LateConnectionError` when the API cannot be reached (DNS, TLS, proxy), so it doubles as a
   * connectivity check.
   *
   * @example
   * const late = new LateClient()
   * const ready = late.warmup()           // do not await yet
   * const input = await parseRequest(req) // your own start-up work
   * await ready
   */
  async warmup(options?: RequestOptions): Promise<WarmupResult> {
    LateClient.#own(this, 'warmup')
    const call = callOptions(options)
    // The core negotiates one of WarmupResult's protocols.
    return invoke(call, (o, token) => this.#native.warmup(o, token)) as Promise<WarmupResult>
  }

  /**
   * The URL where a customer connects an Instagram account (`GET /v1/connect/instagram`).
   * @example
   * ```ts
   * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
   * // send the customer's browser to connectUrl
   * ```
   */
  async connectInstagram(params?: ConnectInstagramParams, options?: RequestOptions): Promise<ConnectResult> {
    LateClient.#own(this, 'connectInstagram')
    return this.#connect('instagram', params, options)
  }

  /**
   * `late.connect(platform, params?, options?)`: the URL where a customer connects an account of
   * `platform` (an unknown platform throws a {@link LateValidationError} before any request). The
   * same function also carries the official `connect` namespace (`late.connect.getConnectUrl(…)`,
   * `late.connect.facebook.listFacebookPages(…)`, …), added by lib/namespaces.js.
   * @example
   * ```ts
   * const { connectUrl } = await late.connect('linkedin', { profileId })
   * const { authUrl } = await late.connect.getConnectUrl({ path: { platform: 'linkedin' }, query: { profileId } })
   * ```
   */
  get connect(): ConnectFunction & Namespaces['connect'] {
    LateClient.#own(this, 'connect')
    const client = this
    // A method like the others: called detached (`const { connect } = late`), it names `this`.
    const connect = function connect(this: unknown, platform: unknown, params?: unknown, options?: unknown): Promise<ConnectResult> {
      if (this !== client) return Promise.reject(detached('connect', this))
      return client.#connect(platform, params, options)
    }
    Object.defineProperty(this, 'connect', { value: connect, enumerable: false, writable: false, configurable: false })
    // lib/namespaces.js adds the `connect` namespace's methods to what this getter returns.
    return connect as typeof connect & Namespaces['connect']
  }

  async #connect(platform: unknown, params: unknown, options: unknown): Promise<ConnectResult> {
    if (typeof platform !== 'string' || platform === '') {
      throw new LateValidationError('invalid `platform`: expected a platform id such as `instagram`', {
        param: 'platform',
      })
    }
    checkText(platform, 'platform')
    const checked: Record<string, unknown> = record(params, 'params') ?? {}
    knownKeys(checked, CONNECT_KEYS, 'params')
    const p: NativeConnectParams = {
      profileId: optionalId(checked.profileId, 'profileId'),
      redirectUrl: optionalString(checked.redirectUrl, 'redirectUrl'),
      loginMethod: optionalString(checked.loginMethod, 'loginMethod'),
      headless: optionalBoolean(checked.headless, 'headless'),
      extra: connectExtra(checked),
    }
    const call = callOptions(options)
    const text = await invoke(
      call,
      (o, token) => this.#native.connect(platform, p, o, token),
      undefined,
      this.#channel.telemetry,
      'GET',
      `/v1/connect/${encodeURIComponent(platform)}`,
    )
    return JSON.parse(text)
  }

  /**
   * Every social account of a profile (the default profile when `profileId` is omitted), all
   * pages followed (`GET /v1/accounts`).
   * @example
   * ```ts
   * const [instagram] = await late.listAccounts({ platform: 'instagram' })
   * ```
   */
  async listAccounts(params?: ListAccountsParams, options?: RequestOptions): Promise<SocialAccount[]> {
    LateClient.#own(this, 'listAccounts')
    const checked: Record<string, unknown> = record(params, 'params') ?? {}
    knownKeys(checked, LIST_ACCOUNTS_KEYS, 'params')
    const p: NativeListAccountsParams = {
      profileId: optionalId(checked.profileId, 'profileId'),
      platform: optionalString(checked.platform, 'platform'),
      status: optionalString(checked.status, 'status'),
    }
    const call = callOptions(options)
    // One deadline for the whole list: each page after the first gets what is left of it. The
    // first page takes the caller's `deadlineMs` as it is, so the core checks its range (and
    // names `options.deadlineMs`) before anything is sent; a later page's is valid by then.
    const started = Date.now()
    const nativeClient = this.#native
    const telemetry = this.#channel.telemetry
    const fetchPage = (next: NativeNextPage | undefined) =>
      streamedPage(
        nativeClient,
        (id) =>
          invoke(
            next === undefined ? call : deadlineLeft(call, started),
            (o, token) => nativeClient.accountsPage(p, next, o, token, id),
            undefined,
            telemetry,
            'GET',
            '/v1/accounts',
          ),
        this.#options.apiKey,
      )
    // The API's accounts, as its spec types them.
    return collectAccounts(fetchPage, this.#options.apiKey) as Promise<SocialAccount[]>
  }

  /**
   * The id of the account's default profile (`isDefault`), looked up once and cached. A call
   * that needs it while another call looks it up waits within its own `signal`, `deadlineMs` and
   * one attempt's `timeoutMs`, then looks it up itself; a failed lookup is not cached.
   * @example
   * ```ts
   * const profileId = await late.defaultProfileId()
   * ```
   */
  async defaultProfileId(options?: RequestOptions): Promise<Profile['_id'] & string> {
    LateClient.#own(this, 'defaultProfileId')
    const call = callOptions(options)
    return invoke(call, (o, token) => this.#native.defaultProfileId(o, token), undefined, this.#channel.telemetry, 'GET', '/v1/profiles')
  }

  /**
   * Any operation of the API, typed from the spec: `request('GET /v1/accounts/{accountId}/health',
   * { params, query, body, headers }, options)`. Resolves to the parsed body.
   * @example
   * ```ts
   * const health = await late.request('GET /v1/accounts/{accountId}/health', { params: { accountId } })
   * ```
   */
  request<R extends Route>(route: R, init?: R extends Route ? RouteInit<R> : never, options?: RequestOptions): Promise<RouteResponse<R>>
  /**
   * Any request, untyped: `request({ method, path, query, body, headers }, options)`. Resolves to the parsed body.
   * @example
   * ```ts
   * const body = await late.request<{ valid: boolean }>({ method: 'GET', path: '/v1/auth/verify' })
   * ```
   */
  request<T = unknown>(request: RawRequest, options?: RequestOptions): Promise<T>
  async request(routeOrRequest: unknown, init?: unknown, options?: unknown): Promise<unknown> {
    LateClient.#own(this, 'request')
    return (await sendRequest(this.#channel, routeOrRequest, init, options)).data
  }

  /**
   * Like `request`, with response metadata: `{ data, status, headers, requestId, rateLimit, attempts, idempotencyKey, queuedMs }`.
   * @example
   * ```ts
   * const { data, requestId, rateLimit } = await late.requestWithResponse('GET /v1/profiles')
   * ```
   */
  requestWithResponse<R extends Route>(
    route: R,
    init?: R extends Route ? RouteInit<R> : never,
    options?: RequestOptions,
  ): Promise<WithResponse<RouteResponse<R>>>
  /**
   * Like `request({ … })`, with response metadata.
   * @example
   * ```ts
   * const { data, status } = await late.requestWithResponse({ method: 'GET', path: '/v1/auth/verify' })
   * ```
   */
  requestWithResponse<T = unknown>(request: RawRequest, options?: RequestOptions): Promise<WithResponse<T>>
  async requestWithResponse(routeOrRequest: unknown, init?: unknown, options?: unknown): Promise<WithResponse<unknown>> {
    LateClient.#own(this, 'requestWithResponse')
    return sendRequest(this.#channel, routeOrRequest, init, options)
  }

  /**
   * What `JSON.stringify(client)` shows: settings without the key.
   * @example
   * ```ts
   * JSON.stringify(late) // {"baseUrl":"https://zernio.com/api","timeoutMs":60000,"maxRetries":2,"apiKey":"[redacted]"}
   * ```
   */
  toJSON(): LateClientJson {
    LateClient.#own(this, 'toJSON')
    return { baseUrl: this.baseUrl, timeoutMs: this.timeoutMs, maxRetries: this.maxRetries, apiKey: '[redacted]' }
  }

  /** What `util.inspect(client)` shows: settings without the key. */
  [inspect.custom](): string {
    LateClient.#own(this, '[inspect.custom]')
    return `LateClient { baseUrl: '${this.baseUrl}', timeoutMs: ${this.timeoutMs}, maxRetries: ${this.maxRetries}, apiKey: '[redacted]' }`
  }
}

/** Throws unless `self` is a LateClient: a lazy group or namespace is only ever pinned on a client. */
function own(self: unknown, name: string): void {
  if (!instances.has(self as object)) throw detached(name, self)
}

installResources(LateClient.prototype, own)

/** A named method of `late.<namespace>`: an ApiPromise of the operation's data. */
function namedMethod(client: LateClient, index: number): (args: unknown, options: unknown) => ApiPromise<unknown> {
  return (args, options) => operationCall().callOperation(client, index, args, options)
}

let defaultClient: LateClient | undefined
/**
 * The client the top-level shortcuts use, built from env on first use.
 * @example
 * ```ts
 * const accounts = await getDefaultClient().listAccounts()
 * ```
 */
export function getDefaultClient(): LateClient {
  if (!defaultClient) defaultClient = new LateClient()
  return defaultClient
}
