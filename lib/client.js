'use strict'

/**
 * LateClient: the public client. Holds a native client (Rust, shared connection pool) in a
 * private field; the API key lives only there and in another private field, so it never shows
 * in `util.inspect`, `JSON.stringify` or `Object.keys`.
 */

const { inspect } = require('node:util')
const { native, callOptions, deadlineLeft, invoke, fromNative } = require('./transport.js')
const { parseJsonBody, excerpt } = require('./response-json.js')
const { LateValidationError, LateApiError } = require('./errors.js')
const v = require('./validate.js')
const { installResources } = require('./resources/index.js')
const { register, sendRequest } = require('./send.js')
const { lazy } = require('./lazy.js')
const { installNamespaces } = require('./namespaces.js')
const logging = require('./logging.js')
const { streamedPage } = require('./list-stream.js')
const trust = require('./trust.js')
const { checkRateLimit, nativeRateLimit } = require('./rate-limit.js')

// Loaded on first use, once: most programs never list accounts, upload or call a named operation.
const pagination = lazy(() => require('./pagination.js'))
const media = lazy(() => require('./media.js'))
const operationCall = lazy(() => require('./operation-call.js'))

/**
 * The API's base URL when neither the option nor an env variable sets one, and the defaults the
 * getters show: owned by the core (crates/late-core/src/send/config.rs), read from the addon.
 * The other defaults (`maxRetryWaitMs`, `maxQueueWaitMs`, `maxResponseBytes`) stay undefined
 * here and the core applies them.
 */
const { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES } = native

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

/** Applies env defaults and checks every option's type. `options` is a plain copy. */
function resolveOptions(options) {
  v.knownKeys(options, CLIENT_OPTION_KEYS, 'options')
  const apiKey = options.apiKey !== undefined ? options.apiKey : v.env('LATE_API_KEY') ?? v.env('ZERNIO_API_KEY')
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
  if (apiKey.trim() !== apiKey || CONTROL.test(apiKey) || !apiKey.isWellFormed()) {
    throw new LateValidationError(
      'invalid `apiKey`: it has leading or trailing whitespace, a line break, a control character or a lone surrogate (often a newline pasted into an env var)',
      { param: 'apiKey' },
    )
  }
  const baseUrl =
    options.baseUrl !== undefined ? options.baseUrl : v.env('LATE_BASE_URL') ?? v.env('ZERNIO_BASE_URL') ?? DEFAULT_BASE_URL
  v.optionalString(baseUrl, 'baseUrl')
  if (CONTROL.test(baseUrl)) {
    throw new LateValidationError('invalid `baseUrl`: it contains control characters or a line break', { param: 'baseUrl' })
  }
  const logger = v.reading('logger', () => logging.checkLogger(options.logger))
  v.optionalFunction(options.onAttempt, 'onAttempt')
  return {
    apiKey,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    // Numbers: the JS type here, the range in the addon (src/millis.rs), which names the option.
    timeoutMs: v.optionalNumber(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    maxRetries: v.optionalNumber(options.maxRetries, 'maxRetries') ?? DEFAULT_MAX_RETRIES,
    maxRetryWaitMs: v.optionalNumber(options.maxRetryWaitMs, 'maxRetryWaitMs'),
    maxQueueWaitMs: v.optionalNumber(options.maxQueueWaitMs, 'maxQueueWaitMs'),
    defaultHeaders: v.optionalHeaders(options.defaultHeaders, 'defaultHeaders'),
    maxResponseBytes: v.optionalNumber(options.maxResponseBytes, 'maxResponseBytes'),
    ca: v.reading('ca', () => trust.caOption(native, options.ca)),
    proxy: v.reading('proxy', () => checkProxy(options.proxy)),
    http2: v.optionalBoolean(options.http2, 'http2'),
    logger,
    logLevel: logging.resolveLevel(options.logLevel, logger),
    onAttempt: options.onAttempt,
    rateLimit: checkRateLimit(options.rateLimit),
  }
}

/** `proxy`: an http(s) proxy URL (credentials allowed), or `false` for none; never echoed back. */
function checkProxy(proxy) {
  if (proxy === undefined || proxy === false) return proxy
  let url
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

function toNativeOptions(o) {
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
function nativeArgs(o) {
  const obs = logging.observer(o)
  // Only a client that shares its rate limit through Redis has notices to log (fallback, rejoin).
  const note = o.rateLimit && o.rateLimit.redis ? logging.notes(o) : undefined
  return [toNativeOptions(o), obs && obs.callback, obs && obs.all, note]
}

function newNative(build) {
  try {
    return build()
  } catch (e) {
    throw fromNative(e)
  }
}

/** Every LateClient built: a lazy getter only pins its value on one of them (never on the prototype). */
const instances = new WeakSet()

function connectExtra(params) {
  const extra = []
  for (const key of CONNECT_KEYS.slice(4)) {
    const value = params[key]
    if (value === undefined) continue
    if (!['string', 'boolean'].includes(typeof value) || value === '') {
      throw new LateValidationError(`invalid \`params.${key}\`: expected a non-empty string or a boolean`, {
        param: key,
      })
    }
    extra.push(key, typeof value === 'string' ? v.checkText(value, key) : String(value))
  }
  return extra
}

/** Safety stop for a server that never ends its page chain (the one page limit of the account list). */
const MAX_PAGES = 10_000

/**
 * Every account of `GET /v1/accounts`: Rust fetches each page (retries, timeouts, default
 * profile) and hands over its text untouched; JS parses it with one `JSON.parse` and follows
 * `pagination` with the same rule as every other list (`nextQuery` of lib/pagination.js).
 */
async function collectAccounts(fetchPage, secret) {
  let all
  let sent = {}
  let seen
  for (let n = 0; n < MAX_PAGES; n++) {
    // A page comes whole (`text`), or streamed: its accounts already parsed, and the rest.
    const page = await fetchPage(n === 0 ? undefined : sent)
    const text = page.text ?? page.envelope
    const body = parseJsonBody(text, { status: 200, secret })
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
function detached(method, self) {
  return new LateValidationError(
    `invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on a LateClient; call it as \`late.${method}(…)\` or bind it (\`late.${method}.bind(late)\`)`,
    { param: 'this' },
  )
}

/**
 * What `withOptions` hands the constructor of its clone: resolved options and the native client.
 * Private to this module, so only `withOptions` can pass one.
 */
class Clone {
  #brand
  constructor(options, engine) {
    this.options = options
    this.engine = engine
  }

  /** A brand check, which never runs a Proxy's traps (unlike `instanceof`). */
  static is(value) {
    return value !== null && typeof value === 'object' && #brand in value
  }
}

/**
 * A client of the Late (Zernio) API. Options default from the environment:
 * `apiKey` ← `LATE_API_KEY`, then `ZERNIO_API_KEY`; `baseUrl` ← `LATE_BASE_URL`, then
 * `ZERNIO_BASE_URL`, then `https://zernio.com/api`.
 */
class LateClient {
  #native
  #options
  /** What the send path needs of this client: `{ engine, secret, baseUrl }` (lib/send.js). */
  #channel

  constructor(options) {
    installNamespaces(LateClient.prototype, namedMethod, own)
    instances.add(this)
    if (Clone.is(options)) {
      this.#options = options.options
      this.#native = options.engine
    } else {
      const resolved = resolveOptions(v.record(options, 'options') ?? {})
      this.#options = resolved
      this.#native = newNative(() => new native.NativeClient(...nativeArgs(resolved)))
    }
    this.#channel = { engine: this.#native, secret: this.#options.apiKey, baseUrl: this.#options.baseUrl }
    register(this, this.#channel)
  }

  /** Throws unless `self` is a LateClient (a method called detached gets a clear error). */
  static #own(self, method) {
    if (self === null || typeof self !== 'object' || !(#native in self)) throw detached(method, self)
  }

  /** Base URL requests go to. */
  get baseUrl() {
    return this.#options.baseUrl
  }

  /** Per-attempt timeout in ms. */
  get timeoutMs() {
    return this.#options.timeoutMs
  }

  /** Retries after the first attempt. */
  get maxRetries() {
    return this.#options.maxRetries
  }

  /** Media uploads: `late.media.upload(fileOrBytes, { contentType?, filename?, onProgress? })`. */
  get media() {
    const { Media } = media()
    const native = this.#native
    const value = new Media(this, (up, o, onProgress, token) => native.upload(up, o, onProgress, token))
    Object.defineProperty(this, 'media', { value, enumerable: false, writable: false, configurable: false })
    return value
  }

  /** Rate-limit state (`limit`, `remaining`, `resetAt` in Unix seconds) of the latest response, if sent. */
  get rateLimit() {
    return this.#native.rateLimit ?? undefined
  }

  /**
   * Pacing under the team's rate limit: `{ mode, limit, windowMs, processes, queued, calls,
   * delayed, waitedMs, refused, pauses, fallbacks, rejoins, redisCalls, redisErrors, absorbed }`.
   * `mode` is `off`, `local`, `redis`, or `fallback` while a configured Redis is away.
   */
  get pacing() {
    return this.#native.pacing
  }

  /** A client with some options changed that shares this one's connection pool. */
  withOptions(options) {
    LateClient.#own(this, 'withOptions')
    const changes = v.record(options, 'options') ?? {}
    v.knownKeys(changes, CLIENT_OPTION_KEYS, 'options')
    const merged = resolveOptions({ ...this.#options, ...changes })
    const nativeClone = newNative(() => this.#native.withOptions(...nativeArgs(merged)))
    return new LateClient(new Clone(merged, nativeClone))
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
  async warmup(options) {
    LateClient.#own(this, 'warmup')
    const call = callOptions(options)
    return invoke(call, (o, token) => this.#native.warmup(o, token))
  }

  /** The URL where a customer connects an Instagram account. */
  async connectInstagram(params, options) {
    LateClient.#own(this, 'connectInstagram')
    return this.#connect('instagram', params, options)
  }

  /**
   * `late.connect(platform, params?, options?)`: the URL where a customer connects an account of
   * `platform`. The function also carries the official `connect` namespace
   * (`late.connect.getConnectUrl(…)`, `late.connect.facebook.…`), added by lib/namespaces.js.
   */
  get connect() {
    LateClient.#own(this, 'connect')
    const client = this
    // A method like the others: called detached (`const { connect } = late`), it names `this`.
    const connect = function connect(platform, params, options) {
      if (this !== client) return Promise.reject(detached('connect', this))
      return client.#connect(platform, params, options)
    }
    Object.defineProperty(this, 'connect', { value: connect, enumerable: false, writable: false, configurable: false })
    return connect
  }

  async #connect(platform, params, options) {
    if (typeof platform !== 'string' || platform === '') {
      throw new LateValidationError('invalid `platform`: expected a platform id such as `instagram`', {
        param: 'platform',
      })
    }
    v.checkText(platform, 'platform')
    params = v.record(params, 'params') ?? {}
    v.knownKeys(params, CONNECT_KEYS, 'params')
    const p = {
      profileId: v.optionalId(params.profileId, 'profileId'),
      redirectUrl: v.optionalString(params.redirectUrl, 'redirectUrl'),
      loginMethod: v.optionalString(params.loginMethod, 'loginMethod'),
      headless: v.optionalBoolean(params.headless, 'headless'),
      extra: connectExtra(params),
    }
    const call = callOptions(options)
    const text = await invoke(call, (o, token) => this.#native.connect(platform, p, o, token))
    return JSON.parse(text)
  }

  /** Every social account of a profile (the default profile when `profileId` is omitted). */
  async listAccounts(params, options) {
    LateClient.#own(this, 'listAccounts')
    params = v.record(params, 'params') ?? {}
    v.knownKeys(params, LIST_ACCOUNTS_KEYS, 'params')
    const p = {
      profileId: v.optionalId(params.profileId, 'profileId'),
      platform: v.optionalString(params.platform, 'platform'),
      status: v.optionalString(params.status, 'status'),
    }
    const call = callOptions(options)
    // One deadline for the whole list: each page gets what is left of it.
    const started = Date.now()
    const nativeClient = this.#native
    const fetchPage = (next) =>
      streamedPage(
        nativeClient,
        (id) => invoke(deadlineLeft(call, started), (o, token) => nativeClient.accountsPage(p, next, o, token, id)),
        this.#options.apiKey,
      )
    return collectAccounts(fetchPage, this.#options.apiKey)
  }

  /** The id of the account's default profile (looked up once, then cached). */
  async defaultProfileId(options) {
    LateClient.#own(this, 'defaultProfileId')
    const call = callOptions(options)
    return invoke(call, (o, token) => this.#native.defaultProfileId(o, token))
  }

  /**
   * Any API operation. Either `request('GET /v1/accounts/{accountId}/health', { params, query, body, headers }, options)`
   * or `request({ method, path, query, body, headers }, options)`. Resolves to the parsed body.
   */
  async request(routeOrRequest, init, options) {
    LateClient.#own(this, 'request')
    return (await sendRequest(this.#channel, routeOrRequest, init, options)).data
  }

  /** Like `request`, with response metadata: `{ data, status, headers, requestId, rateLimit, attempts }`. */
  async requestWithResponse(routeOrRequest, init, options) {
    LateClient.#own(this, 'requestWithResponse')
    return sendRequest(this.#channel, routeOrRequest, init, options)
  }

  /** What `JSON.stringify(client)` shows: settings without the key. */
  toJSON() {
    LateClient.#own(this, 'toJSON')
    return { baseUrl: this.baseUrl, timeoutMs: this.timeoutMs, maxRetries: this.maxRetries, apiKey: '[redacted]' }
  }

  [inspect.custom]() {
    LateClient.#own(this, '[inspect.custom]')
    return `LateClient { baseUrl: '${this.baseUrl}', timeoutMs: ${this.timeoutMs}, maxRetries: ${this.maxRetries}, apiKey: '[redacted]' }`
  }
}

/** Throws unless `self` is a LateClient: a lazy group or namespace is only ever pinned on a client. */
function own(self, name) {
  if (!instances.has(self)) throw detached(name, self)
}

installResources(LateClient.prototype, own)

/** A named method of `late.<namespace>`: an ApiPromise of the operation's data. */
function namedMethod(client, index) {
  return (args, options) => operationCall().callOperation(client, index, args, options)
}

let defaultClient
/** The client the top-level shortcuts use, built from env on first use. */
function getDefaultClient() {
  if (!defaultClient) defaultClient = new LateClient()
  return defaultClient
}

module.exports = { LateClient, getDefaultClient, DEFAULT_BASE_URL }
