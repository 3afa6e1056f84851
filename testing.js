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

/** The API key a simulator accepts by default (deliberately not shaped like a real key). */
const DEFAULT_API_KEY = 'sk_test_late_sim_0001'
/** The default webhook signing secret of a simulator. */
const DEFAULT_WEBHOOK_SECRET = 'whsec_test_late_sim'

const OPTION_KINDS = {
  port: 'port',
  apiKey: 'string',
  webhookSecret: 'string',
  rateLimitPerMinute: 'uint',
  webhookUrl: 'url',
  accountsPageDefault: 'posint',
  webhookAttempts: 'posint',
  webhookRetryDelayMs: 'uint',
  webhookTimeoutMs: 'posint',
}

const FAULT_FIELDS = ['route', 'times', 'status', 'retryAfter', 'body', 'delayMs', 'drop', 'malformed']
const MAX_U32 = 0xffffffff

function describe(v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`
}

function isUint(v, max = MAX_U32) {
  return Number.isInteger(v) && v >= 0 && v <= max
}

function validateOptions(options) {
  if (options === undefined || options === null) return {}
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`startSimulator(options): options must be an object, got ${describe(options)}`)
  }
  const out = {}
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue
    const kind = OPTION_KINDS[key]
    if (!kind) {
      throw new TypeError(
        `startSimulator(options): unknown option "${key}". Known options: ${Object.keys(OPTION_KINDS).join(', ')}`,
      )
    }
    const bad = (expected) => new TypeError(`startSimulator(options): options.${key} must be ${expected}, got ${describe(value)}`)
    switch (kind) {
      case 'port':
        if (!isUint(value, 65535)) throw bad('an integer between 0 and 65535')
        break
      case 'string':
        if (typeof value !== 'string' || value.length === 0) throw bad('a non-empty string')
        if (key === 'apiKey' && /\s/.test(value)) throw bad('a string without whitespace')
        break
      case 'uint':
        if (!isUint(value)) throw bad('a non-negative integer')
        break
      case 'posint':
        if (!isUint(value) || value === 0) throw bad('a positive integer')
        break
      case 'url':
        if (typeof value !== 'string' || !/^https?:\/\/[^/\s]+/i.test(value)) throw bad('an absolute http(s) URL')
        break
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
  if (fault === null || typeof fault !== 'object' || Array.isArray(fault)) {
    throw new TypeError(`fault must be an object like { route: 'GET /v1/accounts', status: 503 }, got ${describe(fault)}`)
  }
  for (const key of Object.keys(fault)) {
    if (!FAULT_FIELDS.includes(key)) {
      throw new TypeError(`fault.${key} is not a known field. Known fields: ${FAULT_FIELDS.join(', ')}`)
    }
  }
  const { route, times, status, retryAfter, body, delayMs, drop, malformed } = fault
  if (typeof route !== 'string' || !/^(\*|[A-Za-z*]+\s+(\*|\/\S*))$/.test(route.trim())) {
    throw new TypeError(`fault.route must be a string like "GET /v1/accounts" or "*", got ${describe(route)}`)
  }
  if (times !== undefined && (!isUint(times) || times === 0)) {
    throw new TypeError(`fault.times must be a positive integer, got ${describe(times)}`)
  }
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw new TypeError(`fault.status must be an integer HTTP status between 200 and 599, got ${describe(status)}`)
  }
  if (retryAfter !== undefined && !isUint(retryAfter)) {
    throw new TypeError(`fault.retryAfter must be a non-negative integer (seconds), got ${describe(retryAfter)}`)
  }
  if (delayMs !== undefined && !isUint(delayMs)) {
    throw new TypeError(`fault.delayMs must be a non-negative integer (milliseconds), got ${describe(delayMs)}`)
  }
  if (drop !== undefined && typeof drop !== 'boolean') {
    throw new TypeError(`fault.drop must be a boolean, got ${describe(drop)}`)
  }
  if (malformed !== undefined && typeof malformed !== 'boolean') {
    throw new TypeError(`fault.malformed must be a boolean, got ${describe(malformed)}`)
  }
  if (body !== undefined && (body === null || typeof body !== 'object')) {
    throw new TypeError(`fault.body must be a JSON object or array, got ${describe(body)}`)
  }
  const kinds = [status !== undefined, drop === true, malformed === true].filter(Boolean).length
  if (kinds > 1) {
    throw new TypeError('fault.status, fault.drop and fault.malformed are exclusive: set only one of them')
  }
  if (kinds === 0 && delayMs === undefined) {
    throw new TypeError('fault needs one of status, delayMs, drop: true or malformed: true')
  }
  if (status === undefined && retryAfter !== undefined) {
    throw new TypeError('fault.retryAfter needs fault.status')
  }
  if (status === undefined && body !== undefined) {
    throw new TypeError('fault.body needs fault.status')
  }
  const out = { route: route.trim() }
  if (times !== undefined) out.times = times
  if (status !== undefined) out.status = status
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  if (body !== undefined) out.body = body
  if (delayMs !== undefined) out.delayMs = delayMs
  if (drop) out.drop = true
  if (malformed) out.malformed = true
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
    if (!(nativeSim instanceof native.NativeSimulator)) {
      throw new TypeError('Simulator cannot be constructed directly; use startSimulator()')
    }
    this.#native = nativeSim
    const n = nativeSim
    /** Fault injection (see `Fault`). */
    this.faults = Object.freeze({
      inject(fault) {
        const list = Array.isArray(fault) ? fault.map(validateFault) : [validateFault(fault)]
        n.injectFault(JSON.stringify(list))
      },
      clear() {
        n.clearFaults()
      },
      list() {
        return JSON.parse(n.faults())
      },
    })
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
    return JSON.parse(this.#native.requests())
  }

  /** Empties the request log. */
  clearRequests() {
    this.#native.clearRequests()
  }

  /** Everything the simulator holds: profiles, accounts, posts, webhooks, webhookLogs, media. */
  state() {
    return JSON.parse(this.#native.state())
  }

  /** Back to a fresh state: a new default profile only; faults, request log, rate window cleared. */
  reset() {
    this.#native.reset()
  }

  /** Changes the per-minute request limit (`0` disables it) and clears the window. */
  setRateLimit(perMinute) {
    if (!isUint(perMinute)) throw new TypeError(`setRateLimit(perMinute): perMinute must be a non-negative integer, got ${describe(perMinute)}`)
    this.#native.setRateLimit(perMinute)
  }

  /** Adds an account directly, without the consent flow or a webhook. Returns the `SocialAccount`. */
  addAccount(fields) {
    if (fields === null || typeof fields !== 'object' || typeof fields.platform !== 'string' || !fields.platform) {
      throw new TypeError('addAccount(fields): fields.platform must be a non-empty string')
    }
    return JSON.parse(this.#native.addAccount(JSON.stringify(fields)))
  }

  /**
   * Does what the consent page's Allow (default) or Deny button does for `authUrl`.
   * @param {string} authUrl
   * @param {{ allow?: boolean, username?: string }} [options]
   */
  async grantConsent(authUrl, options = {}) {
    if (typeof authUrl !== 'string' || authUrl.length === 0) {
      throw new TypeError(`grantConsent(authUrl): authUrl must be the authUrl string from a connect call, got ${describe(authUrl)}`)
    }
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`grantConsent(authUrl, options): options must be an object, got ${describe(options)}`)
    }
    const { allow = true, username } = options
    if (typeof allow !== 'boolean') throw new TypeError(`grantConsent options.allow must be a boolean, got ${describe(allow)}`)
    if (username !== undefined && typeof username !== 'string') {
      throw new TypeError(`grantConsent options.username must be a string, got ${describe(username)}`)
    }
    const out = JSON.parse(await this.#native.grantConsent(authUrl, allow, username))
    return { ...dropNulls(out), redirectUrl: out.redirectUrl ?? null }
  }

  /** Stops the server and waits for every connection and background task. Safe to call twice. */
  async close() {
    await this.#native.close()
  }

  toJSON() {
    return { baseUrl: this.baseUrl, closed: this.closed }
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Object.defineProperty(Simulator.prototype, Symbol.asyncDispose, {
    value: function asyncDispose() {
      return this.close()
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
  const n = await native.NativeSimulator.start(opts)
  return new Simulator(n)
}

module.exports = { startSimulator, Simulator, validateFault, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET }
