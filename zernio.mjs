// ESM entry of `late-native/zernio`: the same objects as the CommonJS entry.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const zernio = require('./zernio.js')

export const { Zernio, Late, ZernioApiError, LateApiError, RateLimitError, ValidationError, parseApiError, fileFromPath, LateFile } = zernio
export default zernio.Zernio
