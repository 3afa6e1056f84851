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
  return originFromHeaders(req.headers, new URL(req.url))
}

/** The same from request headers alone (a Server Action reads them with `await headers()`). */
export function originFromHeaders(headers: Headers, url?: URL): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/+$/, '')
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? url?.host
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? url?.protocol.slice(0, -1) ?? 'http'
  return `${proto}://${host}`
}

/** What went wrong with a Late call, in words fit for the browser (no internals). */
export type LateProblem = 'unreachable' | 'api' | 'internal'

export function lateProblem(err: unknown): LateProblem {
  if (err instanceof LateApiError) return 'api'
  if (err instanceof LateConnectionError) return 'unreachable'
  return 'internal'
}

export const PROBLEM_TEXT: Record<LateProblem, string> = {
  unreachable: 'Late could not be reached',
  api: 'Late answered with an error',
  internal: 'Internal error',
}

/** Logs a failed Late call and answers the browser without internals. */
export function lateErrorResponse(err: unknown): Response {
  console.error('[late]', err)
  const problem = lateProblem(err)
  if (err instanceof LateApiError) {
    return Response.json({ error: `Late answered ${err.status}`, requestId: err.requestId }, { status: 502 })
  }
  return Response.json({ error: PROBLEM_TEXT[problem] }, { status: problem === 'internal' ? 500 : 502 })
}
