'use strict'

const { Resource } = require('./shared.js')

/** Credentials (`/v1/auth`). */
class Auth extends Resource {
  /** `GET /v1/auth/verify` → `{ valid, userId, name, email, authType, scope }`. Free; a good health probe. */
  verify(options) {
    return this._call('GET /v1/auth/verify', {}, options)
  }
}

module.exports = { Auth }
