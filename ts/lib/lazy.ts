/**
 * `lazy(() => require('./x.js'))`: a loader that runs `load` on its first call and returns the
 * cached result on every later one, so a module loaded on first use costs one `require` in all
 * (not one per call). A constant of the module that makes it, never call state.
 */
export function lazy<T>(load: () => T): () => T {
  let value: T
  let loaded = false
  return () => {
    if (!loaded) {
      value = load()
      loaded = true
    }
    return value
  }
}

/**
 * `deferred(load, name)`: a function named `name` that calls `load()[name]` with its `this` and
 * arguments — the module loads on the first call, not when the function is exported. Typed as
 * the function it stands for.
 * @example
 * const verifyWebhook = deferred(lazy(() => require('./webhook.js') as typeof Webhook), 'verifyWebhook')
 */
export function deferred<M, K extends keyof M & string>(load: () => M, name: K): M[K] {
  const named = {
    [name](this: unknown, ...args: unknown[]): unknown {
      return Reflect.apply(load()[name] as (...a: unknown[]) => unknown, this, args)
    },
  }
  // The method has the name and the behaviour of M[K]; its declared type is the generic one.
  return named[name] as unknown as M[K]
}
