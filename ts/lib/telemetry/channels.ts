/**
 * The package's `diagnostics_channel` names and the shapes of their messages. Node's built-in
 * channels cost nothing while nobody subscribes: the package checks `hasSubscribers` before it
 * builds a message, and a call with no subscriber (and no OpenTelemetry provider) takes the
 * untraced path.
 *
 * - `late-native:call`: a `TracingChannel` (`tracing:late-native:call:start`, `:end`,
 *   `:asyncStart`, `:asyncEnd`, `:error`) around each API request a method sends (a listing's
 *   pages are one each); its context is a {@link CallMessage}.
 * - `late-native:attempt:send`: each attempt, just before it is sent ({@link AttemptSendMessage}).
 * - `late-native:attempt:response`: an attempt the server answered, whatever its status
 *   ({@link AttemptResponseMessage}).
 * - `late-native:attempt:error`: an attempt that got no answer: timeout, connection failure,
 *   cancellation ({@link AttemptErrorMessage}).
 *
 * No message carries a header value, the API key or a query string.
 */

import dc = require('node:diagnostics_channel')
import { DIAGNOSTICS_CHANNELS } from './names.js'


/**
 * The context of one call on the `late-native:call` tracing channel: the same object at start,
 * end and error. Node sets `result` (the package's result) or `error` (a LateError).
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel'
 * tracingChannel('late-native:call').subscribe({ asyncEnd: (m: CallMessage) => console.log(m.method, m.path) })
 * ```
 */
export interface CallMessage {
  /** `GET`, `POST`, … */
  method: string
  /** The path below the base URL, without the query (`/v1/accounts`). */
  path: string
  /** The result, once the call succeeded. */
  result?: unknown
  /** The error (a LateError), once the call failed. */
  error?: unknown
}

/**
 * One attempt about to be sent (`late-native:attempt:send`).
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * subscribe('late-native:attempt:send', (m) => console.log((m as AttemptSendMessage).url))
 * ```
 */
export interface AttemptSendMessage {
  /** The call's context object (the one on `late-native:call`). */
  call: CallMessage
  method: string
  /** The URL without its query (it may carry user data). */
  url: string
  /** 1 for the first attempt. */
  attempt: number
  /** The spec's operationId (`listAccounts`), when the route is in the spec. */
  operation?: string
}

/**
 * One attempt the server answered (`late-native:attempt:response`), any status.
 * @example
 * ```ts
 * subscribe('late-native:attempt:response', (m) => metrics.timing('zernio', (m as AttemptResponseMessage).durationMs))
 * ```
 */
export interface AttemptResponseMessage extends AttemptSendMessage {
  /** The HTTP status. */
  status: number
  /** The API's request id (`X-Request-Id`). */
  requestId?: string
  /** From sending to the end of the body, in ms. */
  durationMs: number
  /** `h2` or `http/1.1`. */
  protocol?: string
  /** The wait before the next attempt, when the call retries, in ms. */
  retryInMs?: number
}

/**
 * One attempt that got no answer (`late-native:attempt:error`).
 * @example
 * ```ts
 * subscribe('late-native:attempt:error', (m) => console.warn((m as AttemptErrorMessage).error))
 * ```
 */
export interface AttemptErrorMessage extends AttemptSendMessage {
  /** `timeout`, `connection_refused`, `tls`, `aborted`, … */
  error: string
  /** From sending to the failure, in ms. */
  durationMs: number
  /** The wait before the next attempt, when the call retries, in ms. */
  retryInMs?: number
}

/** A `TracingChannel`, where the runtime has one (Node ≥ 19.9; Bun and Deno may lack it). */
export const callChannel: dc.TracingChannel<unknown, CallMessage & object> | undefined =
  typeof dc.tracingChannel === 'function' ? dc.tracingChannel(DIAGNOSTICS_CHANNELS.call) : undefined
/** `late-native:attempt:send`. */
export const attemptSend = dc.channel(DIAGNOSTICS_CHANNELS.attemptSend)
/** `late-native:attempt:response`. */
export const attemptResponse = dc.channel(DIAGNOSTICS_CHANNELS.attemptResponse)
/** `late-native:attempt:error`. */
export const attemptError = dc.channel(DIAGNOSTICS_CHANNELS.attemptError)
