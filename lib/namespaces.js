'use strict'

/**
 * The official SDK's namespaces on a client class: `late.analytics.getInstagramDemographics(…)`,
 * `late.connect.facebook.listFacebookPages(…)`, … Installed as lazy getters when the first
 * client of a class is built (importing the package loads nothing generated); the first access
 * on a client loads the method table and builds the namespace with one small function per
 * operation. Where a hand-shaped group already has the name (`late.posts`, `late.connect`, …),
 * the namespace's methods are added to it: `late.posts.create` (hand-shaped) and
 * `late.posts.createPost` (the operation as the official SDK names it) live side by side.
 */

const { operations } = require('./operations.js')

const installed = new WeakSet()

/**
 * Adds the methods of namespace `node` (method → operation number; nested namespaces are
 * objects) to `target`. `method(client, index)` makes one method. A name that is taken throws:
 * a namespace must never hide a hand-shaped member.
 */
function attach(target, node, client, method, enumerable) {
  for (const [name, value] of Object.entries(node)) {
    if (name in target) throw new Error(`late-native: namespace member \`${name}\` collides with an existing member`)
    let member
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
 */
function installNamespaces(proto, method, own) {
  if (installed.has(proto)) return
  installed.add(proto)
  for (const name of require('./generated/namespace-names.js')) {
    const desc = Object.getOwnPropertyDescriptor(proto, name)
    if (desc && !desc.get) throw new Error(`late-native: namespace \`${name}\` collides with a method of the client`)
    const base = desc && desc.get
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: false,
      get() {
        own(this, name)
        const node = operations().NAMESPACES[name]
        if (base) return attach(base.call(this), node, this, method, false)
        const value = attach({}, node, this, method, true)
        Object.defineProperty(this, name, { value, enumerable: false, writable: false, configurable: false })
        return value
      },
    })
  }
}

module.exports = { installNamespaces }
