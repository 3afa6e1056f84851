/**
 * ESM entry of `late-native/testing`: the CommonJS entry's names, and nothing else, bound to the
 * same objects (one copy of each class, so `instanceof` works across both).
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * const sim = await startSimulator()
 * ```
 * @packageDocumentation
 */
export { startSimulator, Simulator, validateFault, parseRateLimit, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } from './testing.js'
export type * from './testing.js'
