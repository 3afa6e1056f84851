import { Resource, callOn, requiredId, requiredObject } from './shared.js'
import * as v from '../validate.js'
import type { CallInit } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams } from '../../types/index.js'

/** Checks `{ profileId, ... }` and returns a copy. */
function withProfile(params: unknown, param = 'params'): Record<string, unknown> {
  const p = requiredObject(params, param)
  requiredId(p.profileId, 'profileId')
  v.optionalId(p.queueId, 'queueId')
  return p
}

/** A call of `route` with the checked copy of `input` as its query or body. */
function slots<T>(self: Resource, route: string, input: unknown, options: RequestOptions | undefined, where: 'query' | 'body'): ApiPromise<T> {
  const init: CallInit = {}
  return callOn(self, route, init, options, {
    check: () => {
      init[where] = withProfile(input, where === 'body' ? 'body' : 'params')
    },
  })
}

/**
 * `late.queue`: posting queues, weekly time slots per profile (`/v1/queue/*`).
 * @example
 * ```ts
 * const { nextSlot } = await late.queue.nextSlot({ profileId })
 * ```
 */
export class Queue extends Resource {
  /**
   * `GET /v1/queue/slots` → `{ exists, schedule, nextSlots }`: the profile's (default or `queueId`)
   * queue, or all with `all: 'true'` → `{ queues, count }`.
   * @example
   * ```ts
   * const { schedule, nextSlots } = await late.queue.get({ profileId })
   * ```
   */
  get(params: QueryParams<'listQueueSlots'>, options?: RequestOptions): ApiPromise<ResponseBody<'listQueueSlots'>> {
    return slots(this, 'GET /v1/queue/slots', params, options, 'query')
  }

  /**
   * `POST /v1/queue/slots` → `{ success, schedule, nextSlots }`: creates a queue.
   * @example
   * ```ts
   * await late.queue.create({ profileId, name: 'Weekdays', timezone: 'Europe/Paris', slots: [{ dayOfWeek: 1, time: '09:00' }] })
   * ```
   */
  create(body: RequestBody<'createQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'createQueueSlot', 201>> {
    return slots(this, 'POST /v1/queue/slots', body, options, 'body')
  }

  /**
   * `PUT /v1/queue/slots` → `{ success, schedule, nextSlots, reshuffledCount?, … }`: replaces a queue's slots (or creates it).
   * @example
   * ```ts
   * await late.queue.update({ profileId, queueId, timezone: 'Europe/Paris', slots: [{ dayOfWeek: 2, time: '10:30' }], reshuffleExisting: true })
   * ```
   */
  update(body: RequestBody<'updateQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'updateQueueSlot'>> {
    return slots(this, 'PUT /v1/queue/slots', body, options, 'body')
  }

  /**
   * `DELETE /v1/queue/slots?profileId&queueId` → `{ success, deleted, deletedCount?, message? }`: deletes a queue.
   * @example
   * ```ts
   * await late.queue.delete({ profileId, queueId })
   * ```
   */
  delete(params: QueryParams<'deleteQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'deleteQueueSlot'>> {
    return slots(this, 'DELETE /v1/queue/slots', params, options, 'query')
  }

  /**
   * `GET /v1/queue/preview` → `{ profileId, queueId, queueName, count, slots }`: the next `count` slot times.
   * @example
   * ```ts
   * const { slots } = await late.queue.preview({ profileId, count: 5 })
   * ```
   */
  preview(params: QueryParams<'previewQueue'>, options?: RequestOptions): ApiPromise<ResponseBody<'previewQueue'>> {
    return slots(this, 'GET /v1/queue/preview', params, options, 'query')
  }

  /**
   * `GET /v1/queue/next-slot` → `{ profileId, nextSlot, timezone, queueId, queueName }`. To schedule
   * into the queue, create the post with `queuedFromProfile` rather than copying this time into
   * `scheduledFor` (which bypasses the queue's locking).
   * @example
   * ```ts
   * const { nextSlot } = await late.queue.nextSlot({ profileId })
   * ```
   */
  nextSlot(params: QueryParams<'getNextQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'getNextQueueSlot'>> {
    return slots(this, 'GET /v1/queue/next-slot', params, options, 'query')
  }
}
