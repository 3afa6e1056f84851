/**
 * The names of the package's `diagnostics_channel`s, and whether any has a subscriber: what a
 * call checks before anything else of telemetry is loaded (lib/telemetry/channels.js holds the
 * channels and their messages).
 */

import dc = require('node:diagnostics_channel')

/**
 * The names of the package's `diagnostics_channel`s (exported by `late-native`).
 * @example
 * ```ts
 * import { tracingChannel, subscribe } from 'node:diagnostics_channel'
 * import { DIAGNOSTICS_CHANNELS } from 'late-native'
 * tracingChannel(DIAGNOSTICS_CHANNELS.call).subscribe({ start: (m) => console.log('→', m.method, m.path) })
 * subscribe(DIAGNOSTICS_CHANNELS.attemptResponse, (m) => console.log(m.status, m.requestId))
 * ```
 */
export const DIAGNOSTICS_CHANNELS = {
  call: 'late-native:call',
  attemptSend: 'late-native:attempt:send',
  attemptResponse: 'late-native:attempt:response',
  attemptError: 'late-native:attempt:error',
} as const

/** The five channels of the `late-native:call` tracing channel. */
const CALL_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((e) => `tracing:${DIAGNOSTICS_CHANNELS.call}:${e}`)
const ATTEMPTS = [DIAGNOSTICS_CHANNELS.attemptSend, DIAGNOSTICS_CHANNELS.attemptResponse, DIAGNOSTICS_CHANNELS.attemptError]

/** Whether the call channel has a subscriber (on any of its five events). */
export function callTraced(): boolean {
  for (const name of CALL_EVENTS) if (dc.hasSubscribers(name)) return true
  return false
}

/** Whether any attempt channel has a subscriber. */
export function attemptsTraced(): boolean {
  for (const name of ATTEMPTS) if (dc.hasSubscribers(name)) return true
  return false
}
