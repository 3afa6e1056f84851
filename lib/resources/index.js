'use strict'

/**
 * The resource groups of a LateClient: `late.profiles`, `late.accounts`, `late.posts`, … Each
 * method validates its input before anything is sent, calls one spec route through
 * `requestWithResponse`, and returns an ApiPromise (`await` → result, `.withResponse()` →
 * result + response metadata) or, for lists, a Paginator.
 */

const { ApiPromise } = require('./api-promise.js')
const { guardDetached } = require('./shared.js')

/** Resource group → [module, class name]. Each module is loaded on first use of its group. */
const GROUPS = {
  profiles: ['./profiles.js', 'Profiles'],
  accounts: ['./accounts.js', 'Accounts'],
  connectFlow: ['./connect-flow.js', 'ConnectFlow'],
  posts: ['./posts.js', 'Posts'],
  queue: ['./queue.js', 'Queue'],
  webhooks: ['./webhooks.js', 'Webhooks'],
  analytics: ['./analytics.js', 'Analytics'],
  apiKeys: ['./api-keys.js', 'ApiKeys'],
  usage: ['./usage.js', 'Usage'],
  auth: ['./auth.js', 'Auth'],
}

/**
 * Installs the resource groups on a client class as lazy getters: the first access on a client
 * loads the group's module and pins the instance on that client as a read-only, non-enumerable
 * property. Importing the package or creating a client loads none of them. `own(self, name)`
 * throws when `self` is not a client.
 */
function installResources(proto, own) {
  for (const [name, [file, cls]] of Object.entries(GROUPS)) {
    Object.defineProperty(proto, name, {
      // Configurable: the official namespace of the same name (lib/namespaces.js) wraps it.
      configurable: true,
      enumerable: false,
      get() {
        // Only a client gets the group pinned on it (never the prototype itself).
        if (own) own(this, name)
        const Group = guardDetached(require(file)[cls], name)
        const value = new Group(this)
        Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false })
        return value
      },
    })
  }
}

function lazyClass(name) {
  const [file, cls] = GROUPS[name]
  return guardDetached(require(file)[cls], name)
}

module.exports = { installResources, ApiPromise }
for (const name of Object.keys(GROUPS)) {
  const [, cls] = GROUPS[name]
  Object.defineProperty(module.exports, cls, { enumerable: true, get: () => lazyClass(name) })
}
