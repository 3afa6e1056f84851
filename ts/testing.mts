/**
 * ESM entry of `late-native/testing`: the CommonJS entry's names bound to the same objects (one
 * copy of each class, so `instanceof` works across both), and as before, the CommonJS module as
 * the default export.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * const sim = await startSimulator()
 * ```
 * @packageDocumentation
 */
import testing from './testing.js'

export { startSimulator, Simulator, validateFault, parseRateLimit, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } from './testing.js'
export type * from './testing.js'
export default testing
