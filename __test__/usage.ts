// Type-checked by `npm test` (tsc --noEmit --strict): the README quick start, as a user writes it.
import {
  LateClient,
  LateError,
  connectInstagram,
  listAccounts,
  parseConnectCallback,
  LateApiError,
  RateLimitError,
  LateValidationError,
  LateAbortError,
  type SocialAccount,
  type LateAttempt,
  type ConnectResult,
  type RequestBody,
  type OperationArgs,
  type Schemas,
  fileFromPath,
} from '../index'
import Zernio, { ZernioApiError, RateLimitError as ZernioRateLimitError } from '../zernio'

async function quickStart(): Promise<void> {
  const late = new LateClient({ apiKey: 'sk_test_typed', timeoutMs: 10_000, maxRetries: 2 })

  // 1. A connection URL for Instagram (default profile when profileId is omitted).
  const { connectUrl, state }: ConnectResult = await late.connectInstagram({
    redirectUrl: 'https://app.example.com/connected',
  })
  console.log(connectUrl.toUpperCase(), state)

  // 2. The customer comes back to /connected?connected=instagram&...
  const result = parseConnectCallback('https://app.example.com/connected?connected=instagram&accountId=a1')
  if (result.ok) {
    const id: string | undefined = result.accountId
    console.log(id)
  } else {
    console.log(result.error)
  }

  // 4. The profile's accounts.
  const accounts: SocialAccount[] = await late.listAccounts({ platform: 'instagram' })
  const ig = accounts.find((a) => a.platform === 'instagram')
  console.log(ig?._id, ig?.username)

  // Per-call options and errors.
  const ac = new AbortController()
  try {
    await listAccounts({ status: 'connected' }, { signal: ac.signal, timeoutMs: 5_000 })
    await connectInstagram({ loginMethod: 'facebook_login' })
  } catch (e) {
    if (e instanceof RateLimitError) console.log(e.retryAfterMs, e.rateLimit?.remaining)
    else if (e instanceof LateApiError) console.log(e.status, e.code, e.requestId)
    else if (e instanceof LateValidationError) console.log(e.param)
    else if (e instanceof LateAbortError) console.log(e.name)
  }

  // The typed escape hatch: path params, query and response come from the spec.
  const health = await late.request('GET /v1/accounts/{accountId}/health', { params: { accountId: 'a1' } })
  console.log(health)
  const profiles = await late.request('GET /v1/profiles', { query: { limit: 10 } })
  console.log(profiles.profiles?.length)
  const verify = await late.request<{ valid: boolean }>({ method: 'GET', path: '/v1/auth/verify' })
  console.log(verify.valid)
  const clone = late.withOptions({ timeoutMs: 300_000 })
  console.log(clone.timeoutMs, late.rateLimit?.remaining)

  // @ts-expect-error: unknown platforms do not type-check
  await late.connect('myspace')
  // @ts-expect-error: the route needs its path params
  await late.request('GET /v1/accounts/{accountId}/health', {})
}

void quickStart

// Webhooks: typed events, narrowed by name.
import { verifyWebhook, signWebhook, WebhookVerificationError, type LateWebhookEvent } from '../index'

function onWebhook(raw: string, headers: Headers): void {
  try {
    const event: LateWebhookEvent = verifyWebhook(raw, headers, ['whsec_new', 'whsec_old'])
    if (event.event === 'account.connected') console.log(event.account.accountId, event.account.platform)
  } catch (e) {
    if (e instanceof WebhookVerificationError) console.log(e.reason)
  }
}
const signed = signWebhook({ id: 'evt_1', event: 'webhook.test', timestamp: new Date().toISOString() }, 'whsec_x')
onWebhook(signed.body, new Headers(signed.headers))

// Media upload.
async function upload(late: LateClient): Promise<string> {
  const { url, contentType } = await late.media.upload('./clip.mp4', { onProgress: (p) => console.log(p.percent) })
  console.log(contentType)
  return url
}
void upload

// Resources: typed params and results, pagination, withResponse, partial publishes.
import {
  PartialPublishError,
  Paginator,
  type Post,
  type Profile,
  type Webhook,
  type WebhookLog,
  type Page,
  type WithResponse,
  type CreatePostResult,
} from '../index'

async function resources(late: LateClient): Promise<void> {
  // Lists: items across every page, typed from the spec.
  for await (const post of late.posts.list({ status: 'scheduled' })) {
    const id: string | undefined = post._id
    console.log(id, post.scheduledFor)
  }
  const posts = late.posts.list({ limit: 50, sortBy: 'created-desc' }, { limit: 120, timeoutMs: 5_000 })
  const asBase: Paginator<Post, unknown> = posts
  void asBase
  for await (const page of posts.pages()) {
    const p: Page<Post, unknown> = page
    console.log(p.items.length, p.pagination?.nextCursor, p.requestId, page.raw.pagination?.total)
  }
  const profiles: Profile[] = await late.profiles.list({ limit: 10 }).toArray({ limit: 25 })
  for await (const log of late.webhooks.logs({ status: 'failed' })) {
    const l: WebhookLog = log
    console.log(l.event)
  }
  for await (const change of late.analytics.delta({ limit: 100 })) console.log(change.postId)
  for await (const account of late.accounts.list({ platform: 'instagram', limit: 20 })) console.log(account.username)

  // Single calls: unwrapped where the API wraps one resource.
  const profile: Profile = await late.profiles.create({ name: 'Acme', timezone: 'Europe/Paris' })
  const same: Profile = await late.profiles.get(profile._id ?? '')
  await late.profiles.update(same._id ?? '', { description: null, isDefault: true })
  await late.profiles.delete('p1')
  await late.accounts.update('acc1', { displayName: 'Acme' })
  const moved = await late.accounts.move('acc1', 'p2')
  console.log(moved.profileId, profiles.length)
  await late.accounts.disconnect('acc1')
  const one = await late.accounts.health('acc1')
  const all = await late.accounts.health({ status: 'error' })
  console.log(one.tokenStatus?.valid, all.summary?.needsReconnect)

  const created: CreatePostResult = await late.posts.create({
    content: 'Launch day!',
    scheduledFor: new Date('2026-12-01T09:00:00Z'),
    timezone: 'Europe/Paris',
    publishNow: false,
    platforms: [{ platform: 'instagram', accountId: 'acc1', customContent: 'Launch! #acme' }],
  })
  if ('post' in created) console.log(created.post?._id, created.warnings)
  await late.posts.create({ content: 'Queued', queuedFromProfile: 'p1', queueId: 'q1', platforms: [{ platform: 'twitter', accountId: 'acc2' }] })
  const { data, requestId, rateLimit, status, headers }: WithResponse<Post> = await late.posts.get('post1').withResponse()
  console.log(data.status, requestId, rateLimit?.remaining, status, headers['x-request-id'])
  await late.posts.update('post1', { content: 'Edited', scheduledFor: '2026-12-02T10:00:00Z' })
  await late.posts.delete('post1')
  try {
    await late.posts.retry('post1')
  } catch (e) {
    if (e instanceof PartialPublishError) {
      const s: 207 = e.status
      console.log(s, e.postStatus, e.willRetry, e.post?._id, e.platformResults?.map((r) => `${r.platform}:${r.status}`))
    }
  }

  await late.queue.get({ profileId: 'p1' })
  await late.queue.create({ profileId: 'p1', name: 'Weekdays', timezone: 'UTC', slots: [{ dayOfWeek: 1, time: '09:00' }] })
  await late.queue.update({ profileId: 'p1', timezone: 'UTC', slots: [{ dayOfWeek: 2, time: '10:00' }] })
  await late.queue.delete({ profileId: 'p1', queueId: 'q1' })
  const { slots } = await late.queue.preview({ profileId: 'p1', count: 3 })
  const { nextSlot } = await late.queue.nextSlot({ profileId: 'p1' })
  console.log(slots, nextSlot)

  const hooks: Webhook[] = await late.webhooks.list()
  const hook: Webhook = await late.webhooks.create({ name: 'prod', url: 'https://app.example.com/hook', events: ['account.connected'] })
  await late.webhooks.update(hook._id ?? '', { isActive: false })
  await late.webhooks.test('wh1', { event: 'post.published' })
  await late.webhooks.redeliver('wh1', 'evt_1')
  await late.webhooks.delete('wh1')
  console.log(hooks.length)

  await late.analytics.get({ postId: 'post1' })
  const keys = await late.apiKeys.list()
  const key = await late.apiKeys.create({ name: 'ci', permission: 'read' })
  console.log(keys.length, key.key)
  await late.apiKeys.delete('key1')
  await late.usage.get({ range: '30d' })
  const { valid } = await late.auth.verify()
  console.log(valid)

  await late.connectFlow.listFacebookPages({ profileId: 'p1', tempToken: 't', connectToken: 'ct' })
  await late.connectFlow.selectFacebookPage({ profileId: 'p1', pageId: 'pg1', userProfile: { id: 'u1' } })
  await late.connectFlow.listInstagramAccounts({ profileId: 'p1' })
  await late.connectFlow.selectInstagramAccount({ profileId: 'p1', pageId: 'pg1' })
  await late.connectFlow.listLinkedInOrganizations({ tempToken: 't', orgIds: '1,2' })
  await late.connectFlow.selectLinkedInOrganization({ profileId: 'p1', tempToken: 't', userProfile: {} })
  await late.connectFlow.listGoogleBusinessLocations({ profileId: 'p1', pendingDataToken: 'pd' })
  await late.connectFlow.selectGoogleBusinessLocation({ profileId: 'p1', pendingDataToken: 'pd', locationId: 'l1' })
  await late.connectFlow.listPinterestBoards({ profileId: 'p1', tempToken: 't', connectToken: 'ct' })
  await late.connectFlow.selectPinterestBoard({ profileId: 'p1', boardId: 'b1', tempToken: 't' })
  await late.connectFlow.connectBluesky({ identifier: 'acme.bsky.social', appPassword: 'xxxx', state: 's' })
  await late.connectFlow.pendingData('pd')

  // @ts-expect-error: a post id is required
  await late.posts.get()
  // @ts-expect-error: unknown status filters do not type-check
  late.posts.list({ status: 'sent' })
  // @ts-expect-error: a profile needs a name
  await late.profiles.create({ color: '#fff' })
  // @ts-expect-error: Pinterest board selection needs the connect token
  await late.connectFlow.listPinterestBoards({ profileId: 'p1', tempToken: 't' })
}
void resources

// The network options: trust, proxy, HTTP/2, logging, attempt hooks, warm-up.
async function network(): Promise<void> {
  const late = new LateClient({
    apiKey: 'sk_test_typed',
    ca: [Buffer.from('-----BEGIN CERTIFICATE-----'), '-----BEGIN CERTIFICATE-----'],
    proxy: 'http://user:pass@proxy.example:3128',
    http2: true,
    logger: console,
    logLevel: 'debug',
    onAttempt: (a) => {
      const record: LateAttempt = a
      const where: string = `${record.method} ${record.path} #${record.attempt} ${record.requestId ?? ''} ${record.encoding ?? ''}`
      console.log(where)
      const status: number | string = a.status ?? a.error ?? 'unknown'
      console.log(status, a.durationMs.toFixed(1), a.protocol, a.bytes, a.wireBytes, a.retryInMs)
    },
  })
  const w = await late.warmup({ timeoutMs: 2_000 })
  const proto: 'h2' | 'http/1.1' | 'http/1.0' = w.protocol
  console.log(proto, w.durationMs, w.connected)
  new LateClient({ proxy: false, http2: false, logLevel: 'off' })
  // @ts-expect-error: not a log level
  new LateClient({ logLevel: 'verbose' })
}
void network

// Every operation by name, typed from the spec: path, query, body, headers and the result.
async function namedOperations(): Promise<void> {
  const late = new LateClient({ apiKey: 'sk_test_typed' })
  const demo = await late.analytics.getInstagramDemographics({ query: { accountId: 'a1', metric: 'follower_demographics' } })
  console.log(demo)
  const post = await late.posts.getPost({ path: { postId: 'p1' } })
  const status: string | undefined = post.post?.status
  console.log(status)
  const { data, requestId } = await late.posts.createPost({ body: { content: 'Hi', platforms: [{ platform: 'bluesky', accountId: 'a1' }] } }).withResponse()
  console.log(data, requestId)
  await late.analytics.getAnalytics({ query: { fromDate: new Date(), platform: 'instagram' } }, { timeoutMs: 5_000 })
  await late.usage.getUsage()
  const { authUrl } = await late.connect.getConnectUrl({ path: { platform: 'instagram' }, query: { profileId: 'p1' } })
  console.log(authUrl, (await late.connect('tiktok')).connectUrl)
  await late.connect.facebook.listFacebookPages({ query: { profileId: 'p1', tempToken: 't' } })
  await late.posts.bulkUploadPosts({ query: { dryRun: true }, body: { file: fileFromPath('./posts.csv') } })
  await late.phonenumbers.uploadPhoneNumberKycDocument({ body: Buffer.from('%PDF'), headers: { 'X-Filename': 'id.pdf' } })
  const pdf: Buffer = await late.phonenumbers.viewPhoneNumberKycDocument({ path: { documentId: 'd1' } })
  console.log(pdf.length)
  // The deprecated aliases of the official SDK are there, and typed the same.
  await late.ads.listAdCampaigns({ query: { accountId: 'a1' } })
  const body: RequestBody<'createProfile'> = { name: 'Acme' }
  const args: OperationArgs<'getPost'> = { path: { postId: 'p1' } }
  const schema: Schemas.Post | undefined = post.post
  console.log(body, args, schema)
  const health = await late.request('GET /v1/accounts/{accountId}/health', { params: { accountId: 'a1' } })
  console.log(health)

  // @ts-expect-error: the path parameter is required
  await late.posts.getPost({})
  // @ts-expect-error: so is the required query parameter
  await late.analytics.getInstagramDemographics({ query: {} })
  // @ts-expect-error: unknown enum values do not type-check
  await late.analytics.getInstagramDemographics({ query: { accountId: 'a1', metric: 'nope' } })
  // @ts-expect-error: the KYC upload needs its X-Filename header
  await late.phonenumbers.uploadPhoneNumberKycDocument({ body: Buffer.from('x') })
  // @ts-expect-error: no such operation
  await late.posts.launchPost()
}
void namedOperations

// late-native/zernio: the official SDK's shape, late-native's errors underneath.
async function compat(): Promise<void> {
  const zernio = new Zernio({ apiKey: 'sk_test_typed', baseURL: 'http://127.0.0.1:4010/api', timeout: 10_000 })
  const { data, response, request } = await zernio.posts.listPosts({ query: { status: 'scheduled' } })
  console.log(data.posts?.length, response.status, request.method)
  const blob: Blob = (await zernio.phonenumbers.viewPhoneNumberKycDocument({ path: { documentId: 'd1' } })).data
  console.log(blob.size, zernio.late.baseUrl)
  try {
    await zernio.posts.getPost({ path: { postId: 'p1' }, signal: AbortSignal.timeout(1_000) })
  } catch (e) {
    if (e instanceof ZernioRateLimitError) console.log(e.getSecondsUntilReset(), e.retryAfterMs)
    else if (e instanceof ZernioApiError) console.log(e.statusCode, e.code, e.platformError, e.requestId, e.isNotFound())
  }
  // @ts-expect-error: the path parameter is required here too
  await zernio.posts.getPost({})
}
void compat

// Never twice: replay safety and pacing options, and what a failed call may have done.
async function neverTwice(): Promise<void> {
  const late = new LateClient({ apiKey: 'sk_test_typed', maxQueueWaitMs: Infinity })
  await late.posts.retryPost({ path: { postId: 'p1' } }, { replaySafe: true, maxQueueWaitMs: 120_000 })
  try {
    await late.posts.createPost({ body: { content: 'x' } })
  } catch (e) {
    if (e instanceof LateError && e.mayHaveBeenProcessed === true) {
      const again: string | undefined = e.idempotencyKey
      if (again) await late.posts.createPost({ body: { content: 'x' } }, { idempotencyKey: again })
    }
  }
  // @ts-expect-error: replaySafe is a boolean
  await late.posts.retryPost({ path: { postId: 'p1' } }, { replaySafe: 'yes' })
  const zernio = new Zernio({ apiKey: 'sk_test_typed', rateLimit: { limit: 60 }, maxQueueWaitMs: 600_000 })
  void zernio
}
void neverTwice
