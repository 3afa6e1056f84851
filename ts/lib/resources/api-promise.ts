/**
 * ApiPromise: what every non-list resource method returns. Awaiting it gives the result
 * (unwrapped where the API wraps one resource, e.g. `{ profile }` → the profile);
 * `.withResponse()` gives `{ data, status, headers, requestId, rateLimit, attempts, idempotencyKey }`
 * of the same single request. Nothing is sent twice: both views share one response.
 *
 * The promise itself never rejects: `then`/`catch`/`finally` delegate to a lazily built
 * result promise, so calling only `.withResponse()` leaves no unhandled rejection behind.
 */

import { LateValidationError } from '../errors.js'
import * as v from '../validate.js'
import type { WithResponse } from '../../index.js'

/** What `requestWithResponse` resolves to: the parsed body with the response metadata. */
export type RawResponse = WithResponse<unknown>

/** Maps a response body (and its response) to the result an {@link ApiPromise} resolves to. */
export type Unwrap<T> = (data: unknown, res: RawResponse) => T

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function'
}

/**
 * What single-call resource methods return: a Promise of the result with `.withResponse()`.
 * One request serves both views.
 *
 * @example
 * ```ts
 * const post = await late.posts.get(postId)
 * const { data, requestId, rateLimit, status } = await late.posts.get(postId).withResponse()
 * ```
 */
export class ApiPromise<T> extends Promise<T> {
  #responsePromise: Promise<RawResponse>
  #unwrap: Unwrap<T>
  #result: Promise<T> | undefined

  /**
   * @param responsePromise resolves to a `requestWithResponse` result
   * @param unwrap maps the body to the result (default: the body itself)
   * @example
   * ```ts
   * const verified = new ApiPromise(late.requestWithResponse({ method: 'GET', path: '/v1/auth/verify' }))
   * ```
   */
  constructor(responsePromise: PromiseLike<RawResponse>, unwrap?: Unwrap<T>) {
    // The base promise is never observed: then/catch/finally below delegate to the result promise.
    super((resolve) => resolve(undefined as never))
    if (!v.reading('responsePromise', () => isThenable(responsePromise))) {
      throw new LateValidationError(`invalid \`responsePromise\`: expected a Promise, got ${v.describe(responsePromise)}`, {
        param: 'responsePromise',
      })
    }
    this.#responsePromise = v.reading('responsePromise', () => Promise.resolve(responsePromise))
    // Without `unwrap` the result is the body, whose type the route (not a runtime check) vouches for.
    this.#unwrap = (v.optionalFunction(unwrap, 'unwrap') as Unwrap<T> | undefined) || ((data: unknown) => data as T)
  }

  /** A rejected promise when `self` is not an ApiPromise (a method called detached). */
  static #foreign<T>(self: unknown, method: string): Promise<T> | undefined {
    if (self !== null && typeof self === 'object' && #responsePromise in self) return undefined
    return Promise.reject(
      new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on an ApiPromise`, { param: 'this' }),
    )
  }

  // `then` on a subclass would otherwise build another ApiPromise through the species.
  static get [Symbol.species](): PromiseConstructor {
    return Promise
  }

  #parsed(): Promise<T> {
    if (!this.#result) this.#result = this.#responsePromise.then((res) => this.#unwrap(res.data, res))
    return this.#result
  }

  /**
   * The result with the response metadata: `{ data, status, headers, requestId, rateLimit, attempts, idempotencyKey }`.
   * @example
   * ```ts
   * const { data: profile, requestId } = await late.profiles.get(profileId).withResponse()
   * ```
   */
  withResponse(): Promise<WithResponse<T>> {
    const foreign = ApiPromise.#foreign<WithResponse<T>>(this, 'withResponse')
    if (foreign) return foreign
    return this.#responsePromise.then((res) => ({ ...res, data: this.#unwrap(res.data, res) }))
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return (ApiPromise.#foreign<T>(this, 'then') || this.#parsed()).then(onFulfilled, onRejected)
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return (ApiPromise.#foreign<T>(this, 'catch') || this.#parsed()).catch(onRejected)
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return (ApiPromise.#foreign<T>(this, 'finally') || this.#parsed()).finally(onFinally)
  }

  get [Symbol.toStringTag](): string {
    return 'ApiPromise'
  }
}

/**
 * Runs `start()` (which validates, then calls `requestWithResponse`) and wraps it. `start` runs
 * synchronously up to its first `await`, so validation happens before anything is sent, and a
 * validation error becomes a rejection like any other.
 */
export function apiPromise<T>(start: () => RawResponse | PromiseLike<RawResponse>, unwrap?: Unwrap<T>): ApiPromise<T> {
  let responsePromise: Promise<RawResponse>
  try {
    responsePromise = Promise.resolve(start())
  } catch (e) {
    responsePromise = Promise.reject(e)
  }
  return new ApiPromise(responsePromise, unwrap)
}
