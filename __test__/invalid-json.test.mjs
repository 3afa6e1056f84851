// A success response whose body is not valid JSON (truncated, an HTML page) is a LateApiError with
// code 'invalid_response' that says where the JSON broke — on every path a body is parsed:
// listAccounts (JS, lib/client.js), request/requestWithResponse and the resources (lib/transport.js
// parseBody, through a Paginator too), and the calls Rust parses itself (connect, the default
// profile: late-core Response::json). Never with the API key in the message.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { LateClient, LateApiError } from '../index.mjs'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

const TRUNCATED = '{"accounts":[{"_id":"acc1","platform":"instagram","username":"ig_o'

/** Asserts `promise` rejects with an invalid_response LateApiError whose message matches every pattern. */
async function rejectsInvalid(promise, ...patterns) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof LateApiError, `${e?.name}: ${e?.message}`)
    assert.equal(e.code, 'invalid_response')
    assert.equal(e.status, 200)
    assert.match(e.message, /whose body is not valid JSON/)
    for (const p of patterns) assert.match(e.message, p)
    for (const text of [e.message, e.stack, inspect(e), JSON.stringify(e)]) assert.ok(!text.includes(KEY), 'the API key leaked')
    return true
  })
}

async function api(t, routes) {
  const mock = await startMockApi(happyRoutes(routes))
  t.after(() => mock.close())
  return new LateClient({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 0 })
}

test('listAccounts: a truncated body says it ended, where, and shows the end', async (t) => {
  const late = await api(t, { 'GET /v1/accounts': { raw: TRUNCATED } })
  await rejectsInvalid(
    late.listAccounts({ profileId: 'p' }),
    /unexpected end of input inside a string at line 1, column 67 \(offset 66 of 66 characters\)/,
    /near `…,"platform":"instagram","username":"ig_o` ← here \(the end\)/,
  )
})

test('listAccounts: an HTML page instead of JSON points at its first character', async (t) => {
  const late = await api(t, { 'GET /v1/accounts': { raw: '<html><body>Bad gateway</body></html>' } })
  await rejectsInvalid(late.listAccounts({ profileId: 'p' }), /unexpected "<" where a value should be at line 1, column 1 \(offset 0/, /← here → `<html><body>Bad gate…`/)
})

test('listAccounts: valid JSON that is not an account list keeps its own message', async (t) => {
  const late = await api(t, { 'GET /v1/accounts': { body: { accounts: 'none' } } })
  await assert.rejects(late.listAccounts({ profileId: 'p' }), (e) => e.code === 'invalid_response' && /is not an account list/.test(e.message))
})

test('request and requestWithResponse: the line and column of a break on line 3', async (t) => {
  const late = await api(t, { 'GET /v1/accounts/acc1/health': { raw: '{\n  "ok": true,\n  "checks": [1, 2,, 3]\n}' } })
  const where = /unexpected "," where a value should be at line 3, column 19 \(offset 34 of 40 characters\)/
  await rejectsInvalid(late.request('GET /v1/accounts/{accountId}/health', { params: { accountId: 'acc1' } }), where, /near `{\\n {2}"ok": true,\\n {2}"checks": \[1, 2,` ← here → `, 3\]\\n}`/)
  await rejectsInvalid(late.requestWithResponse({ method: 'GET', path: '/v1/accounts/acc1/health' }), where)
})

test('resources: a single call and a Paginator page', async (t) => {
  const late = await api(t, {
    'GET /v1/profiles/prof1': { raw: '{"profile":{"_id":"prof1","name":"Acme"' },
    'GET /v1/posts': { raw: '{"posts":[],"pagination":{"page":1,"pages":2}} trailing' },
  })
  await rejectsInvalid(late.profiles.get('prof1'), /unexpected end of input at line 1, column 40/)
  await rejectsInvalid(late.posts.list().toArray(), /unexpected "t" after the JSON value/)
})

test('Rust-parsed bodies (connect, the default profile): where the JSON broke, too', async (t) => {
  const late = await api(t, { 'GET /v1/connect/instagram': { raw: '{"authUrl":"https://example.test/oauth?x=1' } })
  await rejectsInvalid(late.connectInstagram({ profileId: 'p' }), /EOF while parsing a string at line 1, column 42 \(byte 42 of 42\)/, /← here \(the end\)/)
  const noProfiles = await api(t, { 'GET /v1/profiles': { raw: '{"profiles":[{"_id":"a", isDefault: true}]}' } })
  await rejectsInvalid(noProfiles.listAccounts(), /key must be a string at line 1, column 26/, /← here → `isDefault: true}\]}`/)
})

test('the API key echoed in a broken body is redacted, in JS and in Rust', async (t) => {
  const echo = `{"echo":"${KEY}","more":`
  const late = await api(t, {
    'GET /v1/accounts': { raw: echo },
    'GET /v1/connect/instagram': { raw: echo },
  })
  await rejectsInvalid(late.listAccounts({ profileId: 'p' }), /\[redacted\]/)
  await rejectsInvalid(late.connectInstagram({ profileId: 'p' }), /\[redacted\]/)
})

test('late-native/zernio: the same diagnosis, key redacted, as a ZernioApiError', async (t) => {
  const { default: Zernio } = await import('../zernio.mjs')
  const mock = await startMockApi(happyRoutes({ 'GET /v1/posts/p1': { raw: `{"post":{"_id":"p1","echo":"${KEY}"` } }))
  t.after(() => mock.close())
  const zernio = new Zernio({ apiKey: KEY, baseURL: mock.baseUrl, maxRetries: 0 })
  await rejectsInvalid(zernio.posts.getPost({ path: { postId: 'p1' } }), /unexpected end of input at line 1/, /\[redacted\]"` ← here \(the end\)/)
})
