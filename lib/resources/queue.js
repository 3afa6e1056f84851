'use strict'

const { Resource, requiredId, requiredObject, v } = require('./shared.js')

/** Checks `{ profileId, ... }` and returns a copy. */
function withProfile(params, param = 'params') {
  const p = requiredObject(params, param)
  requiredId(p.profileId, 'profileId')
  v.optionalId(p.queueId, 'queueId')
  return p
}

/** `_call` of `route` with the checked copy of `input` as its query or body. */
function slots(self, route, input, options, where) {
  const init = {}
  return self._call(route, init, options, {
    check: () => {
      init[where] = withProfile(input, where === 'body' ? 'body' : 'params')
    },
  })
}

/** Posting queues: weekly time slots per profile (`/v1/queue/*`). */
class Queue extends Resource {
  /**
   * `GET /v1/queue/slots` → `{ exists, schedule, nextSlots }`, or with `all: 'true'`
   * `{ queues, count }`.
   */
  get(params, options) {
    return slots(this, 'GET /v1/queue/slots', params, options, 'query')
  }

  /** `POST /v1/queue/slots` → `{ success, schedule, nextSlots }`. */
  create(body, options) {
    return slots(this, 'POST /v1/queue/slots', body, options, 'body')
  }

  /** `PUT /v1/queue/slots` → `{ success, schedule, nextSlots, reshuffledCount?, … }`. */
  update(body, options) {
    return slots(this, 'PUT /v1/queue/slots', body, options, 'body')
  }

  /** `DELETE /v1/queue/slots?profileId&queueId` → `{ success, deleted, deletedCount?, message? }`. */
  delete(params, options) {
    return slots(this, 'DELETE /v1/queue/slots', params, options, 'query')
  }

  /** `GET /v1/queue/preview` → `{ profileId, queueId, queueName, count, slots }`: the next slot times. */
  preview(params, options) {
    return slots(this, 'GET /v1/queue/preview', params, options, 'query')
  }

  /**
   * `GET /v1/queue/next-slot` → `{ profileId, nextSlot, timezone, queueId, queueName }`. To schedule
   * into the queue, create the post with `queuedFromProfile` instead of copying this time into
   * `scheduledFor` (which bypasses the queue's locking).
   */
  nextSlot(params, options) {
    return slots(this, 'GET /v1/queue/next-slot', params, options, 'query')
  }
}

module.exports = { Queue }
