// ESM view of the same declarations as zernio.d.ts.
export * from './zernio.js'
import { Zernio } from './zernio.js'
export default Zernio
