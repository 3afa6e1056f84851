/**
 * The connect steps after the OAuth URL (`late.connect(platform)` gives the URL): the
 * selection screens of headless / Facebook-login flows, and credential connects.
 *
 * Where the spec accepts the short-lived `X-Connect-Token` (the `connect_token` of the
 * redirect), pass it as `connectToken` in the params or body: it is sent as that header,
 * never in the query or body.
 */

import { Resource, callOn, requiredId, requiredObject, requiredString, optionalObject, omit } from './shared.js'
import type { CallInit } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import { LateValidationError } from '../errors.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams } from '../../types/index.js'

/**
 * The short-lived `X-Connect-Token` (the redirect's `connect_token`), sent as that header.
 * @example
 * ```ts
 * const params: ConnectTokenParam = { connectToken: new URL(redirect).searchParams.get('connect_token') ?? undefined }
 * ```
 */
export interface ConnectTokenParam {
  /** Sent as the `X-Connect-Token` header, never in the query or body. */
  connectToken?: string
}

/** Splits `{ connectToken, ...rest }` into the rest and the header init. */
function token(
  input: Record<string, unknown>,
  param: string,
  { required = false }: { required?: boolean } = {},
): { rest: Record<string, unknown>; headers: Record<string, string> | undefined } {
  const connectToken = input.connectToken
  if (required) requiredString(connectToken, `${param}.connectToken`)
  else if (connectToken !== undefined) requiredString(connectToken, `${param}.connectToken`)
  return {
    rest: omit(input, ['connectToken']),
    // A string when defined: checked by requiredString just above.
    headers: connectToken === undefined ? undefined : { 'X-Connect-Token': connectToken as string },
  }
}

/** Builds a GET step: checks `required` query fields, moves `connectToken` to the header. */
function getStep<T>(
  self: Resource,
  route: string,
  params: unknown,
  options: RequestOptions | undefined,
  { required = [], needsToken = false }: { required?: readonly string[]; needsToken?: boolean } = {},
): ApiPromise<T> {
  const init: CallInit = {}
  return callOn(self, route, init, options, {
    check: () => {
      const p = required.length || needsToken ? requiredObject(params, 'params') : optionalObject(params, 'params')
      for (const name of required) requiredString(p[name], name)
      const { rest, headers } = token(p, 'params', { required: needsToken })
      init.query = rest
      if (headers) init.headers = headers
    },
  })
}

/** Builds a POST step: checks `required` body fields, moves `connectToken` to the header. */
function postStep<T>(
  self: Resource,
  route: string,
  body: unknown,
  options: RequestOptions | undefined,
  { required = [], ids = [] }: { required?: readonly string[]; ids?: readonly string[] } = {},
): ApiPromise<T> {
  const init: CallInit = {}
  return callOn(self, route, init, options, {
    check: () => {
      const b = requiredObject(body, 'body')
      for (const name of ids) requiredId(b[name], name)
      for (const name of required) {
        if (b[name] === undefined || b[name] === null || b[name] === '') {
          throw new LateValidationError(`invalid \`${name}\`: required`, { param: name })
        }
      }
      const { rest, headers } = token(b, 'body')
      init.body = rest
      if (headers) init.headers = headers
    },
  })
}

/**
 * `late.connectFlow`: the connect steps after the OAuth URL of `late.connect(platform)`: the
 * selection screens of the headless and Facebook-login flows, and credential connects (`/v1/connect/*`).
 * @example
 * ```ts
 * const { pages } = await late.connectFlow.listFacebookPages({ profileId, tempToken, connectToken })
 * ```
 */
export class ConnectFlow extends Resource {
  /**
   * `GET /v1/connect/facebook/select-page` → `{ pages, truncated? }`: the Facebook Pages to choose from.
   * @example
   * ```ts
   * const { pages } = await late.connectFlow.listFacebookPages({ profileId, tempToken, connectToken })
   * ```
   */
  listFacebookPages(
    params?: QueryParams<'listFacebookPages'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listFacebookPages'>> {
    return getStep(this, 'GET /v1/connect/facebook/select-page', params, options)
  }

  /**
   * `POST /v1/connect/facebook/select-page` → `{ message, redirect_url, account, … }`: connects the chosen Page.
   * @example
   * ```ts
   * const { account } = await late.connectFlow.selectFacebookPage({ profileId, pageId, tempToken, userProfile })
   * ```
   */
  selectFacebookPage(
    body: RequestBody<'selectFacebookPage'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectFacebookPage'>> {
    return postStep(this, 'POST /v1/connect/facebook/select-page', body, options)
  }

  /**
   * `GET /v1/connect/instagram/select-account` (Instagram through Facebook login) → `{ pages }`: the Pages with their Instagram accounts.
   * @example
   * ```ts
   * const { pages } = await late.connectFlow.listInstagramAccounts({ profileId, tempToken })
   * ```
   */
  listInstagramAccounts(
    params: QueryParams<'listInstagramPages'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listInstagramPages'>> {
    return getStep(this, 'GET /v1/connect/instagram/select-account', params, options, { required: ['profileId'] })
  }

  /**
   * `POST /v1/connect/instagram/select-account` → `{ message, redirect_url, account, … }`: connects the chosen Instagram account.
   * @example
   * ```ts
   * const { account } = await late.connectFlow.selectInstagramAccount({ profileId, pageId, tempToken })
   * ```
   */
  selectInstagramAccount(
    body: RequestBody<'selectInstagramAccount'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectInstagramAccount'>> {
    return postStep(this, 'POST /v1/connect/instagram/select-account', body, options, { ids: ['profileId'] })
  }

  /**
   * `GET /v1/connect/linkedin/organizations?tempToken&orgIds` → `{ organizations }`: details of the organizations the member administers.
   * @example
   * ```ts
   * const { organizations } = await late.connectFlow.listLinkedInOrganizations({ tempToken, orgIds: '123,456' })
   * ```
   */
  listLinkedInOrganizations(
    params: QueryParams<'listLinkedInOrganizations'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listLinkedInOrganizations'>> {
    return getStep(this, 'GET /v1/connect/linkedin/organizations', params, options, { required: ['tempToken', 'orgIds'] })
  }

  /**
   * `POST /v1/connect/linkedin/select-organization` → `{ message, redirect_url, account, … }`: connects the personal profile or an organization.
   * @example
   * ```ts
   * await late.connectFlow.selectLinkedInOrganization({ profileId, tempToken, userProfile, accountType: 'organization', selectedOrganization: { id: '123' } })
   * ```
   */
  selectLinkedInOrganization(
    body: RequestBody<'selectLinkedInOrganization'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectLinkedInOrganization'>> {
    return postStep(this, 'POST /v1/connect/linkedin/select-organization', body, options, {
      ids: ['profileId'],
      required: ['tempToken', 'userProfile'],
    })
  }

  /**
   * `GET /v1/connect/googlebusiness/locations` → `{ locations, hasMore? }`: the Google Business locations to choose from.
   * @example
   * ```ts
   * const { locations } = await late.connectFlow.listGoogleBusinessLocations({ profileId, pendingDataToken })
   * ```
   */
  listGoogleBusinessLocations(
    params?: QueryParams<'listGoogleBusinessLocations'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listGoogleBusinessLocations'>> {
    return getStep(this, 'GET /v1/connect/googlebusiness/locations', params, options)
  }

  /**
   * `POST /v1/connect/googlebusiness/select-location` → `{ message, redirect_url, account, … }`: connects the chosen location(s).
   * @example
   * ```ts
   * await late.connectFlow.selectGoogleBusinessLocation({ profileId, pendingDataToken, locationId })
   * ```
   */
  selectGoogleBusinessLocation(
    body: RequestBody<'selectGoogleBusinessLocation'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectGoogleBusinessLocation'>> {
    return postStep(this, 'POST /v1/connect/googlebusiness/select-location', body, options, {
      ids: ['profileId'],
      required: ['pendingDataToken'],
    })
  }

  /**
   * `GET /v1/connect/pinterest/select-board` → `{ boards }`: the boards to choose from (needs `connectToken`).
   * @example
   * ```ts
   * const { boards } = await late.connectFlow.listPinterestBoards({ profileId, tempToken, connectToken })
   * ```
   */
  listPinterestBoards(
    params: QueryParams<'listPinterestBoardsForSelection'> & Required<ConnectTokenParam>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listPinterestBoardsForSelection'>> {
    return getStep(this, 'GET /v1/connect/pinterest/select-board', params, options, {
      required: ['profileId', 'tempToken'],
      needsToken: true,
    })
  }

  /**
   * `POST /v1/connect/pinterest/select-board` → `{ message, redirect_url, account }`: connects the account with its default board.
   * @example
   * ```ts
   * await late.connectFlow.selectPinterestBoard({ profileId, boardId, tempToken })
   * ```
   */
  selectPinterestBoard(
    body: RequestBody<'selectPinterestBoard'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectPinterestBoard'>> {
    return postStep(this, 'POST /v1/connect/pinterest/select-board', body, options, {
      ids: ['profileId'],
      required: ['boardId', 'tempToken'],
    })
  }

  /**
   * `GET /v1/connect/snapchat/select-profile` → `{ publicProfiles }`: the public profiles to choose from (needs `connectToken`).
   * @example
   * ```ts
   * const { publicProfiles } = await late.connectFlow.listSnapchatProfiles({ profileId, tempToken, connectToken })
   * ```
   */
  listSnapchatProfiles(
    params: QueryParams<'listSnapchatProfiles'> & Required<ConnectTokenParam>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listSnapchatProfiles'>> {
    return getStep(this, 'GET /v1/connect/snapchat/select-profile', params, options, {
      required: ['profileId', 'tempToken'],
      needsToken: true,
    })
  }

  /**
   * `POST /v1/connect/snapchat/select-profile` → `{ message, redirect_url, account }`: connects the chosen public profile.
   * @example
   * ```ts
   * await late.connectFlow.selectSnapchatProfile({ profileId, selectedPublicProfile, tempToken, userProfile, connectToken })
   * ```
   */
  selectSnapchatProfile(
    body: RequestBody<'selectSnapchatProfile'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectSnapchatProfile'>> {
    return postStep(this, 'POST /v1/connect/snapchat/select-profile', body, options, {
      ids: ['profileId'],
      required: ['selectedPublicProfile', 'tempToken', 'userProfile'],
    })
  }

  /**
   * `POST /v1/connect/bluesky/credentials` → `{ message, account }`: connects Bluesky with a handle
   * and an app password. `state` comes from `late.connect('bluesky', { profileId })`.
   * @example
   * ```ts
   * const { state } = await late.connect('bluesky', { profileId })
   * const { account } = await late.connectFlow.connectBluesky({ identifier: 'acme.bsky.social', appPassword, state })
   * ```
   */
  connectBluesky(body: RequestBody<'connectBlueskyCredentials'>, options?: RequestOptions): ApiPromise<ResponseBody<'connectBlueskyCredentials'>> {
    return postStep(this, 'POST /v1/connect/bluesky/credentials', body, options, {
      required: ['identifier', 'appPassword', 'state'],
    })
  }

  /**
   * `GET /v1/connect/pending-data?token=`: the one-time OAuth data of a headless flow (10 minutes).
   * @example
   * ```ts
   * const { tempToken, userProfile, organizations } = await late.connectFlow.pendingData(pendingDataToken)
   * ```
   */
  pendingData(token: string, options?: RequestOptions): ApiPromise<ResponseBody<'getPendingOAuthData'>> {
    return this._call('GET /v1/connect/pending-data', { query: { token } }, options, {
      check: () => requiredString(token, 'token'),
    })
  }
}
