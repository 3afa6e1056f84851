'use strict'

/**
 * Auto-pagination over the API's three paging styles.
 *
 * A list method returns a {@link Paginator} synchronously; nothing is sent until it is iterated.
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

const { LateApiError, LateValidationError } = require('./errors.js')
const v = require('./validate.js')

const PAGE_OPTION_KEYS = ['limit']

function isObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x)
}

function num(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined
}

/** The pagination block of a body: `body.pagination`, or the top-level paging fields. */
function paginationOf(body) {
  if (!isObject(body)) return undefined
  if (isObject(body.pagination)) return body.pagination
  const out = {}
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
 * Splits per-call options into request options and the paginator's own (`limit`: most items
 * to yield in total). Throws LateValidationError on a bad `limit`.
 */
function splitPageOptions(options) {
  if (options === undefined || options === null) return { request: undefined, limit: undefined }
  const { limit, ...request } = v.record(options, 'options')
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
    throw new LateValidationError('invalid `options.limit`: expected a positive integer (the most items to return)', {
      param: 'options.limit',
    })
  }
  return { request: Object.keys(request).length ? request : undefined, limit }
}

/**
 * The query of the page after `res`, or `null` when `res` was the last one.
 * `sent` is the query that produced `res`; `seen` holds the cursors already followed.
 */
function nextQuery(sent, body, itemCount, seen, res) {
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
    const q = { ...sent, cursor }
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
    const q = { ...sent, skip }
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
      const q = { ...sent, offset }
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
    const q = { ...sent, page: page + 1 }
    if (q.limit === undefined && size !== undefined) q.limit = size
    return q
  }
  return null
}

/**
 * An async iterable over every item of a paged list.
 *
 * @example
 * for await (const post of late.posts.list({ status: 'scheduled' })) console.log(post._id)
 * for await (const page of late.posts.list({}, { limit: 100 }).pages()) console.log(page.items.length)
 * const all = await late.profiles.list().toArray()
 */
class Paginator {
  #send
  #route
  #params
  #query
  #itemsKey
  #request
  #limit

  /**
   * @param {object} spec
   * @param {(route: string, init: object, options?: object) => Promise<object>} spec.send `requestWithResponse` of a client
   * @param {string} spec.route `'GET /v1/posts'`
   * @param {object} [spec.params] path params
   * @param {object} [spec.query] filters, resent with every page
   * @param {string} spec.itemsKey the body's array field (`posts`, `profiles`, `logs`, `data`)
   * @param {object} [spec.options] per-call options, plus `limit` (most items in total)
   */
  constructor(spec) {
    const s = v.record(spec, 'spec')
    if (s === undefined) throw new LateValidationError('invalid `spec`: a Paginator is made by list methods such as `late.posts.list()`', { param: 'spec' })
    if (typeof s.send !== 'function') throw new LateValidationError('invalid `spec.send`: expected a function', { param: 'spec.send' })
    for (const key of ['route', 'itemsKey']) {
      if (s[key] === undefined) throw new LateValidationError(`invalid \`spec.${key}\`: required, expected a string`, { param: `spec.${key}` })
      v.optionalString(s[key], `spec.${key}`)
    }
    const { request, limit } = splitPageOptions(s.options)
    this.#send = s.send
    this.#route = s.route
    this.#params = v.record(s.params, 'spec.params')
    this.#query = v.record(s.query, 'spec.query') ?? {}
    this.#itemsKey = s.itemsKey
    this.#request = request
    this.#limit = limit
  }

  /** Throws unless `self` is a Paginator (a method called detached gets a clear error). */
  static #own(self, method) {
    if (self === null || typeof self !== 'object' || !(#send in self)) {
      throw new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on a Paginator`, { param: 'this' })
    }
  }

  /** The most items this paginator yields (`options.limit`), or undefined for all. */
  get limit() {
    return this.#limit
  }

  /**
   * Iterates page by page: `{ items, pagination, raw, status, headers, requestId, rateLimit, hasNextPage }`. With a
   * `limit`, the last page's `items` are cut so the total never exceeds it, and no further
   * page is fetched once it is reached.
   */
  async *pages() {
    Paginator.#own(this, 'pages')
    let query = { ...this.#query }
    const seen = new Set()
    if (typeof query.cursor === 'string') seen.add(query.cursor)
    let remaining = this.#limit ?? Infinity
    while (remaining > 0) {
      const init = { query }
      if (this.#params) init.params = this.#params
      const res = await this.#send(this.#route, init, this.#request)
      const body = res.data
      const all = isObject(body) && Array.isArray(body[this.#itemsKey]) ? body[this.#itemsKey] : []
      const items = all.length > remaining ? all.slice(0, remaining) : all
      remaining -= items.length
      const next = remaining > 0 ? nextQuery(query, body, all.length, seen, res) : null
      yield {
        items,
        pagination: paginationOf(body),
        raw: body,
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

  /** Iterates item by item across every page. Breaking out stops further fetches. */
  async *[Symbol.asyncIterator]() {
    Paginator.#own(this, '[Symbol.asyncIterator]')
    for await (const page of this.pages()) yield* page.items
  }

  /** Every item in one array. `limit` here overrides `options.limit` for this call. */
  async toArray(opts) {
    Paginator.#own(this, 'toArray')
    opts = v.record(opts, 'options')
    if (opts !== undefined) v.knownKeys(opts, PAGE_OPTION_KEYS, 'options')
    let cap = this.#limit
    if (opts && opts.limit !== undefined) cap = splitPageOptions({ limit: opts.limit }).limit
    const out = []
    const paginator = cap === this.#limit ? this : this.#withLimit(cap)
    for await (const page of paginator.pages()) out.push(...page.items)
    return out
  }

  #withLimit(limit) {
    return new Paginator({
      send: this.#send,
      route: this.#route,
      params: this.#params,
      query: this.#query,
      itemsKey: this.#itemsKey,
      options: { ...(this.#request || {}), limit },
    })
  }

  get [Symbol.toStringTag]() {
    return 'Paginator'
  }
}

module.exports = { Paginator, paginationOf, nextQuery, splitPageOptions }
