// ESM entry: the same objects as the CommonJS entry, so `instanceof` works across both.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const late = require('./index.js')

export const {
  LateClient,
  connectInstagram,
  listAccounts,
  parseConnectCallback,
  verifyWebhook,
  signWebhook,
  createWebhookHandler,
  createMemoryEventStore,
  createRedisEventStore,
  Paginator,
  ApiPromise,
  fileFromPath,
  LateFile,
  DEFAULT_BASE_URL,
  VERSION,
  LateError,
  LateApiError,
  BadRequestError,
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  PartialPublishError,
  LateConnectionError,
  LateTimeoutError,
  LateAbortError,
  LateValidationError,
  WebhookVerificationError,
} = late
export default late
