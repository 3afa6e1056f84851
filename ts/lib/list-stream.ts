/**
 * Account lists parsed while they stream in. For a large page, Rust cuts the body's `accounts`
 * array into runs of whole accounts (crates/late-core/src/json_split.rs) as the bytes arrive and
 * hands each run over at once; JS parses it while the rest is still on the wire, so the last
 * byte is followed by one small parse instead of a 6 MB one. A small page (under one run) comes
 * whole, as before.
 *
 * Every native client has one listener, `onRun(callId, json, offset)`; a `json` of `null` means
 * "the attempt restarted: forget this call's runs" (a retry after a failure in the middle of the
 * body). The listener is this module's own function and call ids are unique in the process, so
 * the listener holds no reference to any client: a client that is dropped is collected with its
 * listener. The call's promise resolves with the envelope (the body with the array emptied) and
 * the number of runs of the attempt that succeeded; runs and promise travel on different queues,
 * so `page()` waits until it has parsed that many.
 */

import { LateApiError } from './errors.js'
import { describeInvalidJson } from './response-json.js'

/** A run that failed to parse: the parser's error, the run's text and where it starts in the body. */
interface RunError {
  e: Error
  json: string
  offset: number
}

/** One call in flight: the parsed runs, how many to expect, who waits, the first parse failure. */
interface Call {
  arrays: unknown[][]
  expect: number
  done: (() => void) | undefined
  error: RunError | undefined
}

/** The part of a native client this module uses. */
interface RunSource {
  onListRuns(listener: (callId: number, json: string | null, offset: number) => void): void
}

/** A page as the native call resolves it: the whole text, or the envelope and its run count. */
type Fetched = string | { body: unknown; runs: number }

/** A page: a whole body to parse, or the envelope (its array emptied) and the accounts parsed. */
export type StreamedPage = { text: string } | { envelope: unknown; accounts: unknown[] }

/** Calls in flight: callId → `{ arrays, expect, done, error }`. */
const calls = new Map<number, Call>()
let nextId = 1
/** Native clients whose listener is set (clones share theirs; setting it again is a no-op). */
const listening = new WeakSet<object>()

function onRun(id: number, json: string | null | undefined, offset: number): void {
  const call = calls.get(id)
  if (!call) return
  if (json === null || json === undefined) {
    call.arrays = []
    call.error = undefined
    return
  }
  if (call.error) return
  try {
    call.arrays.push(JSON.parse(json))
  } catch (e) {
    call.error = { e: e as Error, json, offset }
  }
  if (call.arrays.length >= call.expect || call.error) call.done?.()
}

/**
 * One page of `native`: `fetch(callId)` starts the native call and resolves to the page's text,
 * or to `{ body, runs }` when it was streamed. Resolves to `{ text }` (a whole body to parse as
 * before) or `{ envelope, accounts }`. `secret` (the API key) never appears in an error.
 */
export async function streamedPage(
  native: RunSource & object,
  fetch: (callId: number) => Promise<Fetched>,
  secret: string | undefined,
): Promise<StreamedPage> {
  if (!listening.has(native)) {
    native.onListRuns(onRun)
    listening.add(native)
  }
  const id = nextId
  nextId = nextId >= 0x7fffffff ? 1 : nextId + 1
  const call: Call = { arrays: [], expect: Infinity, done: undefined, error: undefined }
  calls.set(id, call)
  try {
    const result = await fetch(id)
    if (typeof result === 'string') return { text: result }
    const { body, runs } = result
    call.expect = runs
    if (call.arrays.length < runs && !call.error) {
      await new Promise<void>((resolve) => {
        call.done = resolve
      })
    }
    if (call.error) throw invalidRun(call.error, secret)
    const accounts = call.arrays.length === 1 ? call.arrays[0] : ([] as unknown[]).concat(...call.arrays)
    return { envelope: body, accounts }
  } finally {
    calls.delete(id)
  }
}

function invalidRun({ e, json, offset }: RunError, secret: string | undefined): LateApiError {
  // The run is `[` + accounts + `]`; its text from 1 on is the body's from `offset` on.
  const where = describeInvalidJson(json, secret, e.message)
  return new LateApiError(
    `the API returned a 200 response whose body is not valid JSON: in the accounts that start at byte ${offset} of the body: ${where}`,
    { status: 200, code: 'invalid_response' },
  )
}
