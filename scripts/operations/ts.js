'use strict'

/**
 * JSON Schema (OpenAPI 3.1) → compact TypeScript. Named schemas become references to their
 * declarations, so every shape is written once; descriptions become JSDoc on properties.
 * Validation keywords (lengths, patterns, ranges) have no TypeScript form and are left out.
 */

const IDENT = /^[A-Za-z_$][\w$]*$/

/** A single-quoted TypeScript string literal. */
function q(s) {
  return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`
}

/** A property key: bare when it is an identifier, else quoted. */
function key(name) {
  return IDENT.test(name) ? name : q(name)
}

/** Makes text safe inside a `/** … *\/` comment. */
function comment(text) {
  return String(text).replace(/\*\//g, '*\\/').replace(/\r\n?/g, '\n')
}

/** A JSDoc block indented by `indent` (one line when short), or '' for no text. */
function jsdoc(lines, indent = '') {
  const body = lines.filter((l) => l !== undefined && l !== null).flatMap((l) => comment(l).split('\n'))
  while (body.length && body[body.length - 1].trim() === '') body.pop()
  while (body.length && body[0].trim() === '') body.shift()
  if (!body.length) return ''
  if (body.length === 1 && body[0].length < 100) return `${indent}/** ${body[0].trim()} */\n`
  return `${indent}/**\n${body.map((l) => `${indent} *${l ? ' ' + l : ''}`).join('\n')}\n${indent} */\n`
}

/** The first paragraph of a description, at most `max` characters. */
function brief(text, max = 300) {
  if (!text) return undefined
  const para = String(text).trim().split(/\n\s*\n/)[0].trim()
  return para.length > max ? `${para.slice(0, max).replace(/\s+\S*$/, '')}…` : para
}

function literal(v) {
  if (v === null) return 'null'
  if (typeof v === 'string') return q(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return 'unknown'
}

function wrap(t) {
  return /[|&]/.test(t) && !/^\{[\s\S]*\}$/.test(t) && !/^\([\s\S]*\)$/.test(t) ? `(${t})` : t
}

function union(types) {
  const seen = []
  for (const t of types) if (!seen.includes(t)) seen.push(t)
  if (seen.includes('unknown')) return 'unknown'
  return seen.length ? seen.join(' | ') : 'never'
}

/**
 * An emitter bound to a spec. `ref(name)` names a component schema in the output;
 * `binary` is the type of `format: binary` strings (file inputs in request bodies).
 */
class TsEmitter {
  /**
   * `hoist(text)`, when given, sees every object type (written at indent 0) and may return a
   * name to write instead: how repeated inline shapes are declared once.
   */
  constructor(spec, { ref, binary = 'string', describe = true, hoist } = {}) {
    this.spec = spec
    this.ref = ref
    this.binary = binary
    this.describe = describe
    this.hoist = hoist
  }

  /** Follows `$ref`s to components other than schemas (parameters, responses, bodies). */
  resolve(x) {
    let guard = 0
    while (x && x.$ref && !x.$ref.startsWith('#/components/schemas/')) {
      const parts = x.$ref.replace(/^#\//, '').split('/')
      x = parts.reduce((o, k) => (o ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.spec)
      if (++guard > 20) throw new Error('gen-operations: $ref loop')
    }
    return x
  }

  with(options) {
    return new TsEmitter(this.spec, { ref: this.ref, binary: this.binary, describe: this.describe, hoist: this.hoist, ...options })
  }

  /** The TypeScript type of `schema`, indented for nesting at `indent`. */
  type(schema, indent = '') {
    if (schema === undefined || schema === true || schema === null) return 'unknown'
    if (schema === false) return 'never'
    if (schema.$ref) {
      const m = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)
      if (m) return this.ref(m[1])
      return this.type(this.resolve(schema), indent)
    }
    let t = this.core(schema, indent)
    if (schema.nullable === true && t !== 'unknown' && !/(^|\| )null( \||$)/.test(t)) t = `${t} | null`
    return t
  }

  core(s, indent) {
    if (s.const !== undefined) return literal(s.const)
    if (Array.isArray(s.enum)) return union(s.enum.map(literal))
    const parts = []
    if (s.allOf) parts.push(s.allOf.map((x) => wrap(this.type(x, indent))).join(' & '))
    const alternatives = s.oneOf || s.anyOf
    const own = this.own(s, indent)
    if (alternatives) {
      const alt = union(alternatives.map((x) => this.type(x, indent)))
      if (own && own !== 'unknown') return `${wrap(own)} & ${wrap(alt)}`
      parts.push(alt)
    } else if (own) {
      parts.push(own)
    }
    if (parts.length === 0) return 'unknown'
    return parts.length === 1 ? parts[0] : parts.map(wrap).join(' & ')
  }

  /** The type given by `type` / `properties` / `items`, or undefined when the schema has none. */
  own(s, indent) {
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties || s.additionalProperties ? ['object'] : []
    if (!types.length) return s.allOf ? undefined : s.oneOf || s.anyOf ? undefined : 'unknown'
    return union(types.map((t) => this.single(t, s, indent)))
  }

  single(t, s, indent) {
    switch (t) {
      case 'string':
        return s.format === 'binary' ? this.binary : 'string'
      case 'integer':
      case 'number':
        return 'number'
      case 'boolean':
        return 'boolean'
      case 'null':
        return 'null'
      case 'array': {
        const item = this.type(s.items, indent)
        return `${wrap(item)}[]`
      }
      case 'object':
        return this.object(s, indent)
      default:
        return 'unknown'
    }
  }

  object(s, indent) {
    if (this.hoist && s.properties && Object.keys(s.properties).length) {
      const name = this.hoist(this.with({ hoist: undefined }).objectText(s, ''), s)
      if (name) return name
    }
    return this.objectText(s, indent)
  }

  objectText(s, indent) {
    const props = s.properties || {}
    const names = Object.keys(props)
    const required = new Set(s.required || [])
    const extra = s.additionalProperties
    if (!names.length) {
      if (extra && typeof extra === 'object' && Object.keys(extra).length) return `Record<string, ${this.type(extra, indent)}>`
      return 'Record<string, unknown>'
    }
    const inner = `${indent}  `
    let out = '{\n'
    for (const name of names) {
      const p = props[name]
      const r = p && p.$ref ? undefined : p
      if (this.describe && r) {
        const doc = [brief(r.description), r.deprecated ? '@deprecated' : undefined]
        out += jsdoc(doc, inner)
      }
      out += `${inner}${key(name)}${required.has(name) ? '' : '?'}: ${this.type(p, inner)}\n`
    }
    if (extra && extra !== false) out += `${inner}[key: string]: unknown\n`
    return `${out}${indent}}`
  }
}

module.exports = { TsEmitter, q, key, jsdoc, brief, comment, IDENT }
