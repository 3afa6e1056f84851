// Type-checked by `npm test` (tsc --noEmit --strict): fleet mode as the README shows it.
import {
  LateClient,
  RateLimitError,
  createWebhookHandler,
  createRedisEventStore,
  type PacingStats,
  type RateLimitOption,
  type RedisEventStore,
  type WithResponse,
} from '../index'
import { startSimulator, parseRateLimit, type SimulatorRateLimitStats } from '../testing'

async function fleet(): Promise<void> {
  // Many processes on one key share one window through Redis.
  const late = new LateClient({ rateLimit: { redis: process.env.REDIS_URL } })
  const off = new LateClient({ rateLimit: false })
  const option: RateLimitOption = { windowMs: 2000, limit: 120 }
  const tests = late.withOptions({ rateLimit: option })
  const stats: PacingStats = tests.pacing
  if (stats.mode === 'fallback') console.warn(`Redis away; ${stats.fallbacks} fallbacks, ${stats.queued} queued`)
  const limit: number | undefined = off.pacing.limit
  console.log(limit)

  try {
    const res: WithResponse<unknown> = await late.requestWithResponse('GET /v1/accounts')
    const waited: number = res.queuedMs
    console.log(waited)
  } catch (e) {
    if (e instanceof RateLimitError) console.log('come back in', e.retryAfterMs, 'ms')
  }

  // Webhooks once across instances.
  const store: RedisEventStore = createRedisEventStore({ url: 'redis://127.0.0.1:6379', ttlMs: 86_400_000, keyPrefix: 'app:' })
  const handle = createWebhookHandler({ secret: 'whsec_test', store, onEvent: (event) => console.log(event.event) })
  const first: boolean = await store.claim('evt_1')
  await store.release('evt_1')
  console.log(first, handle)
  // @ts-expect-error: the store needs a URL
  createRedisEventStore({ ttlMs: 1000 })
  // @ts-expect-error: rateLimit is false or settings
  new LateClient({ rateLimit: 'redis://127.0.0.1' })

  // The simulator's team window.
  const sim = await startSimulator({ rateLimit: { limit: 120, windowMs: 2000 } })
  sim.setRateLimit(parseRateLimit('100/1s'))
  const counts: SimulatorRateLimitStats = sim.rateLimitStats()
  console.log(counts.limited / Math.max(1, counts.allowed + counts.limited))
  await sim.close()
}
void fleet
