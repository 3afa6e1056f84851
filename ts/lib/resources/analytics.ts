import { Resource, optionalObject } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { Paginator, PageOptions } from '../pagination.js'
import type { RequestOptions } from '../../index.js'
import type { ResponseBody, QueryParams } from '../../types/index.js'

/**
 * One entry of the analytics change feed.
 * @example
 * ```ts
 * const changes: AnalyticsDeltaItem[] = await late.analytics.delta({ profileId }).toArray()
 * ```
 */
export type AnalyticsDeltaItem = ResponseBody<'getAnalyticsDelta'>['data'][number]

/**
 * `late.analytics`: post analytics and the change feed (`/v1/analytics`).
 * @example
 * ```ts
 * const overview = await late.analytics.get()
 * ```
 */
export class Analytics extends Resource {
  /**
   * `GET /v1/analytics`: one post's analytics with `postId` (status 202 while syncing, see
   * `.withResponse()`), else an overview `{ overview, posts, pagination, accounts, hasAnalyticsAccess }`
   * with a page of posts.
   * @example
   * ```ts
   * const { data, status } = await late.analytics.get({ postId }).withResponse()
   * if (status === 202) console.log('still syncing')
   * ```
   */
  get(
    params?: QueryParams<'getAnalytics'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'getAnalytics'> | ResponseBody<'getAnalytics', 202>> {
    const init: { query?: Record<string, unknown> } = {}
    return this._call('GET /v1/analytics', init, options, {
      check: () => {
        init.query = optionalObject(params, 'params')
      },
    })
  }

  /**
   * `GET /v1/analytics/delta`, every page (a Paginator over `data`; cursor + `hasMore`): metrics that changed.
   * @example
   * ```ts
   * for await (const change of late.analytics.delta({ profileId })) console.log(change.postId, change.metrics)
   * ```
   */
  delta(params?: QueryParams<'getAnalyticsDelta'>, options?: PageOptions): Paginator<AnalyticsDeltaItem, ResponseBody<'getAnalyticsDelta'>> {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/analytics/delta', { query, itemsKey: 'data' }, options)
  }
}
