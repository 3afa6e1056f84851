// Type-checked by `npm test` (tsc --noEmit --strict): the README quick start, as a user writes it.
import {
  LateClient,
  connectInstagram,
  listAccounts,
  parseConnectCallback,
  LateApiError,
  RateLimitError,
  LateValidationError,
  LateAbortError,
  type SocialAccount,
  type ConnectResult,
} from '../index'

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
