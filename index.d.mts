// ESM view of the same declarations as index.d.ts.
export * from './index.js'
import * as late from './index.js'
export default late
