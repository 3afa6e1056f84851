// ESM view of the same declarations as testing.d.ts.
export * from './testing.js'
import * as testing from './testing.js'
export default testing
