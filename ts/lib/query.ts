/**
 * Query values to `[name, value, name, value, …]` (Rust percent-encodes them), the way the
 * official SDK sends them: `undefined`/`null` skipped, arrays repeated (`a=1&a=2`, OpenAPI's
 * form/explode), booleans and numbers as text, a `Date` as ISO 8601, a plain object as
 * `name[key]=value` (OpenAPI's deepObject). A parameter the spec styles otherwise
 * (`styles[name]`: `form:false` → `a=1,2`, `spaceDelimited`, `pipeDelimited`) follows its style.
 */

import { LateValidationError } from './errors.js'
import * as v from './validate.js'

/** A spec's non-default query styles, by parameter name (`form:false`, `spaceDelimited`, …). */
export type QueryStyles = Readonly<Record<string, string>>

/** Most values one query parameter may repeat (an array longer than this cannot fit in a URL). */
const MAX_QUERY_VALUES = 1000

const DELIMITERS: Readonly<Record<string, string>> = { 'form:false': ',', 'spaceDelimited:false': ' ', 'pipeDelimited:false': '|', spaceDelimited: ' ', pipeDelimited: '|' }

function scalar(value: unknown, param: string): string {
  if (typeof value === 'string') return v.checkText(value, param)
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value)
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LateValidationError(`invalid \`${param}\`: an invalid Date`, { param })
    return value.toISOString()
  }
  throw new LateValidationError(`invalid \`${param}\`: expected a string, finite number, boolean or Date, got ${v.describe(value)}`, { param })
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * The flat pairs of `query` (an object or URLSearchParams), or undefined for none. `param` names
 * the argument in errors (`query`), `styles` the spec's non-default styles by parameter name.
 */
export function queryPairs(query: unknown, param = 'query', styles?: QueryStyles): string[] | undefined {
  if (query === undefined || query === null) return undefined
  // Caller input is read inside `reading`: a getter or Proxy trap that throws is a LateValidationError.
  return v.reading(param, () => {
    if (query instanceof URLSearchParams) return [...query.entries()].flat()
    const out: string[] = []
    for (const [name, value] of Object.entries(v.record(query, param))) {
      if (value === undefined || value === null) continue
      v.checkText(name, param)
      const p = `${param}.${name}`
      const style = styles && styles[name]
      if (Array.isArray(value)) {
        if (value.length > MAX_QUERY_VALUES) {
          throw new LateValidationError(`invalid \`${p}\`: at most ${MAX_QUERY_VALUES} values, got ${value.length}`, { param: p })
        }
        const items: string[] = []
        for (let i = 0; i < value.length; i++) if (value[i] !== undefined && value[i] !== null) items.push(scalar(value[i], `${p}[${i}]`))
        if (style && DELIMITERS[style]) {
          if (items.length) out.push(name, items.join(DELIMITERS[style]))
        } else {
          for (const item of items) out.push(name, item)
        }
      } else if (isPlainObject(value)) {
        const entries = Object.entries(value).filter(([, x]) => x !== undefined && x !== null)
        if (style === 'form:false') {
          out.push(name, entries.flatMap(([k, x]) => [k, scalar(x, `${p}.${k}`)]).join(','))
        } else if (style === 'form') {
          for (const [k, x] of entries) out.push(v.checkText(k, p), scalar(x, `${p}.${k}`))
        } else {
          for (const [k, x] of entries) out.push(`${name}[${v.checkText(k, p)}]`, scalar(x, `${p}.${k}`))
        }
      } else {
        out.push(name, scalar(value, p))
      }
    }
    return out
  })
}
