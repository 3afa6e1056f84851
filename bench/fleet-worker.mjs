// One process of the fleet benchmark (bench/fleet.mjs): the fleet test's worker
// (__test__/helpers/fleet-worker.mjs) with the limiter under test around each call.
//   late-native, late-native-local: the client's own pacing (Redis / each process alone)
//   bottleneck-*: Bottleneck 2 clustered through Redis (ioredis), the anchor Octokit's
//                 throttling plugin uses, around a late-native client with pacing off
//   none: pacing off, 429s only retried (Retry-After honoured)
import { createRequire } from 'node:module'
import { runFleetWorker } from '../__test__/helpers/fleet-worker.mjs'

const require = createRequire(import.meta.url)
const config = JSON.parse(process.argv[2])
const { variant, limit, windowMs, redisPort } = config

let call
let done = async () => {}
const queueMs = []
let redisCommands
// A worker that does not finish is a failed run, not a hung benchmark.
setTimeout(() => {
  process.stderr.write('fleet worker: still running a minute after its end\n')
  process.exit(2)
}, config.startAt + config.durationMs + 60_000 - Date.now()).unref()
if (variant.startsWith('bottleneck')) {
  const Bottleneck = require('bottleneck')
  // Counts the commands Bottleneck sends (its clients and their duplicates).
  const Redis = require('ioredis')
  const send = Redis.prototype.sendCommand
  redisCommands = 0
  Redis.prototype.sendCommand = function countedSendCommand(...args) {
    redisCommands++
    return send.apply(this, args)
  }
  const settings =
    variant === 'bottleneck-reservoir'
      ? // `limit` per window, the reservoir refilled every window (Bottleneck's documented way).
        { reservoir: limit, reservoirRefreshAmount: limit, reservoirRefreshInterval: windowMs }
      : // One call every windowMs / limit, cluster-wide: the steady rate of the limit.
        { minTime: Math.ceil(windowMs / limit) }
  const limiter = new Bottleneck({
    id: `late-fleet-bench-${config.run}`,
    datastore: 'ioredis',
    clientOptions: { host: '127.0.0.1', port: redisPort },
    clearDatastore: false,
    timeout: 60_000,
    Redis,
    ...settings,
  })
  limiter.on('error', (e) => process.stderr.write(`bottleneck: ${e && e.message}\n`))
  await limiter.ready()
  call = (late, fn) => {
    const scheduled = performance.now()
    return limiter.schedule(() => {
      queueMs.push(performance.now() - scheduled)
      return fn()
    })
  }
  done = () => limiter.disconnect()
}

const result = await runFleetWorker(config, call)
await done()
if (queueMs.length) result.queuedMs = queueMs
result.redisCalls = redisCommands ?? (variant === 'late-native' ? result.pacing.redisCalls : undefined)
process.stdout.write(`${JSON.stringify(result)}\n`)
process.exit(0)
