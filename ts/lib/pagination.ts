/**
 * Auto-pagination over the API's three paging styles: the list methods of the resources
 * (`late.posts.list()`, `late.profiles.list()`, `late.accounts.list()`, `late.webhooks.logs()`,
 * `late.analytics.delta()`) return a {@link Paginator} synchronously; nothing is sent until it is
 * iterated.
 *
 * - page/limit: `pagination { page, limit, total, pages }` → the next request adds `page + 1`.
 * - skip/limit: `{ total, skip, limit }` at the top level (profiles) or
 *   `pagination { total, limit, skip, pages, hasMore }` (webhook logs) → next `skip += items`.
 * - cursor: `pagination.nextCursor` (posts, accounts) or top-level `nextCursor` + `hasMore`
 *   (analytics delta) → the next request adds `cursor` and drops `page`/`skip`/`offset`.
 *
 * Every page resends the caller's filters unchanged and the same per-call options (signal,
 * timeouts, headers). Progress is computed from what was sent, never from what the server
 * echoes, so a server that repeats itself cannot cause an endless loop; a repeated cursor
 * rejects with a `LateApiError` (`code: 'invalid_response'`) instead of silently truncating.
 */

import { LateApiError, LateValidationError } from './errors.js'
import type { RateLimitInfo } from './errors.js'
import * as v from './validate.js'
import type { RequestOptions } from '../index.js'

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

/**
 * The paging fields of a response, whichever style the endpoint uses.
 * @example
 * ```ts
 * const { pagination } = (await late.posts.list().pages().next()).value ?? {}
 * console.log(pagination?.total)
 * ```
 */
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

/** A query as sent: the caller's filters plus the paging fields this module adds. */
type Query = Record<string, unknown>

/** @internal What a page request sends: the query, and the path parameters when the route has any. */
export interface PageInit {
  query: Query
  params?: Record<string, unknown>
}

/** @internal What the paginator reads of a response (`requestWithResponse` resolves to more). */
export interface PageResponse {
  data: unknown
  status: number
  headers: Record<string, string>
  requestId?: string
  rateLimit?: RateLimitInfo
}

/**
 * How a {@link Paginator} is made (by the list methods: `late.posts.list()`, …).
 * @example
 * ```ts
 * const logs = new Paginator({ send: (route, init, o) => late.requestWithResponse(route, init, o), route: 'GET /v1/webhooks/logs', itemsKey: 'logs' })
 * ```
 */
export interface PaginatorSpec {
  /** `requestWithResponse` of a client. */
  send: (route: string, init: PageInit, options?: RequestOptions) => Promise<PageResponse>
  /** `'GET /v1/posts'`. */
  route: string
  /** Path parameters. */
  params?: Record<string, unknown>
  /** Filters, resent with every page. */
  query?: Record<string, unknown>
  /** The body's array field (`posts`, `profiles`, `logs`, `data`). */
  itemsKey: string
  /** Per-call options, plus `limit` (most items in total). */
  options?: PageOptions
}

/** What a page request's response says of its position: where the next request is computed from. */
interface Position {
  status: number
  requestId?: string
  headers?: Record<string, string>
}

const PAGE_OPTION_KEYS: readonly string[] = ['limit']

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x)
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined
}

/**
 * @internal The pagination block of a body: `body.pagination`, or the top-level paging fields
 * (as the API sent them: read through {@link num} before use).
 */
export function paginationOf(body: unknown): Record<string, unknown> | undefined {
  if (!isObject(body)) return undefined
  if (isObject(body.pagination)) return body.pagination
  const out: Record<string, unknown> = {}
  let found = false
  for (const key of ['page', 'pages', 'total', 'skip', 'limit', 'nextCursor', 'hasMore']) {
    if (key in body) {
      out[key] = body[key]
      found = true
    }
  }
  return found ? out : undefined
}

/**
 * @internal Splits per-call options into request options and the paginator's own (`limit`: most
 * items to yield in total). Throws LateValidationError on a bad `limit`.
 */
export function splitPageOptions(options: unknown): { request: RequestOptions | undefined; limit: number | undefined } {
  if (options === undefined || options === null) return { request: undefined, limit: undefined }
  const { limit, ...request } = v.record(options, 'options')
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
    throw new LateValidationError('invalid `options.limit`: expected a positive integer (the most items to return)', {
      param: 'options.limit',
    })
  }
  // `request` is the caller's, unchecked here: the transport checks it (callOptions) when sent.
  return { request: Object.keys(request).length ? (request as RequestOptions) : undefined, limit: limit as number | undefined }
}

/**
 * @internal The query of the page after `res`, or `null` when `res` was the last one.
 * `sent` is the query that produced `res`; `seen` holds the cursors already followed.
 */
export function nextQuery<Q extends object>(query: Q, body: unknown, itemCount: number, seen: Set<string>, res: Position): Q | null {
  // The next query is `query` with its page fields moved on: the same shape as the caller's.
  return nextPage(query as Query, body, itemCount, seen, res) as Q | null
}

function nextPage(sent: Query, body: unknown, itemCount: number, seen: Set<string>, res: Position): Query | null {
  const pg = paginationOf(body)
  if (!pg || itemCount === 0) return null
  if (pg.hasMore === false) return null
  // Cursor style: a non-empty nextCursor wins. A null one ends a cursor walk, but not a
  // page walk: posts send `nextCursor: null` with `sortBy=status|platform` on every page.
  const cursor = pg.nextCursor
  if ('nextCursor' in pg && (typeof cursor !== 'string' || cursor === '')) {
    if (sent.cursor !== undefined || !('page' in pg || 'pages' in pg || 'skip' in pg)) return null
  }
  if (typeof cursor === 'string' && cursor !== '') {
    if (seen.has(cursor)) {
      throw new LateApiError('the API returned the same page cursor twice; stopped to avoid an endless loop', {
        status: res.status,
        code: 'invalid_response',
        requestId: res.requestId,
        headers: res.headers,
        body,
      })
    }
    seen.add(cursor)
    const q: Query = { ...sent, cursor }
    delete q.page
    delete q.skip
    delete q.offset
    if (q.limit === undefined && num(pg.limit) !== undefined) q.limit = pg.limit
    return q
  }
  // Skip style: next skip = what we skipped + what we got.
  if ('skip' in pg) {
    const skip = (num(Number(sent.skip)) ?? 0) + itemCount
    const total = num(pg.total)
    if (pg.hasMore !== true && total !== undefined && skip >= total) return null
    if (pg.hasMore !== true && total === undefined) return null
    const q: Query = { ...sent, skip }
    if (q.limit === undefined && num(pg.limit) !== undefined) q.limit = pg.limit
    return q
  }
  // Page style: next page = the page we asked for + 1.
  if ('page' in pg || 'pages' in pg) {
    if (sent.offset !== undefined) {
      // `offset` takes precedence over `page` on the server: advance it by what came back.
      const offset = (num(Number(sent.offset)) ?? 0) + itemCount
      const total = num(pg.total)
      if (total !== undefined ? offset >= total : pg.hasMore !== true) return null
      const q: Query = { ...sent, offset }
      if (q.limit === undefined && num(pg.limit) !== undefined) q.limit = pg.limit
      return q
    }
    const page = num(Number(sent.page)) ?? 1
    const pages = num(pg.pages)
    const total = num(pg.total)
    const size = num(pg.limit) ?? num(Number(sent.limit))
    if (pages !== undefined && page >= pages) return null
    if (pages === undefined && total !== undefined && size !== undefined && page * size >= total) return null
    if (pages === undefined && total === undefined && pg.hasMore !== true) return null
    const q: Query = { ...sent, page: page + 1 }
    if (q.limit === undefined && size !== undefined) q.limit = size
    return q
  }
  return null
}

/**
 * An async iterable over every item of a paged list, across the API's three paging styles
 * (page/limit, skip/limit, cursor). Filters and per-call options are resent with every page;
 * `break` stops fetching; a repeated cursor rejects with a `LateApiError` (`code: 'invalid_response'`).
 *
 * @example
 * ```ts
 * for await (const post of late.posts.list({ status: 'scheduled' })) console.log(post._id)
 * for await (const page of late.posts.list({}, { limit: 100 }).pages()) console.log(page.items.length)
 * const profiles = await late.profiles.list().toArray()
 * ```
 */
export class Paginator<T, Raw = unknown> implements AsyncIterable<T> {
  #send: PaginatorSpec['send']
  #route: string
  #params: Record<string, unknown> | undefined
  #query: Query
  #itemsKey: string
  #request: RequestOptions | undefined
  #limit: number | undefined

  /**
   * Made by the list methods (`late.posts.list()`, …); checks `spec` (a LateValidationError names what is wrong).
   * @example
   * ```ts
   * const logs = new Paginator({ send: (route, init, o) => late.requestWithResponse(route, init, o), route: 'GET /v1/webhooks/logs', itemsKey: 'logs' })
   * ```
   */
  constructor(spec: PaginatorSpec) {
    const s = v.record<{ [K in keyof PaginatorSpec]?: unknown }>(spec, 'spec')
    if (s === undefined) throw new LateValidationError('invalid `spec`: a Paginator is made by list methods such as `late.posts.list()`', { param: 'spec' })
    if (typeof s.send !== 'function') throw new LateValidationError('invalid `spec.send`: expected a function', { param: 'spec.send' })
    for (const key of ['route', 'itemsKey'] as const) {
      if (s[key] === undefined) throw new LateValidationError(`invalid \`spec.${key}\`: required, expected a string`, { param: `spec.${key}` })
      v.optionalString(s[key], `spec.${key}`)
    }
    const { request, limit } = splitPageOptions(s.options)
    this.#send = s.send as PaginatorSpec['send']
    this.#route = s.route as string
    this.#params = v.record(s.params, 'spec.params')
    this.#query = v.record(s.query, 'spec.query') ?? {}
    this.#itemsKey = s.itemsKey as string
    this.#request = request
    this.#limit = limit
  }

  /** Throws unless `self` is a Paginator (a method called detached gets a clear error). */
  static #own(self: unknown, method: string): void {
    if (self === null || typeof self !== 'object' || !(#send in self)) {
      throw new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on a Paginator`, { param: 'this' })
    }
  }

  /**
   * The most items this paginator yields (`options.limit`), or undefined for all.
   * @example
   * ```ts
   * late.posts.list({}, { limit: 100 }).limit // 100
   * ```
   */
  get limit(): number | undefined {
    return this.#limit
  }

  /**
   * Page by page: `{ items, pagination, raw, status, headers, requestId, rateLimit, hasNextPage }`.
   * With a `limit`, the last page's `items` are cut so the total never exceeds it, and no further
   * page is fetched once it is reached.
   * @example
   * ```ts
   * for await (const { items, pagination } of late.webhooks.logs({ status: 'failed' }).pages()) console.log(items.length, pagination)
   * ```
   */
  async *pages(): AsyncGenerator<Page<T, Raw>, void, undefined> {
    Paginator.#own(this, 'pages')
    let query: Query = { ...this.#query }
    const seen = new Set<string>()
    if (typeof query.cursor === 'string') seen.add(query.cursor)
    let remaining = this.#limit ?? Infinity
    while (remaining > 0) {
      const init: PageInit = { query }
      if (this.#params) init.params = this.#params
      const res = await this.#send(this.#route, init, this.#request)
      const body = res.data
      // The items and the body are the API's, typed by the list method that made this paginator.
      const all = (isObject(body) && Array.isArray(body[this.#itemsKey]) ? body[this.#itemsKey] : []) as T[]
      const items = all.length > remaining ? all.slice(0, remaining) : all
      remaining -= items.length
      const next = remaining > 0 ? nextQuery(query, body, all.length, seen, res) : null
      yield {
        items,
        pagination: paginationOf(body) as PaginationInfo | undefined,
        raw: body as Raw,
        status: res.status,
        headers: res.headers,
        requestId: res.requestId,
        rateLimit: res.rateLimit,
        hasNextPage: next !== null,
      }
      if (next === null) return
      query = next
    }
  }

  /**
   * Item by item, across every page. Breaking out stops further fetches.
   * @example
   * ```ts
   * for await (const account of late.accounts.list({ platform: 'instagram' })) console.log(account.username)
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    Paginator.#own(this, '[Symbol.asyncIterator]')
    for await (const page of this.pages()) yield* page.items
  }

  /**
   * Every item in one array; `limit` caps it (overriding the list call's `options.limit`).
   * @example
   * ```ts
   * const first200 = await late.posts.list({ status: 'published' }).toArray({ limit: 200 })
   * ```
   */
  async toArray(options?: { limit?: number }): Promise<T[]> {
    Paginator.#own(this, 'toArray')
    const opts = v.record<{ limit?: unknown }>(options, 'options')
    if (opts !== undefined) v.knownKeys(opts, PAGE_OPTION_KEYS, 'options')
    let cap = this.#limit
    if (opts && opts.limit !== undefined) cap = splitPageOptions({ limit: opts.limit }).limit
    const out: T[] = []
    const paginator = cap === this.#limit ? this : this.#withLimit(cap)
    for await (const page of paginator.pages()) out.push(...page.items)
    return out
  }

  #withLimit(limit: number | undefined): Paginator<T, Raw> {
    return new Paginator<T, Raw>({
      send: this.#send,
      route: this.#route,
      params: this.#params,
      query: this.#query,
      itemsKey: this.#itemsKey,
      options: { ...(this.#request || {}), limit },
    })
  }

  get [Symbol.toStringTag](): string {
    return 'Paginator'
  }
}
