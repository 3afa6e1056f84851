'use strict'

/**
 * Every operation by name: the runtime half of the generated method table
 * (lib/generated/operations.js, loaded on first use). A named method takes the official SDK's
 * argument `{ path, query, body, headers }`; this checks it against the operation (path and
 * required parameters present, the body of a kind the spec accepts) before anything is sent,
 * and builds the request: path parameters encoded, query serialized as the spec styles it, the
 * body as JSON, multipart or raw bytes (lib/body.js).
 */

const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')
const { queryPairs } = require('./query.js')
const { isFileLike, multipart, raw } = require('./body.js')
const { encodeJsonBody } = require('./json-body.js')

let table
/** The generated method table (loaded once, on first use). */
function operations() {
  if (!table) table = require('./generated/operations.js')
  return table
}

const ARG_KEYS = ['path', 'query', 'body', 'headers']
/** The official SDK's methods also take fetch's `signal` and hey-api's `throwOnError` in their argument. */
const COMPAT_KEYS = [...ARG_KEYS, 'signal', 'throwOnError']

function fail(param, message) {
  return new LateValidationError(`invalid \`${param}\`: ${message}`, { param })
}

function hasFile(fields) {
  return Object.values(fields).some((v) => isFileLike(v) || (Array.isArray(v) && v.some(isFileLike)))
}

/** The body to send for operation `id`, as the kinds its spec accepts allow. */
function operationBody(id, flags, FLAGS, body) {
  if (body === undefined) {
    if (flags & FLAGS.bodyRequired) throw fail('body', `required by ${id}`)
    return undefined
  }
  if (body === null) return undefined
  const json = Boolean(flags & (FLAGS.json | FLAGS.sdkOnly))
  const form = Boolean(flags & FLAGS.multipart)
  if (flags & FLAGS.raw && !json && !form) {
    if (!isFileLike(body)) {
      throw fail('body', `${id} takes the file itself (application/octet-stream): a Buffer, Uint8Array, ArrayBuffer, Blob or fileFromPath(path)`)
    }
    return raw(body, 'application/octet-stream')
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    if (!form) throw fail('body', `${id} takes JSON, not FormData`)
    return body
  }
  if (form && v.isRecord(body) && (!json || flags & FLAGS.multipartFirst || hasFile(body))) return multipart(body)
  if (form && !json) throw fail('body', `${id} takes multipart/form-data: an object of fields or a FormData`)
  if (isFileLike(body)) throw fail('body', `${id} takes JSON; file data goes in a multipart operation or media.upload`)
  return encodeJsonBody(body, 'body')
}

function hasQuery(pairs, name) {
  if (!pairs) return false
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name || pairs[i].startsWith(`${name}[`)) return true
  return false
}

/**
 * The request of operation number `index` for `args`, checked; throws LateValidationError
 * (naming `path.<name>`, `query.<name>`, `body`, `headers.<name>`, …) before anything is sent.
 * `compat`: also accept the official SDK's `signal`/`throwOnError` keys (late-native/zernio).
 */
function operationRequest(index, args, { compat = false } = {}) {
  const { OPERATIONS, FLAGS } = operations()
  const [id, route, flags, requiredQuery = [], requiredHeaders = [], styles] = OPERATIONS[index]
  if (args === undefined || args === null) args = {}
  if (!v.isRecord(args)) throw fail('args', `${id} takes an object { path, query, body, headers }, got ${v.describe(args)}`)
  // One plain copy, read once: a getter or Proxy trap that throws is a LateValidationError.
  args = v.record(args, 'args')
  v.knownKeys(args, compat ? COMPAT_KEYS : ARG_KEYS, 'args')
  const space = route.indexOf(' ')
  const method = route.slice(0, space)
  const template = route.slice(space + 1)
  const given = args.path === undefined || args.path === null ? undefined : v.record(args.path, 'path')
  const names = new Set()
  const path = template.replace(/\{([^}]+)\}/g, (_, name) => {
    names.add(name)
    const value = given ? given[name] : undefined
    if (value === undefined || value === null) throw fail(`path.${name}`, `required by ${id} (${route})`)
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value !== 'string' || value === '') throw fail(`path.${name}`, `expected a non-empty string, got ${v.describe(value)}`)
    return encodeURIComponent(v.checkText(value, `path.${name}`))
  })
  if (given) {
    for (const k of Object.keys(given)) {
      if (!names.has(k) && given[k] !== undefined) {
        throw fail(`path.${k}`, `${id} has no path parameter \`${k}\` (${route})`)
      }
    }
  }
  const query = queryPairs(args.query, 'query', styles)
  for (const name of requiredQuery) if (!hasQuery(query, name)) throw fail(`query.${name}`, `required by ${id}`)
  const headers = v.optionalHeaders(args.headers, 'headers')
  for (const h of requiredHeaders) {
    const lower = h.toLowerCase()
    if (!headers || !Object.keys(headers).some((k) => k.toLowerCase() === lower)) throw fail(`headers.${h}`, `required by ${id}`)
  }
  return {
    id,
    method,
    path,
    query,
    body: v.reading('body', () => operationBody(id, flags, FLAGS, args.body)),
    headers,
    binary: Boolean(flags & FLAGS.binaryResponse),
    partialPublish: Boolean(flags & FLAGS.partialPublish),
  }
}

/** `[name, value, …]` as URLSearchParams (what `request()` takes). */
function searchParams(pairs) {
  if (!pairs) return undefined
  const p = new URLSearchParams()
  for (let i = 0; i < pairs.length; i += 2) p.append(pairs[i], pairs[i + 1])
  return p
}

module.exports = { operations, operationRequest, searchParams }
