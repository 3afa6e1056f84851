// Success bodies that are not valid JSON (a truncated response, an HTML error page from a proxy)
// become a LateApiError with `code: 'invalid_response'` that says where the JSON broke: the
// problem, line, column and offset, and a short excerpt around that place, with the API key
// redacted. Only the failure path scans the text; the success path is one `JSON.parse`.

import { LateApiError } from './errors.js'

const BEFORE = 40 // characters of excerpt before the break
const AFTER = 20 // and after it

/** Where `text` stops being JSON: `{ at, problem }`, or null when it is valid JSON. Iterative: any depth. */
function locateJsonError(text: string): { at: number; problem: string } | null {
  const n = text.length
  const stack: string[] = []
  let i = 0
  let state: 'value' | 'key' | 'after' = 'value' // expecting a value | 'key' (a property name) | 'after' (a value ended)
  const show = (ch: string | undefined): string => JSON.stringify(ch)
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  }
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const string = (): string | null => {
    for (i++; i < n; ) {
      const c = text.charCodeAt(i)
      if (c === 34) return i++, null
      if (c < 0x20) return 'a control character inside a string'
      if (c !== 92) {
        i++
        continue
      }
      const esc = text[i + 1]
      if (esc === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return 'an invalid \\u escape'
        i += 6
      } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2
      else if (esc === undefined) return (i = n), 'unexpected end of input inside a string'
      else return `an invalid escape \\${esc}`
    }
    return 'unexpected end of input inside a string'
  }
  for (;;) {
    skipSpace()
    if (state === 'after' && stack.length === 0) return i < n ? { at: i, problem: `unexpected ${show(text[i])} after the JSON value` } : null
    if (i >= n) return { at: n, problem: 'unexpected end of input' }
    const ch = text[i]
    if (state === 'value') {
      if (ch === '{' || ch === '[') {
        i++
        skipSpace()
        if (text[i] === (ch === '{' ? '}' : ']')) {
          i++
          state = 'after'
        } else {
          stack.push(ch)
          state = ch === '{' ? 'key' : 'value'
        }
      } else if (ch === '"') {
        const problem = string()
        if (problem) return { at: i, problem }
        state = 'after'
      } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
        number.lastIndex = i
        if (!number.test(text)) return { at: i, problem: 'an invalid number' }
        i = number.lastIndex
        state = 'after'
      } else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i))
        if (!word) return { at: i, problem: `unexpected ${show(ch)} where a value should be` }
        i += word.length
        state = 'after'
      }
    } else if (state === 'key') {
      if (ch !== '"') return { at: i, problem: `expected a property name, found ${show(ch)}` }
      const problem = string()
      if (problem) return { at: i, problem }
      skipSpace()
      if (i >= n) return { at: n, problem: 'unexpected end of input' }
      if (text[i] !== ':') return { at: i, problem: `expected ':' after a property name, found ${show(text[i])}` }
      i++
      state = 'value'
    } else {
      const top = stack[stack.length - 1]
      const close = top === '{' ? '}' : ']'
      if (ch === ',') {
        i++
        state = top === '{' ? 'key' : 'value'
      } else if (ch === close) {
        stack.pop()
        i++
      } else return { at: i, problem: `expected ',' or '${close}', found ${show(ch)}` }
    }
  }
}

/** Control characters (newlines, tabs, …) escaped, so an excerpt stays on one line. */
const visible = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1))

/** `text[start, end)` with every occurrence of `secret` that overlaps it replaced by [redacted]. */
function redactedSlice(text: string, start: number, end: number, secret: string | undefined): string {
  if (!secret) return text.slice(start, end)
  for (let k = text.indexOf(secret); k !== -1; k = text.indexOf(secret, k + 1)) {
    if (k < end && k + secret.length > start) {
      start = Math.min(start, k)
      end = Math.max(end, k + secret.length)
    }
  }
  return text.slice(start, end).split(secret).join('[redacted]')
}

/** The first `max` characters of `text` (the API key redacted), with the full length when cut. */
export function excerpt(text: string, secret: string | undefined, max = 200): string {
  return text.length > max ? `${redactedSlice(text, 0, max, secret)}… (${text.length} characters)` : redactedSlice(text, 0, text.length, secret)
}

/**
 * Why `text` is not valid JSON, for an error message: the problem, line, column and offset and an
 * excerpt around the place (never `secret`). `fallback` is the parser's own message, used if the
 * scanner finds the text valid (it does not happen with JSON.parse).
 */
export function describeInvalidJson(text: string, secret: string | undefined, fallback: string): string {
  const found = locateJsonError(text)
  if (!found) return `${fallback} (${text.length} characters)`
  const { at, problem } = found
  const line = (text.slice(0, at).match(/\n/g)?.length ?? 0) + 1
  const column = at - text.lastIndexOf('\n', at - 1)
  const start = Math.max(0, at - BEFORE)
  const end = Math.min(text.length, at + AFTER)
  const before = `${start > 0 ? '…' : ''}${redactedSlice(text, start, at, secret)}`
  const after = `${redactedSlice(text, at, end, secret)}${end < text.length ? '…' : ''}`
  const near = after ? `\`${visible(before)}\` ← here → \`${visible(after)}\`` : `\`${visible(before)}\` ← here (the end)`
  return `${problem} at line ${line}, column ${column} (offset ${at} of ${text.length} characters), near ${near}`
}

/**
 * Parses a success body. Text that is not valid JSON throws a LateApiError (`invalid_response`)
 * saying where it broke. `meta`: `{ status, requestId?, headers?, secret? }` (`secret`: the API key, redacted).
 */
/** What a success body is parsed with: its status and request id, its headers, the key to redact. */
export interface BodyMeta {
  status: number
  requestId?: string | null
  headers?: Record<string, string>
  secret?: string
}

export function parseJsonBody(text: string, meta: BodyMeta): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    const where = describeInvalidJson(text, meta.secret, (e as Error).message)
    throw new LateApiError(`the API returned a ${meta.status} response whose body is not valid JSON: ${where}`, {
      status: meta.status,
      code: 'invalid_response',
      requestId: meta.requestId ?? undefined,
      headers: meta.headers,
    })
  }
}
