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

import { LateError, LateValidationError } from './errors.js'
import { describe, checkText, messageOf } from './validate.js'

/** Why JSON.stringify failed, in words, from the engine's error. */
function reason(e: unknown): string {
  const message = messageOf(e)
  if (/BigInt/i.test(message)) return 'it contains a BigInt, which JSON cannot represent (convert it to a string or a number)'
  if (/circular|cyclic/i.test(message)) return 'it contains a circular reference'
  if (e instanceof RangeError) return 'it is nested too deeply to encode as JSON'
  return `encoding it as JSON threw (${message})`
}

/**
 * The body as JSON text, or undefined when there is none. A string is sent as it is (it is
 * taken to be JSON text already) and must be well-formed UTF-16. `param` names the body in errors.
 *
 * @example
 * encodeJsonBody({ name: 'Acme' })       // '{"name":"Acme"}'
 * encodeJsonBody('{"a":1}')              // '{"a":1}' (sent as it is)
 * encodeJsonBody({ n: 1n }, 'body.meta') // throws LateValidationError (param: 'body.meta')
 */
export function encodeJsonBody(body: unknown, param = 'body'): string | undefined {
  if (body === undefined) return undefined
  if (typeof body === 'string') return checkText(body, param)
  let text: string | undefined
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
