'use strict'

const { Resource, optionalObject } = require('./shared.js')

/** Plan usage and metered spend (`/v1/usage`). */
class Usage extends Resource {
  /** `GET /v1/usage` → a plan snapshot, or metered spend with `range`/`from`/`to`/`granularity`. */
  get(params, options) {
    const init = {}
    return this._call('GET /v1/usage', init, options, {
      check: () => {
        init.query = optionalObject(params, 'params')
      },
    })
  }
}

module.exports = { Usage }
