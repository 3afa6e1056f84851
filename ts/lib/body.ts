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

import fs from 'node:fs'
import path from 'node:path'
import type { NativeBody, NativePart } from '../native.js'
import { LateValidationError } from './errors.js'
import * as v from './validate.js'
import { encodeJsonBody } from './json-body.js'
import { BY_EXTENSION } from './content-types.js'

const OCTET = 'application/octet-stream'

/** Only {@link fileFromPath} makes a {@link LateFile}. */
const TOKEN: unique symbol = Symbol('LateFile')

/**
 * A file on disk for a multipart field or a raw (`application/octet-stream`) body: Rust streams it
 * from disk when the request is sent, so it never enters the JS heap. Made by {@link fileFromPath}.
 * @example
 * ```ts
 * const csv = fileFromPath('./posts.csv')
 * console.log(csv.name, csv.type) // 'posts.csv' 'text/csv'
 * ```
 */
export class LateFile {
  #path: string
  #name: string
  #type: string

  /** @internal Made by {@link fileFromPath} only (any other call throws). */
  constructor(token: typeof TOKEN, filePath: string, name: string, type: string) {
    if (token !== TOKEN) throw new LateValidationError('invalid `LateFile`: make one with fileFromPath(path)', { param: 'LateFile' })
    this.#path = filePath
    this.#name = name
    this.#type = type
  }

  /** The absolute path. */
  get path(): string {
    return this.#path
  }

  /** The file name sent (`filename="…"`): the path's base name unless given. */
  get name(): string {
    return this.#name
  }

  /** The content type sent with it: from the extension unless given (`application/octet-stream` when unknown). */
  get type(): string {
    return this.#type
  }

  get [Symbol.toStringTag](): string {
    return 'LateFile'
  }
}

/**
 * Options of {@link fileFromPath}.
 * @example
 * ```ts
 * fileFromPath('./export.bin', { filename: 'posts.csv', contentType: 'text/csv' })
 * ```
 */
export interface FileFromPathOptions {
  /** The file name to send instead of the path's base name. */
  filename?: string
  /** The content type to send instead of the one guessed from the extension. */
  contentType?: string
}

/**
 * File data: a `Blob`/`File` (its `name` and `type` are sent), a `Buffer`/`Uint8Array`/`ArrayBuffer`
 * (sent as `blob`, `application/octet-stream`), or a {@link LateFile} streamed from disk.
 * @example
 * ```ts
 * const file: FileInput = fileFromPath('./posts.csv') // or new Blob([csv], { type: 'text/csv' }), or a Buffer
 * ```
 */
export type FileInput = Blob | Uint8Array | ArrayBuffer | LateFile

/**
 * A file to stream from disk as a multipart field or a raw body. Checks now that it is a
 * readable file (a `LateValidationError` naming `file` otherwise).
 * @example
 * ```ts
 * import { LateClient, fileFromPath } from 'late-native'
 * const late = new LateClient()
 * await late.posts.bulkUploadPosts({ query: { dryRun: true }, body: { file: fileFromPath('./posts.csv') } })
 * ```
 */
export function fileFromPath(filePath: string, options?: FileFromPathOptions): LateFile
export function fileFromPath(filePath: unknown, options?: unknown): LateFile {
  if (typeof filePath !== 'string' || filePath === '' || filePath.includes('\0')) {
    throw new LateValidationError(`invalid \`file\`: expected a file path, got ${v.describe(filePath)}`, { param: 'file' })
  }
  v.checkText(filePath, 'file')
  const opts: { filename?: string; contentType?: string } = v.record(options, 'options') ?? {}
  v.knownKeys(opts, ['filename', 'contentType'], 'options')
  const abs = path.resolve(filePath)
  let stat: fs.Stats
  try {
    stat = fs.statSync(abs)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new LateValidationError(`invalid \`file\`: cannot read ${filePath} (${e.code || e.message})`, { param: 'file' })
  }
  if (!stat.isFile()) throw new LateValidationError(`invalid \`file\`: ${filePath} is not a file`, { param: 'file' })
  v.optionalString(opts.filename, 'options.filename')
  v.optionalString(opts.contentType, 'options.contentType')
  const name = opts.filename ?? path.basename(abs)
  const type = opts.contentType ?? BY_EXTENSION[path.extname(name).toLowerCase()] ?? OCTET
  return new LateFile(TOKEN, abs, name, type)
}

/**
 * True for file data: a Blob/File, Buffer/Uint8Array/ArrayBuffer or LateFile.
 * @example
 * isFileLike(Buffer.from('x')) // true
 * isFileLike({ name: 'x' })    // false
 */
export function isFileLike(x: unknown): x is FileInput {
  return x instanceof LateFile || x instanceof Uint8Array || x instanceof ArrayBuffer || (typeof Blob !== 'undefined' && x instanceof Blob)
}

/** An object's fields, to send as multipart (the operation's spec says so). */
class Multipart {
  fields: unknown
  constructor(fields: unknown) {
    this.fields = fields
  }
}

/** One file or bytes, to send as a raw payload of `contentType`. */
class Raw {
  file: FileInput
  contentType: string
  constructor(file: FileInput, contentType: string) {
    this.file = file
    this.contentType = contentType
  }
}

export type { Multipart, Raw }

/**
 * An object's fields, to send as multipart (the operation's spec says so).
 * @example
 * encodeBody(multipart({ file: fileFromPath('./a.csv'), dryRun: true })) // a Promise of { payload: { parts } }
 */
export function multipart(fields: unknown): Multipart {
  return new Multipart(fields)
}

/**
 * One file or bytes, to send as a raw payload of `contentType`.
 * @example
 * encodeBody(raw(Buffer.from('…'), 'application/octet-stream')) // a Promise of { payload: { contentType, data } }
 */
export function raw(file: FileInput, contentType: string): Raw {
  return new Raw(file, contentType)
}

function toBuffer(v: Uint8Array | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(v)) return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  return Buffer.from(v)
}

/** A file as a native part/payload source: `{ data }` or `{ path }`, with its name and type. */
interface FileSource {
  data?: Buffer
  path?: string
  filename: string
  contentType: string
}

async function fileSource(v: FileInput): Promise<FileSource> {
  if (v instanceof LateFile) return { path: v.path, filename: v.name, contentType: v.type }
  if (typeof Blob !== 'undefined' && v instanceof Blob) {
    const filename = typeof File !== 'undefined' && v instanceof File ? v.name : 'blob'
    return { data: Buffer.from(await v.arrayBuffer()), filename, contentType: v.type || OCTET }
  }
  // Not a LateFile, and a Blob only where there is no Blob class: bytes.
  return { data: toBuffer(v as Uint8Array | ArrayBuffer), filename: 'blob', contentType: OCTET }
}

const crlf = (s: string): string => s.replace(/\r?\n|\r/g, '\r\n')

async function part(name: string, value: unknown, param: string): Promise<NativePart> {
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
async function parts(source: unknown, param: string): Promise<NativePart[]> {
  const out: NativePart[] = []
  if (typeof FormData !== 'undefined' && source instanceof FormData) {
    for (const [name, value] of source) out.push(await part(name, value, `${param}.${name}`))
    return out
  }
  for (const [name, value] of Object.entries(v.record(source, param) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue
    const items = Array.isArray(value) ? value : [value]
    for (let i = 0; i < items.length; i++) {
      if (items[i] === undefined || items[i] === null) continue
      out.push(await part(name, items[i], Array.isArray(value) ? `${param}.${name}[${i}]` : `${param}.${name}`))
    }
  }
  return out
}

/**
 * The native form of a body: none (`{}`), JSON text (`body`) or a raw payload or multipart parts (`payload`).
 * @example
 * const encoded: EncodedBody = await encodeBody(form)
 */
export interface EncodedBody {
  body?: string
  payload?: NativeBody
}

const NONE: Readonly<EncodedBody> = Object.freeze({})

/** The native form of a body that needs reading (files, forms): a Promise. What cannot be read is a LateValidationError. */
async function encodeFiles(body: unknown, param: string): Promise<EncodedBody> {
  try {
    return await readFiles(body, param)
  } catch (e) {
    throw v.asValidationError(e, param)
  }
}

async function readFiles(body: unknown, param: string): Promise<EncodedBody> {
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
 * @example
 * encodeBody({ content: 'hi' })               // { body: '{"content":"hi"}' }
 * await encodeBody(fileFromPath('./a.png'))   // { payload: { contentType: 'image/png', path: '/abs/a.png' } }
 */
export function encodeBody(body: unknown, param = 'body'): Readonly<EncodedBody> | Promise<EncodedBody> {
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
