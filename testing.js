'use strict'

/**
 * `late-native/testing`: an in-memory Late / Zernio API simulator on 127.0.0.1, for offline
 * tests and demos. It speaks the real API's paths and field names (profiles, accounts,
 * connect with a consent page, posts with `Idempotency-Key`, media presign + upload, webhook
 * settings with signed deliveries, rate-limit headers) and can inject faults.
 *
 * @example
 * const { startSimulator } = require('late-native/testing')
 * const sim = await startSimulator()
 * const res = await fetch(`${sim.baseUrl}/v1/profiles`, { headers: { authorization: `Bearer ${sim.apiKey}` } })
 * await sim.close()
 */

const native = require('./lib/load-native.js')
const { types } = require('node:util')
const { isRecord } = require('./lib/validate.js')

/** The API key a simulator accepts by default (deliberately not shaped like a real key; owned by late-sim). */
const DEFAULT_API_KEY = native.SIM_DEFAULT_API_KEY
/** The default webhook signing secret of a simulator (owned by late-sim). */
const DEFAULT_WEBHOOK_SECRET = native.SIM_DEFAULT_WEBHOOK_SECRET

const OPTION_KINDS = {
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
function describe(v) {
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
function invalidArg(param, message, cause) {
  if (message.length > 500) message = `${message.slice(0, 500)}… (${message.length} characters)`
  const e = new TypeError(message, cause === undefined ? undefined : { cause })
  e.param = param
  e.code = 'ERR_INVALID_ARG_VALUE'
  return e
}

/** Runs `read` (which reads caller input); what it throws becomes an `invalidArg` TypeError naming `param`. */
function reading(param, read) {
  try {
    return read()
  } catch (e) {
    if (e instanceof TypeError && typeof e.param === 'string') throw e
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
function plainCopy(value, param, expected) {
  if (!isRecord(value)) throw invalidArg(param, `${param} must be ${expected}, got ${describe(value)}`)
  return reading(param, () => {
    if (Array.isArray(value)) throw invalidArg(param, `${param} must be ${expected}, got an array`)
    return { ...value }
  })
}

/** JSON text of a value, or an `invalidArg` TypeError (BigInt, cycle, too deep). */
function jsonText(value, param) {
  try {
    return JSON.stringify(value)
  } catch (e) {
    throw invalidArg(param, `${param} cannot be encoded as JSON (${e instanceof Error ? e.message : 'it threw'})`, e)
  }
}

function isUint(v, max = MAX_U32) {
  return Number.isInteger(v) && v >= 0 && v <= max
}

/** Text the simulator can hold: well-formed, no control characters (no line breaks, no NUL). */
function isCleanText(v) {
  return typeof v === 'string' && v.isWellFormed() && !/[\0-\x1f\x7f]/.test(v)
}

/**
 * Checks a team limit `{ limit, windowMs? }` and returns `[limit, windowMs]`; `param` names the
 * argument in the error.
 */
function teamLimit(value, param) {
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

function validateOptions(options) {
  if (options === undefined || options === null) return {}
  const copy = plainCopy(options, 'options', 'an object')
  const out = {}
  for (const [key, value] of Object.entries(copy)) {
    if (value === undefined) continue
    const kind = OPTION_KINDS[key]
    if (!kind) {
      throw invalidArg(
        `options.${key.slice(0, 40)}`,
        `startSimulator(options): unknown option ${describe(key)}. Known options: ${Object.keys(OPTION_KINDS).join(', ')}`,
      )
    }
    const bad = (expected) => invalidArg(`options.${key}`, `startSimulator(options): options.${key} must be ${expected}, got ${describe(value)}`)
    switch (kind) {
      case 'port':
        if (!isUint(value, 65535)) throw bad('an integer between 0 and 65535')
        break
      case 'string':
        if (typeof value !== 'string' || value.length === 0) throw bad('a non-empty string')
        if (!value.isWellFormed()) throw bad('well-formed text (no lone surrogates)')
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
    out[key] = value
  }
  return out
}

/**
 * Validates a fault and returns a plain copy; throws a `TypeError` naming the bad field.
 * @param {unknown} fault
 */
function validateFault(fault) {
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
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
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
  const out = { route: route.trim() }
  if (times !== undefined) out.times = times
  if (status !== undefined) out.status = status
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  if (body !== undefined) out.body = JSON.parse(jsonText(body, 'fault.body'))
  if (delayMs !== undefined) out.delayMs = delayMs
  if (drop) out.drop = true
  if (malformed) out.malformed = true
  if (after) out.after = true
  return out
}

function dropNulls(obj) {
  const out = {}
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v
  return out
}

/**
 * A running simulator. Create one with {@link startSimulator}.
 */
class Simulator {
  #native

  /** @param {import('./native.js').NativeSimulator} nativeSim @internal */
  constructor(nativeSim) {
    if (!reading('nativeSim', () => nativeSim instanceof native.NativeSimulator)) {
      throw invalidArg('nativeSim', 'Simulator cannot be constructed directly; use startSimulator()')
    }
    this.#native = nativeSim
    const n = nativeSim
    /** Fault injection (see `Fault`). */
    this.faults = Object.freeze({
      inject(fault) {
        const list = reading('fault', () => {
          if (types.isProxy(fault) || !Array.isArray(fault)) return [fault]
          if (fault.length > MAX_FAULTS) throw invalidArg('fault', `at most ${MAX_FAULTS} faults at once, got ${fault.length}`)
          return Array.from({ length: fault.length }, (_, i) => fault[i])
        }).map(validateFault)
        try {
          n.injectFault(JSON.stringify(list))
        } catch (e) {
          throw invalidArg('fault', `the simulator refused the fault: ${e.message}`, e)
        }
      },
      clear() {
        n.clearFaults()
      },
      list() {
        return JSON.parse(n.faults())
      },
    })
  }

  /** Throws the documented TypeError (`param: 'this'`) unless `self` is a Simulator. */
  static #own(self, method) {
    if (self === null || typeof self !== 'object' || !(#native in self)) {
      throw invalidArg('this', `${method} was called on ${describe(self)}, not on a Simulator; call it as sim.${method}(…)`)
    }
  }

  /** API base URL, e.g. `http://127.0.0.1:4010/api`; request paths are `/v1/...` below it. */
  get baseUrl() {
    return this.#native.baseUrl
  }

  /** Server origin, e.g. `http://127.0.0.1:4010`; admin routes live under `/__sim`. */
  get origin() {
    return this.#native.origin
  }

  /** TCP port. */
  get port() {
    return this.#native.port
  }

  /** The API key the simulator accepts. */
  get apiKey() {
    return this.#native.apiKey
  }

  /** Secret that signs deliveries of webhooks created without their own `secret`. */
  get webhookSecret() {
    return this.#native.webhookSecret
  }

  /** Whether `close()` was called. */
  get closed() {
    return this.#native.closed
  }

  /** Requests received so far (oldest first). Admin routes are not recorded. */
  requests() {
    Simulator.#own(this, 'requests')
    return JSON.parse(this.#native.requests())
  }

  /** Empties the request log. */
  clearRequests() {
    Simulator.#own(this, 'clearRequests')
    this.#native.clearRequests()
  }

  /**
   * The ledger of actions: `{ total, duplicates: [{ method, path, operation, requestId, times }] }`.
   * Every POST or PATCH the simulator acted on counts once per call (one `x-request-id`, sent on
   * every attempt); a call that acted twice — sent again where the API does not dedupe it — is a
   * duplicate. Reset by `reset()`.
   */
  actions() {
    Simulator.#own(this, 'actions')
    return JSON.parse(this.#native.actions())
  }

  /** Everything the simulator holds: profiles, accounts, posts, webhooks, webhookLogs, media. */
  state() {
    Simulator.#own(this, 'state')
    return JSON.parse(this.#native.state())
  }

  /** Back to a fresh state: a new default profile only; faults, request log, actions, rate window cleared. */
  reset() {
    Simulator.#own(this, 'reset')
    this.#native.reset()
  }

  /**
   * Changes the team limit — a number of requests per minute, or `{ limit, windowMs }` — (`0`
   * disables it) and clears the window and its counts.
   */
  setRateLimit(limit) {
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
   * `{ limit, windowMs, allowed, limited }`, `limited` being the number of 429s it sent.
   */
  rateLimitStats() {
    Simulator.#own(this, 'rateLimitStats')
    return JSON.parse(this.#native.rateLimitStats())
  }

  /** Adds an account directly, without the consent flow or a webhook. Returns the `SocialAccount`. */
  addAccount(fields) {
    Simulator.#own(this, 'addAccount')
    const copy = plainCopy(fields, 'fields', 'an object like { platform: \'instagram\' }')
    if (!isCleanText(copy.platform) || !copy.platform) {
      throw invalidArg('fields.platform', 'addAccount(fields): fields.platform must be a non-empty string')
    }
    const json = jsonText(copy, 'fields')
    try {
      return JSON.parse(this.#native.addAccount(json))
    } catch (e) {
      throw invalidArg('fields', `addAccount(fields): ${e.message}`, e)
    }
  }

  /**
   * Does what the consent page's Allow (default) or Deny button does for `authUrl`.
   * @param {string} authUrl
   * @param {{ allow?: boolean, username?: string }} [options]
   */
  async grantConsent(authUrl, options) {
    Simulator.#own(this, 'grantConsent')
    if (typeof authUrl !== 'string' || authUrl.length === 0 || !authUrl.isWellFormed()) {
      throw invalidArg('authUrl', `grantConsent(authUrl): authUrl must be the authUrl string from a connect call, got ${describe(authUrl)}`)
    }
    const { allow = true, username } = options === undefined ? {} : plainCopy(options, 'options', 'an object')
    if (typeof allow !== 'boolean') throw invalidArg('options.allow', `grantConsent options.allow must be a boolean, got ${describe(allow)}`)
    if (username !== undefined && (typeof username !== 'string' || !username.isWellFormed())) {
      throw invalidArg('options.username', `grantConsent options.username must be a string, got ${describe(username)}`)
    }
    let text
    try {
      text = await this.#native.grantConsent(authUrl, allow, username)
    } catch (e) {
      throw invalidArg('authUrl', `grantConsent: ${e.message}`, e)
    }
    const out = JSON.parse(text)
    return { ...dropNulls(out), redirectUrl: out.redirectUrl ?? null }
  }

  /** Stops the server and waits for every connection and background task. Safe to call twice. */
  async close() {
    Simulator.#own(this, 'close')
    await this.#native.close()
  }

  toJSON() {
    Simulator.#own(this, 'toJSON')
    return { baseUrl: this.baseUrl, closed: this.closed }
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Object.defineProperty(Simulator.prototype, Symbol.asyncDispose, {
    value: async function asyncDispose() {
      return Simulator.prototype.close.call(this)
    },
    writable: true,
    configurable: true,
  })
}

/**
 * Starts a simulator on 127.0.0.1 and resolves once it accepts connections.
 * @param {import('./testing').SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options) {
  const opts = validateOptions(options)
  let n
  try {
    n = await native.NativeSimulator.start(opts)
  } catch (e) {
    if (e && e.code === 'InvalidArg') throw invalidArg('options', `startSimulator(options): ${e.message}`, e)
    const err = new Error(`startSimulator: ${e && e.message}`, { cause: e })
    err.code = 'ERR_LATE_SIM_LISTEN'
    throw err
  }
  return new Simulator(n)
}

/**
 * Parses a team limit as the `late-sim` CLI takes it — `N` (per minute) or `N/WINDOW` such as
 * `120/2s`, `100/500ms`, `600/1m` — into `{ limit, windowMs }`; throws the documented TypeError
 * (`param: 'text'`) otherwise.
 * @param {string} text
 */
function parseRateLimit(text) {
  if (!isCleanText(text)) throw invalidArg('text', `parseRateLimit(text): text must be a string like "120/2s", got ${describe(text)}`)
  let parsed
  try {
    parsed = native.parseSimRateLimit(text)
  } catch (e) {
    throw invalidArg('text', `parseRateLimit(text): ${e.message}`, e)
  }
  return { limit: parsed[0], windowMs: parsed[1] }
}

module.exports = { startSimulator, Simulator, validateFault, parseRateLimit, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET }
