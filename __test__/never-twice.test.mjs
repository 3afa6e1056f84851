// Never twice, never dropped: the duplicate matrix. The simulator behaves like the API: it does
// the action and then loses the answer (a 500 after the write, the connection reset after the
// route ran, an answer slower than the timeout), or its limiter refuses with a 429 before doing
// anything; it honours `Idempotency-Key` exactly where the spec declares it, and its ledger of
// actions counts what each call did (one x-request-id per call, on every attempt).
//
// For operations with key support (createPost, createProfile) and without (retryPost,
// createWebhookSettings), through `request()`, the named method and `late-native/zernio`:
// exactly one action per call; a keyed call resolves with the replay; an unkeyed call whose
// answer was lost is not sent again and says so (`mayHaveBeenProcessed`); a 429 is retried.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { LateClient, LateError } from '../index.mjs'
import { Zernio } from '../zernio.mjs'
import { startSimulator } from '../testing.mjs'

let sim
let account
let n = 0

before(async () => {
  sim = await startSimulator()
})
after(() => sim.close())
beforeEach(() => {
  sim.reset()
  account = sim.addAccount({ platform: 'twitter', username: 'acme' })
})

const unique = () => `${++n}-${Date.now()}`

/** The operations: route template, concrete path and body for one call, whether the API dedupes it. */
const OPERATIONS = {
  createPost: {
    keyed: true,
    route: 'POST /v1/posts',
    namespace: 'posts',
    args: () => ({ body: { content: `never twice ${unique()}`, platforms: [{ platform: 'twitter', accountId: account._id }] } }),
  },
  createProfile: {
    keyed: true,
    route: 'POST /v1/profiles',
    namespace: 'profiles',
    args: () => ({ body: { name: `Brand ${unique()}` } }),
  },
  retryPost: {
    keyed: false,
    route: 'POST /v1/posts/{postId}/retry',
    namespace: 'posts',
    args: async (client) => {
      const created = await client.request('POST /v1/posts', { body: { content: `to retry ${unique()}`, platforms: [{ platform: 'twitter', accountId: account._id }], publishNow: true } })
      return { path: { postId: created.post._id } }
    },
  },
  createWebhookSettings: {
    keyed: false,
    route: 'POST /v1/webhooks/settings',
    namespace: 'webhooks',
    args: () => ({ body: { name: `hook ${unique()}`, url: 'https://hooks.example.com/late', events: ['post.published'] } }),
  },
}

/** `{ path, body }` → the concrete route for `request()`. */
function concrete(route, args) {
  const [method, template] = route.split(' ')
  const path = template.replace(/\{([^}]+)\}/g, (_, k) => encodeURIComponent(args.path[k]))
  return { method, path, body: args.body }
}

/** The three ways in, each sending one call of operation `id` with `args` and per-call `options`. */
const ENTRIES = {
  'request()': (c, id, args, options) => c.late.request(concrete(OPERATIONS[id].route, args), options),
  'named method': (c, id, args, options) => c.late[OPERATIONS[id].namespace][id](args, options),
  'late-native/zernio': (c, id, args, options) => c.zernio[OPERATIONS[id].namespace][id](args, options),
}

/** The answer is lost after the action (or refused before it), and the per-call options that make it so. */
const FAULTS = {
  '500 after the action': { fault: { status: 500, after: true }, lost: true },
  'connection reset after the action': { fault: { drop: true, after: true }, lost: true },
  'answer slower than the timeout': { fault: { delayMs: 700 }, lost: true, options: { timeoutMs: 250 } },
  '429 before anything': { fault: { status: 429, retryAfter: 1 }, lost: false },
}

function clients(options = {}) {
  const base = { apiKey: sim.apiKey, maxRetries: 3, maxRetryWaitMs: 2_000 }
  return {
    late: new LateClient({ ...base, baseUrl: sim.baseUrl, ...options }),
    zernio: new Zernio({ ...base, baseURL: sim.baseUrl, ...options }),
  }
}

/** Attempts of `route` that reached the simulator since `from` (a request-log length). */
function attempts(route, from) {
  const [method, template] = route.split(' ')
  const re = new RegExp(`^/api${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
  return sim.requests().slice(from).filter((r) => r.method === method && re.test(r.path))
}

for (const [faultName, f] of Object.entries(FAULTS)) {
  for (const [id, op] of Object.entries(OPERATIONS)) {
    for (const [entryName, send] of Object.entries(ENTRIES)) {
      const expect = op.keyed || !f.lost ? 'resolves, sent again' : 'fails, not sent again'
      test(`${faultName} · ${id} (${op.keyed ? 'keyed' : 'no key support'}) · ${entryName}: one action, ${expect}`, async () => {
        const c = clients()
        const args = await op.args(c.late)
        const from = sim.requests().length
        const before = sim.actions().total
        sim.faults.inject({ route: op.route, ...f.fault })
        const outcome = await send(c, id, args, f.options).then(
          (value) => ({ value }),
          (error) => ({ error }),
        )
        // A slow first attempt ends on the server after the client gave up: wait for it.
        if (f.fault.delayMs) await new Promise((r) => setTimeout(r, f.fault.delayMs + 300))
        const sent = attempts(op.route, from)
        const actions = sim.actions()
        assert.deepEqual(actions.duplicates, [], 'no call acted twice')
        assert.equal(actions.total - before, f.lost || outcome.value ? 1 : 0, 'exactly one action')
        if (op.keyed || !f.lost) {
          assert.ok(outcome.value !== undefined, `resolved (${outcome.error && outcome.error.message})`)
          assert.ok(sent.length >= 2, `sent again (${sent.length} attempts)`)
          if (op.keyed) {
            const keys = new Set(sent.map((r) => r.headers['idempotency-key']))
            assert.equal(keys.size, 1, 'one Idempotency-Key for every attempt')
            assert.ok([...keys][0], 'an automatic key')
          }
        } else {
          assert.equal(sent.length, 1, 'never sent again')
          assert.equal(sent[0].headers['idempotency-key'], undefined, 'no automatic key where the API ignores it')
          const e = outcome.error
          assert.ok(e instanceof Error, 'rejected')
          assert.equal(e.mayHaveBeenProcessed, true)
          assert.match(e.message, /may have been processed; it was not retried because POST \S+ \(\w+\) does not accept Idempotency-Key/)
          if (entryName !== 'late-native/zernio') assert.ok(e instanceof LateError)
        }
      })
    }
  }
}

test('a refused connection proves nothing was sent: an unkeyed POST is retried, and the error says nothing was done', async () => {
  const { createServer } = await import('node:net')
  const probe = createServer()
  await new Promise((r) => probe.listen(0, '127.0.0.1', r))
  const port = probe.address().port
  await new Promise((r) => probe.close(r))
  const late = new LateClient({ apiKey: 'sk_test_refused', baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 2, maxRetryWaitMs: 10 })
  await assert.rejects(late.request('POST /v1/posts/p1/retry'), (e) => {
    assert.equal(e.reason, 'connection_refused')
    assert.equal(e.attempts, 3, 'retried: the request never left')
    assert.equal(e.mayHaveBeenProcessed, false)
    assert.doesNotMatch(e.message, /may have been processed/)
    return true
  })
})

test('replaySafe: a caller who knows an operation is safe to repeat opts in per call', async () => {
  const c = clients()
  const args = await OPERATIONS.retryPost.args(c.late)
  const from = sim.requests().length
  sim.faults.inject({ route: OPERATIONS.retryPost.route, status: 500, after: true })
  await c.late.posts.retryPost(args, { replaySafe: true })
  assert.equal(attempts(OPERATIONS.retryPost.route, from).length, 2)
  assert.equal(sim.actions().duplicates.length, 1, 'the opt-in resent it: the simulator saw the second action')
})

test('a key the caller passes is always sent, but does not make an unkeyed operation safe to resend', async () => {
  const c = clients()
  const args = await OPERATIONS.retryPost.args(c.late)
  const from = sim.requests().length
  sim.faults.inject({ route: OPERATIONS.retryPost.route, status: 503, after: true })
  await assert.rejects(c.late.posts.retryPost(args, { idempotencyKey: 'order-42' }), (e) => {
    assert.equal(e.status, 503)
    assert.equal(e.idempotencyKey, 'order-42')
    assert.equal(e.mayHaveBeenProcessed, true)
    return true
  })
  const sent = attempts(OPERATIONS.retryPost.route, from)
  assert.equal(sent.length, 1)
  assert.equal(sent[0].headers['idempotency-key'], 'order-42')
})

test('a route the spec does not know is not replay-safe', async () => {
  const c = clients()
  const from = sim.requests().length
  sim.faults.inject({ route: 'POST /v1/not-in-the-spec', status: 502 })
  await assert.rejects(c.late.request('POST /v1/not-in-the-spec', { body: {} }), (e) => {
    assert.equal(e.status, 502)
    assert.match(e.message, /not in the API spec/)
    return true
  })
  assert.equal(attempts('POST /v1/not-in-the-spec', from).length, 1)
})

test('the failed keyed call reports its key, and sending it again with that key does the action once', async () => {
  const c = clients({ maxRetries: 0 })
  const args = OPERATIONS.createPost.args()
  sim.faults.inject({ route: 'POST /v1/posts', status: 500, after: true })
  const e = await c.late.posts.createPost(args).then(() => assert.fail('resolved'), (err) => err)
  assert.equal(e.mayHaveBeenProcessed, true)
  assert.match(e.idempotencyKey, /^[0-9a-f-]{36}$/)
  const again = await c.late.posts.createPost(args, { idempotencyKey: e.idempotencyKey })
  assert.equal(again.message, 'Post already exists (idempotent retry)')
  assert.equal(sim.state().posts.filter((p) => p.content === args.body.content).length, 1)
})
