'use strict'

const { Resource, requiredId, requiredObject, requiredString, optionalObject, optionalArray, field, v } = require('./shared.js')
const { LateValidationError } = require('../errors.js')

/** Webhook endpoints, test sends and delivery logs (`/v1/webhooks/*`). */
class Webhooks extends Resource {
  /** `GET /v1/webhooks/settings` → every webhook (the `webhooks` array). */
  list(options) {
    return this._call('GET /v1/webhooks/settings', {}, options, { unwrap: field('webhooks') })
  }

  /** `POST /v1/webhooks/settings` → the created webhook (at most 50 per user). */
  create(body, options) {
    const init = {}
    return this._call('POST /v1/webhooks/settings', init, options, {
      check: () => {
        const b = (init.body = requiredObject(body, 'body'))
        requiredString(b.name, 'name')
        requiredString(b.url, 'url')
        if ((b.events = optionalArray(b.events, 'events')) === undefined) {
          throw new LateValidationError('invalid `events`: required, expected an array of event names', { param: 'events' })
        }
      },
      unwrap: field('webhook'),
    })
  }

  /** `PUT /v1/webhooks/settings` with `webhookId` and the fields to change → the updated webhook. */
  update(webhookId, body, options) {
    const init = {}
    return this._call('PUT /v1/webhooks/settings', init, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        init.body = { ...optionalObject(body, 'body'), webhookId }
      },
      unwrap: field('webhook'),
    })
  }

  /** `DELETE /v1/webhooks/settings?webhookId=` → `{ success }`. */
  delete(webhookId, options) {
    return this._call('DELETE /v1/webhooks/settings', { query: { webhookId } }, options, {
      check: () => requiredId(webhookId, 'webhookId'),
    })
  }

  /** `POST /v1/webhooks/test`: sends `webhook.test`, or a sample of `event` → `{ success, message }`. */
  test(webhookId, params, options) {
    const init = {}
    return this._call('POST /v1/webhooks/test', init, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        const p = optionalObject(params, 'params')
        v.optionalString(p.event, 'event')
        init.body = { ...p, webhookId }
      },
    })
  }

  /** `GET /v1/webhooks/logs` → Paginator over `logs` (skip/limit; kept 30 days). */
  logs(params, options) {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/webhooks/logs', { query, itemsKey: 'logs' }, options)
  }

  /** `POST /v1/webhooks/logs/redeliver`: sends a logged event again → `{ success, message }`. */
  redeliver(webhookId, eventId, options) {
    return this._call('POST /v1/webhooks/logs/redeliver', { body: { webhookId, eventId } }, options, {
      check: () => {
        requiredId(webhookId, 'webhookId')
        requiredString(eventId, 'eventId')
      },
    })
  }
}

module.exports = { Webhooks }
