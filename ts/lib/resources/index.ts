/**
 * The resource groups of a LateClient: `late.profiles`, `late.accounts`, `late.connectFlow`,
 * `late.posts`, `late.queue`, `late.webhooks`, `late.analytics`, `late.apiKeys`, `late.usage`,
 * `late.auth`. Request and response types come from the spec (`types/`); field names are the
 * API's own.
 *
 * Every method validates its input before anything is sent (a LateValidationError naming the
 * parameter), calls one spec route through `requestWithResponse`, and takes the usual last
 * `options` argument. Single calls return an {@link ApiPromise}: `await` it for the result, or
 * call `.withResponse()` for the result plus `requestId`, `rateLimit`, `status` and `headers`.
 * Lists return a Paginator.
 */

import { guardDetached } from './shared.js'
import type { Resource, ResourceClass, ResourceClient } from './shared.js'
import type * as profiles from './profiles.js'
import type * as accounts from './accounts.js'
import type * as connectFlow from './connect-flow.js'
import type * as posts from './posts.js'
import type * as queue from './queue.js'
import type * as webhooks from './webhooks.js'
import type * as analytics from './analytics.js'
import type * as apiKeys from './api-keys.js'
import type * as usage from './usage.js'
import type * as auth from './auth.js'

export { ApiPromise } from './api-promise.js'
export type { CreatePostParams, UpdatePostParams, CreatePostResult, DateInput } from './posts.js'
export type { ApiKey } from './api-keys.js'
export type { AnalyticsDeltaItem } from './analytics.js'
export type { ConnectTokenParam } from './connect-flow.js'

/** The resource properties of a LateClient. */
export interface LateResources {
  readonly profiles: Profiles
  readonly accounts: Accounts
  readonly connectFlow: ConnectFlow
  readonly posts: Posts
  readonly queue: Queue
  readonly webhooks: Webhooks
  readonly analytics: Analytics
  readonly apiKeys: ApiKeys
  readonly usage: Usage
  readonly auth: Auth
}

type GroupName = keyof LateResources

/**
 * Resource group → [class name, loader of its module's class]. Each module is loaded on first
 * use of its group.
 */
const GROUPS: { readonly [G in GroupName]: readonly [string, () => ResourceClass<LateResources[G]>] } = {
  profiles: ['Profiles', () => (require('./profiles.js') as typeof profiles).Profiles],
  accounts: ['Accounts', () => (require('./accounts.js') as typeof accounts).Accounts],
  connectFlow: ['ConnectFlow', () => (require('./connect-flow.js') as typeof connectFlow).ConnectFlow],
  posts: ['Posts', () => (require('./posts.js') as typeof posts).Posts],
  queue: ['Queue', () => (require('./queue.js') as typeof queue).Queue],
  webhooks: ['Webhooks', () => (require('./webhooks.js') as typeof webhooks).Webhooks],
  analytics: ['Analytics', () => (require('./analytics.js') as typeof analytics).Analytics],
  apiKeys: ['ApiKeys', () => (require('./api-keys.js') as typeof apiKeys).ApiKeys],
  usage: ['Usage', () => (require('./usage.js') as typeof usage).Usage],
  auth: ['Auth', () => (require('./auth.js') as typeof auth).Auth],
}

/** The classes loaded so far (each guarded once, when its module is loaded). */
const loaded: { [G in GroupName]?: ResourceClass } = {}

function lazyClass(name: GroupName): ResourceClass {
  let Group = loaded[name]
  if (Group === undefined) loaded[name] = Group = guardDetached(GROUPS[name][1](), name)
  return Group
}

/**
 * Installs the resource groups on a client class as lazy getters: the first access on a client
 * loads the group's module and pins the instance on that client as a read-only, non-enumerable
 * property. Importing the package or creating a client loads none of them. `own(self, name)`
 * throws when `self` is not a client.
 * @example
 * ```ts
 * installResources(LateClient.prototype, (self, name) => assertClient(self, name))
 * ```
 */
export function installResources(proto: object, own?: (self: unknown, name: string) => void): void {
  for (const name of Object.keys(GROUPS) as GroupName[]) {
    Object.defineProperty(proto, name, {
      // Configurable: the official namespace of the same name (lib/namespaces.js) wraps it.
      configurable: true,
      enumerable: false,
      get(this: ResourceClient): Resource {
        // Only a client gets the group pinned on it (never the prototype itself).
        if (own) own(this, name)
        const Group = lazyClass(name)
        const value = new Group(this)
        Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false })
        return value
      },
    })
  }
}

// The classes, each a getter that loads its module on first read (declared here, defined below).
/** `late.profiles`: containers that group connected accounts. */
export type Profiles = profiles.Profiles
/** `late.profiles`' class, loaded on first read. */
export declare const Profiles: typeof profiles.Profiles
/** `late.accounts`: connected social accounts. */
export type Accounts = accounts.Accounts
/** `late.accounts`' class, loaded on first read. */
export declare const Accounts: typeof accounts.Accounts
/** `late.connectFlow`: the connect steps after the OAuth URL. */
export type ConnectFlow = connectFlow.ConnectFlow
/** `late.connectFlow`'s class, loaded on first read. */
export declare const ConnectFlow: typeof connectFlow.ConnectFlow
/** `late.posts`: create, list, get, update, delete and retry posts. */
export type Posts = posts.Posts
/** `late.posts`' class, loaded on first read. */
export declare const Posts: typeof posts.Posts
/** `late.queue`: weekly posting slots per profile. */
export type Queue = queue.Queue
/** `late.queue`'s class, loaded on first read. */
export declare const Queue: typeof queue.Queue
/** `late.webhooks`: endpoints, test sends and delivery logs. */
export type Webhooks = webhooks.Webhooks
/** `late.webhooks`' class, loaded on first read. */
export declare const Webhooks: typeof webhooks.Webhooks
/** `late.analytics`: post analytics and the change feed. */
export type Analytics = analytics.Analytics
/** `late.analytics`' class, loaded on first read. */
export declare const Analytics: typeof analytics.Analytics
/** `late.apiKeys`: list, create and delete API keys. */
export type ApiKeys = apiKeys.ApiKeys
/** `late.apiKeys`' class, loaded on first read. */
export declare const ApiKeys: typeof apiKeys.ApiKeys
/** `late.usage`: plan usage and metered spend. */
export type Usage = usage.Usage
/** `late.usage`'s class, loaded on first read. */
export declare const Usage: typeof usage.Usage
/** `late.auth`: checks the credentials. */
export type Auth = auth.Auth
/** `late.auth`'s class, loaded on first read. */
export declare const Auth: typeof auth.Auth

for (const name of Object.keys(GROUPS) as GroupName[]) {
  Object.defineProperty(exports, GROUPS[name][0], { enumerable: true, get: () => lazyClass(name) })
}
