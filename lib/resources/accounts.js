'use strict'

const { Resource, requiredId, requiredObject, optionalObject } = require('./shared.js')

/** Connected social accounts (`/v1/accounts`). There is no single-account GET in the API. */
class Accounts extends Resource {
  /**
   * `GET /v1/accounts` → Paginator over `accounts`. Without `page`/`limit` the API returns
   * every account in one page; with `limit` alone it pages by cursor; with `page` by number.
   */
  list(params, options) {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/accounts', { query, itemsKey: 'accounts' }, options)
  }

  /** `PUT /v1/accounts/{accountId}` → `{ message, username, displayName, xCapabilities }`. */
  update(accountId, body, options) {
    const init = { params: { accountId } }
    return this._call('PUT /v1/accounts/{accountId}', init, options, {
      check: () => {
        requiredId(accountId, 'accountId')
        init.body = requiredObject(body, 'body')
      },
    })
  }

  /** `PATCH /v1/accounts/{accountId}` with `{ profileId }`: moves the account → `{ message, profileId }`. */
  move(accountId, profileId, options) {
    return this._call('PATCH /v1/accounts/{accountId}', { params: { accountId }, body: { profileId } }, options, {
      check: () => {
        requiredId(accountId, 'accountId')
        requiredId(profileId, 'profileId')
      },
    })
  }

  /** `DELETE /v1/accounts/{accountId}`: disconnects the account → `{ message }`. */
  disconnect(accountId, options) {
    return this._call('DELETE /v1/accounts/{accountId}', { params: { accountId } }, options, {
      check: () => requiredId(accountId, 'accountId'),
    })
  }

  /**
   * Health of one account (`health(accountId)` → `GET /v1/accounts/{accountId}/health`) or of
   * all (`health({ profileId?, platform?, status? })` → `GET /v1/accounts/health`).
   */
  health(accountIdOrParams, options) {
    if (typeof accountIdOrParams === 'string') {
      const accountId = accountIdOrParams
      return this._call('GET /v1/accounts/{accountId}/health', { params: { accountId } }, options, {
        check: () => requiredId(accountId, 'accountId'),
      })
    }
    const init = {}
    return this._call('GET /v1/accounts/health', init, options, {
      check: () => {
        init.query = optionalObject(accountIdOrParams, 'params')
      },
    })
  }
}

module.exports = { Accounts }
