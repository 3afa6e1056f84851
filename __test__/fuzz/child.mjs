// One batch of the fuzz suite, run in its own process by fuzz.test.mjs:
//   node child.mjs <batchIndex> <batchCount>
// with FUZZ_SEED, FUZZ_BUDGET, FUZZ_API_KEY and LATE_API_KEY / LATE_BASE_URL (the simulator the
// parent started) in the environment. It calls every public function and method of its share
// with adversarial arguments and prints one line `FUZZ-RESULT {json}`: calls made, raw errors,
// hangs, uncaught exceptions and unhandled rejections. A watchdog thread reports a call that
// blocks the event loop (`FUZZ-BLOCKED …`), so the parent can name it before killing the process.
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { VALUES, GetterSentinel, CallbackSentinel, plausibleObject } from './values.mjs'
import { methodsOf, exportsOf, exportedClasses } from './targets.mjs'
import { rng } from '../helpers/rng.mjs'

const require = createRequire(import.meta.url)
const late = require('../../index.js')
const testing = require('../../testing.js')
const zernio = require('../../zernio.js')

const batchIndex = Number(process.argv[2] ?? 0)
const batchCount = Number(process.argv[3] ?? 1)
const seed = Number(process.env.FUZZ_SEED ?? 15)
const budget = Number(process.env.FUZZ_BUDGET ?? 40_000)
const apiKey = process.env.FUZZ_API_KEY
const baseUrl = process.env.LATE_BASE_URL
const HANG_MS = 10_000
const CONCURRENCY = 16
const MAX_MESSAGE = 2048

function hash(text) {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

function shuffled(n, random) {
  const a = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a
}

const uncaught = []
const unhandled = []
let finished = false
process.on('uncaughtException', (e) => uncaught.push(describeError(e)))
process.on('unhandledRejection', (e) => unhandled.push(describeError(e)))
// The harness itself failing (say, while building instances) must not pass for a clean run.
process.on('exit', () => {
  if (!finished) process._rawDebug(`FUZZ-NO-RESULT ${JSON.stringify({ uncaught, unhandled })}`)
})

function describeError(e) {
  try {
    if (e instanceof Error) {
      const frame = String(e.stack || '').split('\n').find((l) => /\/(lib|index|testing|zernio)[^ ]*\.js/.test(l) && !l.includes('__test__'))
      return `${e.constructor && e.constructor.name}: ${String(e.message).slice(0, 160)}${frame ? ` @ ${frame.trim()}` : ''}`
    }
    return `non-error thrown: ${typeof e}`
  } catch {
    return 'an error that cannot be described'
  }
}

// ---- instances whose methods are fuzzed -------------------------------------------------------
const client = new late.LateClient({ apiKey, baseUrl, timeoutMs: 5000, maxRetries: 0 })
const sim = await testing.startSimulator({ rateLimitPerMinute: 0, webhookAttempts: 1 })
const { connectUrl } = await new late.LateClient({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, maxRetries: 0 }).connectInstagram({
  redirectUrl: 'http://127.0.0.1:9/connected',
})
const apiPromise = client.auth.verify()
apiPromise.catch(() => {})
const signed = late.signWebhook({ event: 'account.connected' }, 'whsec_x')
const instances = {
  client,
  paginator: client.posts.list(),
  apiPromise,
  sim,
  store: late.createMemoryEventStore(),
  file: late.fileFromPath(fileURLToPath(import.meta.url)),
  zernioClient: new zernio.Zernio({ apiKey, baseURL: baseUrl, timeout: 5000, maxRetries: 0 }),
}
const moduleOf = { sim: 'testing', zernioClient: 'zernio' }
const handler = late.createWebhookHandler({ secret: 'whsec_x' })

const targets = [...exportsOf(late, 'index'), ...exportsOf(testing, 'testing'), ...exportsOf(zernio, 'zernio')]
targets.push({ id: 'handler', fn: handler, kind: 'call', module: 'index' })
for (const [name, obj] of Object.entries(instances)) targets.push(...methodsOf(obj, name, moduleOf[name] ?? 'index'))

// Every exported class must have its methods fuzzed: through an instance above, or one built here.
const missing = []
for (const [module, mod] of [['index', late], ['testing', testing], ['zernio', zernio]]) {
  for (const { name, cls } of exportedClasses(mod)) {
    if (Object.values(instances).some((i) => i instanceof cls)) continue
    let instance
    try {
      instance = new cls('fuzz')
    } catch {
      instance = undefined
    }
    const methods = instance ? methodsOf(instance, `${name}#`, module) : []
    if (!instance && Object.getOwnPropertyNames(cls.prototype).length > 1) missing.push(name)
    targets.push(...methods)
  }
}
targets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** Known-good leading arguments, so later argument positions are reached past the first checks. */
const HINTS = {
  'index.verifyWebhook': () => [signed.body, signed.headers, 'whsec_x'],
  'index.signWebhook': () => [{ event: 'post.published' }, 'whsec_x'],
  'index.createWebhookHandler': () => [{ secret: 'whsec_x' }],
  'index.parseConnectCallback': () => ['http://127.0.0.1:9/connected?connected=instagram'],
  handler: () => [signed.body, signed.headers],
  'client.request': () => ['GET /v1/auth/verify', {}],
  'client.requestWithResponse': () => ['GET /v1/auth/verify', {}],
  'client.connect': () => ['instagram', { profileId: 'p_1' }],
  'client.media.upload': () => [Buffer.from('x'), { contentType: 'image/png' }],
  'new index.LateClient': () => [{ apiKey, baseUrl }],
  'new zernio.Zernio': () => [{ apiKey, baseURL: baseUrl }],
  'new zernio.Late': () => [{ apiKey, baseURL: baseUrl }],
  'new index.Paginator': () => [{ send: () => Promise.resolve({ data: {} }), route: 'GET /v1/posts', itemsKey: 'posts' }],
  'new index.ApiPromise': () => [Promise.resolve({ data: 1 })],
  'sim.grantConsent': () => [connectUrl, {}],
  'testing.startSimulator': () => [{ rateLimitPerMinute: 0 }],
}
// FUZZ_SKIP (a regular expression over value labels) leaves values out while debugging.
const skip = process.env.FUZZ_SKIP ? new RegExp(process.env.FUZZ_SKIP) : undefined
if (skip) VALUES.splice(0, VALUES.length, ...VALUES.filter(([label]) => !skip.test(label)))
const DEFAULT_PREFIX = [() => 'p_1', () => plausibleObject(), () => undefined]

// ---- the plan ------------------------------------------------------------------------------------
// FUZZ_ONLY (a regular expression over target ids) narrows a run down while debugging.
const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined
const mine = targets.filter((t, i) => i % batchCount === batchIndex && (!only || only.test(t.id)))
const positionsOf = (t) => Math.max(t.fn.length, 2) + 1
const pairs = targets.reduce((n, t) => n + positionsOf(t), 0)
const perPair = Math.min(VALUES.length, Math.max(24, Math.floor(budget / pairs)))
const plan = []
for (const t of mine) {
  for (let p = 0; p < positionsOf(t); p++) {
    const order = shuffled(VALUES.length, rng(seed ^ hash(`${t.id}#${p}`)))
    for (let k = 0; k < perPair; k++) plan.push({ t, p, v: order[k] })
  }
  if (t.kind === 'call' && t.thisArg !== undefined) {
    plan.push({ t, detached: 'undefined' })
    plan.push({ t, detached: '{}' })
  }
}

const describeCall = (c) =>
  c.detached ? `${c.t.id} called with this = ${c.detached}` : `${c.t.id} argument ${c.p} = ${VALUES[c.v][0]}`

// Watchdog thread: the main thread stores the index of the call it is in; a call that keeps the
// event loop blocked longer than HANG_MS is reported by name.
const current = new Int32Array(new SharedArrayBuffer(8))
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads')
   const cur = new Int32Array(workerData.sab)
   let last = -1, since = Date.now()
   setInterval(() => {
     const [i, beat] = [cur[0], cur[1]]
     if (beat !== last) { last = beat; since = Date.now(); return }
     if (Date.now() - since > ${HANG_MS}) { process._rawDebug('FUZZ-BLOCKED ' + workerData.names[i]); since = Date.now() }
   }, 500)`,
  { eval: true, workerData: { sab: current.buffer, names: plan.map(describeCall) } },
)
watchdog.unref()
const beat = setInterval(() => Atomics.add(current, 1, 1), 200)
beat.unref()

// ---- running and judging calls -----------------------------------------------------------------
const raw = new Map()
const hangs = []
const stats = { calls: 0, syncThrows: 0, rejections: 0, resolved: 0, returned: 0, packageErrors: 0, callbackErrors: 0, wrappedCauses: 0 }
const returnedThenable = new Set()
const threwSync = new Map()
const usedValues = new Set()
const sims = []

function isThenable(x) {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function'
}

/** Why `e` is not acceptable from this call, or null when it is. */
function judge(t, e) {
  const isPackageError = e instanceof late.LateError
  const isDocumentedTypeError = t.module === 'testing' && e instanceof TypeError && typeof e.param === 'string'
  const isListenError = t.module === 'testing' && e instanceof Error && e.code === 'ERR_LATE_SIM_LISTEN'
  if (isPackageError || isDocumentedTypeError || isListenError) {
    stats.packageErrors++
    if (e.constructor === late.LateError) return 'an unclassified LateError (a native error the facade did not map)'
    if (e instanceof late.LateValidationError && typeof e.param !== 'string') return 'LateValidationError without `param`'
    if (typeof e.message !== 'string' || e.message.length > MAX_MESSAGE) return `message of ${e.message.length} characters`
    if (e.message.includes(apiKey) || String(e.stack).includes(apiKey)) return 'the API key in the error'
    if (e.cause instanceof GetterSentinel || e.cause instanceof TypeError) stats.wrappedCauses++
    return null
  }
  // ApiPromise's then/catch/finally follow the Promise protocol: a callback that cannot be
  // called (a class, a revoked Proxy function) fails when the engine calls it, as with any Promise.
  const promiseCallback =
    /^apiPromise\.(then|catch|finally)$/.test(t.id) &&
    e instanceof TypeError &&
    /^(Class constructor \w+ cannot be invoked without 'new'|Cannot perform 'apply' on a proxy that has been revoked)$/.test(e.message)
  if (e instanceof CallbackSentinel || promiseCallback) {
    stats.callbackErrors++
    return null
  }
  return 'raw error'
}

function record(c, e, how) {
  const why = judge(c.t, e)
  if (!why) return
  const text = describeError(e)
  const key = `${c.t.id} | ${why} | ${text.replace(/\d+/g, 'N')}`
  if (!raw.has(key)) raw.set(key, { call: describeCall(c), how, why, error: text })
}

async function settle(promise, c) {
  let timer
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hang: true }), HANG_MS)
  })
  const outcome = await Promise.race([Promise.resolve(promise).then((value) => ({ value }), (error) => ({ error })), hang])
  clearTimeout(timer)
  if (outcome.hang) hangs.push(describeCall(c))
  return outcome
}

function argsOf(c, random) {
  if (c.detached) return (HINTS[c.t.id] || (() => []))()
  const hint = HINTS[c.t.id] ? HINTS[c.t.id]() : []
  const args = []
  for (let i = 0; i < c.p; i++) args.push(i < hint.length ? hint[i] : DEFAULT_PREFIX[Math.floor(random() * DEFAULT_PREFIX.length)]())
  args.push(VALUES[c.v][1]())
  usedValues.add(VALUES[c.v][0])
  return args
}

const slowest = []

/** Runs one call and keeps the ten slowest (for the report). */
async function run(c, index, random) {
  const t0 = Date.now()
  try {
    await runCall(c, index, random)
  } catch (e) {
    // Using what the call returned (its `then`, its iterator) threw synchronously.
    record(c, e, 'its result threw when used')
  }
  const ms = Date.now() - t0
  if (slowest.length < 10 || ms > slowest[slowest.length - 1].ms) {
    slowest.push({ ms, call: describeCall(c) })
    slowest.sort((a, b) => b.ms - a.ms)
    slowest.length = Math.min(slowest.length, 10)
  }
}

async function runCall(c, index, random) {
  current[0] = index
  const args = argsOf(c, random)
  const thisArg = c.detached === 'undefined' ? undefined : c.detached === '{}' ? {} : c.t.thisArg
  stats.calls++
  let result
  try {
    result = c.t.kind === 'construct' ? Reflect.construct(c.t.fn, args) : Reflect.apply(c.t.fn, thisArg, args)
  } catch (e) {
    stats.syncThrows++
    threwSync.set(c.t.id, describeCall(c))
    record(c, e, 'threw')
    return
  }
  if (result instanceof testing.Simulator) sims.push(result)
  // A constructed ApiPromise settles when the promise it wraps does (a pending one never does):
  // handle it without waiting for it, as a caller that dropped it would have to.
  if (isThenable(result) && c.t.kind === 'construct') result.then(undefined, () => {})
  if (isThenable(result) && c.t.kind === 'call') {
    returnedThenable.add(c.t.id)
    const out = await settle(result, c)
    if ('error' in out) {
      stats.rejections++
      record(c, out.error, 'rejected')
    } else if (!out.hang) {
      stats.resolved++
      if (out.value instanceof testing.Simulator) sims.push(out.value)
    }
    return
  }
  stats.returned++
  // A Paginator or an async iterator does its work when stepped: take one step.
  const it = result instanceof late.Paginator ? result.pages() : result
  if (it !== null && typeof it === 'object' && typeof it.next === 'function' && typeof it[Symbol.asyncIterator] === 'function') {
    const out = await settle(it.next(), c)
    if ('error' in out) record(c, out.error, 'rejected on the first step')
    if (typeof it.return === 'function') await settle(Promise.resolve(it.return()), c).catch(() => {})
  }
}

const started = Date.now()
let next = 0
await Promise.all(
  Array.from({ length: CONCURRENCY }, async (_, w) => {
    const random = rng(seed ^ hash(`worker${w}/${batchIndex}`))
    while (next < plan.length) {
      const i = next++
      await run(plan[i], i, random)
    }
  }),
)

for (const id of returnedThenable) {
  if (threwSync.has(id)) raw.set(`${id} | sync`, { call: threwSync.get(id), how: 'threw', why: 'a promise-returning function threw synchronously', error: '' })
}
await Promise.race([Promise.allSettled([...sims, sim].map((s) => s.close())), new Promise((r) => setTimeout(r, 5000))])
const summary = {
  batch: batchIndex,
  targets: mine.length,
  allTargets: targets.length,
  planned: plan.length,
  targetIds: mine.map((t) => t.id),
  perPair,
  distinctValues: usedValues.size,
  ms: Date.now() - started,
  stats,
  raw: [...raw.values()],
  hangs,
  uncaught,
  unhandled,
  missingInstances: missing,
  slowest,
}
finished = true
process.stdout.write(`FUZZ-RESULT ${JSON.stringify(summary)}\n`, () => process.exit(0))
