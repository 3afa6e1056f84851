'use strict'

const { Resource, requiredId, requiredObject, v } = require('./shared.js')

/** Checks `{ profileId, ... }` and returns it. */
function withProfile(params, param = 'params') {
  requiredObject(params, param)
  requiredId(params.profileId, 'profileId')
  v.optionalId(params.queueId, 'queueId')
  return params
}

/** Posting queues: weekly time slots per profile (`/v1/queue/*`). */
class Queue extends Resource {
  /**
   * `GET /v1/queue/slots` → `{ exists, schedule, nextSlots }`, or with `all: 'true'`
   * `{ queues, count }`.
   */
  get(params, options) {
    return this._call('GET /v1/queue/slots', { query: params }, options, { check: () => withProfile(params) })
  }

  /** `POST /v1/queue/slots` → `{ success, schedule, nextSlots }`. */
  create(body, options) {
    return this._call('POST /v1/queue/slots', { body }, options, { check: () => withProfile(body, 'body') })
  }

  /** `PUT /v1/queue/slots` → `{ success, schedule, nextSlots, reshuffledCount?, … }`. */
  update(body, options) {
    return this._call('PUT /v1/queue/slots', { body }, options, { check: () => withProfile(body, 'body') })
  }

  /** `DELETE /v1/queue/slots?profileId&queueId` → `{ success, deleted, deletedCount?, message? }`. */
  delete(params, options) {
    return this._call('DELETE /v1/queue/slots', { query: params }, options, { check: () => withProfile(params) })
  }

  /** `GET /v1/queue/preview` → `{ profileId, queueId, queueName, count, slots }`: the next slot times. */
  preview(params, options) {
    return this._call('GET /v1/queue/preview', { query: params }, options, { check: () => withProfile(params) })
  }

  /**
   * `GET /v1/queue/next-slot` → `{ profileId, nextSlot, timezone, queueId, queueName }`. To schedule
   * into the queue, create the post with `queuedFromProfile` instead of copying this time into
   * `scheduledFor` (which bypasses the queue's locking).
   */
  nextSlot(params, options) {
    return this._call('GET /v1/queue/next-slot', { query: params }, options, { check: () => withProfile(params) })
  }
}

module.exports = { Queue }
