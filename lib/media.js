'use strict'

/**
 * media.upload: presign (`POST /v1/media/presign`), then PUT the bytes from Rust — a file path
 * is streamed from disk, never loaded into the JS heap — with progress, retries and
 * cancellation. Resolves to the public URL, ready for `posts.create({ mediaItems: [{ url }] })`.
 */

const fs = require('node:fs')
const path = require('node:path')
const { callOptions, invoke } = require('./transport.js')
const { LateValidationError } = require('./errors.js')
const v = require('./validate.js')

/** Content types `POST /v1/media/presign` accepts (spec `MediaContentType`). */
const CONTENT_TYPES = [
  'image/jpeg', 'image/jpg', 'image/png', 'image/webp', 'image/gif',
  'video/mp4', 'video/mpeg', 'video/quicktime', 'video/avi', 'video/x-msvideo', 'video/webm', 'video/x-m4v',
  'application/pdf',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/wav', 'audio/webm', 'audio/x-m4a',
  'application/x-subrip', 'text/vtt',
]

const BY_EXTENSION = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif',
  '.mp4': 'video/mp4', '.mpeg': 'video/mpeg', '.mpg': 'video/mpeg', '.mov': 'video/quicktime', '.avi': 'video/x-msvideo',
  '.webm': 'video/webm', '.m4v': 'video/x-m4v', '.pdf': 'application/pdf', '.mp3': 'audio/mpeg', '.aac': 'audio/aac',
  '.ogg': 'audio/ogg', '.wav': 'audio/wav', '.m4a': 'audio/x-m4a', '.srt': 'application/x-subrip', '.vtt': 'text/vtt',
}

const EXTENSION_OF = Object.fromEntries(Object.entries(BY_EXTENSION).reverse().map(([ext, type]) => [type, ext]))

/** Largest file the API accepts (5 GB). */
const MAX_SIZE = 5 * 1024 ** 3

function toBuffer(file) {
  if (Buffer.isBuffer(file)) return file
  if (file instanceof Uint8Array) return Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  if (file instanceof ArrayBuffer) return Buffer.from(file)
  return undefined
}

class Media {
  #client
  #upload

  constructor(client, upload) {
    this.#client = client
    this.#upload = upload
  }

  /**
   * Uploads a file path, Buffer, Uint8Array or ArrayBuffer.
   * @returns `{ url, publicUrl, key, size, contentType, filename, etag }`
   */
  async upload(file, params = {}, options) {
    v.optionalObject(params, 'params')
    v.knownKeys(params, ['contentType', 'filename', 'onProgress'], 'params')
    const onProgress = params.onProgress
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new LateValidationError('invalid `onProgress`: expected a function', { param: 'onProgress' })
    }
    let filename = v.optionalString(params.filename, 'filename')
    let contentType = v.optionalString(params.contentType, 'contentType')
    const bytes = toBuffer(file)
    let size
    let filePath
    if (bytes) {
      size = bytes.length
    } else if (typeof file === 'string' && file !== '') {
      filePath = path.resolve(file)
      let stat
      try {
        stat = await fs.promises.stat(filePath)
      } catch (e) {
        throw new LateValidationError(`invalid \`file\`: cannot read ${file} (${e.code || e.message})`, { param: 'file' })
      }
      if (!stat.isFile()) throw new LateValidationError(`invalid \`file\`: ${file} is not a file`, { param: 'file' })
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
      throw new LateValidationError(`invalid \`contentType\`: \`${contentType}\` is not accepted; expected one of: ${CONTENT_TYPES.join(', ')}`, {
        param: 'contentType',
      })
    }
    filename ??= `upload${EXTENSION_OF[contentType] || ''}`
    const call = callOptions(options)

    const presigned = await this.#client.request('POST /v1/media/presign', { body: { filename, contentType, size } }, options)
    if (!presigned || typeof presigned.uploadUrl !== 'string') {
      throw new LateValidationError('the presign response has no `uploadUrl`', { param: 'uploadUrl' })
    }

    let reported = -1
    let done = false
    const report = (sent) => {
      if (!onProgress || done || sent <= reported) return
      reported = sent
      onProgress({ sent, total: size, percent: size ? Math.min(100, (sent / size) * 100) : 100 })
    }
    const nativeProgress = onProgress ? (p) => report(p.sent) : undefined
    const up = { url: presigned.uploadUrl, path: filePath, data: filePath ? undefined : bytes, contentType }
    const result = await invoke(call, (o, token) => this.#upload(up, o, nativeProgress, token))
    report(size)
    done = true
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

module.exports = { Media, CONTENT_TYPES }
