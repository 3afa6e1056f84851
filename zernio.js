'use strict'

/**
 * `late-native/zernio`: a drop-in for the official SDK, `@zernio/node`, on late-native's native
 * transport. Change one import; the code stays the same.
 *
 * @example
 * const { Zernio } = require('late-native/zernio') // was: require('@zernio/node')
 * const zernio = new Zernio() // apiKey from ZERNIO_API_KEY (or LATE_API_KEY)
 * const { data } = await zernio.posts.listPosts({ query: { status: 'scheduled' } })
 */

const { Zernio } = require('./lib/zernio/client.js')
const { ZernioApiError, RateLimitError, ValidationError, parseApiError } = require('./lib/zernio/errors.js')
const { fileFromPath, LateFile } = require('./lib/body.js')

Object.defineProperty(exports, '__esModule', { value: true })
exports.Zernio = Zernio
exports.default = Zernio
/** @deprecated Use Zernio (as in the official SDK). */
exports.Late = Zernio
exports.ZernioApiError = ZernioApiError
/** @deprecated Use ZernioApiError (as in the official SDK). */
exports.LateApiError = ZernioApiError
exports.RateLimitError = RateLimitError
exports.ValidationError = ValidationError
exports.parseApiError = parseApiError
exports.fileFromPath = fileFromPath
exports.LateFile = LateFile
