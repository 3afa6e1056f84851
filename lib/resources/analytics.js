'use strict'

const { Resource, optionalObject } = require('./shared.js')

/** Post analytics (`/v1/analytics`). */
class Analytics extends Resource {
  /**
   * `GET /v1/analytics`: with `postId` one post's analytics (status 202 while syncing; see
   * `.withResponse()`), without it `{ overview, posts, pagination, accounts, hasAnalyticsAccess }`.
   */
  get(params, options) {
    const init = {}
    return this._call('GET /v1/analytics', init, options, {
      check: () => {
        init.query = optionalObject(params, 'params')
      },
    })
  }

  /** `GET /v1/analytics/delta` → Paginator over `data` (the change feed; cursor + `hasMore`). */
  delta(params, options) {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/analytics/delta', { query, itemsKey: 'data' }, options)
  }
}

module.exports = { Analytics }
