/**
 * The official SDK's namespaces on a client class: `late.analytics.getInstagramDemographics(…)`,
 * `late.connect.facebook.listFacebookPages(…)`, … Installed as lazy getters when the first
 * client of a class is built (importing the package loads nothing generated); the first access
 * on a client loads the method table and builds the namespace with one small function per
 * operation. Where a hand-shaped group already has the name (`late.posts`, `late.connect`, …),
 * the namespace's methods are added to it: `late.posts.create` (hand-shaped) and
 * `late.posts.createPost` (the operation as the official SDK names it) live side by side.
 */

import { operations } from './operations.js'
import type { NamespaceNode } from './generated/operations.js'

/** Makes the method of operation number `index` for `client`. */
export type MethodMaker<C> = (client: C, index: number) => (...args: never[]) => unknown

const installed = new WeakSet<object>()

/**
 * Adds the methods of namespace `node` (method → operation number; nested namespaces are
 * objects) to `target`. `method(client, index)` makes one method. A name that is taken throws:
 * a namespace must never hide a hand-shaped member.
 */
function attach<C>(target: object, node: NamespaceNode, client: C, method: MethodMaker<C>, enumerable: boolean): object {
  for (const [name, value] of Object.entries(node)) {
    if (name in target) throw new Error(`late-native: namespace member \`${name}\` collides with an existing member`)
    let member: object
    if (typeof value === 'number') {
      member = method(client, value)
      Object.defineProperty(member, 'name', { value: name })
    } else {
      member = attach({}, value, client, method, true)
    }
    Object.defineProperty(target, name, { value: member, enumerable, writable: false, configurable: false })
  }
  return target
}

/**
 * Installs every top-level namespace on `proto` once. An existing getter (a hand-shaped group)
 * keeps building its object; the namespace's methods are added to what it returns. `own(self,
 * name)` throws when `self` is not a client of the class (the prototype itself, say).
 * @example
 * installNamespaces(LateClient.prototype, (client, index) => (args, options) => call(client, index, args, options), ownClient)
 */
export function installNamespaces<C extends object>(proto: object, method: MethodMaker<C>, own: (self: unknown, name: string) => void): void {
  if (installed.has(proto)) return
  installed.add(proto)
  for (const name of require('./generated/namespace-names.js') as typeof import('./generated/namespace-names.js')) {
    const desc = Object.getOwnPropertyDescriptor(proto, name)
    if (desc && !desc.get) throw new Error(`late-native: namespace \`${name}\` collides with a method of the client`)
    const base = desc && desc.get
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: false,
      get(this: C) {
        own(this, name)
        const node = operations().NAMESPACES[name]
        if (base) return attach(base.call(this) as object, node, this, method, false)
        const value = attach({}, node, this, method, true)
        Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false })
        return value
      },
    })
  }
}
