/**
 * media.upload: presign (`POST /v1/media/presign`), then PUT the bytes from Rust — a file path
 * is streamed from disk, never loaded into the JS heap — with progress, retries and
 * cancellation. Resolves to the public URL, ready for `posts.create({ mediaItems: [{ url }] })`.
 */

import fs from 'node:fs'
import path from 'node:path'
import { types } from 'node:util'
import type { CallOptions, CancelToken, NativeUpload, NativeUploadProgress, NativeUploadResult } from '../native.js'
import { native, callOptions, invoke } from './transport.js'
import { LateValidationError } from './errors.js'
import * as v from './validate.js'
import { BY_EXTENSION } from './content-types.js'

/**
 * Content types `POST /v1/media/presign` accepts (spec `MediaContentType`).
 * @example
 * CONTENT_TYPES.includes('image/png') // true
 */
export const CONTENT_TYPES: readonly string[] = [
  'image/jpeg', 'image/jpg', 'image/png', 'image/webp', 'image/gif',
  'video/mp4', 'video/mpeg', 'video/quicktime', 'video/avi', 'video/x-msvideo', 'video/webm', 'video/x-m4v',
  'application/pdf',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/wav', 'audio/webm', 'audio/x-m4a',
  'application/x-subrip', 'text/vtt',
]

const EXTENSION_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(BY_EXTENSION).reverse().map(([ext, type]) => [type, ext]))

/** Largest file the API accepts (5 GB). */
const MAX_SIZE = 5 * 1024 ** 3

/** The bytes of a Buffer, Uint8Array or ArrayBuffer, else undefined. */
function toBuffer(file: unknown): Buffer | undefined {
  if (types.isProxy(file)) return undefined
  if (Buffer.isBuffer(file)) return file
  if (!types.isUint8Array(file) && !types.isArrayBuffer(file)) return undefined
  try {
    return types.isArrayBuffer(file) ? Buffer.from(file) : Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  } catch (e) {
    // A detached ArrayBuffer (transferred to a worker, say) has no bytes left to send.
    throw new LateValidationError('invalid `file`: its ArrayBuffer is detached (transferred), it has no bytes', { param: 'file', cause: e })
  }
}

/** A short form of a user's path for messages. */
function shown(file: string): string {
  return file.length > 120 ? `${file.slice(0, 120)}…` : file
}

/**
 * Progress of an upload, as `onProgress` receives it.
 * @example
 * ```ts
 * await late.media.upload('./clip.mp4', { onProgress: (p: UploadProgress) => console.log(`${p.percent.toFixed(0)} %`) })
 * ```
 */
export interface UploadProgress {
  /** Bytes sent so far. */
  sent: number
  /** Bytes in all. */
  total: number
  /** 0–100; the last event is always 100. */
  percent: number
}

/**
 * An uploaded file, ready for `mediaItems: [{ url }]`.
 * @example
 * ```ts
 * const { url }: UploadResult = await late.media.upload('./photo.jpg')
 * ```
 */
export interface UploadResult {
  /** The public URL (same as `publicUrl`). */
  url: string
  publicUrl: string
  /** Storage key. */
  key: string
  /** Bytes uploaded. */
  size: number
  contentType: string
  filename: string
  etag?: string
}

/** What `POST /v1/media/presign` answers (as much of it as is read here). */
interface Presigned {
  uploadUrl: string
  publicUrl: string
  key: string
}

/** The part of the client `media.upload` uses: its `request`. */
export interface MediaClient {
  request(route: string, init: { body: unknown }, options?: unknown): PromiseLike<unknown>
}

/** The native upload of the client (`NativeClient.upload`, bound). */
export type NativeUploader = (
  upload: NativeUpload,
  options: CallOptions | undefined,
  onProgress: ((progress: NativeUploadProgress) => void) | undefined,
  cancel: CancelToken | undefined,
) => Promise<NativeUploadResult>

/**
 * `late.media`: presigns and uploads a file.
 * @example
 * ```ts
 * const { url } = await late.media.upload('./clip.mp4', { onProgress: (p) => console.log(p.percent) })
 * ```
 */
export class Media {
  #client: MediaClient
  #upload: NativeUploader

  constructor(client: MediaClient, upload: NativeUploader) {
    this.#client = client
    this.#upload = upload
  }

  /**
   * Uploads a file path, Buffer, Uint8Array or ArrayBuffer.
   * @returns `{ url, publicUrl, key, size, contentType, filename, etag }`
   * @example
   * ```ts
   * const { url } = await late.media.upload(Buffer.from(png), { filename: 'chart.png' })
   * ```
   */
  async upload(file: unknown, params?: unknown, options?: unknown): Promise<UploadResult> {
    if (this === null || typeof this !== 'object' || !(#client in this)) {
      throw new LateValidationError('invalid `this`: `media.upload` was called detached from its client; call it as `late.media.upload(…)`', {
        param: 'this',
      })
    }
    const p: { contentType?: unknown; filename?: unknown; onProgress?: unknown } = v.record(params, 'params') ?? {}
    v.knownKeys(p, ['contentType', 'filename', 'onProgress'], 'params')
    const onProgress: ((progress: UploadProgress) => unknown) | undefined = v.optionalFunction(p.onProgress, 'onProgress')
    let filename: string | undefined = v.optionalString(p.filename, 'filename')
    let contentType: string | undefined = v.optionalString(p.contentType, 'contentType')
    const bytes = toBuffer(file)
    let size: number
    let filePath: string | undefined
    if (bytes) {
      size = bytes.length
    } else if (typeof file === 'string' && file !== '') {
      v.checkText(file, 'file')
      if (file.includes('\0')) throw new LateValidationError('invalid `file`: a path cannot contain a NUL character', { param: 'file' })
      filePath = path.resolve(file)
      let stat: fs.Stats
      try {
        stat = await fs.promises.stat(filePath)
      } catch (e) {
        throw new LateValidationError(`invalid \`file\`: cannot read ${shown(file)} (${(e as NodeJS.ErrnoException).code || v.messageOf(e)})`, { param: 'file' })
      }
      if (!stat.isFile()) throw new LateValidationError(`invalid \`file\`: ${shown(file)} is not a file`, { param: 'file' })
      size = stat.size
      filename ??= path.basename(filePath)
    } else {
      throw new LateValidationError('invalid `file`: expected a file path, Buffer, Uint8Array or ArrayBuffer', { param: 'file' })
    }
    if (size === 0) throw new LateValidationError('invalid `file`: it is empty', { param: 'file' })
    if (size > MAX_SIZE) throw new LateValidationError('invalid `file`: larger than the 5 GB the API accepts', { param: 'file' })
    contentType ??= filename ? BY_EXTENSION[path.extname(filename).toLowerCase()] : undefined
    if (!contentType) {
      throw new LateValidationError(
        'invalid `contentType`: pass it (e.g. `image/jpeg`), or a filename with a known extension',
        { param: 'contentType' },
      )
    }
    if (!CONTENT_TYPES.includes(contentType)) {
      throw new LateValidationError(`invalid \`contentType\`: \`${shown(contentType)}\` is not accepted; expected one of: ${CONTENT_TYPES.join(', ')}`, {
        param: 'contentType',
      })
    }
    filename ??= `upload${EXTENSION_OF[contentType] || ''}`
    const call = callOptions(options)

    const presigned = (await this.#client.request('POST /v1/media/presign', { body: { filename, contentType, size } }, options)) as Presigned | null | undefined
    if (!presigned || typeof presigned.uploadUrl !== 'string') {
      throw new LateValidationError('the presign response has no `uploadUrl`', { param: 'uploadUrl' })
    }

    // onProgress runs on the JS thread from a native callback: what it throws (or a promise it
    // returns that rejects) must not escape there as an uncaught exception. It stops the upload
    // and rejects this call with the callback's own error instead.
    let reported = -1
    let done = false
    let failure: { error: unknown } | undefined
    // Promises returned by onProgress and not yet settled: the upload settles after them, so one
    // that rejects rejects it, however its callback and the upload's end are ordered.
    const pending = new Set<Promise<void>>()
    const token: CancelToken | undefined = onProgress ? new native.CancelToken() : undefined
    // Only reached from `report`, which returns early without onProgress (so without a token).
    const fail = (e: unknown): void => {
      if (failure === undefined) failure = { error: e }
      token!.cancel()
    }
    const report = (sent: number): void => {
      if (!onProgress || done || failure || sent <= reported) return
      reported = sent
      try {
        const r = onProgress({ sent, total: size, percent: size ? Math.min(100, (sent / size) * 100) : 100 }) as { then?: unknown } | null | undefined
        if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
          const settled = Promise.resolve(r as PromiseLike<unknown>).then(() => undefined, fail)
          pending.add(settled)
          void settled.finally(() => pending.delete(settled))
        }
      } catch (e) {
        fail(e)
      }
    }
    const nativeProgress = onProgress ? (p: NativeUploadProgress) => report(p.sent) : undefined
    const up: NativeUpload = { url: presigned.uploadUrl, path: filePath, data: filePath ? undefined : bytes, contentType }
    let result: NativeUploadResult
    try {
      result = await invoke(call, (o: CallOptions | undefined, cancel: CancelToken | undefined) => this.#upload(up, o, nativeProgress, cancel), token)
    } catch (e) {
      if (failure) throw failure.error
      throw e
    }
    report(size)
    done = true
    if (pending.size) await Promise.all(pending)
    if (failure) throw failure.error
    return {
      url: presigned.publicUrl,
      publicUrl: presigned.publicUrl,
      key: presigned.key,
      size,
      contentType,
      filename,
      etag: result.etag ?? undefined,
    }
  }
}

