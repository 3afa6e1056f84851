// Auto-pagination over the API's three styles (page/limit, skip/limit, cursor) against a
// loopback mock: every page resends the filters and options, `limit` caps the total without
// fetching extra pages, `break` stops fetching, and a signal cancels between and during pages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, Paginator, LateAbortError, LateApiError, LateValidationError } from '../index.mjs'
import { startMockApi, KEY } from './helpers/mock-api.mjs'

const items = (n, prefix = 'i') => Array.from({ length: n }, (_, i) => ({ _id: `${prefix}${i}` }))

async function setup(t, routes) {
  const api = await startMockApi(routes)
  t.after(() => api.close())
  return { api, late: new LateClient({ apiKey: KEY, baseUrl: api.baseUrl, maxRetries: 0 }) }
}

/** page/limit like GET /v1/posts: `pagination { page, limit, total, pages, nextCursor: null }`. */
function pagedPosts(all, { defaultLimit = 2, cursor = false } = {}) {
  return (r) => {
    const limit = Number(r.query.limit || defaultLimit)
    const page = Number(r.query.page || 1)
    const slice = all.slice((page - 1) * limit, page * limit)
    const pagination = { page, limit, total: all.length, pages: Math.ceil(all.length / limit) }
    if (cursor) pagination.nextCursor = null
    return { body: { posts: slice, pagination } }
  }
}

test('page/limit: every page is fetched with the same filters, items in order', async (t) => {
  const all = items(5, 'post')
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(all) })
  const paginator = late.posts.list({ status: 'scheduled', platform: 'instagram' })
  assert.ok(paginator instanceof Paginator)
  assert.equal(api.requests.length, 0, 'nothing is sent before iterating')
  const got = []
  for await (const post of paginator) got.push(post)
  assert.deepEqual(got, all)
  assert.deepEqual(api.requests.map((r) => r.search), [
    '?status=scheduled&platform=instagram',
    '?status=scheduled&platform=instagram&page=2&limit=2',
    '?status=scheduled&platform=instagram&page=3&limit=2',
  ])
})

test('page/limit: a null nextCursor (sortBy=status) does not end a page walk', async (t) => {
  const all = items(3, 'p')
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(all, { cursor: true }) })
  assert.deepEqual(await late.posts.list({ sortBy: 'status', limit: 2 }).toArray(), all)
  assert.deepEqual(api.requests.map((r) => r.query.page), [undefined, '2'])
  assert.ok(api.requests.every((r) => r.query.sortBy === 'status' && r.query.limit === '2'))
})

test('page/limit: `offset` is advanced instead of `page` when the caller sent one', async (t) => {
  const all = items(5, 'o')
  const { api, late } = await setup(t, {
    'GET /v1/posts': (r) => {
      const offset = Number(r.query.offset || 0)
      const limit = Number(r.query.limit)
      return {
        body: {
          posts: all.slice(offset, offset + limit),
          pagination: { page: Math.floor(offset / limit) + 1, limit, total: all.length, pages: Math.ceil(all.length / limit) },
        },
      }
    },
  })
  assert.deepEqual(await late.posts.list({ offset: 1, limit: 2 }).toArray(), all.slice(1))
  assert.deepEqual(api.requests.map((r) => r.query.offset), ['1', '3'])
})

test('skip/limit at the top level (profiles): skip advances by the items received', async (t) => {
  const all = items(5, 'prof')
  const { api, late } = await setup(t, {
    'GET /v1/profiles': (r) => {
      const skip = Number(r.query.skip || 0)
      const limit = Number(r.query.limit || 100)
      return { body: { profiles: all.slice(skip, skip + limit), total: all.length, skip, limit } }
    },
  })
  assert.deepEqual(await late.profiles.list({ limit: 2, name: 'x' }).toArray(), all)
  assert.deepEqual(api.requests.map((r) => r.search), ['?limit=2&name=x', '?limit=2&name=x&skip=2', '?limit=2&name=x&skip=4'])
})

test('skip/limit without paging params (the whole list in one answer) is one request', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/profiles': { body: { profiles: items(3) } } })
  assert.equal((await late.profiles.list().toArray()).length, 3)
  assert.equal(api.requests.length, 1)
})

test('skip/limit in `pagination` with hasMore (webhook logs)', async (t) => {
  const all = items(5, 'log')
  const { api, late } = await setup(t, {
    'GET /v1/webhooks/logs': (r) => {
      const skip = Number(r.query.skip || 0)
      const limit = Number(r.query.limit || 2)
      const logs = all.slice(skip, skip + limit)
      return {
        body: {
          logs,
          pagination: { total: all.length, limit, skip, pages: Math.ceil(all.length / limit), hasMore: skip + logs.length < all.length },
        },
      }
    },
  })
  const pages = []
  for await (const page of late.webhooks.logs({ status: 'failed' }).pages()) pages.push(page)
  assert.deepEqual(pages.map((p) => p.items.length), [2, 2, 1])
  assert.deepEqual(pages.map((p) => p.hasNextPage), [true, true, false])
  assert.equal(pages[2].pagination.hasMore, false)
  assert.deepEqual(api.requests.map((r) => r.search), ['?status=failed', '?status=failed&skip=2&limit=2', '?status=failed&skip=4&limit=2'])
})

test('cursor in `pagination.nextCursor` (accounts): limit is resent, page params dropped', async (t) => {
  const all = items(7, 'acc')
  const { api, late } = await setup(t, {
    'GET /v1/accounts': (r) => {
      const start = r.query.cursor ? Number(r.query.cursor.slice(1)) : 0
      const limit = Number(r.query.limit || 3)
      const next = start + limit < all.length ? `c${start + limit}` : null
      return { body: { accounts: all.slice(start, start + limit), hasAnalyticsAccess: false, pagination: { limit, nextCursor: next } } }
    },
  })
  assert.deepEqual(await late.accounts.list({ profileId: 'p1', limit: 3 }).toArray(), all)
  assert.deepEqual(api.requests.map((r) => r.search), [
    '?profileId=p1&limit=3',
    '?profileId=p1&limit=3&cursor=c3',
    '?profileId=p1&limit=3&cursor=c6',
  ])
})

test('cursor at the top level with hasMore (analytics delta)', async (t) => {
  const all = items(5, 'd')
  const { api, late } = await setup(t, {
    'GET /v1/analytics/delta': (r) => {
      const start = r.query.cursor ? Number(r.query.cursor) : 0
      const data = all.slice(start, start + 2)
      const hasMore = start + 2 < all.length
      return { body: { data, nextCursor: String(start + 2), hasMore } }
    },
  })
  assert.deepEqual(await late.analytics.delta({ platform: 'instagram' }).toArray(), all)
  assert.deepEqual(api.requests.map((r) => r.query.cursor), [undefined, '2', '4'])
  assert.ok(api.requests.every((r) => r.query.platform === 'instagram'))
})

test('posts switch to the cursor as soon as the API hands one out', async (t) => {
  const { api, late } = await setup(t, {
    'GET /v1/posts': (r) =>
      r.query.cursor
        ? { body: { posts: items(1, 'b'), pagination: { page: 2, limit: 2, total: 3, pages: 2, nextCursor: null } } }
        : { body: { posts: items(2, 'a'), pagination: { page: 1, limit: 2, total: 3, pages: 2, nextCursor: 'cur1' } } },
  })
  const got = await late.posts.list({ limit: 2 }).toArray()
  assert.deepEqual(got.map((p) => p._id), ['a0', 'a1', 'b0'])
  assert.deepEqual(api.requests.map((r) => r.search), ['?limit=2', '?limit=2&cursor=cur1'])
})

test('options.limit caps the total and fetches no page beyond it', async (t) => {
  const all = items(10, 'x')
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(all, { defaultLimit: 3 }) })
  assert.deepEqual(await late.posts.list({}, { limit: 4 }).toArray(), all.slice(0, 4))
  assert.equal(api.requests.length, 2, '3 + 1 items: two pages')
  api.requests.length = 0
  assert.deepEqual(await late.posts.list({}, { limit: 3 }).toArray(), all.slice(0, 3))
  assert.equal(api.requests.length, 1, 'exactly one page holds the 3 items')
  api.requests.length = 0
  const paginator = late.posts.list({}, { limit: 100 })
  assert.equal(paginator.limit, 100)
  assert.deepEqual(await paginator.toArray({ limit: 5 }), all.slice(0, 5), 'toArray({ limit }) overrides')
  assert.equal(api.requests.length, 2)
})

test('.pages() with a limit cuts the last page and reports raw bodies and metadata', async (t) => {
  const all = items(5, 'y')
  const { late } = await setup(t, { 'GET /v1/posts': pagedPosts(all) })
  const pages = []
  for await (const page of late.posts.list({}, { limit: 3 }).pages()) pages.push(page)
  assert.deepEqual(pages.map((p) => p.items.map((i) => i._id)), [['y0', 'y1'], ['y2']])
  assert.equal(pages[1].raw.posts.length, 2, 'raw is the whole body')
  assert.equal(pages[1].hasNextPage, false)
  assert.deepEqual(pages[0].pagination, { page: 1, limit: 2, total: 5, pages: 3 })
  assert.equal(pages[0].status, 200)
  assert.match(pages[0].requestId, /^req_/)
})

test('breaking out of for-await stops fetching', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(items(10)) })
  for await (const post of late.posts.list()) {
    assert.equal(post._id, 'i0')
    break
  }
  for await (const page of late.posts.list().pages()) {
    assert.equal(page.items.length, 2)
    break
  }
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(api.requests.length, 2, 'one request per loop')
})

test('an empty page ends the walk even when the server claims more', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/posts': { body: { posts: [], pagination: { page: 1, limit: 2, total: 9, pages: 5 } } } })
  assert.deepEqual(await late.posts.list().toArray(), [])
  assert.equal(api.requests.length, 1)
})

test('a server that echoes page 1 forever cannot loop: progress follows what was sent', async (t) => {
  const { api, late } = await setup(t, {
    'GET /v1/posts': { body: { posts: items(2), pagination: { page: 1, limit: 2, total: 6, pages: 3 } } },
  })
  assert.equal((await late.posts.list().toArray()).length, 6)
  assert.deepEqual(api.requests.map((r) => r.query.page), [undefined, '2', '3'])
})

test('a repeated cursor rejects instead of looping or truncating silently', async (t) => {
  const { api, late } = await setup(t, {
    'GET /v1/accounts': { body: { accounts: items(1), pagination: { limit: 1, nextCursor: 'same' } } },
  })
  await assert.rejects(late.accounts.list({ limit: 1 }).toArray(), (e) => {
    assert.ok(e instanceof LateApiError)
    assert.equal(e.code, 'invalid_response')
    assert.match(e.message, /same page cursor twice/)
    return true
  })
  assert.equal(api.requests.length, 2)
})

test('per-call options (headers, timeouts) go with every page', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(items(4)) })
  await late.posts.list({}, { headers: { 'x-trace': 'abc' }, timeoutMs: 5_000, maxRetries: 1 }).toArray()
  assert.equal(api.requests.length, 2)
  assert.ok(api.requests.every((r) => r.headers['x-trace'] === 'abc'))
})

test('an aborted signal rejects before any request; an abort between pages stops the walk', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(items(6)) })
  const pre = new AbortController()
  pre.abort()
  await assert.rejects(late.posts.list({}, { signal: pre.signal }).toArray(), LateAbortError)
  assert.equal(api.requests.length, 0)

  const ac = new AbortController()
  const seen = []
  await assert.rejects(
    (async () => {
      for await (const post of late.posts.list({}, { signal: ac.signal })) {
        seen.push(post._id)
        if (seen.length === 2) ac.abort()
      }
    })(),
    (e) => e instanceof LateAbortError && e.name === 'AbortError',
  )
  assert.deepEqual(seen, ['i0', 'i1'])
  assert.equal(api.requests.length, 1, 'the second page was never sent')
})

test('an abort during a later page cancels that request', async (t) => {
  const { api, late } = await setup(t, {
    'GET /v1/posts': (r) => (r.query.page === '2' ? { hang: true } : pagedPosts(items(4))(r)),
  })
  const ac = new AbortController()
  const pending = late.posts.list({}, { signal: ac.signal }).toArray()
  while (api.requests.length < 2) await new Promise((r) => setTimeout(r, 5))
  const started = Date.now()
  ac.abort()
  await assert.rejects(pending, LateAbortError)
  assert.ok(Date.now() - started < 1_000, 'rejects at once')
})

test('bad list options throw synchronously, before anything is sent', async (t) => {
  const { api, late } = await setup(t, { 'GET /v1/posts': pagedPosts(items(2)) })
  for (const limit of [0, -1, 1.5, '3']) {
    assert.throws(() => late.posts.list({}, { limit }), (e) => e instanceof LateValidationError && e.param === 'options.limit')
  }
  assert.throws(() => late.posts.list({}, { nope: 1 }), LateValidationError)
  assert.throws(() => late.posts.list('scheduled'), (e) => e instanceof LateValidationError && e.param === 'params')
  assert.throws(() => late.posts.list({}, { signal: 'x' }), LateValidationError)
  await assert.rejects(late.posts.list().toArray({ limit: 0 }), LateValidationError)
  assert.equal(api.requests.length, 0)
})

test('an API error on a later page rejects the iteration with that error', async (t) => {
  const { late } = await setup(t, {
    'GET /v1/posts': (r) =>
      r.query.page === '2'
        ? { status: 400, body: { error: 'Unknown query parameter', code: 'invalid_query' } }
        : pagedPosts(items(4))(r),
  })
  const seen = []
  await assert.rejects(
    (async () => {
      for await (const p of late.posts.list()) seen.push(p._id)
    })(),
    (e) => e instanceof LateApiError && e.status === 400 && e.code === 'invalid_query',
  )
  assert.deepEqual(seen, ['i0', 'i1'])
})
