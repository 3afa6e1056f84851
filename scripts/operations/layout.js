'use strict'

/**
 * Every operation of the spec with its place on the client: the official SDK's namespace and
 * method name where the SDK has the operation (its aliases included), and for the operations
 * the SDK lacks, the rule the SDK's own generator uses (namespace from the operation's first
 * tag, method name = operationId). Operations only the SDK has (not in the spec) are kept too,
 * with the route the SDK sends, so `late-native/zernio` stays a drop-in.
 */

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete']

/** `'Ad Campaigns'` → `'adcampaigns'`: the official generator's rule for a tag. */
function tagNamespace(tag) {
  return tag.toLowerCase().replace(/\s+/g, '')
}

/** The vendor's docs page of an operation: `https://docs.zernio.com/<tag-slug>/<operation-id-kebab>`. */
function docsUrl(tag, operationId) {
  const slug = tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  const kebab = operationId
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
  return `https://docs.zernio.com/${slug}/${kebab}`
}

/**
 * @returns {{ operations: object[], namespaces: object[] }} `operations[i]`: `{ id, method, path,
 * tag, op (the spec's operation, or undefined), pathItem, sdkOnly }`; `namespaces[j]`: `{ path:
 * string[], doc, deprecated, methods: [{ name, index, deprecated }] }`, official ones first.
 */
function layout(spec, sdk) {
  const operations = []
  const byRoute = new Map()
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of HTTP_METHODS) {
      const op = item[m]
      if (!op) continue
      if (!op.operationId) throw new Error(`gen-operations: ${m.toUpperCase()} ${p} has no operationId`)
      const entry = { id: op.operationId, method: m.toUpperCase(), path: p, tag: (op.tags && op.tags[0]) || 'Other', op, pathItem: item, sdkOnly: false }
      byRoute.set(`${entry.method} ${p}`, operations.length)
      operations.push(entry)
    }
  }
  const ids = new Set()
  for (const o of operations) {
    if (ids.has(o.id)) throw new Error(`gen-operations: operationId ${o.id} is used twice`)
    ids.add(o.id)
  }

  const namespaces = []
  const nsByKey = new Map()
  const namespace = (pathParts, doc, deprecated) => {
    const key = pathParts.join('.')
    if (!nsByKey.has(key)) {
      const ns = { path: pathParts, doc, deprecated, methods: [], names: new Set() }
      nsByKey.set(key, ns)
      namespaces.push(ns)
    }
    return nsByKey.get(key)
  }
  const add = (ns, name, index, deprecated) => {
    if (ns.names.has(name)) throw new Error(`gen-operations: ${ns.path.join('.')}.${name} is defined twice`)
    ns.names.add(name)
    ns.methods.push({ name, index, deprecated })
  }

  // 1. The official SDK's layout.
  const placed = new Set()
  const tagTargets = new Map()
  for (const sns of sdk.namespaces) {
    const ns = namespace(sns.path, sns.doc, sns.deprecated)
    for (const m of sns.methods) {
      const route = sdk.operations.get(m.fn)
      const key = `${route.method} ${route.path}`
      let index = byRoute.get(key)
      if (index === undefined) {
        index = operations.length
        byRoute.set(key, index)
        operations.push({ id: m.name, method: route.method, path: route.path, tag: sns.path[0], op: undefined, pathItem: undefined, sdkOnly: true })
      }
      add(ns, m.name, index, m.deprecated)
      if (m.deprecated || sns.deprecated) continue
      placed.add(index)
      const o = operations[index]
      if (!o.sdkOnly) {
        if (!tagTargets.has(o.tag)) tagTargets.set(o.tag, new Set())
        tagTargets.get(o.tag).add(sns.path.join('.'))
      }
    }
  }

  // 2. What the SDK lacks: by tag, as the SDK places that tag's operations (connect's nested
  //    namespaces by path), else the official generator's rule.
  const tagDocs = new Map((spec.tags || []).map((t) => [t.name, t.description]))
  const nested = new Map()
  for (const ns of namespaces) if (ns.path.length === 2 && ns.path[0] === 'connect') nested.set(ns.path[1].toLowerCase(), ns.path)
  operations.forEach((o, index) => {
    if (placed.has(index) || o.sdkOnly) return
    let target
    const learned = tagTargets.get(o.tag)
    if (o.tag === 'Connect') {
      const m = /^\/v1\/connect\/([^/{]+)\//.exec(o.path)
      target = m && nested.has(m[1].toLowerCase()) ? nested.get(m[1].toLowerCase()) : ['connect']
    } else if (learned && learned.size === 1) {
      target = [...learned][0].split('.')
    } else if (learned) {
      throw new Error(`gen-operations: tag ${o.tag} spans several SDK namespaces (${[...learned].join(', ')}); place ${o.id} by hand in layout.js`)
    } else {
      target = [tagNamespace(o.tag)]
    }
    const doc = (tagDocs.get(o.tag) || `${o.tag} API`).split('\n')[0].trim()
    add(namespace(target, doc, undefined), o.id, index, undefined)
  })
  for (const ns of namespaces) delete ns.names
  return { operations, namespaces }
}

module.exports = { layout, docsUrl, tagNamespace, HTTP_METHODS }
