import { Resource, requiredId, requiredObject, requiredString, optionalObject, optionalArray, field } from './shared.js'
import * as v from '../validate.js'
import type { ApiPromise } from './api-promise.js'
import { LateValidationError } from '../errors.js'
import type { Paginator, PageOptions } from '../pagination.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams, Webhook, WebhookLog } from '../../types/index.js'

/**
 * `late.webhooks`: webhook endpoints, test sends and delivery logs (`/v1/webhooks/*`).
 * @example
 * ```ts
 * for (const hook of await late.webhooks.list()) console.log(hook.name, hook.url)
 * ```
 */
export class Webhooks extends Resource {
  /**
   * `GET /v1/webhooks/settings` → every webhook (the `webhooks` array).
   * @example
   * ```ts
   * const webhooks = await late.webhooks.list()
   * ```
   */
  list(options?: RequestOptions): ApiPromise<Webhook[]> {
    return this._call('GET /v1/webhooks/settings', {}, options, { unwrap: field<Webhook[]>('webhooks') })
  }

  /**
   * `POST /v1/webhooks/settings` → the created webhook (at most 50 per user).
   * @example
   * ```ts
   * const hook = await late.webhooks.create({ name: 'prod', url: 'https://app.example.com/late', events: ['account.connected'], secret })
   * ```
   */
  create(body: RequestBody<'createWebhookSettings'>, options?: RequestOptions): ApiPromise<Webhook> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('POST /v1/webhooks/settings', init, options, {
      check: () => {
        const b = (init.body = requiredObject(body, 'body'))
        requiredString(b.name, 'name')
        requiredString(b.url, 'url')
        if ((b.events = optionalArray(b.events, 'events')) === undefined) {
          throw new LateValidationError('invalid `events`: required, expected an array of event names', { param: 'events' })
        }
      },
      unwrap: field<Webhook>('webhook'),
    })
  }

  /**
   * `PUT /v1/webhooks/settings` with `webhookId` and the fields to change → the updated webhook.
   * @example
   * ```ts
   * await late.webhooks.update(webhookId, { isActive: false })
   * ```
   */
  update(
    webhookId: string,
    body: Omit<RequestBody<'updateWebhookSettings'>, 'webhookId' | '_id'>,
    options?: RequestOptions,
  ): ApiPromise<Webhook> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('PUT /v1/webhooks/settings', init, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        init.body = { ...optionalObject(body, 'body'), webhookId }
      },
      unwrap: field<Webhook>('webhook'),
    })
  }

  /**
   * `DELETE /v1/webhooks/settings?webhookId=` → `{ success }`.
   * @example
   * ```ts
   * await late.webhooks.delete(webhookId)
   * ```
   */
  delete(webhookId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteWebhookSettings'>> {
    return this._call('DELETE /v1/webhooks/settings', { query: { webhookId } }, options, {
      check: () => requiredId(webhookId, 'webhookId'),
    })
  }

  /**
   * `POST /v1/webhooks/test` → `{ success, message }`: sends `webhook.test`, or a sample of `event`.
   * @example
   * ```ts
   * await late.webhooks.test(webhookId, { event: 'post.published' })
   * ```
   */
  test(
    webhookId: string,
    params?: Omit<RequestBody<'testWebhook'>, 'webhookId'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'testWebhook'>> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('POST /v1/webhooks/test', init, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        const p = optionalObject(params, 'params')
        v.optionalString(p.event, 'event')
        init.body = { ...p, webhookId }
      },
    })
  }

  /**
   * `GET /v1/webhooks/logs`, every page (a Paginator over `logs`; skip/limit; logs are kept 30 days).
   * @example
   * ```ts
   * for await (const log of late.webhooks.logs({ status: 'failed' })) console.log(log.event, log.statusCode)
   * ```
   */
  logs(params?: QueryParams<'getWebhookLogs'>, options?: PageOptions): Paginator<WebhookLog, ResponseBody<'getWebhookLogs'>> {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/webhooks/logs', { query, itemsKey: 'logs' }, options)
  }

  /**
   * `POST /v1/webhooks/logs/redeliver` → `{ success, message }`: sends a logged event again.
   * @example
   * ```ts
   * await late.webhooks.redeliver(webhookId, eventId)
   * ```
   */
  redeliver(webhookId: string, eventId: string, options?: RequestOptions): ApiPromise<ResponseBody<'redeliverWebhookEvent'>> {
    return this._call('POST /v1/webhooks/logs/redeliver', { body: { webhookId, eventId } }, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        requiredString(eventId, 'eventId')
      },
    })
  }
}
