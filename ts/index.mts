// ESM entry: the same objects as the CommonJS entry, so `instanceof` works across both, and the
// same names (listed, so that nothing of the CommonJS module's own, like `__esModule`, leaks in).
import late from './index.js'

export {
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
  DIAGNOSTICS_CHANNELS,
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
} from './index.js'
export type * from './index.js'
export default late
