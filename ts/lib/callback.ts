/** parseConnectCallback: reads the redirect back from the connect flow. */

import { LateValidationError } from './errors.js'
import * as v from './validate.js'

/**
 * The redirect back from a successful connect.
 * @example
 * ```ts
 * const r = parseConnectCallback(url)
 * if (r.ok) await saveAccount(r.profileId, r.accountId, r.username)
 * ```
 */
export interface ConnectCallbackSuccess {
  ok: true
  /** The connected platform (`connected`). */
  platform: string
  profileId?: string
  accountId?: string
  username?: string
}

/**
 * The redirect back from a failed connect.
 * @example
 * ```ts
 * const r = parseConnectCallback(url)
 * if (!r.ok && r.isUserFixable) showRetry(r.errorMessage)
 * ```
 */
export interface ConnectCallbackFailure {
  ok: false
  /** Error code, e.g. `oauth_denied`. */
  error: string
  platform?: string
  /** `error_message=`, when given. */
  errorMessage?: string
  /** `is_user_fixable=`, when given. */
  isUserFixable?: boolean
  /** `reason=`, when given. */
  reason?: string
  /** `dashboard_url=`, when given. */
  dashboardUrl?: string
}

/**
 * What {@link parseConnectCallback} reads from the redirect.
 * @example
 * ```ts
 * const result: ConnectCallbackResult = parseConnectCallback(searchParams)
 * ```
 */
export type ConnectCallbackResult = ConnectCallbackSuccess | ConnectCallbackFailure

/** One value of a Next.js `searchParams` object as text, or undefined when it has none. */
function paramText(val: unknown): string | undefined {
  if (Array.isArray(val)) val = val.length ? val[0] : undefined
  if (typeof val === 'string') return val
  if ((typeof val === 'number' && Number.isFinite(val)) || typeof val === 'boolean') return String(val)
  return undefined
}

function toSearchParams(input: unknown): URLSearchParams {
  return v.reading('url', () => searchParamsOf(input))
}

function searchParamsOf(input: unknown): URLSearchParams {
  if (input instanceof URLSearchParams) return input
  if (input instanceof URL) return input.searchParams
  if (typeof input === 'string') {
    const q = input.indexOf('?')
    const hash = input.indexOf('#')
    if (q === -1) return new URLSearchParams(input.includes('=') ? input : '')
    return new URLSearchParams(input.slice(q + 1, hash > q ? hash : undefined))
  }
  if (v.isRecord(input)) {
    // Next.js `searchParams` (a plain object whose values may be arrays).
    const sp = new URLSearchParams()
    for (const [k, val] of Object.entries(input as Record<string, unknown>)) {
      const text = paramText(val)
      if (text !== undefined) sp.append(k, text)
    }
    return sp
  }
  throw new LateValidationError('invalid `url`: expected a URL, a string, URLSearchParams or a searchParams object', {
    param: 'url',
  })
}

function opt(sp: URLSearchParams, name: string): string | undefined {
  const v = sp.get(name)
  return v === null || v === '' ? undefined : v
}

/**
 * Reads the query Late adds when it sends the customer back to your `redirectUrl`.
 * Success: `?connected=instagram&profileId=…&accountId=…&username=…`.
 * Failure: `?error=oauth_denied&platform=instagram[&error_message=…]`.
 *
 * @example
 * const r = parseConnectCallback(request.url)
 * if (r.ok) console.log(r.platform, r.accountId)
 * else console.error(r.error, r.errorMessage)
 */
export function parseConnectCallback(urlOrSearchParams: unknown): ConnectCallbackResult {
  const sp = toSearchParams(urlOrSearchParams)
  const error = opt(sp, 'error')
  if (error !== undefined) {
    const out: ConnectCallbackFailure = { ok: false, error, platform: opt(sp, 'platform') }
    const message = opt(sp, 'error_message')
    if (message !== undefined) out.errorMessage = message
    const fixable = opt(sp, 'is_user_fixable')
    if (fixable !== undefined) out.isUserFixable = fixable === 'true'
    const reason = opt(sp, 'reason')
    if (reason !== undefined) out.reason = reason
    const dashboardUrl = opt(sp, 'dashboard_url')
    if (dashboardUrl !== undefined) out.dashboardUrl = dashboardUrl
    return out
  }
  const connected = opt(sp, 'connected')
  if (connected !== undefined) {
    return {
      ok: true,
      platform: connected,
      profileId: opt(sp, 'profileId'),
      accountId: opt(sp, 'accountId'),
      username: opt(sp, 'username'),
    }
  }
  throw new LateValidationError(
    'invalid `url`: it carries no connect result (neither `connected` nor `error` is in the query)',
    { param: 'url' },
  )
}
