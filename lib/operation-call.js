'use strict'

/**
 * A named method of `LateClient` (`late.analytics.getInstagramDemographics(args, options)`): checks
 * the argument, sends the operation and returns an ApiPromise of its data (`.withResponse()` for
 * the metadata), like the hand-shaped methods. A 207 partial publish rejects with
 * PartialPublishError, as on `posts.create`: a failed publish is never a silent success.
 */

const { operationRequest } = require('./operations.js')
const { apiPromise } = require('./resources/api-promise.js')
const { throwOn207 } = require('./resources/shared.js')
const { sendChecked } = require('./send.js')

/** Runs operation number `index` on `client`. Bad input rejects before anything is sent. */
function callOperation(client, index, args, options) {
  return apiPromise(() => {
    const req = operationRequest(index, args)
    const sent = sendChecked(client, req, options, req.binary, false)
    return req.partialPublish ? sent.then((res) => (throwOn207(res), res)) : sent
  })
}

module.exports = { callOperation }
