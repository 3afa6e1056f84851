/**
 * The shapes every named method shares (types/namespaces.d.ts is generated from the spec on top
 * of these): what a method takes, what it resolves to on each client, and file inputs.
 */

import type { ApiPromise } from './resources/index'
import type { RequestOptions } from '../index'
import type { Operations } from '../types/operations'

/** Which client a namespace belongs to: `late-native`'s `LateClient` or `late-native/zernio`'s `Zernio`. */
export type Mode = 'late' | 'zernio'

/**
 * A file on disk for a multipart field or a raw (`application/octet-stream`) body: Rust streams it
 * from disk when the request is sent, so it never enters the JS heap. Made by {@link fileFromPath}.
 * @example
 * ```ts
 * const csv = fileFromPath('./posts.csv')
 * console.log(csv.name, csv.type) // 'posts.csv' 'text/csv'
 * ```
 */
export declare class LateFile {
  private constructor()
  /** The absolute path. */
  readonly path: string
  /** The file name sent (`filename="…"`): the path's base name unless given. */
  readonly name: string
  /** The content type sent with it: from the extension unless given (`application/octet-stream` when unknown). */
  readonly type: string
}

/** Options of {@link fileFromPath}. */
export interface FileFromPathOptions {
  /** The file name to send instead of the path's base name. */
  filename?: string
  /** The content type to send instead of the one guessed from the extension. */
  contentType?: string
}

/**
 * A file to stream from disk as a multipart field or a raw body.
 * @example
 * ```ts
 * import { LateClient, fileFromPath } from 'late-native'
 * const late = new LateClient()
 * await late.posts.bulkUploadPosts({ query: { dryRun: true }, body: { file: fileFromPath('./posts.csv') } })
 * ```
 */
export declare function fileFromPath(path: string, options?: FileFromPathOptions): LateFile

/**
 * File data: a `Blob`/`File` (its `name` and `type` are sent), a `Buffer`/`Uint8Array`/`ArrayBuffer`
 * (sent as `blob`, `application/octet-stream`), or a {@link LateFile} streamed from disk.
 */
export type FileInput = Blob | Uint8Array | ArrayBuffer | LateFile

/** Extra headers of one call (an `Idempotency-Key` here is used as the call's idempotency key). */
export type OpHeaders = Record<string, string>

/** What the official SDK's methods also take in their one argument; `signal` works as in `fetch`. */
export interface ZernioCallOptions {
  /** Cancels the call (a `LateAbortError`, `name === 'AbortError'`). */
  signal?: AbortSignal | null
  /** Accepted for compatibility; errors are always thrown, as in the official SDK. */
  throwOnError?: boolean
}

/** The argument of a named method: `{ path, query, body, headers }` (plus `signal` on `Zernio`). */
export type Args<M extends Mode, A> = M extends 'zernio' ? A & ZernioCallOptions : A

/** What a `late-native/zernio` method resolves to, as the official SDK's. */
export interface ZernioResult<T> {
  /** The parsed body (`{}` for an empty one, a `Blob` for a file download). */
  data: T
  /** The request as sent (`Authorization` left out: the key never leaves the client). */
  request: Request
  /** The response: `status`, `statusText`, `ok`, `headers`, `url`; its body is already read into `data`. */
  response: Response
}

/** What a named method returns: an {@link ApiPromise} of the data on `LateClient`, `{ data, request, response }` on `Zernio` (a file download's `Buffer` is a `Blob` there, as in the official SDK). */
export type Result<M extends Mode, T> = M extends 'zernio'
  ? Promise<ZernioResult<T extends Buffer ? Blob : T>>
  : ApiPromise<T>

/** Success bodies that differ by status, e.g. `ByStatus<{ 200: Analytics; 202: Syncing }>`. */
export interface ByStatus<S> {
  /** Type-level marker only. */
  readonly __byStatus?: S
}

/** The names of the `{param}`s of a route. */
export type PathNames<R> = R extends `${string}{${infer P}}${infer Rest}` ? P | PathNames<Rest> : never

/** `{ path: { … } }` for a route's `{param}`s (strings), or `{}` when it has none. */
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

/** The success body of operation `K` for one status (`200` unless given; the only one when there is one). */
export type StatusBody<K extends keyof Operations, Status extends number> = Operations[K][1] extends ByStatus<infer S>
  ? Status extends keyof S
    ? S[Status]
    : never
  : Operations[K][1]

/** The parameters of a named method: its argument (optional when nothing in it is required) and per-call options. */
export type OpParams<M extends Mode, A> = {} extends A
  ? [args?: Args<M, A & { headers?: OpHeaders }>, options?: RequestOptions]
  : [args: Args<M, A & { headers?: OpHeaders }>, options?: RequestOptions]

/** The methods of operations `K`, named by operationId (their documentation is the `Operations` entries'). */
export type OpsOf<M extends Mode, K extends keyof Operations> = { [P in keyof Pick<Operations, K>]: Op<M, P> }

/**
 * Every operation of the API: `'METHOD /path'` → its operationId.
 * @example
 * ```ts
 * const id: Routes['GET /v1/posts/{postId}'] = 'getPost'
 * ```
 */
export type Routes = { [K in keyof Operations as Operations[K][2]]: K }

/** An operation of the API as `'METHOD /path'`, e.g. `'GET /v1/accounts/{accountId}/health'`. */
export type Route = keyof Routes

/** The named method of operation `K`. */
export type Op<M extends Mode, K extends keyof Operations> = (...args: OpParams<M, OperationArgs<K>>) => Result<M, SuccessBody<K>>
