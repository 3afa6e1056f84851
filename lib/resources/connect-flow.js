'use strict'

/**
 * The connect steps after the OAuth URL (`late.connect(platform)` gives the URL): the
 * selection screens of headless / Facebook-login flows, and credential connects.
 *
 * Where the spec accepts the short-lived `X-Connect-Token` (the `connect_token` of the
 * redirect), pass it as `connectToken` in the params or body: it is sent as that header,
 * never in the query or body.
 */

const { Resource, requiredId, requiredObject, requiredString, optionalObject, omit } = require('./shared.js')
const { LateValidationError } = require('../errors.js')

/** Splits `{ connectToken, ...rest }` into the rest and the header init. */
function token(input, param, { required = false } = {}) {
  const connectToken = input.connectToken
  if (required) requiredString(connectToken, `${param}.connectToken`)
  else if (connectToken !== undefined) requiredString(connectToken, `${param}.connectToken`)
  return {
    rest: omit(input, ['connectToken']),
    headers: connectToken === undefined ? undefined : { 'X-Connect-Token': connectToken },
  }
}

/** Builds a GET step: checks `required` query fields, moves `connectToken` to the header. */
function getStep(self, route, params, options, { required = [], needsToken = false } = {}) {
  const init = {}
  return self._call(route, init, options, {
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
function postStep(self, route, body, options, { required = [], ids = [] } = {}) {
  const init = {}
  return self._call(route, init, options, {
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

/** Selection steps and credential connects of `/v1/connect/*`. */
class ConnectFlow extends Resource {
  /** `GET /v1/connect/facebook/select-page` → `{ pages, truncated? }`: the Pages to choose from. */
  listFacebookPages(params, options) {
    return getStep(this, 'GET /v1/connect/facebook/select-page', params, options)
  }

  /** `POST /v1/connect/facebook/select-page` → `{ message, redirect_url, account, … }`. */
  selectFacebookPage(body, options) {
    return postStep(this, 'POST /v1/connect/facebook/select-page', body, options)
  }

  /** `GET /v1/connect/instagram/select-account` (Facebook-login Instagram) → `{ pages }`. */
  listInstagramAccounts(params, options) {
    return getStep(this, 'GET /v1/connect/instagram/select-account', params, options, { required: ['profileId'] })
  }

  /** `POST /v1/connect/instagram/select-account` → `{ message, redirect_url, account, … }`. */
  selectInstagramAccount(body, options) {
    return postStep(this, 'POST /v1/connect/instagram/select-account', body, options, { ids: ['profileId'] })
  }

  /** `GET /v1/connect/linkedin/organizations?tempToken&orgIds` → `{ organizations }`. */
  listLinkedInOrganizations(params, options) {
    return getStep(this, 'GET /v1/connect/linkedin/organizations', params, options, { required: ['tempToken', 'orgIds'] })
  }

  /** `POST /v1/connect/linkedin/select-organization` → `{ message, redirect_url, account, … }`. */
  selectLinkedInOrganization(body, options) {
    return postStep(this, 'POST /v1/connect/linkedin/select-organization', body, options, {
      ids: ['profileId'],
      required: ['tempToken', 'userProfile'],
    })
  }

  /** `GET /v1/connect/googlebusiness/locations` → `{ locations, hasMore? }`. */
  listGoogleBusinessLocations(params, options) {
    return getStep(this, 'GET /v1/connect/googlebusiness/locations', params, options)
  }

  /** `POST /v1/connect/googlebusiness/select-location` → `{ message, redirect_url, account, … }`. */
  selectGoogleBusinessLocation(body, options) {
    return postStep(this, 'POST /v1/connect/googlebusiness/select-location', body, options, {
      ids: ['profileId'],
      required: ['pendingDataToken'],
    })
  }

  /** `GET /v1/connect/pinterest/select-board` (needs `connectToken`) → `{ boards }`. */
  listPinterestBoards(params, options) {
    return getStep(this, 'GET /v1/connect/pinterest/select-board', params, options, {
      required: ['profileId', 'tempToken'],
      needsToken: true,
    })
  }

  /** `POST /v1/connect/pinterest/select-board` → `{ message, redirect_url, account }`. */
  selectPinterestBoard(body, options) {
    return postStep(this, 'POST /v1/connect/pinterest/select-board', body, options, {
      ids: ['profileId'],
      required: ['boardId', 'tempToken'],
    })
  }

  /** `GET /v1/connect/snapchat/select-profile` (needs `connectToken`) → `{ publicProfiles }`. */
  listSnapchatProfiles(params, options) {
    return getStep(this, 'GET /v1/connect/snapchat/select-profile', params, options, {
      required: ['profileId', 'tempToken'],
      needsToken: true,
    })
  }

  /** `POST /v1/connect/snapchat/select-profile` → `{ message, redirect_url, account }`. */
  selectSnapchatProfile(body, options) {
    return postStep(this, 'POST /v1/connect/snapchat/select-profile', body, options, {
      ids: ['profileId'],
      required: ['selectedPublicProfile', 'tempToken', 'userProfile'],
    })
  }

  /** `POST /v1/connect/bluesky/credentials` with a handle and an app password → `{ message, account }`. */
  connectBluesky(body, options) {
    return postStep(this, 'POST /v1/connect/bluesky/credentials', body, options, {
      required: ['identifier', 'appPassword', 'state'],
    })
  }

  /** `GET /v1/connect/pending-data?token=`: the one-time headless OAuth data (10 minutes). */
  pendingData(token, options) {
    return this._call('GET /v1/connect/pending-data', { query: { token } }, options, {
      check: () => requiredString(token, 'token'),
    })
  }
}

module.exports = { ConnectFlow }
