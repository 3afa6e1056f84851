'use strict'

/**
 * late-native: the fastest, most dependable Node.js client for the Late (Zernio) API.
 *
 * @example
 * const { LateClient } = require('late-native')
 * const late = new LateClient() // apiKey from LATE_API_KEY
 * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'https://app.example.com/connected' })
 */

const errors = require('./lib/errors.js')
const { LateClient, getDefaultClient, DEFAULT_BASE_URL } = require('./lib/client.js')
const { parseConnectCallback } = require('./lib/callback.js')
const webhook = require('./lib/webhook.js')
const { createRedisEventStore } = require('./lib/redis-store.js')
const { Paginator } = require('./lib/pagination.js')
const { ApiPromise } = require('./lib/resources/index.js')
const { fileFromPath, LateFile } = require('./lib/body.js')
const { version } = require('./package.json')

/**
 * Connection URL for Instagram, on the default client (built from env on first use). Async, so
 * a missing key rejects like every other failure instead of throwing.
 */
async function connectInstagram(params, options) {
  return getDefaultClient().connectInstagram(params, options)
}

/** Every social account of a profile, on the default client (built from env on first use). */
async function listAccounts(params, options) {
  return getDefaultClient().listAccounts(params, options)
}

module.exports = {
  LateClient,
  connectInstagram,
  listAccounts,
  parseConnectCallback,
  verifyWebhook: webhook.verifyWebhook,
  signWebhook: webhook.signWebhook,
  createWebhookHandler: webhook.createWebhookHandler,
  createMemoryEventStore: webhook.createMemoryEventStore,
  createRedisEventStore,
  Paginator,
  ApiPromise,
  fileFromPath,
  LateFile,
  DEFAULT_BASE_URL,
  VERSION: version,
  LateError: errors.LateError,
  LateApiError: errors.LateApiError,
  BadRequestError: errors.BadRequestError,
  AuthenticationError: errors.AuthenticationError,
  PaymentRequiredError: errors.PaymentRequiredError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  UnprocessableEntityError: errors.UnprocessableEntityError,
  RateLimitError: errors.RateLimitError,
  InternalServerError: errors.InternalServerError,
  PartialPublishError: errors.PartialPublishError,
  LateConnectionError: errors.LateConnectionError,
  LateTimeoutError: errors.LateTimeoutError,
  LateAbortError: errors.LateAbortError,
  LateValidationError: errors.LateValidationError,
  WebhookVerificationError: errors.WebhookVerificationError,
}
