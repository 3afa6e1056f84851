/**
 * ESM entry of `late-native/zernio`: the CommonJS entry's names, and nothing else, bound to the
 * same objects (one copy of each class, so `instanceof` works across both). The default export
 * is the client class, as in the official SDK (and as `default` of the CommonJS entry).
 *
 * @example
 * ```ts
 * import Zernio, { ZernioApiError } from 'late-native/zernio' // was: from '@zernio/node'
 * const zernio = new Zernio()
 * ```
 * @packageDocumentation
 */
import { Zernio } from './zernio.js'

export { Zernio, Late, ZernioApiError, LateApiError, RateLimitError, ValidationError, parseApiError, fileFromPath, LateFile } from './zernio.js'
export type * from './zernio.js'
export default Zernio
