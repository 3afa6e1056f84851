import { Resource, requiredId, requiredObject, requiredString, field } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, Schemas } from '../../types/index.js'

/**
 * An API key as listed (previews only) or created (`key` shown once).
 * @example
 * ```ts
 * const keys: ApiKey[] = await late.apiKeys.list()
 * ```
 */
export type ApiKey = Schemas.ApiKey

/**
 * `late.apiKeys`: API keys (`/v1/api-keys`).
 * @example
 * ```ts
 * for (const { name, keyPreview } of await late.apiKeys.list()) console.log(name, keyPreview)
 * ```
 */
export class ApiKeys extends Resource {
  /**
   * `GET /v1/api-keys` → the keys (the `apiKeys` array; previews only).
   * @example
   * ```ts
   * const keys = await late.apiKeys.list()
   * ```
   */
  list(options?: RequestOptions): ApiPromise<ApiKey[]> {
    return this._call('GET /v1/api-keys', {}, options, { unwrap: field<ApiKey[]>('apiKeys') })
  }

  /**
   * `POST /v1/api-keys` → the new key; its `key` is returned this once only.
   * @example
   * ```ts
   * const { key } = await late.apiKeys.create({ name: 'ci', permission: 'read', expiresIn: 30 })
   * ```
   */
  create(body: RequestBody<'createApiKey'>, options?: RequestOptions): ApiPromise<ApiKey> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('POST /v1/api-keys', init, options, {
      check: () => {
        init.body = requiredObject(body, 'body')
        requiredString(init.body.name, 'name')
      },
      unwrap: field<ApiKey>('apiKey'),
    })
  }

  /**
   * `DELETE /v1/api-keys/{keyId}` → `{ message }`.
   * @example
   * ```ts
   * await late.apiKeys.delete(keyId)
   * ```
   */
  delete(keyId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteApiKey'>> {
    return this._call('DELETE /v1/api-keys/{keyId}', { params: { keyId } }, options, {
      check: () => requiredId(keyId, 'keyId'),
    })
  }
}
