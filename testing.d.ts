/**
 * `late-native/testing` — an in-memory Late / Zernio API simulator on 127.0.0.1 for offline
 * tests and demos.
 *
 * It follows the vendor's OpenAPI spec for the core routes: profiles, accounts (both
 * pagination styles), `GET /v1/connect/{platform}` with a consent page that creates the account
 * and sends a signed `account.connected` webhook, posts with `Idempotency-Key`, media presign +
 * upload, webhook settings, logs and tests, and `GET /v1/auth/verify`. Every response carries
 * `X-Request-Id` and `X-RateLimit-*`; faults (status codes with `Retry-After`, delays, dropped
 * connections, malformed bodies) can be injected per route.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * import { LateClient } from 'late-native'
 *
 * await using sim = await startSimulator()
 * const late = new LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl })
 * const { connectUrl } = await late.connectInstagram({ redirectUrl: 'http://localhost:3000/connected' })
 * const { redirectUrl, accountId } = await sim.grantConsent(connectUrl, { username: 'acme' })
 * ```
 * @packageDocumentation
 */

/** The API key a simulator accepts by default (deliberately not shaped like a real key). */
export declare const DEFAULT_API_KEY: 'sk_test_late_sim_0001'
/** The default webhook signing secret of a simulator. */
export declare const DEFAULT_WEBHOOK_SECRET: 'whsec_test_late_sim'

/**
 * A team limit: at most `limit` requests in any sliding window of `windowMs` (default 60000),
 * across all clients. `limit: 0` disables it.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ rateLimit: { limit: 120, windowMs: 2000 } })
 * ```
 */
export interface SimulatorRateLimit {
  limit: number
  windowMs?: number
}

/**
 * What the team limit did since the start, the last `reset()` or `setRateLimit()`.
 *
 * @example
 * ```ts
 * const { allowed, limited } = sim.rateLimitStats()
 * console.log(`${((100 * limited) / (allowed + limited)).toFixed(2)} % of requests drew a 429`)
 * ```
 */
export interface SimulatorRateLimitStats {
  /** Requests per window (`0`: no limit). */
  limit: number
  /** The window, in milliseconds. */
  windowMs: number
  /** `/api` requests let through. */
  allowed: number
  /** `/api` requests refused with `429 rate_limited`. */
  limited: number
}

/**
 * Options of {@link startSimulator}. Every field is optional.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 4010, rateLimitPerMinute: 60, webhookUrl: 'http://localhost:3000/api/webhooks/late' })
 * ```
 */
export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; `0` (the default) picks a free port. */
  port?: number
  /** The accepted API key. Default {@link DEFAULT_API_KEY}. */
  apiKey?: string
  /**
   * Secret given to webhooks created without their own `secret`, so deliveries are signed by
   * default. Default {@link DEFAULT_WEBHOOK_SECRET}.
   */
  webhookSecret?: string
  /** Requests allowed per sliding minute across all `/api` routes. Default 600; `0` disables. */
  rateLimitPerMinute?: number
  /**
   * The team limit with its window, enforced for every client of the key together like the real
   * API (which uses a minute): `{ limit: 120, windowMs: 2000 }`. Instead of `rateLimitPerMinute`.
   */
  rateLimit?: SimulatorRateLimit
  /** A webhook URL registered at start for `account.*`, `post.*` and `webhook.test` events. */
  webhookUrl?: string
  /** Page size of `GET /v1/accounts` cursor pages requested without `limit` (the API uses 500). */
  accountsPageDefault?: number
  /** Delivery attempts per webhook event, the first included. Default 3. */
  webhookAttempts?: number
  /** Pause between delivery attempts, in milliseconds. Default 200. */
  webhookRetryDelayMs?: number
  /** How long a receiver has to answer with a 2xx, in milliseconds. Default 5000. */
  webhookTimeoutMs?: number
}

/**
 * A fault: the next `times` requests matching `route` are answered differently.
 * Set exactly one of `status`, `drop` or `malformed`, or only `delayMs`;
 * `delayMs` may be combined with any of them. With `after: true` the route runs first (its
 * action is done) and then its answer is lost that way, as when the API did the work and the
 * answer never reached the client.
 *
 * @example
 * ```ts
 * sim.faults.inject({ route: 'GET /v1/accounts', status: 503, retryAfter: 1, times: 2 })
 * sim.faults.inject({ route: 'POST /v1/posts', delayMs: 2_000 })        // slow answer
 * sim.faults.inject({ route: 'GET /v1/profiles/{profileId}', drop: true }) // connection closed, no answer
 * sim.faults.inject({ route: '*', malformed: true })                      // 200 with invalid JSON
 * sim.faults.inject({ route: 'POST /v1/posts/{postId}/retry', status: 500, after: true }) // retried, then a 500
 * ```
 */
export interface Fault {
  /**
   * `"METHOD /path"` relative to the base URL: the spec template (`GET /v1/profiles/{profileId}`)
   * or a concrete path; `"*"` matches everything, `"GET *"` every GET, a trailing `/*` any rest.
   */
  route: string
  /** How many matching requests it applies to. Default 1. */
  times?: number
  /** Answer with this HTTP status (200–599) and an `ErrorResponse` body instead of running the route. */
  status?: number
  /** With `status`: a `Retry-After` header, in seconds. */
  retryAfter?: number
  /** With `status`: the JSON body to send instead of the default `ErrorResponse`. */
  body?: object
  /** Delay the answer by this many milliseconds. */
  delayMs?: number
  /** Close the TCP connection without sending any HTTP response. */
  drop?: boolean
  /** Answer 200 `application/json` with a body that is not valid JSON. */
  malformed?: boolean
  /** Run the route first (its action is done), then answer with `status`, `drop` or `malformed`. */
  after?: boolean
}

/** A request the simulator received. */
export interface RecordedRequest {
  /** Sequence number, 1-based. */
  seq: number
  /** HTTP method. */
  method: string
  /** Path including the `/api` prefix, e.g. `/api/v1/accounts`. */
  path: string
  /** Raw query string without `?` (empty when none). */
  query: string
  /**
   * Headers with lowercase names. `authorization` is kept only when it carries the simulator's
   * own key; any other credential is recorded as `"[other]"`.
   */
  headers: Record<string, string>
  /** Body text (`"[N bytes]"` for binary or large bodies). */
  body: string
  /** Arrival time (RFC 3339). */
  time: string
  /** The `X-Request-Id` the simulator answered with. */
  requestId: string
  /** Response status; `null` for dropped connections and requests still running. */
  status: number | null
}

/** The outcome of {@link Simulator.grantConsent}. */
export interface ConsentResult {
  /** Whether the account was connected. */
  connected: boolean
  /** The platform of the connect. */
  platform: string
  /** The profile the account joins. */
  profileId: string
  /**
   * Where the consent page sends the browser: the connect's `redirect_url` plus
   * `connected`, `profileId`, `accountId`, `username` (or `error`, `platform`); `null` without one.
   */
  redirectUrl: string | null
  /** The connected account's `_id` (on Allow). */
  accountId?: string
  /** The connected account's username (on Allow). */
  username?: string
  /** `oauth_denied`, `invalid_state` or `profile_not_found` when not connected. */
  error?: string
}

/** Options of {@link Simulator.grantConsent}. */
export interface GrantConsentOptions {
  /** Press Allow (`true`, the default) or Deny. */
  allow?: boolean
  /** Username of the account to create; default `sim_<platform>_<4 digits>`. */
  username?: string
}

/** Fields of {@link Simulator.addAccount}. */
export interface AddAccountFields {
  /** Platform id, e.g. `'instagram'`. */
  platform: string
  /** Profile `_id`; default: the default profile. */
  profileId?: string
  /** Username; default `sim_<platform>_<4 digits>`. */
  username?: string
  /** Display name; default the username. */
  displayName?: string
  /** Default `true`. */
  isActive?: boolean
  /** `true` makes it a `status=disconnected` account. Default `false`. */
  needsReconnection?: boolean
}

/** Fault injection on a running simulator. */
export interface SimulatorFaults {
  /**
   * Adds one fault or several. Throws a `TypeError` naming the bad field (in its message and its
   * `param`, e.g. `fault.status`) when a fault is invalid.
   * @example
   * ```ts
   * sim.faults.inject({ route: 'GET /v1/accounts', status: 429, retryAfter: 1 })
   * ```
   */
  inject(fault: Fault | Fault[]): void
  /** Removes every pending fault. */
  clear(): void
  /** Pending faults with their remaining `times`. */
  list(): Array<Fault & { times: number }>
}

/**
 * A running simulator, from {@link startSimulator}.
 *
 * Admin HTTP routes (no auth) under {@link Simulator.origin}: `GET|POST|DELETE /__sim/faults`,
 * `GET|DELETE /__sim/requests`, `GET /__sim/state`, `POST /__sim/reset`, `POST /__sim/accounts`.
 *
 * @example
 * ```ts
 * const sim = await startSimulator()
 * try {
 *   const res = await fetch(`${sim.baseUrl}/v1/accounts`, { headers: { authorization: `Bearer ${sim.apiKey}` } })
 *   console.log(await res.json()) // { accounts: [], hasAnalyticsAccess: false }
 * } finally {
 *   await sim.close()
 * }
 * ```
 */
/** What {@link Simulator.actions} returns. */
export interface SimulatorActions {
  /** POSTs and PATCHes acted on (replays of an `Idempotency-Key` or `x-request-id` do not count). */
  total: number
  /** The calls that acted more than once. */
  duplicates: Array<{ method: string; path: string; operation: string | null; requestId: string; times: number }>
}

export declare class Simulator {
  private constructor()
  /** API base URL, e.g. `http://127.0.0.1:4010/api`; request paths are `/v1/...` below it. */
  readonly baseUrl: string
  /** Server origin, e.g. `http://127.0.0.1:4010`. */
  readonly origin: string
  /** TCP port. */
  readonly port: number
  /** The API key the simulator accepts (send `Authorization: Bearer <apiKey>`). */
  readonly apiKey: string
  /** Secret that signs deliveries of webhooks created without their own `secret`. */
  readonly webhookSecret: string
  /** Whether `close()` was called. */
  readonly closed: boolean
  /** Fault injection. */
  readonly faults: SimulatorFaults
  /**
   * Requests received so far, oldest first (admin routes excluded).
   * @example
   * ```ts
   * const posts = sim.requests().filter((r) => r.method === 'POST' && r.path === '/api/v1/posts')
   * assert.equal(new Set(posts.map((r) => r.headers['idempotency-key'])).size, 1)
   * ```
   */
  requests(): RecordedRequest[]
  /** Empties the request log. */
  clearRequests(): void
  /**
   * The ledger of actions (also `GET /__sim/actions`): every POST or PATCH the simulator acted
   * on counts once per call (one `x-request-id`, sent on every attempt). A call that acted more
   * than once — sent again where the API does not dedupe it — is listed in `duplicates`.
   * @example
   * ```ts
   * await Promise.allSettled(calls)
   * assert.deepEqual(sim.actions().duplicates, [])
   * ```
   */
  actions(): SimulatorActions
  /**
   * Everything the simulator holds: `{ userId, profiles, accounts, posts, webhooks, webhookLogs, media, pendingConnects }`.
   * @example
   * ```ts
   * const { accounts } = sim.state()
   * ```
   */
  state(): {
    userId: string
    profiles: Array<Record<string, unknown>>
    accounts: Array<Record<string, unknown>>
    posts: Array<Record<string, unknown>>
    webhooks: Array<Record<string, unknown>>
    webhookLogs: Array<Record<string, unknown>>
    media: Array<Record<string, unknown>>
    pendingConnects: Array<Record<string, unknown>>
  }
  /** Back to a fresh state: only a new default profile; faults, request log, actions and rate window cleared. */
  reset(): void
  /**
   * Changes the team limit — requests per minute, or `{ limit, windowMs }` — (`0` disables it)
   * and clears the window and its counts.
   * @example
   * ```ts
   * sim.setRateLimit({ limit: 100, windowMs: 1000 })
   * ```
   */
  setRateLimit(limit: number | SimulatorRateLimit): void
  /**
   * The team limit and its counts (`limited`: the 429s it sent); also `GET /__sim/ratelimit`.
   * @example
   * ```ts
   * assert.equal(sim.rateLimitStats().limited, 0)
   * ```
   */
  rateLimitStats(): SimulatorRateLimitStats
  /**
   * Adds an account directly, without the consent flow or a webhook; returns the `SocialAccount`.
   * @example
   * ```ts
   * const ig = sim.addAccount({ platform: 'instagram', username: 'acme' })
   * ```
   */
  addAccount(fields: AddAccountFields): Record<string, unknown> & { _id: string; platform: string }
  /**
   * Does what the consent page's Allow (default) or Deny button does for `authUrl`: on Allow
   * the account is created and the `account.connected` webhook is sent.
   * @example
   * ```ts
   * const { authUrl } = await (await fetch(`${sim.baseUrl}/v1/connect/instagram?profileId=${id}`, { headers })).json()
   * const { accountId, redirectUrl } = await sim.grantConsent(authUrl, { username: 'acme' })
   * ```
   */
  grantConsent(authUrl: string, options?: GrantConsentOptions): Promise<ConsentResult>
  /**
   * Stops the server: in-flight requests get a short grace period, webhook retries stop, and
   * the promise resolves when every task has ended. Safe to call twice.
   */
  close(): Promise<void>
  /** `await using sim = await startSimulator()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
}

/**
 * Starts a simulator on 127.0.0.1 and resolves once it accepts connections.
 * Rejects with a `TypeError` for invalid options (its `param` names the option, e.g.
 * `options.apiKey`), and with an `Error` whose `code` is `'ERR_LATE_SIM_LISTEN'` when the port
 * cannot be bound. Every method of the simulator throws a `TypeError` with `param` for bad input.
 *
 * @example
 * ```ts
 * import { startSimulator } from 'late-native/testing'
 * const sim = await startSimulator({ port: 0 })
 * process.env.LATE_BASE_URL = sim.baseUrl
 * process.env.LATE_API_KEY = sim.apiKey
 * ```
 */
export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>

/**
 * Validates a fault and returns a normalised copy; throws a `TypeError` naming the bad field
 * (also in its `param`).
 * @example
 * ```ts
 * validateFault({ route: 'GET /v1/accounts', status: 503 })
 * ```
 */
export declare function validateFault(fault: Fault): Fault

/**
 * Parses a team limit as the `late-sim` CLI's `--rate-limit` takes it: `N` (per minute) or
 * `N/WINDOW` with the window in `ms`, `s` or `m`. Throws a `TypeError` for anything else.
 * @example
 * ```ts
 * parseRateLimit('120/2s') // { limit: 120, windowMs: 2000 }
 * ```
 */
export declare function parseRateLimit(text: string): { limit: number; windowMs: number }
