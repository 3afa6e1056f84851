// Finds every public callable of the package by walking what it exports: exported functions,
// exported classes (called with `new`), their static methods, and the methods of live
// instances — prototype chains and object-valued properties (resource groups such as
// `late.posts`, `late.media`, `sim.faults`), so a method added later is fuzzed without
// touching this file. Names starting with `_` are internal by convention and skipped.

const BUILTIN_PROTOTYPES = new Set([
  Object.prototype,
  Function.prototype,
  Promise.prototype,
  Error.prototype,
  TypeError.prototype,
  RangeError.prototype,
  Array.prototype,
])

function isClass(fn) {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn))
}

function keyName(key) {
  return typeof key === 'symbol' ? `[${key.description}]` : key
}

/** Every own-or-inherited property key of `obj` above the built-in prototypes, with its descriptor. */
function members(obj) {
  const out = new Map()
  for (let p = obj; p && !BUILTIN_PROTOTYPES.has(p); p = Object.getPrototypeOf(p)) {
    for (const key of Reflect.ownKeys(p)) {
      if (key === 'constructor' || out.has(key)) continue
      if (typeof key === 'string' && key.startsWith('_')) continue
      out.set(key, Object.getOwnPropertyDescriptor(p, key))
    }
  }
  return out
}

/**
 * The methods of `obj`, as targets `{ id, fn, thisArg, kind: 'call' }`, recursing into
 * object-valued properties (getters included) up to `depth` levels.
 */
export function methodsOf(obj, path, module, depth = 3, seen = new Set()) {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function') || seen.has(obj)) return []
  seen.add(obj)
  const targets = []
  for (const [key, desc] of members(obj)) {
    const id = `${path}.${keyName(key)}`
    let value
    if (desc.get) {
      try {
        value = obj[key]
      } catch {
        continue
      }
      if (typeof value === 'function') continue // a getter returning a function is data, not a method
    } else {
      value = desc.value
      if (typeof value === 'function' && !isClass(value)) {
        targets.push({ id, fn: value, thisArg: obj, kind: 'call', module })
        continue
      }
    }
    if (depth > 0 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      targets.push(...methodsOf(value, id, module, depth - 1, seen))
    }
  }
  return targets
}

/** Exported functions and classes of one module (`index` or `testing`), plus classes' static methods. */
export function exportsOf(mod, module) {
  const targets = []
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== 'function') continue
    const id = `${module}.${name}`
    if (isClass(value)) {
      targets.push({ id: `new ${id}`, fn: value, kind: 'construct', module })
      for (const key of Reflect.ownKeys(value)) {
        if (['length', 'name', 'prototype'].includes(key)) continue
        const desc = Object.getOwnPropertyDescriptor(value, key)
        if (typeof desc.value === 'function') targets.push({ id: `${id}.${keyName(key)}`, fn: desc.value, thisArg: value, kind: 'call', module })
      }
    } else {
      targets.push({ id, fn: value, kind: 'call', module })
    }
  }
  return targets
}

/** Classes among the exports, so the caller can check that each one got an instance walked. */
export function exportedClasses(mod) {
  return Object.entries(mod).filter(([, v]) => isClass(v)).map(([name, v]) => ({ name, cls: v }))
}
