/**
 * A named method of `LateClient` (`late.analytics.getInstagramDemographics(args, options)`): checks
 * the argument, sends the operation and returns an ApiPromise of its data (`.withResponse()` for
 * the metadata), like the hand-shaped methods. A 207 partial publish rejects with
 * PartialPublishError, as on `posts.create`: a failed publish is never a silent success.
 */

import { operationRequest } from './operations.js'
import { apiPromise } from './resources/api-promise.js'
import type { ApiPromise } from './resources/api-promise.js'
import { throwOn207 } from './resources/shared.js'
import { sendChecked } from './send.js'

/**
 * Runs operation number `index` on `client`. Bad input rejects before anything is sent.
 * @example
 * const post = await callOperation(late, index, { path: { postId } }, { timeoutMs: 5_000 })
 */
export function callOperation(client: object, index: number, args: unknown, options: unknown): ApiPromise<unknown> {
  return apiPromise(() => {
    const req = operationRequest(index, args)
    const sent = sendChecked(client, req, options, req.binary, false)
    return req.partialPublish ? sent.then((res) => (throwOn207(res), res)) : sent
  })
}
