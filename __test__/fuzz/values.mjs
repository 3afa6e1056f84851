// The adversarial values of the fuzz suite. Each entry is `[label, make]`; `make()` builds a
// fresh value for every call (a revoked proxy, a detached buffer or an aborted signal must not
// be shared between calls). Every URL in here is loopback: a value that a method accepts may be
// sent to the simulator, which may in turn call it back (webhooks, redirects).

/** Thrown by getters, proxy traps, toString/valueOf: the package must wrap it (LateValidationError, `cause`). */
export class GetterSentinel extends Error {
  constructor(where) {
    super(`fuzz getter sentinel (${where})`)
    this.name = 'GetterSentinel'
  }
}

/** Thrown by a user callback when it is called: the package may propagate it unchanged. */
export class CallbackSentinel extends Error {
  constructor(where) {
    super(`fuzz callback sentinel (${where})`)
    this.name = 'CallbackSentinel'
  }
}

const HEX64 = 'ab'.repeat(32)
const ONE_MIB = 'x'.repeat(1 << 20)
const EIGHT_MIB = 'y'.repeat(8 << 20)
const LONG_URL_PART = 'é'.repeat(40_000) // 80 KB once UTF-8 encoded: above the URL limit
const READ_KEYS = [
  'apiKey', 'baseUrl', 'timeoutMs', 'maxRetries', 'maxRetryWaitMs', 'deadlineMs', 'signal', 'headers', 'idempotencyKey',
  'body', 'query', 'params', 'method', 'path', 'profileId', 'platform', 'status', 'name', 'url', 'events', 'secret',
  'onEvent', 'store', 'limit', 'route', 'onProgress', 'contentType', 'filename', 'maxEntries', 'ttlMs', 'now',
  'redirectUrl', 'port', 'times', 'delayMs', 'allow', 'username', 'content', 'platforms', 'scheduledFor', 'aborted',
  'addEventListener', 'removeEventListener', 'length', 'then', 'toJSON', 'accountId', 'webhookId', 'send', 'itemsKey',
]

function throwingGetters() {
  const o = {}
  for (const k of READ_KEYS) {
    Object.defineProperty(o, k, {
      enumerable: true,
      get() {
        throw new GetterSentinel(`get ${k}`)
      },
    })
  }
  return o
}

function trap(name) {
  return () => {
    throw new GetterSentinel(`proxy ${name}`)
  }
}

function revoked(target) {
  const { proxy, revoke } = Proxy.revocable(target, {})
  revoke()
  return proxy
}

function deep(n, array) {
  let v = array ? [] : {}
  for (let i = 0; i < n; i++) v = array ? [v] : { a: v }
  return v
}

function detachedBuffer(bytes) {
  const ab = new ArrayBuffer(bytes)
  const view = new Uint8Array(ab)
  structuredClone(ab, { transfer: [ab] })
  return { ab, view }
}

function cyclic() {
  const o = { name: 'cyclic', profileId: 'p_1' }
  o.self = o
  return o
}

function manyKeys(n) {
  const o = {}
  for (let i = 0; i < n; i++) o[`k${i}`] = i
  return o
}

function handled(p) {
  p.catch(() => {})
  return p
}

function signalLike(extra) {
  return { aborted: false, reason: undefined, addEventListener() {}, ...extra }
}

/** A plausible object: passes the "required field" checks of most methods. */
export function plausibleObject() {
  return {
    name: 'fuzz',
    profileId: 'p_1',
    platform: 'instagram',
    url: 'http://127.0.0.1:9/hook',
    events: ['post.published'],
  }
}

/** `[label, make]` for every adversarial value. */
export const VALUES = [
  // primitives
  ['undefined', () => undefined],
  ['null', () => null],
  ['true', () => true],
  ['false', () => false],
  ['0', () => 0],
  ['-0', () => -0],
  ['1', () => 1],
  ['-1', () => -1],
  ['0.5', () => 0.5],
  ['1e-300', () => 1e-300],
  ['2**31', () => 2 ** 31],
  ['2**32', () => 2 ** 32],
  ['2**53+2', () => 2 ** 53 + 2],
  ['MAX_VALUE', () => Number.MAX_VALUE],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['1n', () => 1n],
  ['2n**64n', () => 2n ** 64n],
  ['Symbol', () => Symbol('fuzz')],
  ['Symbol.iterator', () => Symbol.iterator],
  // strings
  ["''", () => ''],
  ["' '", () => ' '],
  ['tab', () => '\t'],
  ["'x'", () => 'x'],
  ["'p_1'", () => 'p_1'],
  ["'instagram'", () => 'instagram'],
  ['route GET', () => 'GET /v1/profiles'],
  ['route POST', () => 'POST /v1/posts'],
  ['route lower-case with param', () => 'get /v1/accounts/{accountId}/health'],
  ['route DELETE query', () => 'DELETE /v1/webhooks/settings'],
  ['route TRACE', () => 'TRACE /v1/profiles'],
  ['NUL', () => '\0'],
  ['a NUL b', () => 'a\0b'],
  ['CRLF', () => '\r\n'],
  ['header injection', () => 'x\r\nX-Injected: 1'],
  ['LF injection', () => 'x\nSet-Cookie: a=b'],
  ['padded', () => ' x '],
  ['lone high surrogate', () => '\uD800'],
  ['lone low surrogate', () => '\uDFFF'],
  ['surrogate inside', () => 'a\uD800b'],
  ['emoji', () => '\u{1F600}'],
  ['RTL override', () => '\u202Egnp.exe'],
  ['line separator', () => '\u2028'],
  ["'%'", () => '%'],
  ["'%00'", () => '%00'],
  ["'%ZZ'", () => '%ZZ'],
  ["'../..'", () => '../..'],
  ["'/'", () => '/'],
  ["'//'", () => '//'],
  ['dot-dot path', () => '/v1/../x'],
  ['query string', () => '?a=b'],
  ['fragment', () => '#frag'],
  ['loopback URL', () => 'http://127.0.0.1:9/x'],
  ['connect callback URL', () => 'http://127.0.0.1:9/connected?connected=instagram&profileId=p&accountId=a&username=u'],
  ['error callback URL', () => 'http://localhost:9/connected?error=oauth_denied&platform=instagram'],
  ['https loopback', () => 'https://127.0.0.1:9/'],
  ['javascript URL', () => 'javascript:alert(1)'],
  ['file URL', () => 'file:///etc/passwd'],
  ["'__proto__'", () => '__proto__'],
  ["'constructor'", () => 'constructor'],
  ['JSON text', () => '{"a":1}'],
  ['JSON array text', () => '[]'],
  ["'1e999'", () => '1e999'],
  ['whsec', () => 'whsec_x'],
  ['hex signature', () => HEX64],
  ['sha256= signature', () => `sha256=${HEX64}`],
  ['event JSON', () => '{"id":"e1","event":"account.connected","timestamp":"2026-01-01T00:00:00Z"}'],
  ['image/png', () => 'image/png'],
  ['300 chars', () => 'a'.repeat(300)],
  ['80 KB non-ASCII', () => LONG_URL_PART],
  ['1 MiB', () => ONE_MIB],
  ['8 MiB', () => EIGHT_MIB],
  // plain objects and arrays
  ['{}', () => ({})],
  ['[]', () => []],
  ['[undefined]', () => [undefined]],
  ['hole then secret', () => [, 'whsec_x']], // eslint-disable-line no-sparse-arrays
  ['Array(3)', () => new Array(3)],
  ['[null]', () => [null]],
  ["['x', 1n]", () => ['x', 1n]],
  ['nested arrays', () => [[[]]]],
  ['100k array', () => new Array(100_000).fill('x')],
  ['sparse 2**32-1 array', () => {
    const a = []
    a[2 ** 32 - 2] = 'x'
    return a
  }],
  ['null prototype', () => Object.create(null)],
  ['null prototype with keys', () => Object.assign(Object.create(null), { name: 'n', profileId: 'p_1', a: 'x' })],
  ['null-prototype header value', () => ({ 'x-zernio-signature': Object.create(null), 'x-a': Object.create(null) })],
  ['10k keys', () => manyKeys(10_000)],
  ['frozen', () => Object.freeze(plausibleObject())],
  ['plausible', () => plausibleObject()],
  ['cyclic', () => cyclic()],
  ['10,000 deep object', () => deep(10_000, false)],
  ['10,000 deep array', () => deep(10_000, true)],
  ['100,000 deep object', () => deep(100_000, false)],
  ['BigInt field', () => ({ name: 'n', big: 1n, profileId: 'p_1' })],
  ['Symbol field', () => ({ name: 'n', sym: Symbol('s') })],
  ['Symbol key', () => ({ [Symbol('k')]: 1 })],
  ['function field', () => ({ name: 'n', fn() {} })],
  ['throwing toJSON', () => ({ toJSON() { throw new CallbackSentinel('toJSON') } })],
  ['toJSON not a function', () => ({ toJSON: 'x' })],
  ['__proto__ key', () => JSON.parse('{"__proto__":{"polluted":1},"name":"n"}')],
  // hostile objects
  ['throwing toString', () => ({ toString() { throw new GetterSentinel('toString') } })],
  ['throwing valueOf', () => ({ valueOf() { throw new GetterSentinel('valueOf') } })],
  ['throwing toPrimitive', () => ({ [Symbol.toPrimitive]() { throw new GetterSentinel('toPrimitive') } })],
  ['null proto throwing toString', () => Object.assign(Object.create(null), { toString() { throw new GetterSentinel('toString') } })],
  ['throwing getters', () => throwingGetters()],
  ['proxy: get throws', () => new Proxy({}, { get: trap('get') })],
  ['proxy: ownKeys throws', () => new Proxy({}, { ownKeys: trap('ownKeys') })],
  ['proxy: getPrototypeOf throws', () => new Proxy({}, { getPrototypeOf: trap('getPrototypeOf') })],
  ['proxy: has throws', () => new Proxy({}, { has: trap('has') })],
  ['proxy: getOwnPropertyDescriptor throws', () => new Proxy({ a: 1 }, { getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor') })],
  ['proxy array: get throws', () => new Proxy(['whsec_x'], { get: trap('get') })],
  ['revoked proxy', () => revoked({})],
  ['revoked proxy array', () => revoked([])],
  ['revoked proxy function', () => revoked(() => {})],
  // built-ins
  ['Date', () => new Date(0)],
  ['invalid Date', () => new Date(NaN)],
  ['RegExp', () => /x/g],
  ['Map', () => new Map([['x-zernio-signature', HEX64]])],
  ['Set', () => new Set(['x'])],
  ['WeakMap', () => new WeakMap()],
  ['Error', () => new Error('e')],
  ['pending Promise', () => new Promise(() => {})],
  ['resolved Promise', () => Promise.resolve(1)],
  ['rejected Promise', () => handled(Promise.reject(new CallbackSentinel('rejected promise')))],
  ['thenable that throws', () => ({ then() { throw new CallbackSentinel('then') } })],
  ['thenable', () => ({ then(r) { r(1) } })],
  // binary
  ['Buffer', () => Buffer.from('x')],
  ['empty Buffer', () => Buffer.alloc(0)],
  ['Uint8Array', () => new Uint8Array([1, 2, 3])],
  ['Uint16Array', () => new Uint16Array(2)],
  ['Float64Array', () => new Float64Array([NaN])],
  ['DataView', () => new DataView(new ArrayBuffer(2))],
  ['ArrayBuffer', () => new ArrayBuffer(8)],
  ['SharedArrayBuffer', () => new SharedArrayBuffer(8)],
  ['detached ArrayBuffer', () => detachedBuffer(8).ab],
  ['view of a detached buffer', () => detachedBuffer(8).view],
  ['8 MiB Buffer', () => Buffer.from(EIGHT_MIB)],
  // web objects
  ['URL', () => new URL('http://127.0.0.1:9/connected?connected=instagram&profileId=p&accountId=a&username=u')],
  ['URLSearchParams', () => new URLSearchParams('connected=instagram&accountId=a')],
  ['URLSearchParams with CRLF', () => new URLSearchParams({ a: 'x\r\ny' })],
  ['Headers', () => new Headers({ 'x-zernio-signature': HEX64 })],
  ['AbortSignal', () => new AbortController().signal],
  ['aborted AbortSignal', () => AbortSignal.abort()],
  ['AbortSignal.timeout(5)', () => AbortSignal.timeout(5)],
  ['signal-like without removeEventListener', () => signalLike()],
  ['signal-like with throwing addEventListener', () => signalLike({ addEventListener: trap('addEventListener'), removeEventListener() {} })],
  ['signal-like with throwing removeEventListener', () => signalLike({ removeEventListener: trap('removeEventListener') })],
  ['signal-like, aborted is a string', () => signalLike({ aborted: 'no', removeEventListener() {} })],
  // functions
  ['arrow function', () => () => {}],
  ['throwing function', () => function thrower() {
    throw new CallbackSentinel('call')
  }],
  ['rejecting async function', () => async () => {
    throw new CallbackSentinel('async call')
  }],
  ['class', () => class Fuzz {}],
  ['generator function', () => function* gen() {}],
  ['built-in function', () => Math.max],
  ['bound function', () => function () {}.bind(null)],
  ['proxy function: apply throws', () => new Proxy(() => {}, { apply() { throw new CallbackSentinel('apply') } })],
  // option-shaped
  ['{ timeoutMs: -1 }', () => ({ timeoutMs: -1 })],
  ['{ timeoutMs: 1 }', () => ({ timeoutMs: 1 })],
  ['{ timeoutMs: NaN }', () => ({ timeoutMs: NaN })],
  ["{ timeoutMs: '100' }", () => ({ timeoutMs: '100' })],
  ['{ timeoutMs: 1n }', () => ({ timeoutMs: 1n })],
  ['{ timeoutMs: 1e300 }', () => ({ timeoutMs: 1e300 })],
  ['{ maxRetries: 1e9 }', () => ({ maxRetries: 1e9 })],
  ['{ maxRetries: 2.5 }', () => ({ maxRetries: 2.5 })],
  ['{ deadlineMs: 1 }', () => ({ deadlineMs: 1 })],
  ['{ maxRetryWaitMs: 1 }', () => ({ maxRetryWaitMs: 1 })],
  ["{ signal: 'x' }", () => ({ signal: 'x' })],
  ['{ signal: aborted }', () => ({ signal: AbortSignal.abort() })],
  ['{ signal: like without remove }', () => ({ signal: signalLike() })],
  ['{ signal: revoked proxy }', () => ({ signal: revoked({}) })],
  ['content-length header', () => ({ headers: { 'content-length': '1' } })],
  ['transfer-encoding header', () => ({ headers: { 'Transfer-Encoding': 'chunked' } })],
  ['host header', () => ({ headers: { host: '127.0.0.1:9' } })],
  ['connection header', () => ({ headers: { connection: 'close' } })],
  ['upgrade header', () => ({ headers: { upgrade: 'websocket' } })],
  ['CRLF header value', () => ({ headers: { 'x-a': 'a\r\nX-Injected: 1' } })],
  ['bad header name', () => ({ headers: { 'bad name': 'x' } })],
  ['non-ASCII header value', () => ({ headers: { 'x-a': 'é' } })],
  ['null-prototype headers', () => ({ headers: Object.assign(Object.create(null), { 'x-a': 'b' }) })],
  ['null-prototype header value (option)', () => ({ headers: { 'x-a': Object.create(null) } })],
  ['header array value', () => ({ headers: { 'x-a': ['a', 'b'] } })],
  ['authorization header', () => ({ headers: { authorization: 'Bearer sk_test_other' } })],
  ['Headers option', () => ({ headers: new Headers({ 'x-a': 'b' }) })],
  ['long idempotencyKey', () => ({ idempotencyKey: 'k'.repeat(300) })],
  ['CRLF idempotencyKey', () => ({ idempotencyKey: 'a\r\nb' })],
  ['{ limit: 0 }', () => ({ limit: 0 })],
  ['{ limit: 2 }', () => ({ limit: 2 })],
  ['unknown option', () => ({ unknownOption: 1 })],
  // body- and params-shaped
  ["{ name: 'n' }", () => ({ name: 'n' })],
  ['{ name: 1n }', () => ({ name: 1n })],
  ['{ profileId: surrogate }', () => ({ profileId: '\uD800' })],
  ["{ profileId: 'a/b' }", () => ({ profileId: 'a/b' })],
  ['{ redirectUrl }', () => ({ redirectUrl: 'http://127.0.0.1:9/cb', profileId: 'p_1' })],
  ['{ redirectUrl: CRLF }', () => ({ redirectUrl: 'http://127.0.0.1:9/cb\r\nx: y' })],
  ['{ secret }', () => ({ secret: 'whsec_x' })],
  ['{ secret: holes }', () => ({ secret: [, 'whsec_x'] })], // eslint-disable-line no-sparse-arrays
  ['{ secret, onEvent: throws }', () => ({ secret: 'whsec_x', onEvent: () => { throw new CallbackSentinel('onEvent') } })],
  ['{ secret, store: {} }', () => ({ secret: 'whsec_x', store: {} })],
  ['{ secret, onEvent: class }', () => ({ secret: 'whsec_x', onEvent: class {} })],
  ["{ now: 'x' }", () => ({ now: 'x' })],
  ['{ now: throws }', () => ({ now: () => { throw new CallbackSentinel('now') } })],
  ['{ ttlMs: 1n }', () => ({ ttlMs: 1n })],
  ['{ maxEntries: 0 }', () => ({ maxEntries: 0 })],
  ['fault 503', () => ({ route: 'GET /v1/accounts', status: 503, times: 1 })],
  ['fault bad status', () => ({ route: 'GET /v1/accounts', status: 99 })],
  ['fault CRLF route', () => ({ route: 'GET /v1/a\r\nb', status: 500 })],
  ['fault huge times', () => ({ route: '*', status: 500, times: 2 ** 53 })],
  ['fault body BigInt', () => ({ route: '*', status: 500, body: { a: 1n } })],
  ['fault body cyclic', () => ({ route: '*', status: 500, body: cyclic() })],
  ["{ apiKey: 'a\\0b' }", () => ({ apiKey: 'a\0b' })],
  ['{ apiKey: surrogate }', () => ({ apiKey: 'sk_test_\uD800' })],
  ['{ apiKey, baseUrl: loopback }', () => ({ apiKey: 'sk_test_fuzz_other', baseUrl: 'http://127.0.0.1:9/api' })],
  ['{ baseUrl: CRLF }', () => ({ apiKey: 'sk_test_fuzz_other', baseUrl: 'http://127.0.0.1:9/\r\napi' })],
  ['{ port: 65536 }', () => ({ port: 65536 })],
  ['{ proxy: revoked proxy }', () => ({ apiKey: 'sk_test_fuzz_other', proxy: revoked({}) })],
  ['{ proxy: CRLF }', () => ({ apiKey: 'sk_test_fuzz_other', proxy: 'http://127.0.0.1:9/\r\nx' })],
  ['{ proxy: loopback }', () => ({ apiKey: 'sk_test_fuzz_other', baseUrl: 'http://127.0.0.1:9/api', proxy: 'http://127.0.0.1:9' })],
  ['{ ca: holes }', () => ({ apiKey: 'sk_test_fuzz_other', ca: [, 'x'] })], // eslint-disable-line no-sparse-arrays
  ['{ ca: not PEM }', () => ({ apiKey: 'sk_test_fuzz_other', ca: 'not a certificate' })],
  ['{ ca: revoked proxy }', () => ({ apiKey: 'sk_test_fuzz_other', ca: revoked([]) })],
  ['{ logger: {} }', () => ({ apiKey: 'sk_test_fuzz_other', logger: {} })],
  ['{ logger: revoked proxy }', () => ({ apiKey: 'sk_test_fuzz_other', logger: revoked({}) })],
  ['{ logLevel: bad }', () => ({ apiKey: 'sk_test_fuzz_other', logLevel: 'verbose' })],
  ['{ onAttempt: class }', () => ({ apiKey: 'sk_test_fuzz_other', onAttempt: class {} })],
  ['{ http2: string }', () => ({ apiKey: 'sk_test_fuzz_other', http2: 'yes' })],
  ['{ webhookUrl }', () => ({ webhookUrl: 'http://127.0.0.1:9/hook' })],
  ['{ webhookSecret: NUL }', () => ({ webhookSecret: 'a\0b' })],
  ['{ onProgress: class }', () => ({ contentType: 'image/png', onProgress: class {} })],
  ['{ onProgress: throws }', () => ({ contentType: 'image/png', onProgress: () => { throw new CallbackSentinel('onProgress') } })],
  ['{ onProgress: rejects }', () => ({ contentType: 'image/png', onProgress: async () => { throw new CallbackSentinel('onProgress') } })],
  ['{ onProgress: 1 }', () => ({ contentType: 'image/png', onProgress: 1 })],
  ["{ contentType: 'image/png' }", () => ({ contentType: 'image/png' })],
  ['{ filename: surrogate }', () => ({ filename: 'a\uD800.png' })],
  ['{ query: BigInt }', () => ({ query: { a: 1n } })],
  ['{ query: surrogate }', () => ({ query: { a: '\uD800' } })],
  ['{ query: huge }', () => ({ query: { q: LONG_URL_PART } })],
  ['{ query: null-prototype }', () => ({ query: Object.assign(Object.create(null), { a: 'b' }) })],
  ['{ params: surrogate }', () => ({ params: { accountId: '\uD800', postId: '\uDC00' } })],
  ['{ body: cyclic }', () => ({ body: cyclic() })],
  ['{ body: BigInt }', () => ({ body: { x: 1n } })],
  ['{ body: 10,000 deep }', () => ({ body: deep(10_000, false) })],
  ['{ body: surrogate string }', () => ({ body: 'a\uD800' })],
  ['request GET', () => ({ method: 'GET', path: '/v1/auth/verify' })],
  ['request long path', () => ({ method: 'GET', path: `/${'a'.repeat(70_000)}` })],
  ['request long query', () => ({ method: 'GET', path: '/v1/accounts', query: { q: LONG_URL_PART } })],
  ['request TRACE', () => ({ method: 'TRACE', path: '/' })],
  ['request framing header', () => ({ method: 'POST', path: '/v1/profiles', body: { name: 'n' }, headers: { 'content-length': '1' } })],
  ['request deep body', () => ({ method: 'POST', path: '/v1/profiles', body: deep(10_000, true) })],
  ['{ scheduledFor: invalid Date }', () => ({ content: 'x', scheduledFor: new Date(NaN) })],
  ['{ platforms: [null] }', () => ({ content: 'x', platforms: [null] })],
  ['{ platforms: proxy }', () => ({ content: 'x', platforms: [new Proxy({}, { get: trap('get') })] })],
  ["{ mediaItems: 'x' }", () => ({ content: 'x', mediaItems: 'x' })],
  ['{ events: holes }', () => ({ name: 'n', url: 'http://127.0.0.1:9/hook', events: new Array(2) })],
  ['{ allow: string }', () => ({ allow: 'yes' })],
]
