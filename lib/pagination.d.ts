/**
 * Auto-pagination: the list methods of the resources (`late.posts.list()`, `late.profiles.list()`,
 * `late.accounts.list()`, `late.webhooks.logs()`, `late.analytics.delta()`) return a
 * {@link Paginator} synchronously; nothing is sent until it is iterated.
 */

import type { RequestOptions } from '../index'
import type { RateLimitInfo } from './errors'

/**
 * Per-call options of a list method: the usual {@link RequestOptions}, applied to every page,
 * plus `limit`.
 *
 * @example
 * ```ts
 * // at most 100 posts, 50 per request, cancellable
 * for await (const post of late.posts.list({ limit: 50 }, { limit: 100, signal })) console.log(post._id)
 * ```
 */
export interface PageOptions extends RequestOptions {
  /**
   * The most items to return in total, across pages. No page is fetched once it is reached.
   * Not the API's page size: that is the `limit` of the params.
   */
  limit?: number
}

/** The paging fields of a response, whichever style the endpoint uses. */
export interface PaginationInfo {
  page?: number
  pages?: number
  total?: number
  skip?: number
  limit?: number
  hasMore?: boolean
  nextCursor?: string | null
}

/**
 * One page of a list.
 *
 * @example
 * ```ts
 * for await (const page of late.posts.list().pages()) console.log(page.items.length, page.pagination?.total, page.requestId)
 * ```
 */
export interface Page<T, Raw = unknown> {
  /** This page's items (cut short on the last page when `limit` is reached). */
  items: T[]
  /** The paging fields of the response: `body.pagination`, or the top-level ones. */
  pagination: PaginationInfo | undefined
  /** The whole response body. */
  raw: Raw
  /** HTTP status of the response. */
  status: number
  /** Response headers, lower-case names. */
  headers: Record<string, string>
  /** `X-Request-Id` of the response. */
  requestId?: string
  /** `X-RateLimit-*` state of the response. */
  rateLimit?: RateLimitInfo
  /** Whether another page will be fetched after this one. */
  hasNextPage: boolean
}

/**
 * An async iterable over every item of a paged list, across the API's three paging styles
 * (page/limit, skip/limit, cursor). Filters and per-call options are resent with every page;
 * `break` stops fetching; a repeated cursor rejects with a `LateApiError` (`code: 'invalid_response'`).
 *
 * @example
 * ```ts
 * for await (const post of late.posts.list({ status: 'scheduled' })) console.log(post._id)
 * const profiles = await late.profiles.list().toArray()
 * ```
 */
export declare class Paginator<T, Raw = unknown> implements AsyncIterable<T> {
  /** The most items this paginator yields (`options.limit`), or undefined for all. */
  readonly limit: number | undefined
  /**
   * Page by page.
   * @example
   * ```ts
   * for await (const { items, pagination } of late.webhooks.logs({ status: 'failed' }).pages()) console.log(items.length, pagination)
   * ```
   */
  pages(): AsyncGenerator<Page<T, Raw>, void, undefined>
  /**
   * Item by item, across every page.
   * @example
   * ```ts
   * for await (const account of late.accounts.list({ platform: 'instagram' })) console.log(account.username)
   * ```
   */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>
  /**
   * Every item in one array; `limit` caps it (overriding the list call's `options.limit`).
   * @example
   * ```ts
   * const first200 = await late.posts.list({ status: 'published' }).toArray({ limit: 200 })
   * ```
   */
  toArray(options?: { limit?: number }): Promise<T[]>
}
