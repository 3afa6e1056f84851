import { Resource, optionalObject } from './shared.js'
import type { ApiPromise } from './api-promise.js'
import type { RequestOptions } from '../../index.js'
import type { ResponseBody, QueryParams } from '../../types/index.js'

/**
 * `late.usage`: plan usage and metered spend (`/v1/usage`).
 * @example
 * ```ts
 * const usage = await late.usage.get()
 * ```
 */
export class Usage extends Resource {
  /**
   * `GET /v1/usage`: the plan snapshot, or metered spend with `range`/`from`/`to`/`granularity`.
   * @example
   * ```ts
   * const usage = await late.usage.get({ range: '30d', granularity: 'day' })
   * ```
   */
  get(params?: QueryParams<'getUsage'>, options?: RequestOptions): ApiPromise<ResponseBody<'getUsage'>> {
    const init: { query?: Record<string, unknown> } = {}
    return this._call('GET /v1/usage', init, options, {
      check: () => {
        init.query = optionalObject(params, 'params')
      },
    })
  }
}
