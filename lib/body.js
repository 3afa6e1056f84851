'use strict'

/**
 * Request bodies of every kind, turned into what the native layer sends: JSON text, one raw
 * payload (`application/octet-stream` and the like) or `multipart/form-data` parts. Bytes in
 * memory are handed over as Buffers; a file from {@link fileFromPath} is only named here and
 * streamed from disk by Rust when the request goes out, so it never enters the JS heap.
 *
 * - `undefined` / `null`: no body. A string: JSON text, sent as is. A plain object or array: JSON.
 * - `FormData`: multipart, its entries in order (a `File` keeps its name and type).
 * - `Blob`/`File`, `Buffer`/`Uint8Array`/`ArrayBuffer`, `LateFile`: one raw payload (the blob's
 *   type, else `application/octet-stream`).
 * - `multipart(fields)` / `raw(file, contentType)` (from the operation layer, which knows the
 *   spec's content type): multipart from an object's fields, or a raw payload of that type.
 *
 * Multipart fields as the official SDK's `FormData` serializer writes them: `null`/`undefined`
 * skipped, arrays one part per item, strings as text (line breaks as CRLF, as undici sends them),
 * numbers/booleans as text, a `Date` as ISO 8601, files as file parts (`filename="blob"` unless a
 * `File` or `LateFile` names them), other objects as JSON text.
 */

const fs = require('node:fs')
const path = require('node:path')
const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')
const { encodeJsonBody } = require('./json-body.js')
const { BY_EXTENSION } = require('./content-types.js')

const OCTET = 'application/octet-stream'

/** A file on disk, streamed by Rust when sent. Make one with {@link fileFromPath}. */
class LateFile {
  #path
  #name
  #type

  constructor(token, filePath, name, type) {
    if (token !== TOKEN) throw new LateValidationError('invalid `LateFile`: make one with fileFromPath(path)', { param: 'LateFile' })
    this.#path = filePath
    this.#name = name
    this.#type = type
  }

  /** The absolute path. */
  get path() {
    return this.#path
  }

  /** The file name sent with it. */
  get name() {
    return this.#name
  }

  /** The content type sent with it. */
  get type() {
    return this.#type
  }

  get [Symbol.toStringTag]() {
    return 'LateFile'
  }
}
const TOKEN = Symbol('LateFile')

/**
 * A file to stream from disk as a multipart field or a raw body. Checks now that it is a
 * readable file (a `LateValidationError` naming `file` otherwise).
 */
function fileFromPath(filePath, options) {
  if (typeof filePath !== 'string' || filePath === '' || filePath.includes('\0')) {
    throw new LateValidationError(`invalid \`file\`: expected a file path, got ${v.describe(filePath)}`, { param: 'file' })
  }
  v.checkText(filePath, 'file')
  options = v.record(options, 'options') ?? {}
  v.knownKeys(options, ['filename', 'contentType'], 'options')
  const abs = path.resolve(filePath)
  let stat
  try {
    stat = fs.statSync(abs)
  } catch (e) {
    throw new LateValidationError(`invalid \`file\`: cannot read ${filePath} (${e.code || e.message})`, { param: 'file' })
  }
  if (!stat.isFile()) throw new LateValidationError(`invalid \`file\`: ${filePath} is not a file`, { param: 'file' })
  v.optionalString(options.filename, 'options.filename')
  v.optionalString(options.contentType, 'options.contentType')
  const name = options.filename ?? path.basename(abs)
  const type = options.contentType ?? BY_EXTENSION[path.extname(name).toLowerCase()] ?? OCTET
  return new LateFile(TOKEN, abs, name, type)
}

/** True for file data: a Blob/File, Buffer/Uint8Array/ArrayBuffer or LateFile. */
function isFileLike(x) {
  return x instanceof LateFile || x instanceof Uint8Array || x instanceof ArrayBuffer || (typeof Blob !== 'undefined' && x instanceof Blob)
}

/** An object's fields, to send as multipart (the operation's spec says so). */
class Multipart {
  constructor(fields) {
    this.fields = fields
  }
}

/** One file or bytes, to send as a raw payload of `contentType`. */
class Raw {
  constructor(file, contentType) {
    this.file = file
    this.contentType = contentType
  }
}

function multipart(fields) {
  return new Multipart(fields)
}

function raw(file, contentType) {
  return new Raw(file, contentType)
}

function toBuffer(v) {
  if (Buffer.isBuffer(v)) return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  return Buffer.from(v)
}

/** A file as a native part/payload source: `{ data }` or `{ path }`, with its name and type. */
async function fileSource(v) {
  if (v instanceof LateFile) return { path: v.path, filename: v.name, contentType: v.type }
  if (typeof Blob !== 'undefined' && v instanceof Blob) {
    const filename = typeof File !== 'undefined' && v instanceof File ? v.name : 'blob'
    return { data: Buffer.from(await v.arrayBuffer()), filename, contentType: v.type || OCTET }
  }
  return { data: toBuffer(v), filename: 'blob', contentType: OCTET }
}

const crlf = (s) => s.replace(/\r?\n|\r/g, '\r\n')

async function part(name, value, param) {
  v.checkText(name, param)
  if (typeof value === 'string') return { name, text: crlf(v.checkText(value, param)) }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return { name, text: String(value) }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LateValidationError(`invalid \`${param}\`: an invalid Date`, { param })
    return { name, text: value.toISOString() }
  }
  if (isFileLike(value)) return { name, ...(await fileSource(value)) }
  return { name, text: encodeJsonBody(value, param) }
}

/** Multipart parts of a FormData or an object's fields. */
async function parts(source, param) {
  const out = []
  if (typeof FormData !== 'undefined' && source instanceof FormData) {
    for (const [name, value] of source) out.push(await part(name, value, `${param}.${name}`))
    return out
  }
  for (const [name, value] of Object.entries(v.record(source, param))) {
    if (value === undefined || value === null) continue
    const items = Array.isArray(value) ? value : [value]
    for (let i = 0; i < items.length; i++) {
      if (items[i] === undefined || items[i] === null) continue
      out.push(await part(name, items[i], Array.isArray(value) ? `${param}.${name}[${i}]` : `${param}.${name}`))
    }
  }
  return out
}

const NONE = Object.freeze({})

/** The native form of a body that needs reading (files, forms): a Promise. What cannot be read is a LateValidationError. */
async function encodeFiles(body, param) {
  try {
    return await readFiles(body, param)
  } catch (e) {
    throw v.asValidationError(e, param)
  }
}

async function readFiles(body, param) {
  if (body instanceof Raw) {
    const src = await fileSource(body.file)
    return { payload: { contentType: body.contentType, data: src.data, path: src.path } }
  }
  if (isFileLike(body)) {
    const src = await fileSource(body)
    return { payload: { contentType: src.contentType, data: src.data, path: src.path } }
  }
  return { payload: { parts: await parts(body instanceof Multipart ? body.fields : body, param) } }
}

/**
 * The native form of `body`: `{}` (none), `{ body: jsonText }` or `{ payload }` — at once for
 * JSON, as a Promise when files or a form must be read first. `param` names it in errors.
 */
function encodeBody(body, param = 'body') {
  if (body === undefined || body === null) return NONE
  // `instanceof` and the file checks run the caller's Proxy traps (a revoked Proxy throws):
  // whatever they throw names the body.
  const files = v.reading(
    param,
    () => body instanceof Multipart || body instanceof Raw || isFileLike(body) || (typeof FormData !== 'undefined' && body instanceof FormData),
  )
  if (files) return encodeFiles(body, param)
  return { body: encodeJsonBody(body, param) }
}

module.exports = { LateFile, fileFromPath, isFileLike, multipart, raw, encodeBody }
