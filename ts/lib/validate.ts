/**
 * Checks of user input, run before anything is sent. Each failure is a LateValidationError
 * naming the parameter and what was expected.
 *
 * Objects are read once, inside {@link reading}: a getter, a Proxy trap or a `toString` that
 * throws (or a revoked Proxy) becomes a LateValidationError naming the parameter, with the
 * original error as `cause`, instead of escaping as a raw TypeError. {@link record} returns a
 * shallow copy of the caller's object, so later checks read plain data properties only.
 */

import { types } from 'node:util'
import { LateError, LateValidationError } from './errors.js'

/** Largest number of milliseconds the native timers take (2³¹ − 1, about 24.8 days). */
const MAX_MS = 2_147_483_647

/**
 * Headers that frame the message or the connection: the transport sets them, and a caller's
 * value would corrupt the request (a wrong `content-length` truncates the body) or the pool.
 * The core owns the list (late_core::FRAMING_HEADERS); read from the addon on first use.
 */
let framing: Set<string> | undefined
function framingHeaders(): Set<string> {
  framing ??= new Set((require('./load-native.js') as typeof import('./load-native.js')).framingHeaders())
  return framing
}

/** RFC 9110 token characters: what a header name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** What a header value must not contain: control characters other than tab (CR and LF included). */
const BAD_HEADER_VALUE = /[\0-\x08\x0a-\x1f\x7f]/

/** A short, safe description of a value for messages: never runs user code, never echoes it. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'undefined':
      return 'undefined'
    case 'string':
      return value === '' ? 'an empty string' : 'a string'
    case 'function':
      return 'a function'
    case 'object':
      break
    default:
      return `a ${typeof value}`
  }
  if (types.isProxy(value)) return 'a Proxy'
  if (Array.isArray(value)) return 'an array'
  if (types.isArrayBufferView(value) || types.isAnyArrayBuffer(value)) return 'binary data'
  if (types.isDate(value)) return 'a Date'
  if (types.isPromise(value)) return 'a Promise'
  if (types.isMap(value) || types.isSet(value)) return 'a Map or Set'
  return 'an object'
}

/** The message of anything thrown, short, without running more user code than a string read. */
export function messageOf(e: unknown): string {
  try {
    const m: unknown = e instanceof Error ? e.message : undefined
    const text = typeof m === 'string' ? m : describe(e)
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  } catch {
    return 'an exception'
  }
}

function fail(param: string, expected: string, value: unknown): LateValidationError {
  return new LateValidationError(`invalid \`${param}\`: expected ${expected}, got ${describe(value)}`, { param })
}

/**
 * Runs `read`, which reads caller input; anything it throws that is not a LateError becomes a
 * LateValidationError naming `param`, with the original as `cause`.
 */
export function reading<T>(param: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    throw asValidationError(e, param)
  }
}

/** `e` if it is one of ours, else a LateValidationError naming `param` with `e` as its cause. */
export function asValidationError(e: unknown, param: string): LateError {
  if (e instanceof LateError) return e
  return new LateValidationError(`invalid \`${param}\`: it could not be read (${messageOf(e)})`, { param, cause: e })
}

/** A string with ES2024's well-formedness methods (Node 20 has them; the project's `lib` is ES2022). */
export type WellFormedText = string & { isWellFormed(): boolean; toWellFormed(): string }

/** True for a string without lone surrogates (ill-formed UTF-16 cannot be sent as UTF-8 unchanged). */
function wellFormed(s: string): boolean {
  return (s as WellFormedText).isWellFormed()
}

/** Throws unless `s` is well-formed UTF-16. */
export function checkText(s: string, param: string): string {
  if (!wellFormed(s)) {
    throw new LateValidationError(`invalid \`${param}\`: it contains a lone surrogate (ill-formed UTF-16 text)`, { param })
  }
  return s
}

/** An optional non-empty, well-formed string (undefined passes; a value known to be there is a string). */
export function optionalString(value: {} | null, param: string): string
export function optionalString(value: unknown, param: string): string | undefined
export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw fail(param, 'a non-empty string', value)
  return checkText(value, param)
}

/** An optional id: non-empty, no whitespace, control characters or slashes (a value known to be there is a string). */
export function optionalId(value: {} | null, param: string): string
export function optionalId(value: unknown, param: string): string | undefined
export function optionalId(value: unknown, param: string): string | undefined {
  const id = optionalString(value, param)
  if (id !== undefined && /[\s/\0-\x1f\x7f]/.test(id)) {
    throw new LateValidationError(`invalid \`${param}\`: expected an id without spaces, control characters or slashes`, { param })
  }
  return id
}

/** An optional boolean. */
export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw fail(param, 'a boolean', value)
  return value
}

/**
 * An optional positive finite number up to `max` (ms by default, at most 2³¹ − 1), for values
 * that stay in JS; a value that crosses to Rust is checked there instead ({@link optionalNumber}).
 */
export function optionalPositiveNumber(value: unknown, param: string, max: number = MAX_MS): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw fail(param, `a positive finite number up to ${max}`, value)
  }
  return value
}

/**
 * An optional number, checked for its JS type only: the napi layer owns the ranges (src/millis.rs:
 * durations, wait bounds incl. `Infinity`, retries, byte limits) and names the parameter in
 * its LateValidationError. NaN and ±Infinity pass to be refused (or taken) there.
 */
export function optionalNumber(value: unknown, param: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number') throw fail(param, 'a number', value)
  return value
}

/** A wait bound in ms (`Infinity`: no bound): the JS type only, the range is src/millis.rs's. */
export const optionalWaitBound: (value: unknown, param: string) => number | undefined = optionalNumber

/** A count of retries: the JS type only, the range (an integer from 0 to 1000) is src/millis.rs's. */
export const optionalCount: (value: unknown, param: string) => number | undefined = optionalNumber

/** Any function: what {@link optionalFunction} checks a value is, before the caller says which. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest function type, for a caller-given callback whose signature the caller names
type AnyFunction = (...args: any[]) => unknown

/**
 * An optional function that can be called (a class cannot). The type parameter is the signature
 * the caller expects of it: only its being a callable function is checked.
 */
export function optionalFunction<F extends AnyFunction = AnyFunction>(value: unknown, param: string): F | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') throw fail(param, 'a function', value)
  const isClass = reading(param, () => /^class[\s{]/.test(Function.prototype.toString.call(value)))
  if (isClass) throw new LateValidationError(`invalid \`${param}\`: expected a function, got a class (a class cannot be called)`, { param })
  return value as F
}

/** True for an object that can hold named fields: not null, an array, binary data, a Date, Map, Set or Promise. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  if (types.isProxy(value)) return true
  // Fast path, the usual case: an object literal (reading the prototype of a non-Proxy runs no user code).
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null) return true
  return describe(value) === 'an object' && !types.isRegExp(value) && !types.isWeakMap(value) && !types.isWeakSet(value) && !types.isBoxedPrimitive(value)
}

/**
 * An optional object of named fields (undefined passes). Returns a shallow copy read inside
 * {@link reading}, so the caller's getters and Proxy traps run once, here. The type parameter is
 * the shape the caller goes on to check (its fields are read as `unknown` until checked); a value
 * known to be there gives an object.
 */
export function record<T = Record<string, unknown>>(value: {} | null, param: string): T
export function record<T = Record<string, unknown>>(value: unknown, param: string): T | undefined
export function record<T>(value: unknown, param: string): T | undefined {
  if (value === undefined) return undefined
  if (!isRecord(value)) throw fail(param, 'an object', value)
  return reading(param, () => ({ ...value }) as T)
}

/** Like {@link record}, but only checks (the original is returned). */
export function optionalObject<T = Record<string, unknown>>(value: unknown, param: string): T | undefined {
  if (value === undefined) return undefined
  if (!isRecord(value)) throw fail(param, 'an object', value)
  return value as T
}

/** Checks one header name and value; returns the value as a string. */
function headerEntry(name: string, value: unknown, param: string): string {
  if (!TOKEN.test(name)) {
    throw new LateValidationError(`invalid \`${param}\`: \`${name.length > 64 ? `${name.slice(0, 64)}…` : name}\` is not a valid header name`, { param })
  }
  const lower = name.toLowerCase()
  if (framingHeaders().has(lower)) {
    throw new LateValidationError(
      `invalid \`${param}.${lower}\`: \`${lower}\` frames the message or the connection and is set by the client; it cannot be sent by hand`,
      { param: `${param}.${lower}` },
    )
  }
  // Kept here although the core refuses it too: the core names `headers` (not the header) for a
  // call's headers and silently drops it from `defaultHeaders`; this names the header everywhere.
  if (lower === 'authorization') {
    throw new LateValidationError(
      `invalid \`${param}.authorization\`: the API key is sent by the client; create a client with another \`apiKey\` instead`,
      { param: `${param}.authorization` },
    )
  }
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value)
  if (typeof value !== 'string') throw fail(`${param}.${lower}`, 'a string', value)
  if (BAD_HEADER_VALUE.test(value) || !wellFormed(value)) {
    throw new LateValidationError(`invalid \`${param}.${lower}\`: a header value cannot contain line breaks, control characters or lone surrogates`, {
      param: `${param}.${lower}`,
    })
  }
  return value
}

/** An optional record (or WHATWG `Headers`) of header values. Returns a plain object (no prototype). */
export function optionalHeaders(value: unknown, param: string): Record<string, string> | undefined {
  if (value === undefined) return undefined
  const entries = reading(param, (): [string, unknown][] => {
    if (typeof Headers !== 'undefined' && value instanceof Headers) return [...value.entries()]
    if (!isRecord(value)) throw fail(param, 'an object of header values', value)
    return Object.entries(value)
  })
  const out: Record<string, string> = Object.create(null)
  for (const [name, v] of entries) {
    if (v === undefined || v === null) continue
    out[name] = headerEntry(name, v, param)
  }
  return out
}

/** Environment variable `name`, or undefined when unset or empty (and where there is no `process`). */
export function env(name: string): string | undefined {
  const value = typeof process !== 'undefined' && process.env ? process.env[name] : undefined
  return value === undefined || value === '' ? undefined : value
}

/** Rejects keys that are not in `allowed`, naming the first unknown one. `obj` is a plain copy. */
export function knownKeys(obj: object, allowed: readonly string[], param: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key
      throw new LateValidationError(`invalid \`${param}\`: unknown option \`${shown}\`; expected one of: ${allowed.join(', ')}`, {
        param: `${param}.${shown}`,
      })
    }
  }
}
