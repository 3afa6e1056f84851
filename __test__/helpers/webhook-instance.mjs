// One server instance of the webhook dedupe test: a handler with the Redis event store. The
// parent sends deliveries over IPC ({ body, headers, fail }) and gets back what happened.
import { createWebhookHandler, createRedisEventStore } from '../../index.mjs'

const { url, secret, ttlMs } = JSON.parse(process.argv[2])
let failNext = false
const handle = createWebhookHandler({
  secret,
  store: createRedisEventStore({ url, ttlMs, keyPrefix: 'test:webhook:' }),
  onEvent: async (event) => {
    if (failNext) throw new Error(`handler failed for ${event.id}`)
    return 'handled'
  },
})

process.on('message', async ({ body, headers, fail }) => {
  failNext = fail === true
  try {
    const r = await handle(body, headers)
    process.send({ handled: r.result === 'handled', duplicate: r.duplicate })
  } catch (e) {
    process.send({ error: `${e.name}: ${e.message}` })
  }
})
process.send({ ready: true })
