import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, listAccounts } from '../index.mjs'
import { startMockApi, happyRoutes, KEY } from './helpers/mock-api.mjs'

function account(i) {
  return { _id: `acc${i}`, platform: 'instagram', profileId: { _id: 'p1', name: 'Brand' }, username: `u${i}`, isActive: true, metadata: { n: i } }
}

test('listAccounts returns the accounts array with field names unchanged', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const accounts = await late.listAccounts({ profileId: 'p1', platform: 'instagram', status: 'connected' })
  assert.ok(Array.isArray(accounts))
  assert.deepEqual(accounts.map((a) => a._id), ['acc1', 'acc2'])
  assert.equal(accounts[0].profileId, '64f0000000000000000000d1')
  const [r] = api.requests
  assert.equal(r.method, 'GET')
  assert.equal(r.path, '/v1/accounts')
  assert.deepEqual(r.query, { profileId: 'p1', platform: 'instagram', status: 'connected' })
  assert.equal(r.headers.authorization, `Bearer ${KEY}`)
})

test('listAccounts follows cursor pages until nextCursor is null', async (t) => {
  const all = Array.from({ length: 7 }, (_, i) => account(i))
  const api = await startMockApi({
    'GET /v1/accounts': (r) => {
      const start = r.query.cursor ? Number(r.query.cursor) : 0
      const limit = 3
      const page = all.slice(start, start + limit)
      const next = start + limit < all.length ? String(start + limit) : null
      return { body: { accounts: page, hasAnalyticsAccess: false, pagination: { limit, nextCursor: next } } }
    },
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  const accounts = await late.listAccounts({ profileId: 'p1' })
  assert.deepEqual(accounts, all)
  assert.deepEqual(api.requests.map((r) => r.search), [
    '?profileId=p1',
    '?profileId=p1&limit=3&cursor=3',
    '?profileId=p1&limit=3&cursor=6',
  ])
})

test('listAccounts follows page/limit pages', async (t) => {
  const all = Array.from({ length: 5 }, (_, i) => account(i))
  const api = await startMockApi({
    'GET /v1/accounts': (r) => {
      const page = Number(r.query.page || 1)
      const limit = 2
      return {
        body: {
          accounts: all.slice((page - 1) * limit, page * limit),
          pagination: { page, limit, total: all.length, pages: Math.ceil(all.length / limit) },
        },
      }
    },
  })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  assert.deepEqual(await late.listAccounts({ profileId: 'p1', platform: 'instagram' }), all)
  assert.deepEqual(api.requests.map((r) => r.query.page), [undefined, '2', '3'])
  assert.ok(api.requests.every((r) => r.query.platform === 'instagram'), 'filters are resent with every page')
})

test('a server that repeats its cursor is stopped, not followed forever', async (t) => {
  const api = await startMockApi({ 'GET /v1/accounts': { body: { accounts: [account(1)], pagination: { limit: 1, nextCursor: 'same' } } } })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  await assert.rejects(late.listAccounts({ profileId: 'p1' }), /same page cursor twice/)
  assert.equal(api.requests.length, 2)
})

test('top-level listAccounts uses the default client and the default profile', async (t) => {
  const api = await startMockApi(happyRoutes())
  t.after(() => api.close())
  process.env.LATE_API_KEY = KEY
  process.env.LATE_BASE_URL = api.baseUrl
  const accounts = await listAccounts({ platform: 'instagram' })
  assert.equal(accounts.length, 2)
  assert.deepEqual(api.requests.map((r) => r.path), ['/v1/profiles', '/v1/accounts'])
  assert.equal(api.requests[1].query.profileId, '64f0000000000000000000d1')
})

test('non-ASCII account fields (UTF-8) come through unchanged', async (t) => {
  const accounts = [{ _id: 'a1', platform: 'instagram', profileId: 'p1', isActive: true, username: 'café_🍰', displayName: 'Zoë — 東京' }]
  const api = await startMockApi({ 'GET /v1/accounts': { body: { accounts } } })
  t.after(() => api.close())
  const late = new LateClient({ apiKey: KEY, baseUrl: api.baseUrl })
  assert.deepEqual(await late.listAccounts({ profileId: 'p1' }), accounts)
})
