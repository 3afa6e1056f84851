'use strict'

/**
 * The resource groups of a LateClient: `late.profiles`, `late.accounts`, `late.posts`, … Each
 * method validates its input before anything is sent, calls one spec route through
 * `requestWithResponse`, and returns an ApiPromise (`await` → result, `.withResponse()` →
 * result + response metadata) or, for lists, a Paginator.
 */

const { Profiles } = require('./profiles.js')
const { Accounts } = require('./accounts.js')
const { ConnectFlow } = require('./connect-flow.js')
const { Posts } = require('./posts.js')
const { Queue } = require('./queue.js')
const { Webhooks } = require('./webhooks.js')
const { Analytics } = require('./analytics.js')
const { ApiKeys } = require('./api-keys.js')
const { Usage } = require('./usage.js')
const { Auth } = require('./auth.js')
const { ApiPromise } = require('./api-promise.js')

const GROUPS = {
  profiles: Profiles,
  accounts: Accounts,
  connectFlow: ConnectFlow,
  posts: Posts,
  queue: Queue,
  webhooks: Webhooks,
  analytics: Analytics,
  apiKeys: ApiKeys,
  usage: Usage,
  auth: Auth,
}

/** Adds the resource groups to `client` as read-only, non-enumerable properties. */
function attachResources(client) {
  for (const [name, Cls] of Object.entries(GROUPS)) {
    Object.defineProperty(client, name, { value: new Cls(client), enumerable: false, writable: false, configurable: false })
  }
  return client
}

module.exports = {
  attachResources,
  ApiPromise,
  Profiles,
  Accounts,
  ConnectFlow,
  Posts,
  Queue,
  Webhooks,
  Analytics,
  ApiKeys,
  Usage,
  Auth,
}
