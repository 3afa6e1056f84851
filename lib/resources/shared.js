'use strict'

/**
 * What every resource group shares: the client it calls through, input checks that run before
 * anything is sent, the ApiPromise wrapper for single calls and the Paginator for lists.
 */

const { LateValidationError, PartialPublishError } = require('../errors.js')
const { callOptions } = require('../transport.js')
const { Paginator, splitPageOptions } = require('../pagination.js')
const { apiPromise } = require('./api-promise.js')
const v = require('../validate.js')

/** Resource → client. A WeakMap keeps the client off the resource's own properties. */
const clients = new WeakMap()
/** Most items an array argument (`platforms`, `mediaItems`, `events`, …) may hold. */
const MAX_ITEMS = 10_000

/** A required id: a non-empty string without spaces or slashes, named `param` in errors. */
function requiredId(value, param) {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected an id string`, { param })
  }
  return v.optionalId(value, param)
}

/** A required non-empty string. */
function requiredString(value, param) {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected a non-empty string`, { param })
  }
  return v.optionalString(value, param)
}

/** A required object; returns a shallow copy (the caller's getters run once, here). */
function requiredObject(value, param) {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected an object`, { param })
  }
  return v.record(value, param)
}

/** An optional object; returns a shallow copy, or `{}` when absent. */
function optionalObject(value, param) {
  return v.record(value, param) ?? {}
}

/** An optional array of at most 10,000 items; returns a shallow copy. */
function optionalArray(value, param) {
  if (value === undefined) return undefined
  return v.reading(param, () => {
    if (!Array.isArray(value)) throw new LateValidationError(`invalid \`${param}\`: expected an array, got ${v.describe(value)}`, { param })
    if (value.length > MAX_ITEMS) {
      throw new LateValidationError(`invalid \`${param}\`: at most ${MAX_ITEMS} items, got ${value.length}`, { param })
    }
    return Array.prototype.slice.call(value)
  })
}

/** Copies `obj` without `keys`. */
function omit(obj, keys) {
  const out = { ...obj }
  for (const k of keys) delete out[k]
  return out
}

/** The group's name for messages (`Posts` → `posts`). */
const GROUP = Symbol('Resource.group')

/** The error of a resource method called without its client (`const { get } = late.posts`). */
function detached(self) {
  const group = self && self[GROUP] ? `late.${self[GROUP]}` : 'a resource group'
  return new LateValidationError(
    `invalid \`this\`: a method of ${group} was called detached from its client; call it as \`${group}.method(…)\` or bind it`,
    { param: 'this' },
  )
}

/** Base of the resource groups (`late.posts`, `late.profiles`, …). */
class Resource {
  constructor(client) {
    clients.set(this, client)
  }

  /**
   * One request as an ApiPromise. `check()` validates input before anything is sent;
   * `after(res)` may throw (e.g. on a 207); `unwrap(data)` shapes the awaited result.
   */
  _call(route, init, options, { check, unwrap, after } = {}) {
    const client = clients.get(this)
    return apiPromise(() => {
      if (!client) throw detached(this)
      if (check) check()
      if (options !== undefined && options !== null) callOptions(options)
      const res = client.requestWithResponse(route, init === undefined ? {} : init, options)
      return after ? res.then((r) => (after(r), r)) : res
    }, unwrap)
  }

  /** A Paginator over `itemsKey` of `route`; validates options synchronously. */
  _list(route, { params, query, itemsKey }, options) {
    const client = clients.get(this)
    if (!client) throw detached(this)
    const { request } = splitPageOptions(options)
    callOptions(request)
    return new Paginator({
      send: (r, init, o) => client.requestWithResponse(r, init, o),
      route,
      params,
      query,
      itemsKey,
      options,
    })
  }
}

const guarded = new WeakSet()

/**
 * Makes every public method of a resource class fail clearly when called without its client
 * (`const { get } = late.posts; get('id')`): the method then runs on a receiver that has no
 * client, so `_call` rejects and `_list` throws a LateValidationError (`param: 'this'`) instead
 * of a TypeError from reading `_call` of undefined. Applied once per class, when it is loaded.
 */
function guardDetached(Group, group) {
  if (guarded.has(Group)) return Group
  guarded.add(Group)
  const orphan = Object.create(Group.prototype, { [GROUP]: { value: group } })
  for (const key of Object.getOwnPropertyNames(Group.prototype)) {
    const desc = Object.getOwnPropertyDescriptor(Group.prototype, key)
    if (key === 'constructor' || key.startsWith('_') || typeof desc.value !== 'function') continue
    const method = desc.value
    const wrapped = {
      [key](...args) {
        return method.apply(clients.has(this) ? this : orphan, args)
      },
    }[key]
    Object.defineProperty(Group.prototype, key, { ...desc, value: wrapped })
  }
  return Group
}

/** Throws PartialPublishError when a post call answered 207. */
function throwOn207(res) {
  if (res.status !== 207) return
  const body = res.data && typeof res.data === 'object' ? res.data : {}
  const post = body.post
  const results = Array.isArray(body.platformResults) ? body.platformResults : undefined
  const failed = results ? results.filter((r) => r && r.status === 'failed').map((r) => r.platform) : []
  const status = post && typeof post === 'object' ? post.status : undefined
  const detail = body.error || body.message || 'publishing did not fully succeed'
  const parts = [`the post was saved but publishing did not fully succeed (207${status ? `, post.status ${status}` : ''})`]
  if (failed.length) parts.push(`failed on: ${failed.join(', ')}`)
  parts.push(detail)
  throw new PartialPublishError(parts.join('; '), {
    status: 207,
    requestId: res.requestId,
    headers: res.headers,
    body: res.data,
    rateLimit: res.rateLimit,
    attempts: res.attempts,
    post,
    platformResults: results,
  })
}

/** `(data) => data[key]` when the body is an object carrying `key`, else the body. */
function field(key) {
  return (data) => (data && typeof data === 'object' && key in data ? data[key] : data)
}

module.exports = {
  Resource,
  guardDetached,
  requiredId,
  requiredString,
  requiredObject,
  optionalObject,
  optionalArray,
  omit,
  throwOn207,
  field,
  v,
}
