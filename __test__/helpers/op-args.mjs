// Logical arguments `{ path, query, body, headers }` for any operation of the spec, read from the
// spec itself (not from the generated table): every path parameter, every query parameter (or
// only the required ones), required headers, and a body of the kind the operation takes.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'spec', 'openapi.json'), 'utf8'))
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete']

export function resolve(x) {
  while (x && x.$ref) x = x.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], spec)
  return x
}

/** Every operation of the spec: `{ id, method, path, op, params }`. */
export function specOperations() {
  const out = []
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of HTTP_METHODS) {
      const op = item[m]
      if (!op) continue
      const params = [...(item.parameters || []), ...(op.parameters || [])].map(resolve)
      out.push({ id: op.operationId, method: m.toUpperCase(), path: p, op, params })
    }
  }
  return out
}

export const JSON_BODY = { sample: 'x', n: 1, flag: true, nested: { list: [1, 'two', null], when: '2026-01-02T03:04:05.000Z' } }
export const CSV = 'post_content,platforms\r\n"Hello",twitter\r\n'
export const RAW = '%PDF-1.4 late-native sample'

function value(name, schema) {
  const s = resolve(schema || {}) || {}
  if (s.enum) return s.enum[0]
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  if (type === 'array') {
    const items = resolve(s.items || {}) || {}
    return items.enum ? items.enum.slice(0, 2) : ['a1', 'b 2']
  }
  if (type === 'integer' || type === 'number') return 7
  if (type === 'boolean') return true
  if (s.format === 'date') return '2026-01-02'
  if (s.format === 'date-time') return new Date(Date.UTC(2026, 0, 2, 3, 4, 5))
  return `q-${name}`
}

/** A path parameter value that needs encoding (a space and a non-ASCII letter). */
export function pathValue(name, schema) {
  const s = resolve(schema || {}) || {}
  if (s.enum) return s.enum[0]
  if (s.type === 'integer') return 7
  return `v-${name} é`
}

/** `{ path, query, body, headers }` for `entry` (from specOperations). */
export function sampleArgs(entry, { allQuery = true } = {}) {
  const args = {}
  const pathNames = [...entry.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
  if (pathNames.length) {
    args.path = {}
    for (const n of pathNames) args.path[n] = pathValue(n, (entry.params.find((p) => p.in === 'path' && p.name === n) || {}).schema)
  }
  const query = entry.params.filter((p) => p.in === 'query' && (allQuery || p.required))
  if (query.length) args.query = Object.fromEntries(query.map((p) => [p.name, value(p.name, p.schema)]))
  const headers = entry.params.filter((p) => p.in === 'header' && p.required)
  if (headers.length) args.headers = Object.fromEntries(headers.map((p) => [p.name, `h-${p.name}`]))
  const body = resolve(entry.op.requestBody)
  if (body) {
    const types = Object.keys(body.content || {})
    if (types.some((t) => t.includes('json'))) args.body = JSON_BODY
    else if (types.includes('multipart/form-data')) args.body = { file: new Blob([CSV], { type: 'text/csv' }), note: 'n1', count: 3 }
    else args.body = Buffer.from(RAW)
  }
  return args
}

/** The path the spec says `args` must produce (parameters percent-encoded), below `/api`. */
export function expectedPath(entry, args) {
  return entry.path.replace(/\{([^}]+)\}/g, (_, n) => encodeURIComponent(String(args.path[n])))
}
