'use strict'

/**
 * Logging and per-attempt hooks, in the manner of the Stainless SDKs: a `logger` (default
 * `console`) with `debug`/`info`/`warn`/`error` methods, a level (`logLevel` option, else env
 * `LATE_LOG`, else `warn`), and one line per attempt:
 *
 *   late-native: GET /v1/accounts → 200 in 84 ms (attempt 1, h2, 5.8 MB, br 561 kB on the wire, request 9f0c…)
 *   late-native: POST /v1/posts → 503 in 12 ms (attempt 1, http/1.1, 31 B, request 51aa…); retrying in 480 ms
 *
 * - `debug`: every attempt;
 * - `info`: attempts that failed (retried or final);
 * - `warn` (default): only problems of the client itself (e.g. an unreadable NODE_EXTRA_CA_CERTS);
 * - `off`: nothing.
 *
 * A record carries method, path (never the query), status, error code, duration, request id,
 * protocol, bytes, encoding and the wait before the next attempt — never a header, so never the
 * API key or `Authorization`. `onAttempt(record)` receives the same record for every attempt,
 * whatever the level, for metrics.
 */

const { LateValidationError } = require('./errors.js')
const { env } = require('./validate.js')

const LEVELS = ['debug', 'info', 'warn', 'error', 'off']
const RANK = { debug: 0, info: 1, warn: 2, error: 3, off: 4 }

/** The level from the option, else `LATE_LOG` (an unknown value there is ignored, with a warning), else `warn`. */
function resolveLevel(option, logger) {
  if (option !== undefined) {
    if (!LEVELS.includes(option)) {
      throw new LateValidationError(`invalid \`logLevel\`: expected one of ${LEVELS.join(', ')}`, { param: 'logLevel' })
    }
    return option
  }
  const fromEnv = env('LATE_LOG')
  if (fromEnv === undefined) return 'warn'
  const lower = fromEnv.toLowerCase()
  if (LEVELS.includes(lower)) return lower
  warnOnce({ logger }, `LATE_LOG=${JSON.stringify(fromEnv).slice(0, 40)} is not one of ${LEVELS.join(', ')}; using warn`)
  return 'warn'
}

/** Checks a `logger` option: an object with the four level methods. */
function checkLogger(logger) {
  if (logger === undefined) return undefined
  if (logger === null || typeof logger !== 'object' && typeof logger !== 'function') {
    throw new LateValidationError('invalid `logger`: expected an object with debug, info, warn and error methods (e.g. console, pino)', {
      param: 'logger',
    })
  }
  for (const m of ['debug', 'info', 'warn', 'error']) {
    if (typeof logger[m] !== 'function') {
      throw new LateValidationError(`invalid \`logger\`: \`logger.${m}\` is not a function`, { param: 'logger' })
    }
  }
  return logger
}

const warned = new Set()
/** Logs a warning of the client itself once per process and message. */
function warnOnce({ logger, logLevel }, message) {
  // At `error` or `off` the client says nothing (and the message is not marked as said).
  if (RANK[logLevel] > RANK.warn || warned.has(message)) return
  warned.add(message)
  safeCall(logger || console, 'warn', `late-native: ${message}`)
}

function safeCall(logger, level, ...args) {
  try {
    logger[level](...args)
  } catch {
    // A logger that throws must not break the call it reports on.
  }
}

function size(n) {
  if (n < 1000) return `${n} B`
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} kB`
  return `${(n / 1e6).toFixed(1)} MB`
}

/** The log line of one attempt record. */
function formatAttempt(a) {
  const outcome = a.status != null ? String(a.status) : a.error || 'failed'
  const code = a.status != null && a.error ? ` ${a.error}` : ''
  const details = [`attempt ${a.attempt}`]
  if (a.protocol) details.push(a.protocol)
  if (a.status != null) details.push(size(a.bytes))
  if (a.encoding && a.wireBytes != null) details.push(`${a.encoding} ${size(a.wireBytes)} on the wire`)
  if (a.requestId) details.push(`request ${a.requestId}`)
  const retry = a.retryInMs != null ? `; retrying in ${Math.round(a.retryInMs)} ms` : ''
  return `late-native: ${a.method} ${a.path} → ${outcome}${code} in ${Math.round(a.durationMs)} ms (${details.join(', ')})${retry}`
}

function failed(a) {
  return a.error != null || (a.status != null && (a.status < 200 || a.status > 299))
}

/**
 * The native observer for these settings: `{ callback, all }`, or undefined when nothing would
 * be logged or hooked (then Rust builds no records at all).
 */
function observer({ logger, logLevel, onAttempt }) {
  const log = logger || console
  const rank = RANK[logLevel]
  const logsAll = rank <= RANK.debug
  const logsFailures = rank <= RANK.info
  if (!logsFailures && !onAttempt) return undefined
  const callback = (record) => {
    const bad = failed(record)
    if (logsAll || (logsFailures && bad)) {
      safeCall(log, logsAll && !bad ? 'debug' : 'info', formatAttempt(record), record)
    }
    if (onAttempt) {
      try {
        onAttempt(record)
      } catch (e) {
        warnOnce({ logger: log, logLevel }, `the onAttempt hook threw (${e && e.message ? e.message : String(e)}); it must not throw`)
      }
    }
  }
  return { callback, all: logsAll || Boolean(onAttempt) }
}

/**
 * The receiver of the client's own notices (`warn`: the rate limiter lost Redis and paces this
 * process alone; `info`: it is back), or undefined when the level hides both.
 */
function notes({ logger, logLevel }) {
  const log = logger || console
  if (RANK[logLevel] > RANK.warn) return undefined
  return (level, message) => {
    if (RANK[level] >= RANK[logLevel]) safeCall(log, level === 'info' ? 'info' : 'warn', `late-native: ${message}`)
  }
}

module.exports = { resolveLevel, checkLogger, observer, notes, warnOnce }
