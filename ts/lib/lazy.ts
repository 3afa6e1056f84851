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
