// ESM entry of `late-native/testing`: the same objects as the CommonJS entry.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const testing = require('./testing.js')

export const { startSimulator, Simulator, validateFault, parseRateLimit, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } = testing
export default testing
