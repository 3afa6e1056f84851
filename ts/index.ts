/**
 * late-native — the fastest, most dependable Node.js client for the Late (Zernio) API.
 *
 * API shapes come from `types/` (generated from the vendor's OpenAPI spec by `npm run gen:types`);
 * field names are the API's own (`_id`, camelCase).
 *
 * @example
 * ```ts
 * import { LateClient } from 'late-native'
 * const late = new LateClient() // apiKey from LATE_API_KEY
 * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
 * ```
 * @packageDocumentation
 */

import { getDefaultClient } from './lib/client.js'
import type { ConnectInstagramParams, ConnectResult, ListAccountsParams } from './lib/client.js'
import type { RequestOptions } from './lib/transport.js'
import type { SocialAccount } from './types/index.js'
import { deferred, lazy } from './lib/lazy.js'
import type * as Callback from './lib/callback.js'
import type * as Webhook from './lib/webhook.js'
import type * as RedisStore from './lib/redis-store.js'

// The names are exported in the order the package always had (`Object.keys(require('late-native'))`):
// the two shortcuts are function expressions, so that they are not hoisted above `LateClient`.

export { LateClient } from './lib/client.js'

/**
 * {@link LateClient.connectInstagram} on a default client built from env on first use. Async, so
 * a missing key rejects like every other failure instead of throwing.
 * @example
 * ```ts
 * import { connectInstagram } from 'late-native'
 * const { connectUrl } = await connectInstagram({ redirectUrl })
 * ```
 */
export const connectInstagram = async function connectInstagram(params?: ConnectInstagramParams, options?: RequestOptions): Promise<ConnectResult> {
  return getDefaultClient().connectInstagram(params, options)
}

/**
 * {@link LateClient.listAccounts} on a default client built from env on first use: every social
 * account of a profile.
 * @example
 * ```ts
 * import { listAccounts } from 'late-native'
 * const accounts = await listAccounts({ platform: 'instagram' })
 * ```
 */
export const listAccounts = async function listAccounts(params?: ListAccountsParams, options?: RequestOptions): Promise<SocialAccount[]> {
  return getDefaultClient().listAccounts(params, options)
}

// The webhook, event-store and callback helpers load on first use (a third of the facade's
// code that a process calling the API never runs): each export is `deferred` (lib/lazy.ts), a
// function that loads its module once and calls the real one, with the real one's type.
const callback = lazy(() => require('./lib/callback.js') as typeof Callback)
const webhook = lazy(() => require('./lib/webhook.js') as typeof Webhook)
const redisStore = lazy(() => require('./lib/redis-store.js') as typeof RedisStore)

/**
 * Reads the query of the redirect back from the connect flow: `{ ok: true, accountId, … }` or
 * `{ ok: false, error }`. See `parseConnectCallback` in lib/callback.ts.
 * @example
 * ```ts
 * const result = parseConnectCallback(new URL(req.url).searchParams)
 * ```
 */
export const parseConnectCallback = deferred(callback, 'parseConnectCallback')
/**
 * Verifies a webhook delivery's signature (HMAC-SHA256 of the raw body) in constant time. See
 * `verifyWebhook` in lib/webhook.ts.
 * @example
 * ```ts
 * const event = verifyWebhook(rawBody, req.headers, process.env.LATE_WEBHOOK_SECRET)
 * ```
 */
export const verifyWebhook = deferred(webhook, 'verifyWebhook')
/**
 * Signs a body as the API signs its deliveries (for tests and local tools). See `signWebhook` in
 * lib/webhook.ts.
 * @example
 * ```ts
 * const { body, headers } = signWebhook({ event: 'account.connected' }, 'whsec_test_123')
 * ```
 */
export const signWebhook = deferred(webhook, 'signWebhook')
/**
 * A webhook endpoint handler: verifies, dedupes by event id and calls `onEvent` once per event.
 * See `createWebhookHandler` in lib/webhook.ts.
 * @example
 * ```ts
 * const handler = createWebhookHandler({ secret, onEvent: (event) => save(event) })
 * ```
 */
export const createWebhookHandler = deferred(webhook, 'createWebhookHandler')
/**
 * The in-memory store of seen webhook event ids (one process). See `createMemoryEventStore` in
 * lib/webhook.ts.
 * @example
 * ```ts
 * const store = createMemoryEventStore({ ttlMs: 72 * 3600_000 })
 * ```
 */
export const createMemoryEventStore = deferred(webhook, 'createMemoryEventStore')
/**
 * A store of seen webhook event ids in Redis, shared by every instance. See
 * `createRedisEventStore` in lib/redis-store.ts.
 * @example
 * ```ts
 * const store = createRedisEventStore({ url: process.env.REDIS_URL })
 * ```
 */
export const createRedisEventStore = deferred(redisStore, 'createRedisEventStore')
export { Paginator } from './lib/pagination.js'
export { ApiPromise } from './lib/resources/index.js'
export { fileFromPath, LateFile } from './lib/body.js'
export { DEFAULT_BASE_URL } from './lib/client.js'
export { DIAGNOSTICS_CHANNELS } from './lib/telemetry/names.js'

// package.json sits outside the compiled sources: read at run time, as before.
/**
 * This package's version.
 * @example
 * ```ts
 * console.log(`late-native ${VERSION}`)
 * ```
 */
export const VERSION: string = (require('./package.json') as { version: string }).version

export {
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
} from './lib/errors.js'

// ---- Types only ---------------------------------------------------------------------------------

export type * from './types/index.js'
export type * from './lib/errors.js'
export type * from './lib/webhook.js'
export type { RedisEventStore, RedisEventStoreOptions } from './lib/redis-store.js'
export type { RateLimitOption, RateLimitSettings, PacingStats } from './lib/rate-limit.js'
export type { Page, PageOptions, PaginationInfo } from './lib/pagination.js'
export type { ConnectCallbackSuccess, ConnectCallbackFailure } from './lib/callback.js'
export type { RequestOptions } from './lib/transport.js'
export type { WithResponse } from './lib/send.js'
export type { TelemetryOption } from './lib/telemetry/index.js'
export type { CallMessage, AttemptSendMessage, AttemptResponseMessage, AttemptErrorMessage } from './lib/telemetry/channels.js'
export type {
  LateClientOptions,
  LateLogLevel,
  LateLogger,
  LateAttempt,
  WarmupResult,
  ConnectPlatform,
  ConnectParams,
  ConnectInstagramParams,
  ConnectResult,
  ListAccountsParams,
  RouteResponse,
  RouteInit,
  RawRequest,
  UploadProgress,
  UploadParams,
  UploadResult,
  MediaResource,
  MediaContentType,
  ConnectFunction,
  LateClientJson,
} from './lib/client.js'
export type {
  FileInput,
  FileFromPathOptions,
  OperationArgs,
  SuccessBody,
  StatusBody,
  Op,
  OpsOf,
  ByStatus,
  Mode,
  ZernioResult,
  ZernioCallOptions,
  Route,
  Routes,
} from './lib/operations.js'
export type {
  Profiles,
  Accounts,
  ConnectFlow,
  Posts,
  Queue,
  Webhooks,
  Analytics,
  ApiKeys,
  Usage,
  Auth,
  LateResources,
  CreatePostParams,
  UpdatePostParams,
  CreatePostResult,
  ApiKey,
  AnalyticsDeltaItem,
  ConnectTokenParam,
  DateInput,
} from './lib/resources/index.js'
