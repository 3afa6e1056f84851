'use strict'

const { Resource, requiredId, requiredObject, requiredString, field } = require('./shared.js')

/** API keys (`/v1/api-keys`). */
class ApiKeys extends Resource {
  /** `GET /v1/api-keys` → the keys (the `apiKeys` array; previews only). */
  list(options) {
    return this._call('GET /v1/api-keys', {}, options, { unwrap: field('apiKeys') })
  }

  /** `POST /v1/api-keys` → the new key; its `key` is shown this once only. */
  create(body, options) {
    const init = {}
    return this._call('POST /v1/api-keys', init, options, {
      check: () => {
        init.body = requiredObject(body, 'body')
        requiredString(init.body.name, 'name')
      },
      unwrap: field('apiKey'),
    })
  }

  /** `DELETE /v1/api-keys/{keyId}` → `{ message }`. */
  delete(keyId, options) {
    return this._call('DELETE /v1/api-keys/{keyId}', { params: { keyId } }, options, {
      check: () => requiredId(keyId, 'keyId'),
    })
  }
}

module.exports = { ApiKeys }
