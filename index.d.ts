/**
 * late-native — the fastest, most dependable Node.js client for the Late (Zernio) API.
 *
 * Hand-written facade types. API shapes come from `types/` (generated from the vendor's
 * OpenAPI spec by `npm run gen:types`); field names are the API's own (`_id`, camelCase).
 *
 * @example
 * ```ts
 * import { LateClient } from 'late-native'
 * const late = new LateClient() // apiKey from LATE_API_KEY
 * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
 * ```
 * @packageDocumentation
 */

import type { SocialAccount, Profile, ConnectUrlResponse, Schemas, Namespaces } from './types/index'
import type { Route, Routes, OperationArgs, SuccessBody } from './lib/operations'
import type { RateLimitInfo } from './lib/errors'
import type { NativeAttempt } from './native'

/** A MIME type `POST /v1/media/presign` accepts. */
export type MediaContentType = Schemas.MediaContentType
import type {
  Profiles,
  Accounts,
  ConnectFlow,
  Posts,
  Queue,
  Webhooks,
  Analytics,
  ApiKeys,
  Usage,
  Auth,
} from './lib/resources/index'

export type * from './types/index'
export {
  verifyWebhook,
  signWebhook,
  createWebhookHandler,
  createMemoryEventStore,
} from './lib/webhook'
export type * from './lib/webhook'
export { createRedisEventStore } from './lib/redis-store'
export type { RedisEventStore, RedisEventStoreOptions } from './lib/redis-store'
import type { RateLimitOption, PacingStats } from './lib/rate-limit'
export type { RateLimitOption, RateLimitSettings, PacingStats } from './lib/rate-limit'
export { Paginator } from './lib/pagination'
export { fileFromPath, LateFile } from './lib/operations'
export type {
  FileInput,
  FileFromPathOptions,
  OperationArgs,
  SuccessBody,
  StatusBody,
  Op,
  OpsOf,
  ByStatus,
  Mode,
  ZernioResult,
  ZernioCallOptions,
} from './lib/operations'
export type { Page, PageOptions, PaginationInfo } from './lib/pagination'
export { ApiPromise } from './lib/resources/index'
export type {
  Profiles,
  Accounts,
  ConnectFlow,
  Posts,
  Queue,
  Webhooks,
  Analytics,
  ApiKeys,
  Usage,
  Auth,
  LateResources,
  CreatePostParams,
  UpdatePostParams,
  CreatePostResult,
  ApiKey,
  AnalyticsDeltaItem,
  ConnectTokenParam,
  DateInput,
} from './lib/resources/index'

/** Options of {@link LateClient}. Every field is optional; see each default. */
export interface LateClientOptions {
  /** API key (`sk_…`). Default: env `LATE_API_KEY`, then `ZERNIO_API_KEY`. Never shown in errors, logs or `inspect`. */
  apiKey?: string
  /** Default: env `LATE_BASE_URL`, then `ZERNIO_BASE_URL`, then `'https://zernio.com/api'`. */
  baseUrl?: string
  /** Timeout of each attempt in ms (connect, headers and body). Default 60 000. */
  timeoutMs?: number
  /**
   * Retries after the first attempt (connection errors, timeouts, 408, 429, 5xx) — only where a
   * resend cannot repeat an action: `GET`/`PUT`/`DELETE`, the operations the API dedupes by
   * `Idempotency-Key`, and any failure that proves nothing was done (see the README's
   * reliability section and {@link RequestOptions.replaySafe}). Default 2.
   */
  maxRetries?: number
  /**
   * Longest wait between two attempts, in ms: caps the client's own backoff; a server asking for
   * longer (`Retry-After`) fails the call at once with `retryAfterMs` set. Default 60 000.
   */
  maxRetryWaitMs?: number
  /**
   * Longest wait for a slot of the team's rate limit (pacing), in ms, before anything is sent; a
   * slot further away fails the call at once with a {@link RateLimitError} whose `retryAfterMs`
   * says when. `Infinity`: wait as long as it takes (a batch job). The per-attempt `timeoutMs`
   * starts once the slot is granted. Default 300 000 (five of the API's one-minute windows).
   */
  maxQueueWaitMs?: number
  /**
   * Headers sent with every request. `Authorization` and the headers that frame the message or
   * the connection (`content-length`, `transfer-encoding`, `host`, `connection`, `keep-alive`,
   * `te`, `trailer`, `upgrade`, `expect`, `proxy-connection`) are refused ({@link LateValidationError}).
   */
  defaultHeaders?: Record<string, string>
  /** Largest response body accepted, in bytes, after decompression. Default 64 MiB. */
  maxResponseBytes?: number
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
  /** Negotiate HTTP/2 on https (ALPN, falling back to HTTP/1.1). Default `true`; `false` forces HTTP/1.1. */
  http2?: boolean
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
}

/** Log levels, most verbose first. */
export type LateLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

/** What a `logger` must have. Each method receives the line and the {@link LateAttempt} record. */
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

/** What {@link LateClient.warmup} resolves to. */
export interface WarmupResult {
  /** `h2` or `http/1.1`: what the server negotiated. */
  protocol: 'h2' | 'http/1.1' | 'http/1.0'
  /** Connect + TLS handshake + answer, ms. */
  durationMs: number
  /** `false` when a connection was already pooled. */
  connected: boolean
}

/**
 * Per-call options, accepted as the last argument of every method.
 *
 * @example
 * ```ts
 * const ac = new AbortController()
 * await late.listAccounts({}, { signal: ac.signal, timeoutMs: 5_000, maxRetries: 0 })
 * ```
 */
export interface RequestOptions {
  /**
   * Cancels the call: it rejects at once with a {@link LateAbortError} (`name === 'AbortError'`).
   * An `AbortSignal`, or an object with `aborted`, `addEventListener` and `removeEventListener`.
   */
  signal?: AbortSignal | null
  /** Per-attempt timeout for this call, in ms (at most 2³¹ − 1). */
  timeoutMs?: number
  /** Retries after the first attempt for this call. */
  maxRetries?: number
  /** Longest wait between two attempts for this call, in ms (caps the backoff too). */
  maxRetryWaitMs?: number
  /** Longest wait for a slot of the team's rate limit for this call, in ms (`Infinity`: no bound). */
  maxQueueWaitMs?: number
  /** Overall deadline of the call in ms: every attempt and wait, the default-profile lookup included. */
  deadlineMs?: number
  /**
   * `Idempotency-Key` to send, reused on every retry; sent whatever the operation. Without it, the
   * operations the API dedupes by the key (createPost, createProfile, inbox replies, ads, money,
   * …) get a generated one. At most 255 printable ASCII characters. A key does not make an
   * operation the API does not dedupe safe to resend.
   */
  idempotencyKey?: string
  /**
   * You know this call is safe to repeat: it may be sent again after any retryable failure, like
   * a `GET`, although its operation does not accept `Idempotency-Key`. Without it such a
   * `POST`/`PATCH` is resent only when the failure proves nothing was done.
   * @example
   * ```ts
   * await late.posts.pinPost({ path: { postId } }, { replaySafe: true }) // pinning twice pins once
   * ```
   */
  replaySafe?: boolean
  /** Extra headers for this call (`Authorization` and framing headers are refused, as in `defaultHeaders`). */
  headers?: Record<string, string>
}

/** Platforms whose accounts can be connected with {@link LateClient.connect}. */
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

/** Parameters of {@link LateClient.connect}. */
export interface ConnectParams {
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

/** Parameters of {@link LateClient.connectInstagram}. */
export interface ConnectInstagramParams extends ConnectParams {
  /** `instagram_login` (default; no Facebook Page needed) or `facebook_login`. */
  loginMethod?: 'instagram_login' | 'facebook_login'
}

/** What a connect call returns: where to send the customer. */
export type ConnectResult = Omit<ConnectUrlResponse, 'authUrl'> & {
  /** The URL to send the customer's browser to (the API's `authUrl`). */
  connectUrl: string
  /** Opaque state of the OAuth flow. */
  state: string
}

/** Filters of {@link LateClient.listAccounts}. */
export interface ListAccountsParams {
  /** Profile whose accounts to list. Default: the default profile. */
  profileId?: string
  /** Only this platform, e.g. `'instagram'`. */
  platform?: SocialAccount['platform']
  /** Only connected or only disconnected accounts. */
  status?: 'connected' | 'disconnected'
}


/** Every operation of the API as `'METHOD /path'`, e.g. `'GET /v1/accounts/{accountId}/health'`. */
export type { Route, Routes } from './lib/operations'

/**
 * The success body of a route (every 2xx status of the spec). `request()` reads JSON: the five file
 * downloads (a PDF, an attachment) come whole only through their named methods, as a `Buffer`.
 */
export type RouteResponse<R extends Route> = SuccessBody<Routes[R]> extends Buffer ? unknown : SuccessBody<Routes[R]>

type ParamsOf<A> = A extends { path: infer P } ? Omit<A, 'path'> & { params: P } : A

/** The second argument of `request(route, init)`: path params (`params`), query, body and headers checked against the spec. */
export type RouteInit<R extends Route> = ParamsOf<OperationArgs<Routes[R]>> & { headers?: Record<string, string> }

/** A request for the untyped form of `request`. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path below the base URL, e.g. `/v1/accounts`. */
  path: string
  query?: Record<string, string | number | boolean | Array<string | number | boolean> | undefined> | URLSearchParams
  /** JSON body: an object (serialised) or JSON text. */
  body?: unknown
  headers?: Record<string, string>
}

/** Progress of a media upload. */
export interface UploadProgress {
  /** Bytes sent so far. */
  sent: number
  /** Bytes in all. */
  total: number
  /** 0–100; the last event is always 100. */
  percent: number
}

/** Options of {@link MediaResource.upload}. */
export interface UploadParams {
  /** MIME type; inferred from the file name's extension when omitted. */
  contentType?: MediaContentType
  /** File name sent to presign; the path's base name by default. */
  filename?: string
  /** Called as bytes go out, on the JS thread. */
  onProgress?: (progress: UploadProgress) => void
}

/** An uploaded file, ready for `mediaItems: [{ url }]`. */
export interface UploadResult {
  /** The public URL (same as `publicUrl`). */
  url: string
  publicUrl: string
  /** Storage key. */
  key: string
  /** Bytes uploaded. */
  size: number
  contentType: MediaContentType
  filename: string
  etag?: string
}

/** `late.media`. */
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

/** A result with its response metadata. */
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

/** `late.connect(platform, params?, options?)`: the connection URL for `platform`. */
export type ConnectFunction = (platform: ConnectPlatform, params?: ConnectInstagramParams, options?: RequestOptions) => Promise<ConnectResult>

/**
 * A client of the Late (Zernio) API. One per process is typical: it keeps a pool of keep-alive
 * connections in Rust.
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
export interface LateClient
  extends Omit<Namespaces, 'connect' | 'media' | 'profiles' | 'accounts' | 'posts' | 'queue' | 'webhooks' | 'analytics' | 'apiKeys' | 'usage'> {}
export declare class LateClient {
  constructor(options?: LateClientOptions)
  /** Base URL requests go to. */
  readonly baseUrl: string
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number
  /** Retries after the first attempt. */
  readonly maxRetries: number
  /** Rate-limit state of the latest response, if the server sent one. */
  readonly rateLimit: RateLimitInfo | undefined
  /**
   * What pacing under the rate limit does and did (shared with `withOptions` clones that keep
   * the key and `rateLimit`).
   * @example
   * ```ts
   * console.log(late.pacing.mode, late.pacing.queued)
   * ```
   */
  readonly pacing: PacingStats
  /** Media uploads. */
  readonly media: MediaResource & Namespaces['media']
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
  /**
   * A client with some options changed, sharing this one's connection pool.
   * @example
   * ```ts
   * const patient = late.withOptions({ timeoutMs: 300_000 })
   * ```
   */
  withOptions(options: LateClientOptions): LateClient
  /**
   * The URL where a customer connects an Instagram account (`GET /v1/connect/instagram`).
   * @example
   * ```ts
   * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
   * // send the customer's browser to connectUrl
   * ```
   */
  connectInstagram(params?: ConnectInstagramParams, options?: RequestOptions): Promise<ConnectResult>
  /**
   * `late.connect(platform, params?, options?)`: the URL where a customer connects an account of
   * `platform` (an unknown platform throws a {@link LateValidationError} before any request). The
   * same function also carries the official `connect` namespace: `late.connect.getConnectUrl(…)`,
   * `late.connect.facebook.listFacebookPages(…)`, …
   * @example
   * ```ts
   * const { connectUrl } = await late.connect('linkedin', { profileId })
   * const { authUrl } = await late.connect.getConnectUrl({ path: { platform: 'linkedin' }, query: { profileId } })
   * ```
   */
  readonly connect: ConnectFunction & Namespaces['connect']
  /**
   * Every social account of a profile, all pages followed (`GET /v1/accounts`).
   * @example
   * ```ts
   * const [instagram] = await late.listAccounts({ platform: 'instagram' })
   * ```
   */
  listAccounts(params?: ListAccountsParams, options?: RequestOptions): Promise<SocialAccount[]>
  /**
   * Opens and handshakes one pooled connection (TCP, TLS, HTTP/2) ahead of the first call, so a
   * serverless handler can overlap it with its own start-up. Sends a `HEAD` of the base URL
   * without credentials. Rejects with {@link LateConnectionError} when the API is unreachable.
   * @example
   * ```ts
   * const ready = late.warmup()   // start it, do your own work, then
   * await ready
   * ```
   */
  warmup(options?: RequestOptions): Promise<WarmupResult>
  /**
   * The id of the account's default profile (`isDefault`), looked up once and cached. A call
   * that needs it while another call looks it up waits within its own `signal`, `deadlineMs` and
   * one attempt's `timeoutMs`, then looks it up itself; a failed lookup is not cached.
   * @example
   * ```ts
   * const profileId = await late.defaultProfileId()
   * ```
   */
  defaultProfileId(options?: RequestOptions): Promise<Profile['_id'] & string>
  /**
   * Any operation of the API, typed from the spec.
   * @example
   * ```ts
   * const health = await late.request('GET /v1/accounts/{accountId}/health', { params: { accountId } })
   * ```
   */
  request<R extends Route>(route: R, init?: R extends Route ? RouteInit<R> : never, options?: RequestOptions): Promise<RouteResponse<R>>
  /**
   * Any request, untyped.
   * @example
   * ```ts
   * const body = await late.request<{ valid: boolean }>({ method: 'GET', path: '/v1/auth/verify' })
   * ```
   */
  request<T = unknown>(request: RawRequest, options?: RequestOptions): Promise<T>
  /**
   * Like `request`, with the response metadata.
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
  requestWithResponse<T = unknown>(request: RawRequest, options?: RequestOptions): Promise<WithResponse<T>>
  /** Settings without the key. */
  toJSON(): { baseUrl: string; timeoutMs: number; maxRetries: number; apiKey: '[redacted]' }
}

/**
 * {@link LateClient.connectInstagram} on a default client built from env on first use.
 * @example
 * ```ts
 * import { connectInstagram } from 'late-native'
 * const { connectUrl } = await connectInstagram({ redirectUrl })
 * ```
 */
export declare function connectInstagram(params?: ConnectInstagramParams, options?: RequestOptions): Promise<ConnectResult>

/**
 * {@link LateClient.listAccounts} on a default client built from env on first use.
 * @example
 * ```ts
 * import { listAccounts } from 'late-native'
 * const accounts = await listAccounts({ platform: 'instagram' })
 * ```
 */
export declare function listAccounts(params?: ListAccountsParams, options?: RequestOptions): Promise<SocialAccount[]>

/** The redirect back from a successful connect. */
export interface ConnectCallbackSuccess {
  ok: true
  /** The connected platform (`connected`). */
  platform: string
  profileId?: string
  accountId?: string
  username?: string
}

/** The redirect back from a failed connect. */
export interface ConnectCallbackFailure {
  ok: false
  /** Error code, e.g. `oauth_denied`. */
  error: string
  platform?: string
  errorMessage?: string
  isUserFixable?: boolean
  reason?: string
  dashboardUrl?: string
}

/**
 * Reads the query Late adds to your `redirectUrl`. Throws {@link LateValidationError} when the
 * URL carries no connect result.
 * @example
 * ```ts
 * const result = parseConnectCallback(request.url)
 * if (result.ok) console.log(result.accountId)
 * ```
 */
export declare function parseConnectCallback(
  urlOrSearchParams: string | URL | URLSearchParams | Record<string, string | string[] | undefined>,
): ConnectCallbackSuccess | ConnectCallbackFailure

/** The default base URL, `'https://zernio.com/api'`. */
export declare const DEFAULT_BASE_URL: string
/** This package's version. */
export declare const VERSION: string

export * from './lib/errors'
