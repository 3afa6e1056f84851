// The resource methods: the exact request each one sends, the unwrapped result, input
// validation before any request, withResponse(), and PartialPublishError on a 207.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  LateClient,
  ApiPromise,
  LateApiError,
  LateValidationError,
  PartialPublishError,
  NotFoundError,
} from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const PROFILE = { _id: 'p1', name: 'Acme', isDefault: true }
const POST = { _id: 'post1', content: 'Hi', status: 'scheduled' }
const WEBHOOK = { _id: 'wh1', name: 'prod', url: 'https://app.example.com/h', events: ['account.connected'] }
const APIKEY = { id: 'key1', name: 'ci', key: 'sk_once' }

/** Canned bodies by route; anything else answers `{ ok: true }`. */
const BODIES = {
  'GET /v1/profiles/p1': { profile: PROFILE },
  'POST /v1/profiles': { message: 'Profile created', profile: PROFILE },
  'PUT /v1/profiles/p1': { message: 'Profile updated', profile: PROFILE },
  'GET /v1/posts/post1': { post: POST },
  'POST /v1/posts': { message: 'Post created', post: POST },
  'PUT /v1/posts/post1': { message: 'Post updated', post: POST },
  'POST /v1/posts/post1/retry': { message: 'Retried', post: POST },
  'GET /v1/webhooks/settings': { webhooks: [WEBHOOK] },
  'POST /v1/webhooks/settings': { success: true, webhook: WEBHOOK },
  'PUT /v1/webhooks/settings': { success: true, webhook: WEBHOOK },
  'GET /v1/api-keys': { apiKeys: [APIKEY] },
  'POST /v1/api-keys': { message: 'created', apiKey: APIKEY },
}

async function setup(t, extra = {}) {
  const api = await startMockApi({
    ...extra,
    '*': (r) => ({ status: r.method === 'POST' && r.path === '/v1/profiles' ? 201 : 200, body: BODIES[`${r.method} ${r.path}`] ?? { ok: true } }),
  })
  t.after(() => api.close())
  return { api, late: new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 }) }
}

const last = (api) => {
  const r = api.requests[api.requests.length - 1]
  return { method: r.method, path: r.path, search: r.search, body: r.body === '' ? undefined : JSON.parse(r.body), headers: r.headers }
}

// [name, call, expected request, expected result (undefined: the body as sent)]
const CASES = [
  ['profiles.create', (l) => l.profiles.create({ name: 'Acme', timezone: 'UTC' }), ['POST', '/v1/profiles', '', { name: 'Acme', timezone: 'UTC' }], PROFILE],
  ['profiles.get', (l) => l.profiles.get('p1'), ['GET', '/v1/profiles/p1', ''], PROFILE],
  ['profiles.update', (l) => l.profiles.update('p1', { description: null }), ['PUT', '/v1/profiles/p1', '', { description: null }], PROFILE],
  ['profiles.delete', (l) => l.profiles.delete('p1'), ['DELETE', '/v1/profiles/p1', '']],
  ['accounts.update', (l) => l.accounts.update('a1', { displayName: 'D' }), ['PUT', '/v1/accounts/a1', '', { displayName: 'D' }]],
  ['accounts.move', (l) => l.accounts.move('a1', 'p2'), ['PATCH', '/v1/accounts/a1', '', { profileId: 'p2' }]],
  ['accounts.disconnect', (l) => l.accounts.disconnect('a1'), ['DELETE', '/v1/accounts/a1', '']],
  ['accounts.health(id)', (l) => l.accounts.health('a1'), ['GET', '/v1/accounts/a1/health', '']],
  ['accounts.health(params)', (l) => l.accounts.health({ status: 'error', profileId: 'p1' }), ['GET', '/v1/accounts/health', '?status=error&profileId=p1']],
  ['accounts.health()', (l) => l.accounts.health(), ['GET', '/v1/accounts/health', '']],
  [
    'connectFlow.listFacebookPages',
    (l) => l.connectFlow.listFacebookPages({ profileId: 'p1', tempToken: 't1', connectToken: 'ct1' }),
    ['GET', '/v1/connect/facebook/select-page', '?profileId=p1&tempToken=t1', undefined, { 'x-connect-token': 'ct1' }],
  ],
  [
    'connectFlow.selectFacebookPage',
    (l) => l.connectFlow.selectFacebookPage({ profileId: 'p1', pageId: 'pg', userProfile: { id: 'u' }, connectToken: 'ct1' }),
    ['POST', '/v1/connect/facebook/select-page', '', { profileId: 'p1', pageId: 'pg', userProfile: { id: 'u' } }, { 'x-connect-token': 'ct1' }],
  ],
  ['connectFlow.listInstagramAccounts', (l) => l.connectFlow.listInstagramAccounts({ profileId: 'p1' }), ['GET', '/v1/connect/instagram/select-account', '?profileId=p1']],
  [
    'connectFlow.selectInstagramAccount',
    (l) => l.connectFlow.selectInstagramAccount({ profileId: 'p1', pageId: 'pg', redirect_url: 'https://a.example/cb' }),
    ['POST', '/v1/connect/instagram/select-account', '', { profileId: 'p1', pageId: 'pg', redirect_url: 'https://a.example/cb' }],
  ],
  [
    'connectFlow.listLinkedInOrganizations',
    (l) => l.connectFlow.listLinkedInOrganizations({ tempToken: 't', orgIds: '1,2' }),
    ['GET', '/v1/connect/linkedin/organizations', '?tempToken=t&orgIds=1%2C2'],
  ],
  [
    'connectFlow.selectLinkedInOrganization',
    (l) => l.connectFlow.selectLinkedInOrganization({ profileId: 'p1', tempToken: 't', userProfile: {}, accountType: 'personal' }),
    ['POST', '/v1/connect/linkedin/select-organization', '', { profileId: 'p1', tempToken: 't', userProfile: {}, accountType: 'personal' }],
  ],
  [
    'connectFlow.listGoogleBusinessLocations',
    (l) => l.connectFlow.listGoogleBusinessLocations({ profileId: 'p1', pendingDataToken: 'pd' }),
    ['GET', '/v1/connect/googlebusiness/locations', '?profileId=p1&pendingDataToken=pd'],
  ],
  [
    'connectFlow.selectGoogleBusinessLocation',
    (l) => l.connectFlow.selectGoogleBusinessLocation({ profileId: 'p1', pendingDataToken: 'pd', locationId: 'loc' }),
    ['POST', '/v1/connect/googlebusiness/select-location', '', { profileId: 'p1', pendingDataToken: 'pd', locationId: 'loc' }],
  ],
  [
    'connectFlow.listPinterestBoards',
    (l) => l.connectFlow.listPinterestBoards({ profileId: 'p1', tempToken: 't', connectToken: 'ct' }),
    ['GET', '/v1/connect/pinterest/select-board', '?profileId=p1&tempToken=t', undefined, { 'x-connect-token': 'ct' }],
  ],
  [
    'connectFlow.selectPinterestBoard',
    (l) => l.connectFlow.selectPinterestBoard({ profileId: 'p1', boardId: 'b', tempToken: 't' }),
    ['POST', '/v1/connect/pinterest/select-board', '', { profileId: 'p1', boardId: 'b', tempToken: 't' }],
  ],
  [
    'connectFlow.listSnapchatProfiles',
    (l) => l.connectFlow.listSnapchatProfiles({ profileId: 'p1', tempToken: 't', connectToken: 'ct' }),
    ['GET', '/v1/connect/snapchat/select-profile', '?profileId=p1&tempToken=t', undefined, { 'x-connect-token': 'ct' }],
  ],
  [
    'connectFlow.selectSnapchatProfile',
    (l) => l.connectFlow.selectSnapchatProfile({ profileId: 'p1', selectedPublicProfile: { id: 's' }, tempToken: 't', userProfile: {} }),
    ['POST', '/v1/connect/snapchat/select-profile', '', { profileId: 'p1', selectedPublicProfile: { id: 's' }, tempToken: 't', userProfile: {} }],
  ],
  [
    'connectFlow.connectBluesky',
    (l) => l.connectFlow.connectBluesky({ identifier: 'a.bsky.social', appPassword: 'pw', state: 's' }),
    ['POST', '/v1/connect/bluesky/credentials', '', { identifier: 'a.bsky.social', appPassword: 'pw', state: 's' }],
  ],
  ['connectFlow.pendingData', (l) => l.connectFlow.pendingData('tok'), ['GET', '/v1/connect/pending-data', '?token=tok']],
  [
    'posts.create',
    (l) =>
      l.posts.create({
        content: 'Hi',
        scheduledFor: new Date('2026-12-01T09:00:00Z'),
        timezone: 'Europe/Paris',
        platforms: [{ platform: 'instagram', accountId: 'a1', customContent: 'Hi IG', scheduledFor: new Date('2026-12-01T10:00:00Z') }],
      }),
    [
      'POST',
      '/v1/posts',
      '',
      {
        content: 'Hi',
        scheduledFor: '2026-12-01T09:00:00.000Z',
        timezone: 'Europe/Paris',
        platforms: [{ platform: 'instagram', accountId: 'a1', customContent: 'Hi IG', scheduledFor: '2026-12-01T10:00:00.000Z' }],
      },
    ],
  ],
  [
    'posts.create (queue, publishNow)',
    (l) => l.posts.create({ content: 'Q', queuedFromProfile: 'p1', queueId: 'q1', publishNow: false, platforms: [{ platform: 'twitter', accountId: 'a2' }] }),
    ['POST', '/v1/posts', '', { content: 'Q', queuedFromProfile: 'p1', queueId: 'q1', publishNow: false, platforms: [{ platform: 'twitter', accountId: 'a2' }] }],
  ],
  ['posts.get', (l) => l.posts.get('post1'), ['GET', '/v1/posts/post1', ''], POST],
  ['posts.update', (l) => l.posts.update('post1', { content: 'Edit' }), ['PUT', '/v1/posts/post1', '', { content: 'Edit' }]],
  ['posts.delete', (l) => l.posts.delete('post1'), ['DELETE', '/v1/posts/post1', '']],
  ['posts.retry', (l) => l.posts.retry('post1'), ['POST', '/v1/posts/post1/retry', '']],
  ['queue.get', (l) => l.queue.get({ profileId: 'p1', all: 'true' }), ['GET', '/v1/queue/slots', '?profileId=p1&all=true']],
  [
    'queue.create',
    (l) => l.queue.create({ profileId: 'p1', name: 'W', timezone: 'UTC', slots: [{ dayOfWeek: 1, time: '09:00' }] }),
    ['POST', '/v1/queue/slots', '', { profileId: 'p1', name: 'W', timezone: 'UTC', slots: [{ dayOfWeek: 1, time: '09:00' }] }],
  ],
  [
    'queue.update',
    (l) => l.queue.update({ profileId: 'p1', queueId: 'q1', timezone: 'UTC', slots: [] }),
    ['PUT', '/v1/queue/slots', '', { profileId: 'p1', queueId: 'q1', timezone: 'UTC', slots: [] }],
  ],
  ['queue.delete', (l) => l.queue.delete({ profileId: 'p1', queueId: 'q1' }), ['DELETE', '/v1/queue/slots', '?profileId=p1&queueId=q1']],
  ['queue.preview', (l) => l.queue.preview({ profileId: 'p1', count: 3 }), ['GET', '/v1/queue/preview', '?profileId=p1&count=3']],
  ['queue.nextSlot', (l) => l.queue.nextSlot({ profileId: 'p1' }), ['GET', '/v1/queue/next-slot', '?profileId=p1']],
  ['webhooks.list', (l) => l.webhooks.list(), ['GET', '/v1/webhooks/settings', ''], [WEBHOOK]],
  [
    'webhooks.create',
    (l) => l.webhooks.create({ name: 'prod', url: 'https://app.example.com/h', events: ['account.connected'] }),
    ['POST', '/v1/webhooks/settings', '', { name: 'prod', url: 'https://app.example.com/h', events: ['account.connected'] }],
    WEBHOOK,
  ],
  ['webhooks.update', (l) => l.webhooks.update('wh1', { isActive: false }), ['PUT', '/v1/webhooks/settings', '', { isActive: false, webhookId: 'wh1' }], WEBHOOK],
  ['webhooks.delete', (l) => l.webhooks.delete('wh1'), ['DELETE', '/v1/webhooks/settings', '?webhookId=wh1']],
  ['webhooks.test', (l) => l.webhooks.test('wh1', { event: 'post.published' }), ['POST', '/v1/webhooks/test', '', { event: 'post.published', webhookId: 'wh1' }]],
  ['webhooks.test()', (l) => l.webhooks.test('wh1'), ['POST', '/v1/webhooks/test', '', { webhookId: 'wh1' }]],
  ['webhooks.redeliver', (l) => l.webhooks.redeliver('wh1', 'evt1'), ['POST', '/v1/webhooks/logs/redeliver', '', { webhookId: 'wh1', eventId: 'evt1' }]],
  ['analytics.get', (l) => l.analytics.get({ postId: 'post1' }), ['GET', '/v1/analytics', '?postId=post1']],
  ['apiKeys.list', (l) => l.apiKeys.list(), ['GET', '/v1/api-keys', ''], [APIKEY]],
  ['apiKeys.create', (l) => l.apiKeys.create({ name: 'ci', permission: 'read' }), ['POST', '/v1/api-keys', '', { name: 'ci', permission: 'read' }], APIKEY],
  ['apiKeys.delete', (l) => l.apiKeys.delete('key1'), ['DELETE', '/v1/api-keys/key1', '']],
  ['usage.get', (l) => l.usage.get({ range: '30d' }), ['GET', '/v1/usage', '?range=30d']],
  ['auth.verify', (l) => l.auth.verify(), ['GET', '/v1/auth/verify', '']],
]

test('every resource method sends its spec route and resolves to the (unwrapped) body', async (t) => {
  const { api, late } = await setup(t)
  for (const [name, call, [method, path, search, body, headers], result] of CASES) {
    const p = call(late)
    assert.ok(p instanceof ApiPromise, `${name} returns an ApiPromise`)
    const got = await p
    const r = last(api)
    assert.equal(r.method, method, name)
    assert.equal(r.path, path, name)
    assert.equal(r.search, search, name)
    assert.deepEqual(r.body, body, name)
    assert.equal(r.headers.authorization, `Bearer ${KEY}`)
    for (const [h, value] of Object.entries(headers || {})) assert.equal(r.headers[h], value, `${name} header ${h}`)
    if (!headers) assert.equal(r.headers['x-connect-token'], undefined, `${name} sends no connect token`)
    assert.deepEqual(got, result === undefined ? BODIES[`${method} ${path}`] ?? { ok: true } : result, name)
  }
  assert.equal(api.requests.length, CASES.length)
})

test('a POST the API dedupes carries one Idempotency-Key, others none; options.idempotencyKey is always sent', async (t) => {
  const { api, late } = await setup(t)
  await late.posts.create({ content: 'a' })
  await late.profiles.create({ name: 'y' })
  await late.posts.retry('post1')
  await late.profiles.create({ name: 'x' }, { idempotencyKey: 'my-key-1' })
  await late.posts.retry('post1', { idempotencyKey: 'my-key-2' })
  const keys = api.requests.map((r) => r.headers['idempotency-key'])
  assert.ok(keys[0] && keys[1] && keys[0] !== keys[1], 'createPost and createProfile get a key each')
  assert.equal(keys[2], undefined, 'retryPost does not accept Idempotency-Key: no automatic key')
  assert.equal(keys[3], 'my-key-1')
  assert.equal(keys[4], 'my-key-2', "the caller's key is sent wherever it is given")
  await late.posts.get('post1')
  assert.equal(last(api).headers['idempotency-key'], undefined, 'not on GET')
})

test('withResponse(): the unwrapped data with status, headers, requestId and rateLimit, from one request', async (t) => {
  const { api, late } = await setup(t, {
    'GET /v1/profiles/p1': {
      body: { profile: PROFILE },
      headers: { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '599', 'x-ratelimit-reset': '1800000000' },
    },
  })
  const p = late.profiles.get('p1')
  const res = await p.withResponse()
  assert.deepEqual(res.data, PROFILE)
  assert.equal(res.status, 200)
  assert.match(res.requestId, /^req_/)
  assert.equal(res.headers['x-ratelimit-remaining'], '599')
  assert.equal(res.rateLimit.remaining, 599)
  assert.equal(res.attempts, 1)
  assert.deepEqual(await p, PROFILE, 'awaiting the same ApiPromise reuses the response')
  assert.equal(api.requests.length, 1)
  const created = await late.posts.create({ content: 'x' }).withResponse()
  assert.equal(typeof created.idempotencyKey, 'string')
})

test('ApiPromise behaves like a Promise: then/catch/finally, and API errors reject both views', async (t) => {
  const { late } = await setup(t, { 'GET /v1/posts/missing': { status: 404, body: { error: 'Post not found' } } })
  const id = await late.posts.get('post1').then((p) => p._id)
  assert.equal(id, 'post1')
  let finalized = false
  await late.posts
    .get('missing')
    .catch((e) => assert.ok(e instanceof NotFoundError))
    .finally(() => (finalized = true))
  assert.ok(finalized)
  await assert.rejects(late.posts.get('missing').withResponse(), NotFoundError)
  const p = late.posts.get('missing')
  assert.equal(Object.prototype.toString.call(p), '[object ApiPromise]')
  await assert.rejects(p, (e) => e instanceof NotFoundError && e.status === 404)
})

// [name, call, param named in the error]
const INVALID = [
  ['profiles.get()', (l) => l.profiles.get(), 'profileId'],
  ['profiles.get("")', (l) => l.profiles.get(''), 'profileId'],
  ['profiles.get("a/b")', (l) => l.profiles.get('a/b'), 'profileId'],
  ['profiles.create()', (l) => l.profiles.create(), 'body'],
  ['profiles.create({})', (l) => l.profiles.create({}), 'name'],
  ['profiles.update(id)', (l) => l.profiles.update('p1'), 'body'],
  ['profiles.delete(1)', (l) => l.profiles.delete(1), 'profileId'],
  ['accounts.update()', (l) => l.accounts.update(undefined, {}), 'accountId'],
  ['accounts.move(a)', (l) => l.accounts.move('a1'), 'profileId'],
  ['accounts.move()', (l) => l.accounts.move('', 'p1'), 'accountId'],
  ['accounts.disconnect(" ")', (l) => l.accounts.disconnect(' '), 'accountId'],
  ['accounts.health("")', (l) => l.accounts.health(''), 'accountId'],
  ['accounts.health(3)', (l) => l.accounts.health(3), 'params'],
  ['connectFlow.listInstagramAccounts({})', (l) => l.connectFlow.listInstagramAccounts({}), 'profileId'],
  ['connectFlow.selectFacebookPage()', (l) => l.connectFlow.selectFacebookPage(), 'body'],
  ['connectFlow.listLinkedInOrganizations({tempToken})', (l) => l.connectFlow.listLinkedInOrganizations({ tempToken: 't' }), 'orgIds'],
  ['connectFlow.selectLinkedInOrganization', (l) => l.connectFlow.selectLinkedInOrganization({ profileId: 'p1', tempToken: 't' }), 'userProfile'],
  ['connectFlow.selectGoogleBusinessLocation', (l) => l.connectFlow.selectGoogleBusinessLocation({ profileId: 'p1' }), 'pendingDataToken'],
  ['connectFlow.listPinterestBoards (no token)', (l) => l.connectFlow.listPinterestBoards({ profileId: 'p1', tempToken: 't' }), 'params.connectToken'],
  ['connectFlow.selectPinterestBoard', (l) => l.connectFlow.selectPinterestBoard({ profileId: 'p1', tempToken: 't' }), 'boardId'],
  ['connectFlow.connectBluesky', (l) => l.connectFlow.connectBluesky({ identifier: 'a', appPassword: 'b' }), 'state'],
  ['connectFlow.pendingData()', (l) => l.connectFlow.pendingData(), 'token'],
  ['posts.create()', (l) => l.posts.create(), 'body'],
  ['posts.create bad date', (l) => l.posts.create({ scheduledFor: new Date('nope') }), 'scheduledFor'],
  ['posts.create scheduledFor number', (l) => l.posts.create({ scheduledFor: 17 }), 'scheduledFor'],
  ['posts.create publishNow "yes"', (l) => l.posts.create({ publishNow: 'yes' }), 'publishNow'],
  ['posts.create platforms {}', (l) => l.posts.create({ platforms: {} }), 'platforms'],
  ['posts.create platform w/o accountId', (l) => l.posts.create({ platforms: [{ platform: 'x' }] }), 'platforms[0].accountId'],
  ['posts.create platform w/o platform', (l) => l.posts.create({ platforms: [{ accountId: 'a' }] }), 'platforms[0].platform'],
  ['posts.get(null)', (l) => l.posts.get(null), 'postId'],
  ['posts.update(id)', (l) => l.posts.update('post1'), 'body'],
  ['posts.delete()', (l) => l.posts.delete(), 'postId'],
  ['posts.retry("")', (l) => l.posts.retry(''), 'postId'],
  ['queue.get()', (l) => l.queue.get(), 'params'],
  ['queue.get({})', (l) => l.queue.get({}), 'profileId'],
  ['queue.create({})', (l) => l.queue.create({}), 'profileId'],
  ['queue.update()', (l) => l.queue.update(), 'body'],
  ['queue.delete({})', (l) => l.queue.delete({}), 'profileId'],
  ['queue.preview({})', (l) => l.queue.preview({}), 'profileId'],
  ['queue.nextSlot({})', (l) => l.queue.nextSlot({ profileId: '' }), 'profileId'],
  ['webhooks.create({})', (l) => l.webhooks.create({ name: 'a', url: 'https://x' }), 'events'],
  ['webhooks.update()', (l) => l.webhooks.update(), 'webhookId'],
  ['webhooks.delete()', (l) => l.webhooks.delete(), 'webhookId'],
  ['webhooks.test()', (l) => l.webhooks.test(), 'webhookId'],
  ['webhooks.redeliver(w)', (l) => l.webhooks.redeliver('wh1'), 'eventId'],
  ['analytics.get("x")', (l) => l.analytics.get('x'), 'params'],
  ['apiKeys.create({})', (l) => l.apiKeys.create({}), 'name'],
  ['apiKeys.delete()', (l) => l.apiKeys.delete(), 'keyId'],
  ['usage.get([])', (l) => l.usage.get([]), 'params'],
  ['auth.verify(bad options)', (l) => l.auth.verify({ timeoutMs: -1 }), 'options.timeoutMs'],
  ['posts.get(bad option key)', (l) => l.posts.get('post1', { retries: 1 }), 'options.retries'],
]

test('bad input rejects with a LateValidationError naming the parameter, before any request', async (t) => {
  const { api, late } = await setup(t)
  for (const [name, call, param] of INVALID) {
    const p = call(late)
    assert.ok(p instanceof ApiPromise, `${name} still returns an ApiPromise`)
    await assert.rejects(p, (e) => {
      assert.ok(e instanceof LateValidationError, `${name}: ${e}`)
      assert.equal(e.param, param, `${name}: ${e.message}`)
      return true
    })
    await assert.rejects(call(late).withResponse(), LateValidationError, `${name} withResponse`)
  }
  for (const [name, call] of [
    ['profiles.list("x")', (l) => l.profiles.list('x')],
    ['accounts.list(1)', (l) => l.accounts.list(1)],
    ['webhooks.logs([])', (l) => l.webhooks.logs([])],
    ['analytics.delta(null)', (l) => l.analytics.delta(null)],
  ]) {
    assert.throws(() => call(late), LateValidationError, name)
  }
  assert.equal(api.requests.length, 0)
})

const PARTIAL = {
  post: { _id: 'post1', status: 'partial', platforms: [] },
  message: 'Post partially published',
  platformResults: [
    { platform: 'instagram', status: 'published', error: null },
    { platform: 'twitter', status: 'failed', error: 'Duplicate content' },
  ],
}

test('a 207 from posts.create / update / retry rejects with PartialPublishError, in both views', async (t) => {
  const { api, late } = await setup(t, {
    'POST /v1/posts': { status: 207, body: PARTIAL },
    'PUT /v1/posts/post1': { status: 207, body: { ...PARTIAL, post: { ...PARTIAL.post, status: 'failed' }, error: 'All platforms failed' } },
    'POST /v1/posts/post1/retry': { status: 207, body: { message: 'Retry incomplete', post: { _id: 'post1', status: 'scheduled' } } },
  })
  const calls = [
    () => late.posts.create({ content: 'x', publishNow: true, platforms: [{ platform: 'instagram', accountId: 'a1' }] }),
    () => late.posts.update('post1', { publishNow: true }),
    () => late.posts.retry('post1'),
  ]
  const errors = []
  for (const call of calls) {
    await assert.rejects(call(), (e) => (errors.push(e), true))
    await assert.rejects(call().withResponse(), PartialPublishError)
  }
  for (const e of errors) {
    assert.ok(e instanceof PartialPublishError)
    assert.ok(e instanceof LateApiError)
    assert.equal(e.status, 207)
    assert.equal(e.name, 'PartialPublishError')
    assert.match(e.requestId, /^req_/)
    assert.equal(e.post._id, 'post1')
    assert.ok(e.body && typeof e.body === 'object')
  }
  const [created, updated, retried] = errors
  assert.deepEqual(created.platformResults, PARTIAL.platformResults)
  assert.equal(created.postStatus, 'partial')
  assert.equal(created.willRetry, false)
  assert.match(created.message, /failed on: twitter/)
  assert.equal(updated.postStatus, 'failed')
  assert.match(updated.message, /All platforms failed/)
  assert.equal(retried.postStatus, 'scheduled')
  assert.equal(retried.willRetry, true)
  assert.equal(retried.platformResults, undefined)
  assert.equal(api.requests.length, 6, 'a 207 is never retried')
})

test('a 207 elsewhere (e.g. bulk routes through request) is left to the caller; a 200/201 post is a plain result', async (t) => {
  const { late } = await setup(t)
  const res = await late.posts.create({ content: 'x' })
  assert.equal(res.post._id, 'post1')
})

test('analytics 202 (still syncing) resolves, and withResponse shows the status', async (t) => {
  const { late } = await setup(t, { 'GET /v1/analytics': { status: 202, body: { postId: 'post1', syncStatus: 'pending' } } })
  const { data, status } = await late.analytics.get({ postId: 'post1' }).withResponse()
  assert.equal(status, 202)
  assert.equal(data.syncStatus, 'pending')
})

test('resources exist on clones and are not enumerable or writable', async (t) => {
  const { api, late } = await setup(t)
  assert.deepEqual(Object.keys(late), [])
  const clone = late.withOptions({ timeoutMs: 1_000 })
  await clone.auth.verify()
  assert.equal(last(api).path, '/v1/auth/verify')
  assert.notEqual(clone.posts, late.posts)
  assert.throws(() => {
    'use strict'
    late.posts = null
  }, TypeError)
  for (const name of ['profiles', 'accounts', 'connectFlow', 'posts', 'queue', 'webhooks', 'analytics', 'apiKeys', 'usage', 'auth']) {
    assert.equal(typeof late[name], 'object', name)
  }
  assert.equal(typeof late.connect, 'function', 'late.connect(platform) is still the method')
  assert.ok(!JSON.stringify(late.posts).includes(KEY))
})
