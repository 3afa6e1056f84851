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

import type { NativeAttempt } from '../native.js'
import { LateValidationError } from './errors.js'
import { env } from './validate.js'

/** A log level: `debug`, `info`, `warn` (the default), `error` or `off`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

/** What the client logs with (`console`, pino, …): the four level methods. */
export interface Logger {
  debug(...args: unknown[]): void
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

/** The logging settings of a client, as resolved from its options. */
export interface LogSettings {
  /** The `logger` option (`console` when undefined). */
  logger?: Logger
  /** The resolved level. */
  logLevel: LogLevel
  /** The `onAttempt` option. */
  onAttempt?: (record: NativeAttempt) => unknown
}

/** What the native client calls with each attempt's record; `all`: every attempt, not only failed ones. */
export interface Observer {
  callback: (record: NativeAttempt) => void
  all: boolean
}

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error', 'off'] satisfies LogLevel[]
const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 }

function isLevel(value: unknown): value is LogLevel {
  return LEVELS.includes(value as string)
}

/**
 * The level from the option, else `LATE_LOG` (an unknown value there is ignored, with a warning), else `warn`.
 *
 * @example
 * resolveLevel('debug', console) // 'debug'
 * resolveLevel(undefined, console) // 'warn', unless LATE_LOG says otherwise
 */
export function resolveLevel(option: unknown, logger?: Logger): LogLevel {
  if (option !== undefined) {
    if (!isLevel(option)) {
      throw new LateValidationError(`invalid \`logLevel\`: expected one of ${LEVELS.join(', ')}`, { param: 'logLevel' })
    }
    return option
  }
  const fromEnv = env('LATE_LOG')
  if (fromEnv === undefined) return 'warn'
  const lower = fromEnv.toLowerCase()
  if (isLevel(lower)) return lower
  warnOnce({ logger, logLevel: 'warn' }, `LATE_LOG=${JSON.stringify(fromEnv).slice(0, 40)} is not one of ${LEVELS.join(', ')}; using warn`)
  return 'warn'
}

/**
 * Checks a `logger` option: an object with the four level methods.
 *
 * @example
 * checkLogger(console) // console
 * checkLogger({})      // throws LateValidationError (param: 'logger')
 */
export function checkLogger(logger: unknown): Logger | undefined {
  if (logger === undefined) return undefined
  if (logger === null || typeof logger !== 'object' && typeof logger !== 'function') {
    throw new LateValidationError('invalid `logger`: expected an object with debug, info, warn and error methods (e.g. console, pino)', {
      param: 'logger',
    })
  }
  for (const m of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof (logger as Partial<Logger>)[m] !== 'function') {
      throw new LateValidationError(`invalid \`logger\`: \`logger.${m}\` is not a function`, { param: 'logger' })
    }
  }
  return logger as Logger
}

const warned = new Set<string>()
/**
 * Logs a warning of the client itself once per process and message.
 *
 * @example
 * warnOnce({ logger: console, logLevel: 'warn' }, 'the onAttempt hook threw') // logs once, then never again
 */
export function warnOnce({ logger, logLevel }: Pick<LogSettings, 'logger' | 'logLevel'>, message: string): void {
  // At `error` or `off` the client says nothing (and the message is not marked as said).
  if (RANK[logLevel] > RANK.warn || warned.has(message)) return
  warned.add(message)
  safeCall(logger || console, 'warn', `late-native: ${message}`)
}

function safeCall(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error', ...args: unknown[]): void {
  try {
    logger[level](...args)
  } catch {
    // A logger that throws must not break the call it reports on.
  }
}

function size(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} kB`
  return `${(n / 1e6).toFixed(1)} MB`
}

/** The log line of one attempt record. */
function formatAttempt(a: NativeAttempt): string {
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

function failed(a: NativeAttempt): boolean {
  return a.error != null || (a.status != null && (a.status < 200 || a.status > 299))
}

/**
 * The native observer for these settings: `{ callback, all }`, or undefined when nothing would
 * be logged or hooked (then Rust builds no records at all).
 *
 * @example
 * observer({ logger: console, logLevel: 'debug' }) // { callback, all: true }
 * observer({ logLevel: 'warn' })                   // undefined: nothing to log, no hook
 */
export function observer({ logger, logLevel, onAttempt }: LogSettings): Observer | undefined {
  const log = logger || console
  const rank = RANK[logLevel]
  const logsAll = rank <= RANK.debug
  const logsFailures = rank <= RANK.info
  if (!logsFailures && !onAttempt) return undefined
  const callback = (record: NativeAttempt): void => {
    const bad = failed(record)
    if (logsAll || (logsFailures && bad)) {
      safeCall(log, logsAll && !bad ? 'debug' : 'info', formatAttempt(record), record)
    }
    if (onAttempt) {
      try {
        onAttempt(record)
      } catch (e) {
        const x = e as { message?: unknown } | null | undefined
        warnOnce({ logger: log, logLevel }, `the onAttempt hook threw (${x && x.message ? x.message : String(e)}); it must not throw`)
      }
    }
  }
  return { callback, all: logsAll || Boolean(onAttempt) }
}

/**
 * The receiver of the client's own notices (`warn`: the rate limiter lost Redis and paces this
 * process alone; `info`: it is back), or undefined when the level hides both.
 *
 * @example
 * notes({ logger: console, logLevel: 'info' })?.('warn', 'lost Redis') // logs 'late-native: lost Redis'
 */
export function notes({ logger, logLevel }: Pick<LogSettings, 'logger' | 'logLevel'>): ((level: LogLevel, message: string) => void) | undefined {
  const log = logger || console
  if (RANK[logLevel] > RANK.warn) return undefined
  return (level: LogLevel, message: string): void => {
    if (RANK[level] >= RANK[logLevel]) safeCall(log, level === 'info' ? 'info' : 'warn', `late-native: ${message}`)
  }
}
