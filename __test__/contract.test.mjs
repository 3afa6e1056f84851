// Contract tests: every resource method is called against Prism (`prism mock --errors`) serving
// the vendor's OpenAPI spec. With --errors, a request that breaks the spec (path, query, headers,
// body, security) gets a 4xx, so the call rejects; a response with an `sl-violations` header is
// counted as a violation too. The suite asserts zero violations and prints a coverage summary.
//
// The spec is the repository's own copy, spec/openapi.json. Prism is a dev dependency: without
// it the suite fails, naming the fix (it never skips silently).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LateClient, LateApiError, PartialPublishError } from '../index.mjs'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const specPath = path.join(repoRoot, 'spec', 'openapi.json')
const require = createRequire(import.meta.url)

function prismBin() {
  try {
    const pkgPath = require.resolve('@stoplight/prism-cli/package.json')
    const bin = require(pkgPath).bin
    return path.resolve(path.dirname(pkgPath), typeof bin === 'string' ? bin : bin.prism)
  } catch {
    return undefined
  }
}

const bin = prismBin()
if (!bin) throw new Error('contract tests: @stoplight/prism-cli is not installed; run `npm install` (it is a dev dependency)')

// 24-hex ids like the API's, valid for any id pattern in the spec.
const PROFILE = '64f0000000000000000000a1'
const ACCOUNT = '64f0000000000000000000b2'
const POST = '64f0000000000000000000c3'
const WEBHOOK = '64f0000000000000000000d4'
const KEY_ID = '64f0000000000000000000e5'
const QUEUE = '64f0000000000000000000f6'

let prism
let late
let lateDynamic
let late201
let port
const dynamicOnly = new Set() // methods whose check needed a schema-generated response
const log = []
const covered = new Map() // 'group.method' -> route(s)
const violations = [] // requests Prism refused or flagged: the client broke the spec
const specDefects = [] // valid requests whose canned response breaks the spec's own schema

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

before(async () => {
  port = await freePort()
  prism = spawn(process.execPath, [bin, 'mock', '--errors', '-h', '127.0.0.1', '-p', String(port), specPath], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
  })
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start in 60 s:\n${log.slice(-20).join('')}`)), 60_000)
    const onData = (chunk) => {
      const text = chunk.toString()
      if (log.length < 5000) log.push(text)
      if (text.includes('Prism is listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    prism.stdout.on('data', onData)
    prism.stderr.on('data', onData)
    prism.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`prism exited (${code}):\n${log.slice(-20).join('')}`))
    })
  })
  late = new LateClient({ apiKey: 'sk_test_contract_0000', baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0, timeoutMs: 15_000 })
  lateDynamic = late.withOptions({ defaultHeaders: { Prefer: 'dynamic=true' } })
  // POST /v1/posts: Prism answers the lowest 2xx, the 200 replay/dry-run `oneOf` whose
  // branches overlap, and the 201 example breaks its schema too; a new post is a 201.
  late201 = late.withOptions({ defaultHeaders: { Prefer: 'code=201, dynamic=true' } })
})

after(async () => {
  if (!prism) return
  if (prism.exitCode === null) {
    const exited = new Promise((resolve) => prism.once('exit', resolve))
    prism.kill('SIGTERM')
    const timer = setTimeout(() => prism.kill('SIGKILL'), 3_000)
    await exited
    clearTimeout(timer)
  }
  const total = covered.size
  console.log(`# contract: ${total} resource methods called against prism mock --errors; ${violations.length} spec violations`)
  for (const [name, route] of covered) {
    const defect = specDefects.find((d) => d.name === name)
    const note = defect
      ? 'request valid; every response Prism builds breaks the spec (spec defect below)'
      : dynamicOnly.has(name)
        ? 'ok (schema-generated response, Prefer: dynamic=true: the spec example breaks its own schema)'
        : 'ok'
    console.log(`#   ${name.padEnd(44)} ${route.padEnd(46)} ${note}`)
  }
  for (const d of specDefects) console.log(`#   spec defect (not ours) in ${d.route}: ${d.defect.join('; ')}`)
})

/**
 * Prism's answer when the request was valid but the response it built from the spec's own
 * example breaks the spec's schema (e.g. an example matching two branches of a `oneOf`):
 * a 500 whose every violation is located in the response. Prism checks the request first and
 * answers 4xx when it is invalid, so this proves the request was valid.
 */
function responseOnlyDefect(e) {
  const body = e && e.body
  if (!(e instanceof LateApiError) || e.status !== 500 || !body || !/#VIOLATIONS$/.test(body.type ?? '')) return undefined
  const list = Array.isArray(body.validation) ? body.validation : []
  if (!list.length || !list.every((x) => Array.isArray(x.location) && x.location[0] === 'response')) return undefined
  return list.map((x) => `${x.location.join('.')}: ${x.message}`)
}

function refused(name, route, e) {
  const defect = responseOnlyDefect(e)
  if (defect) {
    specDefects.push({ name, route, defect })
    return
  }
  if (e instanceof LateApiError) violations.push({ name, status: e.status, body: e.body })
  throw new Error(`${name} (${route}) was refused: ${e.status ?? ''} ${JSON.stringify(e.body ?? e.message)}`)
}

function noViolation(name, headers) {
  const v = headers && headers['sl-violations']
  if (v) violations.push({ name, violations: v })
  assert.equal(v, undefined, `${name}: prism reported ${v}`)
}

/** Calls a single-call method through withResponse: a 2xx without sl-violations. */
async function single(name, route, call, fallbacks = [lateDynamic]) {
  covered.set(name, route)
  let res
  try {
    res = await call(late).withResponse()
  } catch (e) {
    // The spec's canned example breaks its own schema: ask Prism for another response (one
    // generated from the schema, or another documented status), so the client's handling of
    // a valid response is still checked.
    if (!responseOnlyDefect(e)) return refused(name, route, e)
    let last = e
    for (const client of fallbacks) {
      try {
        res = await call(client).withResponse()
        dynamicOnly.add(name)
        break
      } catch (e2) {
        last = e2
        if (!responseOnlyDefect(e2)) break
      }
    }
    if (!res) return refused(name, route, last)
  }
  assert.ok(res.status >= 200 && res.status < 300, `${name}: status ${res.status}`)
  noViolation(name, res.headers)
  return res
}

/**
 * Walks up to two pages of a list: the first request and the follow-up one the paginator
 * builds must both be valid. Prism's static examples repeat the same cursor, which the
 * paginator refuses on a third page; that refusal (a 2xx answer, not a violation) ends the walk.
 */
async function list(name, route, makePaginator, client = late) {
  covered.set(name, route)
  let pages = 0
  try {
    for await (const page of makePaginator(client).pages()) {
      pages++
      assert.ok(page.status >= 200 && page.status < 300)
      noViolation(name, page.headers)
      assert.ok(Array.isArray(page.items), `${name}: items is an array`)
      if (pages === 2) break
    }
  } catch (e) {
    if (e instanceof LateApiError && e.code === 'invalid_response' && /same page cursor/.test(e.message)) return pages
    if (client === late && pages === 0 && responseOnlyDefect(e)) {
      dynamicOnly.add(name)
      return list(name, route, makePaginator, lateDynamic)
    }
    return refused(name, route, e)
  }
  assert.ok(pages >= 1, `${name}: at least one page`)
  return pages
}

const t = (name, fn) => test(name, fn)

t('profiles', async () => {
  await list('profiles.list', 'GET /v1/profiles', (l) => l.profiles.list({ limit: 2 }))
  await single('profiles.create', 'POST /v1/profiles', (l) => l.profiles.create({ name: 'Acme', timezone: 'Europe/Paris', externalId: 't42' }))
  await single('profiles.get', 'GET /v1/profiles/{profileId}', (l) => l.profiles.get(PROFILE))
  await single('profiles.update', 'PUT /v1/profiles/{profileId}', (l) => l.profiles.update(PROFILE, { description: null, color: '#ffeda0' }))
  await single('profiles.delete', 'DELETE /v1/profiles/{profileId}', (l) => l.profiles.delete(PROFILE))
})

t('accounts', async () => {
  await list('accounts.list', 'GET /v1/accounts', (l) => l.accounts.list({ profileId: PROFILE, platform: 'instagram', limit: 2 }))
  await single('accounts.update', 'PUT /v1/accounts/{accountId}', (l) => l.accounts.update(ACCOUNT, { displayName: 'Acme' }))
  await single('accounts.move', 'PATCH /v1/accounts/{accountId}', (l) => l.accounts.move(ACCOUNT, PROFILE))
  await single('accounts.disconnect', 'DELETE /v1/accounts/{accountId}', (l) => l.accounts.disconnect(ACCOUNT))
  await single('accounts.health(accountId)', 'GET /v1/accounts/{accountId}/health', (l) => l.accounts.health(ACCOUNT))
  await single('accounts.health(params)', 'GET /v1/accounts/health', (l) => l.accounts.health({ profileId: PROFILE, status: 'error' }))
})

t('connect steps', async () => {
  const userProfile = { id: 'u1', name: 'Ada' }
  await single('connectFlow.listFacebookPages', 'GET /v1/connect/facebook/select-page', (l) =>
    l.connectFlow.listFacebookPages({ profileId: PROFILE, tempToken: 'tmp', connectToken: 'ct' }),
  )
  await single('connectFlow.selectFacebookPage', 'POST /v1/connect/facebook/select-page', (l) =>
    l.connectFlow.selectFacebookPage({ profileId: PROFILE, pageId: 'pg1', tempToken: 'tmp', userProfile, redirect_url: 'https://app.example.com/cb' }),
  )
  await single('connectFlow.listInstagramAccounts', 'GET /v1/connect/instagram/select-account', (l) =>
    l.connectFlow.listInstagramAccounts({ profileId: PROFILE, tempToken: 'tmp' }),
  )
  await single('connectFlow.selectInstagramAccount', 'POST /v1/connect/instagram/select-account', (l) =>
    l.connectFlow.selectInstagramAccount({ profileId: PROFILE, pageId: 'pg1', tempToken: 'tmp' }),
  )
  await single('connectFlow.listLinkedInOrganizations', 'GET /v1/connect/linkedin/organizations', (l) =>
    l.connectFlow.listLinkedInOrganizations({ tempToken: 'tmp', orgIds: '123,456' }),
  )
  await single('connectFlow.selectLinkedInOrganization', 'POST /v1/connect/linkedin/select-organization', (l) =>
    l.connectFlow.selectLinkedInOrganization({
      profileId: PROFILE,
      tempToken: 'tmp',
      userProfile,
      accountType: 'organization',
      selectedOrganization: { id: '123', urn: 'urn:li:organization:123', name: 'Acme' },
    }),
  )
  await single('connectFlow.listGoogleBusinessLocations', 'GET /v1/connect/googlebusiness/locations', (l) =>
    l.connectFlow.listGoogleBusinessLocations({ profileId: PROFILE, pendingDataToken: 'pd' }),
  )
  await single('connectFlow.selectGoogleBusinessLocation', 'POST /v1/connect/googlebusiness/select-location', (l) =>
    l.connectFlow.selectGoogleBusinessLocation({ profileId: PROFILE, pendingDataToken: 'pd', locationId: 'loc1' }),
  )
  await single('connectFlow.listPinterestBoards', 'GET /v1/connect/pinterest/select-board', (l) =>
    l.connectFlow.listPinterestBoards({ profileId: PROFILE, tempToken: 'tmp', connectToken: 'ct' }),
  )
  await single('connectFlow.selectPinterestBoard', 'POST /v1/connect/pinterest/select-board', (l) =>
    l.connectFlow.selectPinterestBoard({ profileId: PROFILE, boardId: 'b1', boardName: 'Ideas', tempToken: 'tmp' }),
  )
  await single('connectFlow.listSnapchatProfiles', 'GET /v1/connect/snapchat/select-profile', (l) =>
    l.connectFlow.listSnapchatProfiles({ profileId: PROFILE, tempToken: 'tmp', connectToken: 'ct' }),
  )
  await single('connectFlow.selectSnapchatProfile', 'POST /v1/connect/snapchat/select-profile', (l) =>
    l.connectFlow.selectSnapchatProfile({
      profileId: PROFILE,
      selectedPublicProfile: { id: 'sp1', display_name: 'Acme' },
      tempToken: 'tmp',
      userProfile,
      connectToken: 'ct',
    }),
  )
  await single('connectFlow.connectBluesky', 'POST /v1/connect/bluesky/credentials', (l) =>
    l.connectFlow.connectBluesky({ identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop', state: 'st' }),
  )
  await single('connectFlow.pendingData', 'GET /v1/connect/pending-data', (l) => l.connectFlow.pendingData('pdt'))
})

t('posts', async () => {
  await single('posts.create', 'POST /v1/posts', (l) =>
    l.posts.create({
      content: 'Launch day!',
      scheduledFor: new Date('2026-12-01T09:00:00Z'),
      timezone: 'Europe/Paris',
      tags: ['launch'],
      platforms: [
        { platform: 'instagram', accountId: ACCOUNT, customContent: 'Launch day! #acme' },
        { platform: 'twitter', accountId: ACCOUNT, scheduledFor: '2026-12-01T10:00:00Z' },
      ],
    }),
    [late201],
  )
  await single('posts.create (queue)', 'POST /v1/posts', (l) =>
    l.posts.create({ content: 'Queued', queuedFromProfile: PROFILE, queueId: QUEUE, platforms: [{ platform: 'bluesky', accountId: ACCOUNT }] }),
    [late201],
  )
  await single('posts.create (publishNow)', 'POST /v1/posts', (l) =>
    l.posts.create({ content: 'Now', publishNow: true, platforms: [{ platform: 'threads', accountId: ACCOUNT }] }),
    [late201],
  )
  await list('posts.list', 'GET /v1/posts', (l) => l.posts.list({ status: 'scheduled', profileId: PROFILE, limit: 2 }))
  await single('posts.get', 'GET /v1/posts/{postId}', (l) => l.posts.get(POST))
  await single('posts.update', 'PUT /v1/posts/{postId}', (l) => l.posts.update(POST, { content: 'Edited', scheduledFor: new Date('2026-12-02T09:00:00Z') }))
  await single('posts.delete', 'DELETE /v1/posts/{postId}', (l) => l.posts.delete(POST))
  await single('posts.retry', 'POST /v1/posts/{postId}/retry', (l) => l.posts.retry(POST))
})

t('queue', async () => {
  const slots = [
    { dayOfWeek: 1, time: '09:00' },
    { dayOfWeek: 3, time: '14:30' },
  ]
  await single('queue.get', 'GET /v1/queue/slots', (l) => l.queue.get({ profileId: PROFILE }))
  await single('queue.create', 'POST /v1/queue/slots', (l) => l.queue.create({ profileId: PROFILE, name: 'Weekdays', timezone: 'Europe/Paris', slots }))
  await single('queue.update', 'PUT /v1/queue/slots', (l) =>
    l.queue.update({ profileId: PROFILE, queueId: QUEUE, timezone: 'Europe/Paris', slots, reshuffleExisting: true }),
  )
  await single('queue.delete', 'DELETE /v1/queue/slots', (l) => l.queue.delete({ profileId: PROFILE, queueId: QUEUE }))
  await single('queue.preview', 'GET /v1/queue/preview', (l) => l.queue.preview({ profileId: PROFILE, count: 5 }))
  await single('queue.nextSlot', 'GET /v1/queue/next-slot', (l) => l.queue.nextSlot({ profileId: PROFILE }))
})

t('webhooks', async () => {
  await single('webhooks.list', 'GET /v1/webhooks/settings', (l) => l.webhooks.list())
  await single('webhooks.create', 'POST /v1/webhooks/settings', (l) =>
    l.webhooks.create({ name: 'prod', url: 'https://app.example.com/late', events: ['account.connected', 'post.failed'], secret: 'whsec_x' }),
  )
  await single('webhooks.update', 'PUT /v1/webhooks/settings', (l) => l.webhooks.update(WEBHOOK, { isActive: false }))
  await single('webhooks.delete', 'DELETE /v1/webhooks/settings', (l) => l.webhooks.delete(WEBHOOK))
  await single('webhooks.test', 'POST /v1/webhooks/test', (l) => l.webhooks.test(WEBHOOK, { event: 'post.published' }))
  await list('webhooks.logs', 'GET /v1/webhooks/logs', (l) => l.webhooks.logs({ status: 'failed', limit: 2 }))
  await single('webhooks.redeliver', 'POST /v1/webhooks/logs/redeliver', (l) => l.webhooks.redeliver(WEBHOOK, 'evt_1'))
})

t('analytics, apiKeys, usage, auth', async () => {
  await single('analytics.get', 'GET /v1/analytics', (l) => l.analytics.get({ profileId: PROFILE, fromDate: '2026-10-01', toDate: '2026-11-01' }))
  await list('analytics.delta', 'GET /v1/analytics/delta', (l) => l.analytics.delta({ profileId: PROFILE, limit: 2 }))
  await single('apiKeys.list', 'GET /v1/api-keys', (l) => l.apiKeys.list())
  await single('apiKeys.create', 'POST /v1/api-keys', (l) => l.apiKeys.create({ name: 'ci', permission: 'read', expiresIn: 30 }))
  await single('apiKeys.delete', 'DELETE /v1/api-keys/{keyId}', (l) => l.apiKeys.delete(KEY_ID))
  await single('usage.get', 'GET /v1/usage', (l) => l.usage.get({ range: '30d', granularity: 'day' }))
  await single('auth.verify', 'GET /v1/auth/verify', (l) => l.auth.verify())
})

t('a documented 207 from posts.create / update / retry rejects with PartialPublishError', async () => {
  const prefer207 = { headers: { Prefer: 'code=207' } }
  const calls = [
    ['posts.create', () => late.posts.create({ content: 'Now', publishNow: true, platforms: [{ platform: 'threads', accountId: ACCOUNT }] }, prefer207)],
    ['posts.update', () => late.posts.update(POST, { publishNow: true }, prefer207)],
    ['posts.retry', () => late.posts.retry(POST, prefer207)],
  ]
  for (const [name, call] of calls) {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof PartialPublishError, `${name}: ${e && e.message}`)
      assert.equal(e.status, 207)
      assert.equal(e.headers['sl-violations'], undefined)
      assert.ok(e.post && typeof e.post === 'object', `${name}: the saved post is on the error`)
      return true
    })
  }
})

t('the client refuses what the spec refuses: a request that breaks the spec is a 4xx', async () => {
  // A sanity check of the harness: Prism really rejects a bad request (missing `name`).
  await assert.rejects(
    late.request('POST /v1/profiles', { body: {} }),
    (e) => e instanceof LateApiError && e.status >= 400 && e.status < 500,
  )
})

t('zero spec violations', () => {
  assert.deepEqual(violations, [])
  assert.ok(covered.size >= 50, `covered ${covered.size} methods`)
})
