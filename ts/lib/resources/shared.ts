/**
 * What every resource group shares: the client it calls through, input checks that run before
 * anything is sent, the ApiPromise wrapper for single calls and the Paginator for lists.
 */

import { LateValidationError, PartialPublishError } from '../errors.js'
import { callOptions } from '../transport.js'
import { Paginator, splitPageOptions } from '../pagination.js'
import type { PageOptions } from '../pagination.js'
import { apiPromise } from './api-promise.js'
import type { ApiPromise, RawResponse, Unwrap } from './api-promise.js'
import * as v from '../validate.js'
import type { RequestOptions } from '../../index.js'

/** What a resource sends with its route: path parameters, query, body and extra headers. */
export interface CallInit {
  params?: Record<string, unknown>
  query?: Record<string, unknown>
  body?: unknown
  headers?: Record<string, string>
}

/** The part of a client the resource groups call through (a `LateClient`). */
export interface ResourceClient {
  requestWithResponse(route: string, init: CallInit, options?: unknown): Promise<RawResponse>
}

/** What a list call pages over: the route's path parameters, its query, and the key of its items. */
export interface ListSpec {
  params?: Record<string, unknown>
  query?: Record<string, unknown>
  itemsKey: string
}

/** How a single call is shaped: `check` validates, `after` inspects the response, `unwrap` maps the body. */
export interface CallHooks<T> {
  check?: () => void
  unwrap?: Unwrap<T>
  after?: (res: RawResponse) => void
}

/** Resource → client. A WeakMap keeps the client off the resource's own properties. */
const clients = new WeakMap<object, ResourceClient>()
/** Most items an array argument (`platforms`, `mediaItems`, `events`, …) may hold. */
const MAX_ITEMS = 10_000

/** A required id: a non-empty string without spaces or slashes, named `param` in errors. */
export function requiredId(value: unknown, param: string): string {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected an id string`, { param })
  }
  return v.optionalId(value, param)
}

/** A required non-empty string. */
export function requiredString(value: unknown, param: string): string {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected a non-empty string`, { param })
  }
  return v.optionalString(value, param)
}

/** A required object; returns a shallow copy (the caller's getters run once, here). */
export function requiredObject(value: unknown, param: string): Record<string, unknown> {
  if (value === undefined || value === null) {
    throw new LateValidationError(`invalid \`${param}\`: required, expected an object`, { param })
  }
  return v.record(value, param)
}

/** An optional object; returns a shallow copy, or `{}` when absent. */
export function optionalObject(value: unknown, param: string): Record<string, unknown> {
  return v.record(value, param) ?? {}
}

/** An optional array of at most 10,000 items; returns a shallow copy. */
export function optionalArray(value: unknown, param: string): unknown[] | undefined {
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
export function omit(obj: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...obj }
  for (const k of keys) delete out[k]
  return out
}

/** The group's name for messages (`Posts` → `posts`). */
const GROUP = Symbol('Resource.group')

/** A receiver that may carry its group's name (the stand-in receiver of a detached call does). */
type Tagged = { readonly [GROUP]?: string }

/** The error of a resource method called without its client (`const { get } = late.posts`). */
function detached(self: unknown): LateValidationError {
  const group = self && (self as Tagged)[GROUP] ? `late.${(self as Tagged)[GROUP]}` : 'a resource group'
  return new LateValidationError(
    `invalid \`this\`: a method of ${group} was called detached from its client; call it as \`${group}.method(…)\` or bind it`,
    { param: 'this' },
  )
}

/**
 * One request of `self` as an ApiPromise (what `self._call` does, for the helpers of a group's
 * module). `check()` validates input before anything is sent; `after(res)` may throw (e.g. on a
 * 207); `unwrap(data)` shapes the awaited result.
 */
export function callOn<T>(
  self: Resource,
  route: string,
  init: CallInit | undefined,
  options: RequestOptions | undefined,
  { check, unwrap, after }: CallHooks<T> = {},
): ApiPromise<T> {
  const client = clients.get(self)
  return apiPromise(() => {
    if (!client) throw detached(self)
    if (check) check()
    if (options !== undefined && options !== null) callOptions(options)
    const res = client.requestWithResponse(route, init === undefined ? {} : init, options)
    return after ? res.then((r) => (after(r), r)) : res
  }, unwrap)
}

/**
 * Base of the resource groups (`late.posts`, `late.profiles`, …): each is built by its client on
 * first access (`late.posts`), never by hand.
 * @example
 * ```ts
 * const posts: Resource = late.posts
 * ```
 */
export class Resource {
  constructor(client: ResourceClient) {
    clients.set(this, client)
  }

  /**
   * One request as an ApiPromise. `check()` validates input before anything is sent;
   * `after(res)` may throw (e.g. on a 207); `unwrap(data)` shapes the awaited result.
   */
  protected _call<T>(route: string, init: CallInit | undefined, options: RequestOptions | undefined, hooks?: CallHooks<T>): ApiPromise<T> {
    return callOn(this, route, init, options, hooks)
  }

  /**
   * A Paginator over `itemsKey` of `route`; validates options synchronously.
   */
  protected _list<T, Raw>(route: string, { params, query, itemsKey }: ListSpec, options: PageOptions | undefined): Paginator<T, Raw> {
    const client = clients.get(this)
    if (!client) throw detached(this)
    const { request } = splitPageOptions(options)
    callOptions(request)
    return new Paginator<T, Raw>({
      send: (r, init, o) => client.requestWithResponse(r, init, o),
      route,
      params,
      query,
      itemsKey,
      options,
    })
  }
}

/** A resource group's class, as its module exports it. */
export type ResourceClass<R extends Resource = Resource> = new (client: ResourceClient) => R

const guarded = new WeakSet<object>()

/**
 * Makes every public method of a resource class fail clearly when called without its client
 * (`const { get } = late.posts; get('id')`): the method then runs on a receiver that has no
 * client, so `_call` rejects and `_list` throws a LateValidationError (`param: 'this'`) instead
 * of a TypeError from reading `_call` of undefined. Applied once per class, when it is loaded.
 */
export function guardDetached<G extends ResourceClass>(Group: G, group: string): G {
  if (guarded.has(Group)) return Group
  guarded.add(Group)
  const orphan: object = Object.create(Group.prototype, { [GROUP]: { value: group } })
  for (const key of Object.getOwnPropertyNames(Group.prototype)) {
    const desc = Object.getOwnPropertyDescriptor(Group.prototype, key)
    // `desc` exists (an own name of the prototype); the check only narrows its type.
    if (key === 'constructor' || key.startsWith('_') || desc === undefined || typeof desc.value !== 'function') continue
    const method: (...args: unknown[]) => unknown = desc.value
    const wrapped = {
      [key](this: unknown, ...args: unknown[]) {
        // WeakMap#has answers false for a receiver that is not an object (a detached call).
        return method.apply(clients.has(this as object) ? this : orphan, args)
      },
    }[key]
    Object.defineProperty(Group.prototype, key, { ...desc, value: wrapped })
  }
  return Group
}

/** A parsed JSON object of a response, read field by field. */
type Fields = { readonly [key: string]: unknown }

/** Throws PartialPublishError when a post call answered 207. */
export function throwOn207(res: RawResponse): void {
  if (res.status !== 207) return
  const body: Fields = res.data && typeof res.data === 'object' ? (res.data as Fields) : {}
  const post = body.post
  const results: unknown[] | undefined = Array.isArray(body.platformResults) ? body.platformResults : undefined
  const failed = results ? results.filter((r) => r && (r as Fields).status === 'failed').map((r) => (r as Fields).platform) : []
  const status = post && typeof post === 'object' ? (post as Fields).status : undefined
  const detail = body.error || body.message || 'publishing did not fully succeed'
  const parts: unknown[] = [`the post was saved but publishing did not fully succeed (207${status ? `, post.status ${status}` : ''})`]
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

/**
 * `(data) => data[key]` when the body is an object carrying `key`, else the body. The result's
 * type `T` is the route's (the API's shape, not checked at run time).
 */
export function field<T>(key: string): Unwrap<T> {
  return (data) => (data && typeof data === 'object' && key in data ? (data as Fields)[key] : data) as T
}
