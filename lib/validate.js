'use strict'

/**
 * Type checks for user input, run before anything is sent. Each failure is a
 * LateValidationError naming the parameter and what was expected.
 */

const { LateValidationError } = require('./errors.js')

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string'
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`
}

function fail(param, expected, value) {
  return new LateValidationError(`invalid \`${param}\`: expected ${expected}, got ${describe(value)}`, { param })
}

/** An optional non-empty string (undefined passes). */
function optionalString(value, param) {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw fail(param, 'a non-empty string', value)
  return value
}

/** An optional id: non-empty, no whitespace or slashes. */
function optionalId(value, param) {
  optionalString(value, param)
  if (value !== undefined && /[\s/]/.test(value)) {
    throw new LateValidationError(`invalid \`${param}\`: expected an id without spaces or slashes`, { param })
  }
  return value
}

/** An optional boolean. */
function optionalBoolean(value, param) {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw fail(param, 'a boolean', value)
  return value
}

/** An optional positive finite number (milliseconds and the like). */
function optionalPositiveNumber(value, param) {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw fail(param, 'a positive finite number', value)
  }
  return value
}

/** An optional non-negative integer. */
function optionalCount(value, param) {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw fail(param, 'an integer from 0 to 1000', value)
  }
  return value
}

/** An optional plain object (or undefined). */
function optionalObject(value, param) {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(param, 'an object', value)
  return value
}

/** An optional record of string header values. Returns a plain object. */
function optionalHeaders(value, param) {
  if (value === undefined) return undefined
  if (typeof Headers !== 'undefined' && value instanceof Headers) return Object.fromEntries(value.entries())
  optionalObject(value, param)
  const out = {}
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue
    if (typeof v !== 'string' && typeof v !== 'number') throw fail(`${param}.${name}`, 'a string', v)
    out[name] = String(v)
  }
  return out
}

/** Rejects keys that are not in `allowed`, naming the first unknown one. */
function knownKeys(obj, allowed, param) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new LateValidationError(
        `invalid \`${param}\`: unknown option \`${key}\`; expected one of: ${allowed.join(', ')}`,
        { param: `${param}.${key}` },
      )
    }
  }
}

module.exports = {
  optionalString,
  optionalId,
  optionalBoolean,
  optionalPositiveNumber,
  optionalCount,
  optionalObject,
  optionalHeaders,
  knownKeys,
}
