/**
 * `late-native/testing` — an in-memory Late / Zernio API simulator on 127.0.0.1 for offline
 * tests and demos.
 *
 * It follows the vendor's OpenAPI spec for the core routes: profiles, accounts (both
 * pagination styles), `GET /v1/connect/{platform}` with a consent page that creates the account
 * and sends a signed `account.connected` webhook, posts with `Idempotency-Key`, media presign +
 * upload, webhook settings, logs and tests, and `GET /v1/auth/verify`. Every response carries
 * `X-Request-Id` and `X-RateLimit-*`; faults (status codes with `Retry-After`, delays, dropped
 * connections, malformed bodies) can be injected per route.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * import { LateClient } from 'late-native'
 *
 * await using sim = await startSimulator()
 * const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl })
 * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'http://localhost:3000/connected' })
 * const { redirectUrl, accountId } = await sim.grantConsent(connectUrl, { username: 'acme' })
 * ```
 * @packageDocumentation
 */

import native = require('./lib/load-native.js')
import { types } from 'node:util'
import { isRecord } from './lib/validate.js'
import type { NativeSimulator, SimOptions } from './native.js'

/**
 * The API key a simulator accepts by default (deliberately not shaped like a real key; owned by
 * late-sim, which the addon exports it from).
 *
 * @example
 * ```ts
 * const sim = await startSimulator()
 * assert.equal(sim.apiKey, DEFAULT_API_KEY)
 * ```
 */
export const DEFAULT_API_KEY: string = native.SIM_DEFAULT_API_KEY
/**
 * The default webhook signing secret of a simulator (owned by late-sim, which the addon exports
 * it from).
 *
 * @example
 * ```ts
 * const sim = await startSimulator()
 * assert.equal(sim.webhookSecret, DEFAULT_WEBHOOK_SECRET)
 * ```
 */
export const DEFAULT_WEBHOOK_SECRET: string = native.SIM_DEFAULT_WEBHOOK_SECRET

/**
 * A team limit: at most `limit` requests in any sliding window of `windowMs` (default 60000),
 * across all clients. `limit: 0` disables it.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ rateLimit: { limit: 120, windowMs: 2000 } })
 * ```
 */
export interface SimulatorRateLimit {
  limit: number
  windowMs?: number
}

/**
 * What the team limit did since the start, the last `reset()` or `setRateLimit()`.
 *
 * @example
 * ```ts
 * const { allowed, limited } = sim.rateLimitStats()
 * console.log(`${((100 * limited) / (allowed + limited)).toFixed(2)} % of requests drew a 429`)
 * ```
 */
export interface SimulatorRateLimitStats {
  /** Requests per window (`0`: no limit). */
  limit: number
  /** The window, in milliseconds. */
  windowMs: number
  /** `/api` requests let through. */
  allowed: number
  /** `/api` requests refused with `429 rate_limited`. */
  limited: number
}

/**
 * Options of {@link startSimulator}. Every field is optional. They are the addon's own
 * (`SimOptions`, which late-sim defines), except that the team limit with its window is given as
 * `rateLimit: { limit, windowMs }` (instead of `rateLimitPerMinute`).
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 4010, rateLimitPerMinute: 60, webhookUrl: 'http://localhost:3000/api/webhooks/late' })
 * ```
 */
export interface SimulatorOptions extends Omit<SimOptions, 'rateLimitWindowMs'> {
  /**
   * The team limit with its window, enforced for every client of the key together like the real
   * API (which uses a minute): `{ limit: 120, windowMs: 2000 }`. Instead of `rateLimitPerMinute`.
   */
  rateLimit?: SimulatorRateLimit
}

/**
 * A fault: the next `times` requests matching `route` are answered differently.
 * Set exactly one of `status`, `drop` or `malformed`, or only `delayMs`;
 * `delayMs` may be combined with any of them. With `after: true` the route runs first (its
 * action is done) and then its answer is lost that way, as when the API did the work and the
 * answer never reached the client.
 *
 * @example
 * ```ts
 * sim.faults.inject({ route: 'GET /v1/accounts', status: 503, retryAfter: 1, times: 2 })
 * sim.faults.inject({ route: 'POST /v1/posts', delayMs: 2_000 })        // slow answer
 * sim.faults.inject({ route: 'GET /v1/profiles/{profileId}', drop: true }) // connection closed, no answer
 * sim.faults.inject({ route: '*', malformed: true })                      // 200 with invalid JSON
 * sim.faults.inject({ route: 'POST /v1/posts/{postId}/retry', status: 500, after: true }) // retried, then a 500
 * ```
 */
export interface Fault {
  /**
   * `"METHOD /path"` relative to the base URL: the spec template (`GET /v1/profiles/{profileId}`)
   * or a concrete path; `"*"` matches everything, `"GET *"` every GET, a trailing `/*` any rest.
   */
  route: string
  /** How many matching requests it applies to. Default 1. */
  times?: number
  /** Answer with this HTTP status (200–599) and an `ErrorResponse` body instead of running the route. */
  status?: number
  /** With `status`: a `Retry-After` header, in seconds. */
  retryAfter?: number
  /** With `status`: the JSON body to send instead of the default `ErrorResponse`. */
  body?: object
  /** Delay the answer by this many milliseconds. */
  delayMs?: number
  /** Close the TCP connection without sending any HTTP response. */
  drop?: boolean
  /** Answer 200 `application/json` with a body that is not valid JSON. */
  malformed?: boolean
  /** Run the route first (its action is done), then answer with `status`, `drop` or `malformed`. */
  after?: boolean
}

/**
 * A request the simulator received.
 *
 * @example
 * ```ts
 * const [first]: RecordedRequest[] = sim.requests()
 * console.log(first.method, first.path, first.status)
 * ```
 */
export interface RecordedRequest {
  /** Sequence number, 1-based. */
  seq: number
  /** HTTP method. */
  method: string
  /** Path including the `/api` prefix, e.g. `/api/v1/accounts`. */
  path: string
  /** Raw query string without `?` (empty when none). */
  query: string
  /**
   * Headers with lowercase names. `authorization` is kept only when it carries the simulator's
   * own key; any other credential is recorded as `"[other]"`.
   */
  headers: Record<string, string>
  /** Body text (`"[N bytes]"` for binary or large bodies). */
  body: string
  /** Arrival time (RFC 3339). */
  time: string
  /** The `X-Request-Id` the simulator answered with. */
  requestId: string
  /** Response status; `null` for dropped connections and requests still running. */
  status: number | null
}

/**
 * The outcome of {@link Simulator.grantConsent}.
 *
 * @example
 * ```ts
 * const { connected, accountId, redirectUrl }: ConsentResult = await sim.grantConsent(authUrl)
 * ```
 */
export interface ConsentResult {
  /** Whether the account was connected. */
  connected: boolean
  /** The platform of the connect. */
  platform: string
  /** The profile the account joins. */
  profileId: string
  /**
   * Where the consent page sends the browser: the connect's `redirect_url` plus
   * `connected`, `profileId`, `accountId`, `username` (or `error`, `platform`); `null` without one.
   */
  redirectUrl: string | null
  /** The connected account's `_id` (on Allow). */
  accountId?: string
  /** The connected account's username (on Allow). */
  username?: string
  /** `oauth_denied`, `invalid_state` or `profile_not_found` when not connected. */
  error?: string
}

/**
 * Options of {@link Simulator.grantConsent}.
 *
 * @example
 * ```ts
 * await sim.grantConsent(authUrl, { allow: false }) // press Deny
 * ```
 */
export interface GrantConsentOptions {
  /** Press Allow (`true`, the default) or Deny. */
  allow?: boolean
  /** Username of the account to create; default `sim_<platform>_<4 digits>`. */
  username?: string
}

/**
 * Fields of {@link Simulator.addAccount}.
 *
 * @example
 * ```ts
 * sim.addAccount({ platform: 'instagram', username: 'acme', needsReconnection: true })
 * ```
 */
export interface AddAccountFields {
  /** Platform id, e.g. `'instagram'`. */
  platform: string
  /** Profile `_id`; default: the default profile. */
  profileId?: string
  /** Username; default `sim_<platform>_<4 digits>`. */
  username?: string
  /** Display name; default the username. */
  displayName?: string
  /** Default `true`. */
  isActive?: boolean
  /** `true` makes it a `status=disconnected` account. Default `false`. */
  needsReconnection?: boolean
}

/**
 * Fault injection on a running simulator (`sim.faults`).
 *
 * @example
 * ```ts
 * sim.faults.inject({ route: 'GET /v1/accounts', status: 503 })
 * console.log(sim.faults.list()) // [{ route: 'GET /v1/accounts', status: 503, times: 1 }]
 * sim.faults.clear()
 * ```
 */
export interface SimulatorFaults {
  /**
   * Adds one fault or several. Throws a `TypeError` naming the bad field (in its message and its
   * `param`, e.g. `fault.status`) when a fault is invalid.
   * @example
   * ```ts
   * sim.faults.inject({ route: 'GET /v1/accounts', status: 429, retryAfter: 1 })
   * ```
   */
  inject(fault: Fault | Fault[]): void
  /** Removes every pending fault. */
  clear(): void
  /** Pending faults with their remaining `times`. */
  list(): Array<Fault & { times: number }>
}

/**
 * What {@link Simulator.actions} returns.
 *
 * @example
 * ```ts
 * const { total, duplicates }: SimulatorActions = sim.actions()
 * ```
 */
export interface SimulatorActions {
  /** POSTs and PATCHes acted on (replays of an `Idempotency-Key` or `x-request-id` do not count). */
  total: number
  /** The calls that acted more than once. */
  duplicates: Array<{ method: string; path: string; operation: string | null; requestId: string; times: number }>
}

/**
 * What {@link Simulator.state} returns.
 *
 * @example
 * ```ts
 * const { accounts }: SimulatorState = sim.state()
 * ```
 */
export interface SimulatorState {
  userId: string
  profiles: Array<Record<string, unknown>>
  accounts: Array<Record<string, unknown>>
  posts: Array<Record<string, unknown>>
  webhooks: Array<Record<string, unknown>>
  webhookLogs: Array<Record<string, unknown>>
  media: Array<Record<string, unknown>>
  pendingConnects: Array<Record<string, unknown>>
}

/** What the documented error of the testing API carries besides a `TypeError`'s own fields. */
interface InvalidArgFields {
  /** The argument or field at fault, e.g. `options.port`, `fault.status`. */
  param: string
  code: 'ERR_INVALID_ARG_VALUE'
}

/** `String.prototype.isWellFormed` (ES2024, in every Node this package supports), which the ES2022 lib does not declare. */
type WellFormed = string & { isWellFormed(): boolean }

/** How an option of {@link startSimulator} is checked. */
type OptionKind = 'port' | 'string' | 'uint' | 'rateLimit' | 'url' | 'posint'

const OPTION_KINDS: { readonly [option: string]: OptionKind } = {
  port: 'port',
  apiKey: 'string',
  webhookSecret: 'string',
  rateLimitPerMinute: 'uint',
  rateLimit: 'rateLimit',
  webhookUrl: 'url',
  accountsPageDefault: 'posint',
  webhookAttempts: 'posint',
  webhookRetryDelayMs: 'uint',
  webhookTimeoutMs: 'posint',
}

const FAULT_FIELDS = ['route', 'times', 'status', 'retryAfter', 'body', 'delayMs', 'drop', 'malformed', 'after']
const MAX_U32 = 0xffffffff

/** Most faults one `inject` call takes. */
const MAX_FAULTS = 1000

/** A short description of a value for messages; never runs the value's own code. */
function describe(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'symbol') return 'a symbol'
  if (typeof v === 'function') return 'a function'
  if (typeof v !== 'object') return `${typeof v} ${String(v)}`
  if (types.isProxy(v)) return 'a Proxy'
  if (types.isArrayBufferView(v) || types.isAnyArrayBuffer(v)) return 'binary data'
  return Array.isArray(v) ? 'an array' : 'an object'
}

/**
 * The documented error of the testing API for bad input: a `TypeError` whose `param` names the
 * argument or field (e.g. `options.port`, `fault.status`), with `cause` when reading it threw.
 */
function invalidArg(param: string, message: string, cause?: unknown): TypeError & InvalidArgFields {
  if (message.length > 500) message = `${message.slice(0, 500)}… (${message.length} characters)`
  const e = new TypeError(message, cause === undefined ? undefined : { cause }) as TypeError & Partial<InvalidArgFields>
  e.param = param
  e.code = 'ERR_INVALID_ARG_VALUE'
  return e as TypeError & InvalidArgFields
}

/** Runs `read` (which reads caller input); what it throws becomes an `invalidArg` TypeError naming `param`. */
function reading<T>(param: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof TypeError && typeof (e as Partial<InvalidArgFields>).param === 'string') throw e
    let message
    try {
      message = e instanceof Error ? String(e.message).slice(0, 200) : describe(e)
    } catch {
      message = 'an exception'
    }
    throw invalidArg(param, `${param} could not be read (${message})`, e)
  }
}

/** A plain copy of an object argument (getters and Proxy traps run once, inside `reading`). */
function plainCopy(value: unknown, param: string, expected: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalidArg(param, `${param} must be ${expected}, got ${describe(value)}`)
  return reading(param, () => {
    if (Array.isArray(value)) throw invalidArg(param, `${param} must be ${expected}, got an array`)
    // isRecord said it is an object (a plain one, or a Proxy)
    return { ...(value as Record<string, unknown>) }
  })
}

/** JSON text of a value, or an `invalidArg` TypeError (BigInt, cycle, too deep). */
function jsonText(value: unknown, param: string): string {
  try {
    return JSON.stringify(value)
  } catch (e) {
    throw invalidArg(param, `${param} cannot be encoded as JSON (${e instanceof Error ? e.message : 'it threw'})`, e)
  }
}

function isUint(v: unknown, max = MAX_U32): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max
}

/** Text the simulator can hold: well-formed, no control characters (no line breaks, no NUL). */
function isCleanText(v: unknown): v is string {
  return typeof v === 'string' && (v as WellFormed).isWellFormed() && !/[\0-\x1f\x7f]/.test(v)
}

/**
 * Checks a team limit `{ limit, windowMs? }` and returns `[limit, windowMs]`; `param` names the
 * argument in the error.
 */
function teamLimit(value: unknown, param: string): [limit: number, windowMs: number] {
  const copy = plainCopy(value, param, 'an object like { limit: 120, windowMs: 2000 }')
  for (const key of Object.keys(copy)) {
    if (key !== 'limit' && key !== 'windowMs') {
      throw invalidArg(`${param}.${key.slice(0, 40)}`, `${param}.${key.slice(0, 40)} is not a known field. Known fields: limit, windowMs`)
    }
  }
  if (!isUint(copy.limit)) {
    throw invalidArg(`${param}.limit`, `${param}.limit must be a non-negative integer (0 disables the limit), got ${describe(copy.limit)}`)
  }
  const windowMs = copy.windowMs ?? native.SIM_DEFAULT_WINDOW_MS
  if (!isUint(windowMs) || windowMs === 0) {
    throw invalidArg(`${param}.windowMs`, `${param}.windowMs must be a positive integer (milliseconds), got ${describe(copy.windowMs)}`)
  }
  return [copy.limit, windowMs]
}

function validateOptions(options: unknown): SimOptions {
  if (options === undefined || options === null) return {}
  const copy = plainCopy(options, 'options', 'an object')
  const out: SimOptions = {}
  for (const [key, value] of Object.entries(copy)) {
    if (value === undefined) continue
    const kind = OPTION_KINDS[key]
    if (!kind) {
      throw invalidArg(
        `options.${key.slice(0, 40)}`,
        `startSimulator(options): unknown option ${describe(key)}. Known options: ${Object.keys(OPTION_KINDS).join(', ')}`,
      )
    }
    const bad = (expected: string) => invalidArg(`options.${key}`, `startSimulator(options): options.${key} must be ${expected}, got ${describe(value)}`)
    switch (kind) {
      case 'port':
        if (!isUint(value, 65535)) throw bad('an integer between 0 and 65535')
        break
      case 'string':
        if (typeof value !== 'string' || value.length === 0) throw bad('a non-empty string')
        if (!(value as WellFormed).isWellFormed()) throw bad('well-formed text (no lone surrogates)')
        if (key === 'apiKey' && /[\s\p{Cc}]/u.test(value)) throw bad('a string without whitespace or control characters')
        break
      case 'uint':
        if (!isUint(value)) throw bad('a non-negative integer')
        break
      case 'posint':
        if (!isUint(value) || value === 0) throw bad('a positive integer')
        break
      case 'url':
        if (!isCleanText(value) || !/^https?:\/\/[^/\s]+/i.test(value)) throw bad('an absolute http(s) URL')
        break
    }
    if (kind === 'rateLimit') {
      if (copy.rateLimitPerMinute !== undefined) {
        throw invalidArg('options.rateLimit', 'startSimulator(options): set options.rateLimit or options.rateLimitPerMinute, not both')
      }
      ;[out.rateLimitPerMinute, out.rateLimitWindowMs] = teamLimit(value, 'options.rateLimit')
      continue
    }
    // checked above against the kind of this option, which is that of its SimOptions field
    ;(out as Record<string, unknown>)[key] = value
  }
  return out
}

/**
 * Validates a fault and returns a normalised copy; throws a `TypeError` naming the bad field
 * (also in its `param`).
 * @example
 * ```ts
 * validateFault({ route: 'GET /v1/accounts', status: 503 })
 * ```
 */
export function validateFault(fault: Fault): Fault
export function validateFault(fault: unknown): Fault {
  const copy = plainCopy(fault, 'fault', "an object like { route: 'GET /v1/accounts', status: 503 }")
  for (const key of Object.keys(copy)) {
    if (!FAULT_FIELDS.includes(key)) {
      throw invalidArg(`fault.${key.slice(0, 40)}`, `fault.${key.slice(0, 40)} is not a known field. Known fields: ${FAULT_FIELDS.join(', ')}`)
    }
  }
  const { route, times, status, retryAfter, body, delayMs, drop, malformed, after } = copy
  if (!isCleanText(route) || !/^(\*|[A-Za-z*]+\s+(\*|\/\S*))$/.test(route.trim())) {
    throw invalidArg('fault.route', `fault.route must be a string like "GET /v1/accounts" or "*", got ${describe(route)}`)
  }
  if (times !== undefined && (!isUint(times) || times === 0)) {
    throw invalidArg('fault.times', `fault.times must be a positive integer, got ${describe(times)}`)
  }
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599)) {
    throw invalidArg('fault.status', `fault.status must be an integer HTTP status between 200 and 599, got ${describe(status)}`)
  }
  if (retryAfter !== undefined && !isUint(retryAfter)) {
    throw invalidArg('fault.retryAfter', `fault.retryAfter must be a non-negative integer (seconds), got ${describe(retryAfter)}`)
  }
  if (delayMs !== undefined && !isUint(delayMs)) {
    throw invalidArg('fault.delayMs', `fault.delayMs must be a non-negative integer (milliseconds), got ${describe(delayMs)}`)
  }
  if (drop !== undefined && typeof drop !== 'boolean') {
    throw invalidArg('fault.drop', `fault.drop must be a boolean, got ${describe(drop)}`)
  }
  if (malformed !== undefined && typeof malformed !== 'boolean') {
    throw invalidArg('fault.malformed', `fault.malformed must be a boolean, got ${describe(malformed)}`)
  }
  if (after !== undefined && typeof after !== 'boolean') {
    throw invalidArg('fault.after', `fault.after must be a boolean, got ${describe(after)}`)
  }
  if (body !== undefined && (body === null || typeof body !== 'object')) {
    throw invalidArg('fault.body', `fault.body must be a JSON object or array, got ${describe(body)}`)
  }
  const kinds = [status !== undefined, drop === true, malformed === true].filter(Boolean).length
  if (kinds > 1) {
    throw invalidArg('fault', 'fault.status, fault.drop and fault.malformed are exclusive: set only one of them')
  }
  if (kinds === 0 && delayMs === undefined) {
    throw invalidArg('fault', 'fault needs one of status, delayMs, drop: true or malformed: true')
  }
  if (after === true && kinds === 0) {
    throw invalidArg('fault.after', 'fault.after needs fault.status, fault.drop or fault.malformed (a delay always comes after the route)')
  }
  if (status === undefined && retryAfter !== undefined) {
    throw invalidArg('fault.retryAfter', 'fault.retryAfter needs fault.status')
  }
  if (status === undefined && body !== undefined) {
    throw invalidArg('fault.body', 'fault.body needs fault.status')
  }
  // Each field was checked above (the checks narrow only some of them for the compiler).
  const out: Fault = { route: route.trim() }
  if (times !== undefined) out.times = times as number
  if (status !== undefined) out.status = status as number
  if (retryAfter !== undefined) out.retryAfter = retryAfter as number
  if (body !== undefined) out.body = JSON.parse(jsonText(body, 'fault.body')) as object
  if (delayMs !== undefined) out.delayMs = delayMs as number
  if (drop) out.drop = true
  if (malformed) out.malformed = true
  if (after) out.after = true
  return out
}

function dropNulls(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v
  return out
}

/** Wraps a started native simulator: the one way to construct a {@link Simulator} (set by its static block). */
let wrap: (nativeSim: NativeSimulator) => Simulator

/**
 * A running simulator, from {@link startSimulator}.
 *
 * Admin HTTP routes (no auth) under {@link Simulator.origin}: `GET|POST|DELETE /__sim/faults`,
 * `GET|DELETE /__sim/requests`, `GET /__sim/state`, `POST /__sim/reset`, `POST /__sim/accounts`.
 *
 * @example
 * ```ts
 * const sim = await startSimulator()
 * try {
 *   const res = await fetch(`${sim.baseUrl}/v1/accounts`, { headers: { authorization: `Bearer ${sim.apiKey}` } })
 *   console.log(await res.json()) // { accounts: [], hasAnalyticsAccess: false }
 * } finally {
 *   await sim.close()
 * }
 * ```
 */
export class Simulator {
  #native: NativeSimulator

  /** Fault injection (see {@link Fault}). Set by the constructor, as an own enumerable property. */
  declare readonly faults: SimulatorFaults

  static {
    wrap = (nativeSim) => new Simulator(nativeSim)
  }

  /** Not public: a simulator comes from {@link startSimulator}. */
  private constructor(nativeSim: unknown) {
    if (!reading('nativeSim', () => nativeSim instanceof native.NativeSimulator)) {
      throw invalidArg('nativeSim', 'Simulator cannot be constructed directly; use startSimulator()')
    }
    this.#native = nativeSim as NativeSimulator
    const n = nativeSim as NativeSimulator
    this.faults = Object.freeze({
      inject(fault: unknown) {
        const list = reading('fault', (): unknown[] => {
          if (types.isProxy(fault) || !Array.isArray(fault)) return [fault]
          if (fault.length > MAX_FAULTS) throw invalidArg('fault', `at most ${MAX_FAULTS} faults at once, got ${fault.length}`)
          return Array.from({ length: fault.length }, (_, i) => fault[i] as unknown)
          // validateFault checks what it is given: it takes unknown input
        }).map(validateFault as (fault: unknown) => Fault)
        try {
          n.injectFault(JSON.stringify(list))
        } catch (e) {
          throw invalidArg('fault', `the simulator refused the fault: ${(e as Error).message}`, e)
        }
      },
      clear() {
        n.clearFaults()
      },
      list(): Array<Fault & { times: number }> {
        return JSON.parse(n.faults())
      },
    })
  }

  /** Throws the documented TypeError (`param: 'this'`) unless `self` is a Simulator. */
  static #own(self: unknown, method: string): void {
    if (self === null || typeof self !== 'object' || !(#native in self)) {
      throw invalidArg('this', `${method} was called on ${describe(self)}, not on a Simulator; call it as sim.${method}(…)`)
    }
  }

  /** API base URL, e.g. `http://127.0.0.1:4010/api`; request paths are `/v1/...` below it. */
  get baseUrl(): string {
    return this.#native.baseUrl
  }

  /** Server origin, e.g. `http://127.0.0.1:4010`; admin routes live under `/__sim`. */
  get origin(): string {
    return this.#native.origin
  }

  /** TCP port. */
  get port(): number {
    return this.#native.port
  }

  /** The API key the simulator accepts (send `Authorization: Bearer <apiKey>`). */
  get apiKey(): string {
    return this.#native.apiKey
  }

  /** Secret that signs deliveries of webhooks created without their own `secret`. */
  get webhookSecret(): string {
    return this.#native.webhookSecret
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#native.closed
  }

  /**
   * Requests received so far, oldest first (admin routes excluded).
   * @example
   * ```ts
   * const posts = sim.requests().filter((r) => r.method === 'POST' && r.path === '/api/v1/posts')
   * assert.equal(new Set(posts.map((r) => r.headers['idempotency-key'])).size, 1)
   * ```
   */
  requests(): RecordedRequest[] {
    Simulator.#own(this, 'requests')
    return JSON.parse(this.#native.requests())
  }

  /**
   * Empties the request log.
   * @example
   * ```ts
   * sim.clearRequests()
   * ```
   */
  clearRequests(): void {
    Simulator.#own(this, 'clearRequests')
    this.#native.clearRequests()
  }

  /**
   * The ledger of actions (also `GET /__sim/actions`): every POST or PATCH the simulator acted
   * on counts once per call (one `x-request-id`, sent on every attempt). A call that acted more
   * than once — sent again where the API does not dedupe it — is listed in `duplicates`. Reset
   * by `reset()`.
   * @example
   * ```ts
   * await Promise.allSettled(calls)
   * assert.deepEqual(sim.actions().duplicates, [])
   * ```
   */
  actions(): SimulatorActions {
    Simulator.#own(this, 'actions')
    return JSON.parse(this.#native.actions())
  }

  /**
   * Everything the simulator holds: `{ userId, profiles, accounts, posts, webhooks, webhookLogs, media, pendingConnects }`.
   * @example
   * ```ts
   * const { accounts } = sim.state()
   * ```
   */
  state(): SimulatorState {
    Simulator.#own(this, 'state')
    return JSON.parse(this.#native.state())
  }

  /**
   * Back to a fresh state: only a new default profile; faults, request log, actions and rate window cleared.
   * @example
   * ```ts
   * afterEach(() => sim.reset())
   * ```
   */
  reset(): void {
    Simulator.#own(this, 'reset')
    this.#native.reset()
  }

  /**
   * Changes the team limit — requests per minute, or `{ limit, windowMs }` — (`0` disables it)
   * and clears the window and its counts.
   * @example
   * ```ts
   * sim.setRateLimit({ limit: 100, windowMs: 1000 })
   * ```
   */
  setRateLimit(limit: number | SimulatorRateLimit): void
  setRateLimit(limit: unknown): void {
    Simulator.#own(this, 'setRateLimit')
    if (typeof limit === 'object' && limit !== null) {
      this.#native.setRateLimit(...teamLimit(limit, 'limit'))
      return
    }
    if (!isUint(limit)) throw invalidArg('perMinute', `setRateLimit(perMinute): perMinute must be a non-negative integer, got ${describe(limit)}`)
    this.#native.setRateLimit(limit)
  }

  /**
   * The team limit and what it did since the start, the last `reset()` or `setRateLimit()`:
   * `{ limit, windowMs, allowed, limited }`, `limited` being the number of 429s it sent; also
   * `GET /__sim/ratelimit`.
   * @example
   * ```ts
   * assert.equal(sim.rateLimitStats().limited, 0)
   * ```
   */
  rateLimitStats(): SimulatorRateLimitStats {
    Simulator.#own(this, 'rateLimitStats')
    return JSON.parse(this.#native.rateLimitStats())
  }

  /**
   * Adds an account directly, without the consent flow or a webhook; returns the `SocialAccount`.
   * @example
   * ```ts
   * const ig = sim.addAccount({ platform: 'instagram', username: 'acme' })
   * ```
   */
  addAccount(fields: AddAccountFields): Record<string, unknown> & { _id: string; platform: string }
  addAccount(fields: unknown): Record<string, unknown> & { _id: string; platform: string } {
    Simulator.#own(this, 'addAccount')
    const copy = plainCopy(fields, 'fields', 'an object like { platform: \'instagram\' }')
    if (!isCleanText(copy.platform) || !copy.platform) {
      throw invalidArg('fields.platform', 'addAccount(fields): fields.platform must be a non-empty string')
    }
    const json = jsonText(copy, 'fields')
    try {
      return JSON.parse(this.#native.addAccount(json))
    } catch (e) {
      throw invalidArg('fields', `addAccount(fields): ${(e as Error).message}`, e)
    }
  }

  /**
   * Does what the consent page's Allow (default) or Deny button does for `authUrl`: on Allow
   * the account is created and the `account.connected` webhook is sent.
   * @example
   * ```ts
   * const { authUrl } = await (await fetch(`${sim.baseUrl}/v1/connect/instagram?profileId=${id}`, { headers })).json()
   * const { accountId, redirectUrl } = await sim.grantConsent(authUrl, { username: 'acme' })
   * ```
   */
  async grantConsent(authUrl: string, options?: GrantConsentOptions): Promise<ConsentResult>
  async grantConsent(authUrl: unknown, options?: unknown): Promise<ConsentResult> {
    Simulator.#own(this, 'grantConsent')
    if (typeof authUrl !== 'string' || authUrl.length === 0 || !(authUrl as WellFormed).isWellFormed()) {
      throw invalidArg('authUrl', `grantConsent(authUrl): authUrl must be the authUrl string from a connect call, got ${describe(authUrl)}`)
    }
    const { allow = true, username }: Record<string, unknown> = options === undefined ? {} : plainCopy(options, 'options', 'an object')
    if (typeof allow !== 'boolean') throw invalidArg('options.allow', `grantConsent options.allow must be a boolean, got ${describe(allow)}`)
    if (username !== undefined && (typeof username !== 'string' || !(username as WellFormed).isWellFormed())) {
      throw invalidArg('options.username', `grantConsent options.username must be a string, got ${describe(username)}`)
    }
    let text
    try {
      // username is a well-formed string or undefined (checked above)
      text = await this.#native.grantConsent(authUrl, allow, username as string | undefined)
    } catch (e) {
      throw invalidArg('authUrl', `grantConsent: ${(e as Error).message}`, e)
    }
    const out = JSON.parse(text)
    return { ...dropNulls(out), redirectUrl: out.redirectUrl ?? null } as ConsentResult
  }

  /**
   * Stops the server: in-flight requests get a short grace period, webhook retries stop, and
   * the promise resolves when every connection and background task has ended. Safe to call twice.
   * @example
   * ```ts
   * after(() => sim.close())
   * ```
   */
  async close(): Promise<void> {
    Simulator.#own(this, 'close')
    await this.#native.close()
  }

  /**
   * `{ baseUrl, closed }`: what `JSON.stringify(sim)` shows (never the API key).
   * @example
   * ```ts
   * JSON.stringify(sim) // {"baseUrl":"http://127.0.0.1:4010/api","closed":false}
   * ```
   */
  toJSON(): { baseUrl: string; closed: boolean } {
    Simulator.#own(this, 'toJSON')
    return { baseUrl: this.baseUrl, closed: this.closed }
  }
}

export interface Simulator {
  /**
   * `await using sim = await startSimulator()` closes it at the end of the scope.
   * @example
   * ```ts
   * await using sim = await startSimulator()
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Object.defineProperty(Simulator.prototype, Symbol.asyncDispose, {
    value: async function asyncDispose(this: Simulator) {
      return Simulator.prototype.close.call(this)
    },
    writable: true,
    configurable: true,
  })
}

/**
 * Starts a simulator on 127.0.0.1 and resolves once it accepts connections.
 * Rejects with a `TypeError` for invalid options (its `param` names the option, e.g.
 * `options.apiKey`), and with an `Error` whose `code` is `'ERR_LATE_SIM_LISTEN'` when the port
 * cannot be bound. Every method of the simulator throws a `TypeError` with `param` for bad input.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * const sim = await startSimulator({ port: 0 })
 * process.env.LATE_BASE_URL = sim.baseUrl
 * process.env.LATE_API_KEY = sim.apiKey
 * ```
 */
export async function startSimulator(options?: SimulatorOptions): Promise<Simulator>
export async function startSimulator(options?: unknown): Promise<Simulator> {
  const opts = validateOptions(options)
  let n
  try {
    n = await native.NativeSimulator.start(opts)
  } catch (e) {
    // a napi error: its own properties are the fields (`code`), see native-errors
    const ne = e as { code?: unknown; message?: unknown } | null | undefined
    if (ne && ne.code === 'InvalidArg') throw invalidArg('options', `startSimulator(options): ${ne.message}`, e)
    const err = new Error(`startSimulator: ${ne && ne.message}`, { cause: e }) as Error & { code?: string }
    err.code = 'ERR_LATE_SIM_LISTEN'
    throw err
  }
  return wrap(n)
}

/**
 * Parses a team limit as the `late-sim` CLI's `--rate-limit` takes it: `N` (per minute) or
 * `N/WINDOW` with the window in `ms`, `s` or `m` (`120/2s`, `100/500ms`, `600/1m`). Throws the
 * documented `TypeError` (`param: 'text'`) for anything else.
 * @example
 * ```ts
 * parseRateLimit('120/2s') // { limit: 120, windowMs: 2000 }
 * ```
 */
export function parseRateLimit(text: string): { limit: number; windowMs: number }
export function parseRateLimit(text: unknown): { limit: number; windowMs: number } {
  if (!isCleanText(text)) throw invalidArg('text', `parseRateLimit(text): text must be a string like "120/2s", got ${describe(text)}`)
  let parsed
  try {
    parsed = native.parseSimRateLimit(text)
  } catch (e) {
    throw invalidArg('text', `parseRateLimit(text): ${(e as Error).message}`, e)
  }
  return { limit: parsed[0], windowMs: parsed[1] }
}
