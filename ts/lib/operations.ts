/**
 * Every operation by name: the runtime half of the generated method table
 * (lib/generated/operations.js, compiled from ts/lib/generated/operations.ts; loaded on first use). A named method takes the official SDK's
 * argument `{ path, query, body, headers }`; this checks it against the operation (path and
 * required parameters present, the body of a kind the spec accepts) before anything is sent,
 * and builds the request: path parameters encoded, query serialized as the spec styles it, the
 * body as JSON, multipart or raw bytes (lib/body.js).
 *
 * It also declares the shapes every named method shares (types/namespaces.d.ts is generated from
 * the spec on top of these): what a method takes, what it resolves to on each client, and file inputs.
 */

import type { ApiPromise } from './resources/index.js'
import type { RequestOptions } from '../index.js'
import type { Operations } from '../types/operations.js'
import { LateValidationError } from './errors.js'
import * as v from './validate.js'
import { queryPairs } from './query.js'
import { isFileLike, multipart, raw } from './body.js'
import type { Multipart, Raw } from './body.js'
import { encodeJsonBody } from './json-body.js'

export { LateFile, fileFromPath } from './body.js'
export type { FileInput, FileFromPathOptions } from './body.js'

/**
 * Which client a namespace belongs to: `late-native`'s `LateClient` or `late-native/zernio`'s `Zernio`.
 * @example
 * ```ts
 * type ZernioPosts = PostsNamespace<'zernio'> // Mode 'zernio': methods resolve to { data, request, response }
 * ```
 */
export type Mode = 'late' | 'zernio'

/**
 * Extra headers of one call (an `Idempotency-Key` here is used as the call's idempotency key).
 * @example
 * ```ts
 * await late.posts.createPost({ body, headers: { 'Idempotency-Key': orderId } })
 * ```
 */
export type OpHeaders = Record<string, string>

/**
 * What the official SDK's methods also take in their one argument; `signal` works as in `fetch`.
 * @example
 * ```ts
 * await zernio.posts.listPosts({ query: { limit: 10 }, signal: AbortSignal.timeout(5000) })
 * ```
 */
export interface ZernioCallOptions {
  /** Cancels the call (a `LateAbortError`, `name === 'AbortError'`). */
  signal?: AbortSignal | null
  /** Accepted for compatibility; errors are always thrown, as in the official SDK. */
  throwOnError?: boolean
}

/**
 * The argument of a named method: `{ path, query, body, headers }` (plus `signal` on `Zernio`).
 * @example
 * ```ts
 * const args: Args<'zernio', OperationArgs<'getPost'>> = { path: { postId }, signal }
 * ```
 */
export type Args<M extends Mode, A> = M extends 'zernio' ? A & ZernioCallOptions : A

/**
 * What a `late-native/zernio` method resolves to, as the official SDK's.
 * @example
 * ```ts
 * const { data, response } = await zernio.posts.getPost({ path: { postId } })
 * console.log(response.status, data.post)
 * ```
 */
export interface ZernioResult<T> {
  /** The parsed body (`{}` for an empty one, a `Blob` for a file download). */
  data: T
  /** The request as sent (`Authorization` left out: the key never leaves the client). */
  request: Request
  /** The response: `status`, `statusText`, `ok`, `headers`, `url`; its body is already read into `data`. */
  response: Response
}

/**
 * What a named method returns: an {@link ApiPromise} of the data on `LateClient`, `{ data, request, response }` on `Zernio` (a file download's `Buffer` is a `Blob` there, as in the official SDK).
 * @example
 * ```ts
 * const pending: Result<'late', SuccessBody<'getPost'>> = late.posts.getPost({ path: { postId } })
 * ```
 */
export type Result<M extends Mode, T> = M extends 'zernio'
  ? Promise<ZernioResult<T extends Buffer ? Blob : T>>
  : ApiPromise<T>

/**
 * Success bodies that differ by status, e.g. `ByStatus<{ 200: Analytics; 202: Syncing }>`.
 * @example
 * ```ts
 * type Ready = StatusBody<'getAnalytics', 200> // the 200 member of the operation's ByStatus
 * ```
 */
export interface ByStatus<S> {
  /** Type-level marker only. */
  readonly __byStatus?: S
}

/**
 * The names of the `{param}`s of a route.
 * @example
 * ```ts
 * type N = PathNames<'GET /v1/posts/{postId}'> // 'postId'
 * ```
 */
export type PathNames<R> = R extends `${string}{${infer P}}${infer Rest}` ? P | PathNames<Rest> : never

/**
 * `{ path: { … } }` for a route's `{param}`s (strings), or `{}` when it has none.
 * @example
 * ```ts
 * const a: PathArgs<'GET /v1/posts/{postId}'> = { path: { postId: 'p1' } }
 * ```
 */
export type PathArgs<R> = [PathNames<R>] extends [never] ? {} : { path: { [P in PathNames<R>]: string } }

/**
 * The argument of operation `K` (`{ path, query, body, headers }`): `OperationArgs<'getPost'>`. Plain
 * string path parameters come from the route; typed ones (enums, integers) are in the entry.
 * @example
 * ```ts
 * const args: OperationArgs<'getPost'> = { path: { postId } }
 * await late.posts.getPost(args)
 * ```
 */
export type OperationArgs<K extends keyof Operations> = Operations[K][0] extends { path: unknown }
  ? Operations[K][0]
  : PathArgs<Operations[K][2]> & Operations[K][0]

/**
 * Every success body of operation `K` (a union over its 2xx statuses).
 * @example
 * ```ts
 * function show(analytics: SuccessBody<'getAnalytics'>) { console.log(analytics) }
 * ```
 */
export type SuccessBody<K extends keyof Operations> = Operations[K][1] extends ByStatus<infer S> ? S[keyof S] : Operations[K][1]

/**
 * The success body of operation `K` for one status (`200` unless given; the only one when there is one).
 * @example
 * ```ts
 * function show(post: StatusBody<'getPost', 200>) { console.log(post) }
 * ```
 */
export type StatusBody<K extends keyof Operations, Status extends number> = Operations[K][1] extends ByStatus<infer S>
  ? Status extends keyof S
    ? S[Status]
    : never
  : Operations[K][1]

/**
 * The parameters of a named method: its argument (optional when nothing in it is required) and per-call options.
 * @example
 * ```ts
 * const params: OpParams<'late', OperationArgs<'getPost'>> = [{ path: { postId } }, { timeoutMs: 5000 }]
 * ```
 */
export type OpParams<M extends Mode, A> = {} extends A
  ? [args?: Args<M, A & { headers?: OpHeaders }>, options?: RequestOptions]
  : [args: Args<M, A & { headers?: OpHeaders }>, options?: RequestOptions]

/**
 * The methods of operations `K`, named by operationId (their documentation is the `Operations` entries').
 * @example
 * ```ts
 * type PostReads = OpsOf<'late', 'getPost' | 'listPosts'> // { getPost: Op<'late', 'getPost'>; listPosts: … }
 * ```
 */
export type OpsOf<M extends Mode, K extends keyof Operations> = { [P in keyof Pick<Operations, K>]: Op<M, P> }

/**
 * Every operation of the API: `'METHOD /path'` → its operationId.
 * @example
 * ```ts
 * const id: Routes['GET /v1/posts/{postId}'] = 'getPost'
 * ```
 */
export type Routes = { [K in keyof Operations as Operations[K][2]]: K }

/**
 * An operation of the API as `'METHOD /path'`, e.g. `'GET /v1/accounts/{accountId}/health'`.
 * @example
 * ```ts
 * const route: Route = 'GET /v1/posts/{postId}'
 * ```
 */
export type Route = keyof Routes

/**
 * The named method of operation `K`.
 * @example
 * ```ts
 * const getPost: Op<'late', 'getPost'> = late.posts.getPost
 * ```
 */
export type Op<M extends Mode, K extends keyof Operations> = (...args: OpParams<M, OperationArgs<K>>) => Result<M, SuccessBody<K>>

/**
 * The generated method table: FLAGS, OPERATIONS and NAMESPACES.
 * @example
 * const { FLAGS, OPERATIONS }: OperationTable = operations()
 */
export type OperationTable = typeof import('./generated/operations.js')

let table: OperationTable | undefined
/**
 * The generated method table (loaded once, on first use).
 * @example
 * const { OPERATIONS } = operations()
 * OPERATIONS[0][0] // an operationId, e.g. 'validatePostLength'
 */
export function operations(): OperationTable {
  if (!table) table = require('./generated/operations.js') as OperationTable
  return table
}

/**
 * A request of a named method, checked and built: what the transport sends.
 * @example
 * const { method, path, query, body }: OperationRequest = operationRequest(index, args)
 */
export interface OperationRequest {
  /** The operationId. */
  id: string
  method: string
  /** The path, its parameters encoded. */
  path: string
  /** The query as `[name, value, …]`. */
  query: string[] | undefined
  /** JSON text, a FormData, multipart fields or a raw payload (lib/body.js), or nothing. */
  body: string | FormData | Multipart | Raw | undefined
  /** The `headers` argument, as a plain object. */
  headers: Record<string, string> | undefined
  /** The success body is a file (bytes, not JSON). */
  binary: boolean
  /** A 207 here is the partial-publish answer (`PartialPublishError` on LateClient). */
  partialPublish: boolean
}

const ARG_KEYS = ['path', 'query', 'body', 'headers']
/** The official SDK's methods also take fetch's `signal` and hey-api's `throwOnError` in their argument. */
const COMPAT_KEYS = [...ARG_KEYS, 'signal', 'throwOnError']

function fail(param: string, message: string): LateValidationError {
  return new LateValidationError(`invalid \`${param}\`: ${message}`, { param })
}

function hasFile(fields: object): boolean {
  return Object.values(fields).some((v) => isFileLike(v) || (Array.isArray(v) && v.some(isFileLike)))
}

/** The body to send for operation `id`, as the kinds its spec accepts allow. */
function operationBody(id: string, flags: number, FLAGS: OperationTable['FLAGS'], body: unknown): OperationRequest['body'] {
  if (body === undefined) {
    if (flags & FLAGS.bodyRequired) throw fail('body', `required by ${id}`)
    return undefined
  }
  if (body === null) return undefined
  const json = Boolean(flags & (FLAGS.json | FLAGS.sdkOnly))
  const form = Boolean(flags & FLAGS.multipart)
  if (flags & FLAGS.raw && !json && !form) {
    if (!isFileLike(body)) {
      throw fail('body', `${id} takes the file itself (application/octet-stream): a Buffer, Uint8Array, ArrayBuffer, Blob or fileFromPath(path)`)
    }
    return raw(body, 'application/octet-stream')
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    if (!form) throw fail('body', `${id} takes JSON, not FormData`)
    return body
  }
  if (form && v.isRecord(body) && (!json || flags & FLAGS.multipartFirst || hasFile(body))) return multipart(body)
  if (form && !json) throw fail('body', `${id} takes multipart/form-data: an object of fields or a FormData`)
  if (isFileLike(body)) throw fail('body', `${id} takes JSON; file data goes in a multipart operation or media.upload`)
  return encodeJsonBody(body, 'body')
}

function hasQuery(pairs: string[] | undefined, name: string): boolean {
  if (!pairs) return false
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name || pairs[i].startsWith(`${name}[`)) return true
  return false
}

/**
 * The request of operation number `index` for `args`, checked; throws LateValidationError
 * (naming `path.<name>`, `query.<name>`, `body`, `headers.<name>`, …) before anything is sent.
 * `compat`: also accept the official SDK's `signal`/`throwOnError` keys (late-native/zernio).
 * @example
 * const i = operations().OPERATIONS.findIndex(([id]) => id === 'getPost')
 * operationRequest(i, { path: { postId: 'p 1' } }) // { id: 'getPost', method: 'GET', path: '/v1/posts/p%201', … }
 */
export function operationRequest(index: number, input: unknown, { compat = false }: { compat?: boolean } = {}): OperationRequest {
  const { OPERATIONS, FLAGS } = operations()
  const [id, route, flags, requiredQuery = [], requiredHeaders = [], styles] = OPERATIONS[index]
  if (input === undefined || input === null) input = {}
  if (!v.isRecord(input)) throw fail('args', `${id} takes an object { path, query, body, headers }, got ${v.describe(input)}`)
  // One plain copy, read once: a getter or Proxy trap that throws is a LateValidationError.
  const args: { path?: unknown; query?: unknown; body?: unknown; headers?: unknown } = v.record(input, 'args')
  v.knownKeys(args, compat ? COMPAT_KEYS : ARG_KEYS, 'args')
  const space = route.indexOf(' ')
  const method = route.slice(0, space)
  const template = route.slice(space + 1)
  const given: Record<string, unknown> | undefined = args.path === undefined || args.path === null ? undefined : v.record(args.path, 'path')
  const names = new Set<string>()
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.add(name)
    const value = given ? given[name] : undefined
    if (value === undefined || value === null) throw fail(`path.${name}`, `required by ${id} (${route})`)
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value !== 'string' || value === '') throw fail(`path.${name}`, `expected a non-empty string, got ${v.describe(value)}`)
    return encodeURIComponent(v.checkText(value, `path.${name}`))
  })
  if (given) {
    for (const k of Object.keys(given)) {
      if (!names.has(k) && given[k] !== undefined) {
        throw fail(`path.${k}`, `${id} has no path parameter \`${k}\` (${route})`)
      }
    }
  }
  const query = queryPairs(args.query, 'query', styles)
  for (const name of requiredQuery) if (!hasQuery(query, name)) throw fail(`query.${name}`, `required by ${id}`)
  const headers: Record<string, string> | undefined = v.optionalHeaders(args.headers, 'headers')
  for (const h of requiredHeaders) {
    const lower = h.toLowerCase()
    if (!headers || !Object.keys(headers).some((k) => k.toLowerCase() === lower)) throw fail(`headers.${h}`, `required by ${id}`)
  }
  return {
    id,
    method,
    path,
    query,
    body: v.reading('body', () => operationBody(id, flags, FLAGS, args.body)),
    headers,
    binary: Boolean(flags & FLAGS.binaryResponse),
    partialPublish: Boolean(flags & FLAGS.partialPublish),
  }
}

/**
 * `[name, value, …]` as URLSearchParams (what `request()` takes).
 * @example
 * searchParams(['a', '1', 'a', '2'])?.toString() // 'a=1&a=2'
 */
export function searchParams(pairs: string[] | undefined): URLSearchParams | undefined {
  if (!pairs) return undefined
  const p = new URLSearchParams()
  for (let i = 0; i < pairs.length; i += 2) p.append(pairs[i], pairs[i + 1])
  return p
}
