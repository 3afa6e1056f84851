'use strict'

const { Resource, requiredId, requiredObject, requiredString, optionalObject, field } = require('./shared.js')

/** Profiles: containers that group connected accounts (`/v1/profiles`). */
class Profiles extends Resource {
  /** `GET /v1/profiles` → Paginator over `profiles` (skip/limit). */
  list(params, options) {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/profiles', { query, itemsKey: 'profiles' }, options)
  }

  /** `POST /v1/profiles` → the created profile. */
  create(body, options) {
    const init = {}
    return this._call('POST /v1/profiles', init, options, {
      check: () => {
        init.body = requiredObject(body, 'body')
        requiredString(init.body.name, 'name')
      },
      unwrap: field('profile'),
    })
  }

  /** `GET /v1/profiles/{profileId}` → the profile. */
  get(profileId, options) {
    return this._call('GET /v1/profiles/{profileId}', { params: { profileId } }, options, {
      check: () => requiredId(profileId, 'profileId'),
      unwrap: field('profile'),
    })
  }

  /** `PUT /v1/profiles/{profileId}` → the updated profile. */
  update(profileId, body, options) {
    const init = { params: { profileId } }
    return this._call('PUT /v1/profiles/{profileId}', init, options, {
      check: () => {
        requiredId(profileId, 'profileId')
        init.body = requiredObject(body, 'body')
      },
      unwrap: field('profile'),
    })
  }

  /** `DELETE /v1/profiles/{profileId}` → `{ message }`. A profile with connected accounts answers 400. */
  delete(profileId, options) {
    return this._call('DELETE /v1/profiles/{profileId}', { params: { profileId } }, options, {
      check: () => requiredId(profileId, 'profileId'),
    })
  }
}

module.exports = { Profiles }
