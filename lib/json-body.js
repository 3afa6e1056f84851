'use strict'

/**
 * The JSON request body: the one place that turns what a caller passed as `body` into the text
 * that is sent. What JSON cannot hold — a BigInt, a cycle, nesting deeper than the engine's
 * stack, a `toJSON` that throws, a value with no JSON form — is a LateValidationError naming
 * the parameter (the engine's error as `cause`), raised before anything is sent.
 *
 * @example
 * encodeJsonBody({ name: 'Acme' }) // '{"name":"Acme"}'
 * encodeJsonBody({ n: 1n })        // throws LateValidationError (param: 'body')
 */

const { LateError, LateValidationError } = require('./errors.js')
const { describe, checkText, messageOf } = require('./validate.js')

/** Why JSON.stringify failed, in words, from the engine's error. */
function reason(e) {
  const message = messageOf(e)
  if (/BigInt/i.test(message)) return 'it contains a BigInt, which JSON cannot represent (convert it to a string or a number)'
  if (/circular|cyclic/i.test(message)) return 'it contains a circular reference'
  if (e instanceof RangeError) return 'it is nested too deeply to encode as JSON'
  return `encoding it as JSON threw (${message})`
}

/**
 * The body as JSON text, or undefined when there is none. A string is sent as it is (it is
 * taken to be JSON text already) and must be well-formed UTF-16.
 * @param {unknown} body
 * @param {string} [param] the name used in errors
 * @returns {string | undefined}
 */
function encodeJsonBody(body, param = 'body') {
  if (body === undefined) return undefined
  if (typeof body === 'string') return checkText(body, param)
  let text
  try {
    text = JSON.stringify(body)
  } catch (e) {
    if (e instanceof LateError) throw e
    throw new LateValidationError(`invalid \`${param}\`: ${reason(e)}`, { param, cause: e })
  }
  if (text === undefined) {
    throw new LateValidationError(`invalid \`${param}\`: ${describe(body)} has no JSON form`, { param })
  }
  return text
}

module.exports = { encodeJsonBody }
