import { Resource, requiredId, requiredObject, requiredString, optionalObject, field } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { Paginator, PageOptions } from '../pagination.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams, Profile } from '../../types/index.js'

/**
 * `late.profiles`: containers that group connected accounts (`/v1/profiles`).
 * @example
 * ```ts
 * const profile = await late.profiles.create({ name: 'Acme', timezone: 'Europe/Paris' })
 * ```
 */
export class Profiles extends Resource {
  /**
   * `GET /v1/profiles`, every page (skip/limit). The default profile comes first.
   * @example
   * ```ts
   * for await (const profile of late.profiles.list()) console.log(profile._id, profile.name)
   * const [tenant] = await late.profiles.list({ externalId: 'tenant_42' }).toArray()
   * ```
   */
  list(params?: QueryParams<'listProfiles'>, options?: PageOptions): Paginator<Profile, ResponseBody<'listProfiles'>> {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/profiles', { query, itemsKey: 'profiles' }, options)
  }

  /**
   * `POST /v1/profiles` → the created profile (sent with an `Idempotency-Key`).
   * @example
   * ```ts
   * const profile = await late.profiles.create({ name: 'Acme', timezone: 'Europe/Paris', externalId: 'tenant_42' })
   * ```
   */
  create(body: RequestBody<'createProfile'>, options?: RequestOptions): ApiPromise<Profile> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('POST /v1/profiles', init, options, {
      check: () => {
        init.body = requiredObject(body, 'body')
        requiredString(init.body.name, 'name')
      },
      unwrap: field<Profile>('profile'),
    })
  }

  /**
   * `GET /v1/profiles/{profileId}` → the profile.
   * @example
   * ```ts
   * const profile = await late.profiles.get(profileId)
   * ```
   */
  get(profileId: string, options?: RequestOptions): ApiPromise<Profile> {
    return this._call('GET /v1/profiles/{profileId}', { params: { profileId } }, options, {
      check: () => requiredId(profileId, 'profileId'),
      unwrap: field<Profile>('profile'),
    })
  }

  /**
   * `PUT /v1/profiles/{profileId}` → the updated profile.
   * @example
   * ```ts
   * const profile = await late.profiles.update(profileId, { color: '#ffeda0', isDefault: true })
   * ```
   */
  update(profileId: string, body: RequestBody<'updateProfile'>, options?: RequestOptions): ApiPromise<Profile> {
    const init: { params: { profileId: string }; body?: Record<string, unknown> } = { params: { profileId } }
    return this._call('PUT /v1/profiles/{profileId}', init, options, {
      check: () => {
        requiredId(profileId, 'profileId')
        init.body = requiredObject(body, 'body')
      },
      unwrap: field<Profile>('profile'),
    })
  }

  /**
   * `DELETE /v1/profiles/{profileId}` → `{ message }`. A profile that still has connected accounts answers 400.
   * @example
   * ```ts
   * await late.profiles.delete(profileId)
   * ```
   */
  delete(profileId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteProfile'>> {
    return this._call('DELETE /v1/profiles/{profileId}', { params: { profileId } }, options, {
      check: () => requiredId(profileId, 'profileId'),
    })
  }
}
