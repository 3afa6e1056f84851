'use strict'

/**
 * ApiPromise: what every non-list resource method returns. Awaiting it gives the result
 * (unwrapped where the API wraps one resource, e.g. `{ profile }` → the profile);
 * `.withResponse()` gives `{ data, status, headers, requestId, rateLimit, attempts, idempotencyKey }`
 * of the same single request. Nothing is sent twice: both views share one response.
 *
 * The promise itself never rejects: `then`/`catch`/`finally` delegate to a lazily built
 * result promise, so calling only `.withResponse()` leaves no unhandled rejection behind.
 */
const { LateValidationError } = require('../errors.js')
const v = require('../validate.js')

function isThenable(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function'
}

class ApiPromise extends Promise {
  #responsePromise
  #unwrap
  #result

  /**
   * @param {Promise<object>} responsePromise resolves to a `requestWithResponse` result
   * @param {(data: unknown, res: object) => unknown} [unwrap] maps the body to the result
   */
  constructor(responsePromise, unwrap) {
    super((resolve) => resolve(undefined))
    if (!v.reading('responsePromise', () => isThenable(responsePromise))) {
      throw new LateValidationError(`invalid \`responsePromise\`: expected a Promise, got ${v.describe(responsePromise)}`, {
        param: 'responsePromise',
      })
    }
    this.#responsePromise = v.reading('responsePromise', () => Promise.resolve(responsePromise))
    this.#unwrap = v.optionalFunction(unwrap, 'unwrap') || ((data) => data)
  }

  /** A rejected promise when `self` is not an ApiPromise (a method called detached). */
  static #foreign(self, method) {
    if (self !== null && typeof self === 'object' && #responsePromise in self) return undefined
    return Promise.reject(
      new LateValidationError(`invalid \`this\`: \`${method}\` was called on ${v.describe(self)}, not on an ApiPromise`, { param: 'this' }),
    )
  }

  // `then` on a subclass would otherwise build another ApiPromise through the species.
  static get [Symbol.species]() {
    return Promise
  }

  #parsed() {
    if (!this.#result) this.#result = this.#responsePromise.then((res) => this.#unwrap(res.data, res))
    return this.#result
  }

  /** The result together with the response metadata of the one request made. */
  withResponse() {
    const foreign = ApiPromise.#foreign(this, 'withResponse')
    if (foreign) return foreign
    return this.#responsePromise.then((res) => ({ ...res, data: this.#unwrap(res.data, res) }))
  }

  then(onFulfilled, onRejected) {
    return (ApiPromise.#foreign(this, 'then') || this.#parsed()).then(onFulfilled, onRejected)
  }

  catch(onRejected) {
    return (ApiPromise.#foreign(this, 'catch') || this.#parsed()).catch(onRejected)
  }

  finally(onFinally) {
    return (ApiPromise.#foreign(this, 'finally') || this.#parsed()).finally(onFinally)
  }

  get [Symbol.toStringTag]() {
    return 'ApiPromise'
  }
}

/**
 * Runs `start()` (which validates, then calls `requestWithResponse`) and wraps it. `start` runs
 * synchronously up to its first `await`, so validation happens before anything is sent, and a
 * validation error becomes a rejection like any other.
 */
function apiPromise(start, unwrap) {
  let responsePromise
  try {
    responsePromise = Promise.resolve(start())
  } catch (e) {
    responsePromise = Promise.reject(e)
  }
  return new ApiPromise(responsePromise, unwrap)
}

module.exports = { ApiPromise, apiPromise }
