import { Resource } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { RequestOptions } from '../../index.js'
import type { ResponseBody } from '../../types/index.js'

/**
 * `late.auth`: credentials (`/v1/auth`).
 * @example
 * ```ts
 * const { valid } = await late.auth.verify()
 * ```
 */
export class Auth extends Resource {
  /**
   * `GET /v1/auth/verify` → `{ valid, userId, name, email, authType, scope }`: checks the key;
   * free and reads no data, a good health probe.
   * @example
   * ```ts
   * const { valid, authType } = await late.auth.verify()
   * ```
   */
  verify(options?: RequestOptions): ApiPromise<ResponseBody<'verifyCredential'>> {
    return this._call('GET /v1/auth/verify', {}, options)
  }
}
