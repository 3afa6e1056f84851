import 'server-only'
import { LateApiError, LateClient, LateConnectionError } from 'late-native'

let client: LateClient | undefined

/**
 * The app's one Late client, created on first use (at request time, not at build time).
 * The API key stays on the server: LATE_API_KEY is never prefixed with NEXT_PUBLIC_.
 */
export function late(): LateClient {
  client ??= new LateClient({
    apiKey: process.env.LATE_API_KEY,
    baseUrl: process.env.LATE_BASE_URL, // unset: the real API
    timeoutMs: 15_000,
  })
  return client
}

/** Profile to connect accounts under; unset means the account's default profile. */
export const profileId = (): string | undefined => process.env.LATE_PROFILE_ID || undefined

/**
 * This app's public origin, for the redirect back from Late: APP_URL when set (do set it in
 * production), else the Host the browser used. Not `new URL(req.url).origin`: behind `next start`
 * that is `localhost` whatever the browser's address was.
 */
export function appOrigin(req: Request): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/+$/, '')
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? new URL(req.url).host
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? new URL(req.url).protocol.slice(0, -1)
  return `${proto}://${host}`
}

/** Logs a failed Late call and answers the browser without internals. */
export function lateErrorResponse(err: unknown): Response {
  console.error('[late]', err)
  if (err instanceof LateApiError) {
    return Response.json({ error: `Late answered ${err.status}`, requestId: err.requestId }, { status: 502 })
  }
  if (err instanceof LateConnectionError) {
    return Response.json({ error: 'Late could not be reached' }, { status: 502 })
  }
  return Response.json({ error: 'Internal error' }, { status: 500 })
}
