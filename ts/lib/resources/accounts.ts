import { Resource, requiredId, requiredObject, optionalObject } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { Paginator, PageOptions } from '../pagination.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams, SocialAccount } from '../../types/index.js'

/**
 * `late.accounts`: connected social accounts (`/v1/accounts`). There is no single-account GET in the API.
 * @example
 * ```ts
 * for await (const account of late.accounts.list({ platform: 'instagram' })) console.log(account._id)
 * ```
 */
export class Accounts extends Resource {
  /**
   * `GET /v1/accounts`, every page (a Paginator over `accounts`). Without `page`/`limit` the API
   * answers with every account at once; with `limit` alone it pages by cursor; with `page` by number.
   * @example
   * ```ts
   * for await (const account of late.accounts.list({ profileId, platform: 'instagram' })) console.log(account.username)
   * ```
   */
  list(params?: QueryParams<'listAccounts'>, options?: PageOptions): Paginator<SocialAccount, ResponseBody<'listAccounts'>> {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/accounts', { query, itemsKey: 'accounts' }, options)
  }

  /**
   * `PUT /v1/accounts/{accountId}` → `{ message, username, displayName, xCapabilities }`.
   * @example
   * ```ts
   * await late.accounts.update(accountId, { displayName: 'Acme Support' })
   * ```
   */
  update(accountId: string, body: RequestBody<'updateAccount'>, options?: RequestOptions): ApiPromise<ResponseBody<'updateAccount'>> {
    const init: { params: { accountId: string }; body?: Record<string, unknown> } = { params: { accountId } }
    return this._call('PUT /v1/accounts/{accountId}', init, options, {
      check: () => {
        requiredId(accountId, 'accountId')
        init.body = requiredObject(body, 'body')
      },
    })
  }

  /**
   * `PATCH /v1/accounts/{accountId}` with `{ profileId }`: moves the account to another profile → `{ message, profileId }`.
   * @example
   * ```ts
   * await late.accounts.move(accountId, otherProfileId)
   * ```
   */
  move(accountId: string, profileId: string, options?: RequestOptions): ApiPromise<ResponseBody<'moveAccountToProfile'>> {
    return this._call('PATCH /v1/accounts/{accountId}', { params: { accountId }, body: { profileId } }, options, {
      check: () => {
        requiredId(accountId, 'accountId')
        requiredId(profileId, 'profileId')
      },
    })
  }

  /**
   * `DELETE /v1/accounts/{accountId}`: disconnects the account → `{ message }`.
   * @example
   * ```ts
   * await late.accounts.disconnect(accountId)
   * ```
   */
  disconnect(accountId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteAccount'>> {
    return this._call('DELETE /v1/accounts/{accountId}', { params: { accountId } }, options, {
      check: () => requiredId(accountId, 'accountId'),
    })
  }

  /**
   * `GET /v1/accounts/{accountId}/health`: token validity, permissions, issues, recommendations.
   * @example
   * ```ts
   * const { status, issues } = await late.accounts.health(accountId)
   * ```
   */
  health(accountId: string, options?: RequestOptions): ApiPromise<ResponseBody<'getAccountHealth'>>
  /**
   * `GET /v1/accounts/health`: every account's health and a summary.
   * @example
   * ```ts
   * const { summary } = await late.accounts.health({ status: 'error' })
   * ```
   */
  health(params?: QueryParams<'getAllAccountsHealth'>, options?: RequestOptions): ApiPromise<ResponseBody<'getAllAccountsHealth'>>
  health(
    accountIdOrParams?: string | QueryParams<'getAllAccountsHealth'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'getAccountHealth'>> | ApiPromise<ResponseBody<'getAllAccountsHealth'>> {
    if (typeof accountIdOrParams === 'string') {
      const accountId = accountIdOrParams
      return this._call<ResponseBody<'getAccountHealth'>>('GET /v1/accounts/{accountId}/health', { params: { accountId } }, options, {
        check: () => requiredId(accountId, 'accountId'),
      })
    }
    const init: { query?: Record<string, unknown> } = {}
    return this._call<ResponseBody<'getAllAccountsHealth'>>('GET /v1/accounts/health', init, options, {
      check: () => {
        init.query = optionalObject(accountIdOrParams, 'params')
      },
    })
  }
}
