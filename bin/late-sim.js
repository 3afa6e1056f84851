#!/usr/bin/env node
'use strict'

/**
 * `npx late-sim [--port 4010] [--api-key KEY] [--webhook-secret S] [--rate-limit N[/WINDOW]] [--webhook-url URL]`
 *
 * Runs the Late / Zernio API simulator on 127.0.0.1 until SIGINT (Ctrl-C) or SIGTERM.
 *
 * Stays JavaScript: a thin CLI over `late-native/testing` (whose checks and types it relies on),
 * run as is by npm's bin link; compiled, it would need its shebang kept first and its mode kept
 * executable by scripts/build-ts.js, which writes neither.
 */

const { startSimulator, parseRateLimit } = require('../testing.js')

const USAGE = `Usage: late-sim [options]

Runs an in-memory Late / Zernio API simulator on 127.0.0.1 until Ctrl-C.

Options:
  --port N              TCP port (default 4010; 0 picks a free port)
  --api-key KEY         accepted API key (default sk_test_late_sim_0001)
  --webhook-secret S    default webhook signing secret (default whsec_test_late_sim)
  --rate-limit N[/W]    the team limit: N requests per sliding window W, for all clients
                        together (default 600/1m; W in ms, s or m, e.g. 120/2s; 0 disables)
  --webhook-url URL     register a webhook for account.* and post.* events at start
  -h, --help            show this help`

function parseArgs(argv) {
  const opts = { port: 4010 }
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]
    let value
    const eq = arg.indexOf('=')
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1)
      arg = arg.slice(0, eq)
    }
    const next = () => {
      if (value !== undefined) return value
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    const int = (name) => {
      const s = next()
      if (!/^\d+$/.test(s)) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(s)}`)
      return Number(s)
    }
    switch (arg) {
      case '-h':
      case '--help':
        return null
      case '-p':
      case '--port':
        opts.port = int('--port')
        break
      case '--api-key':
        opts.apiKey = next()
        break
      case '--webhook-secret':
        opts.webhookSecret = next()
        break
      case '--rate-limit':
        opts.rateLimit = parseRateLimit(next())
        break
      case '--webhook-url':
        opts.webhookUrl = next()
        break
      default:
        throw new Error(`unknown option ${arg}`)
    }
  }
  return opts
}

async function main() {
  let opts
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`late-sim: ${e.message}\n\n${USAGE}`)
    process.exit(2)
  }
  if (opts === null) {
    console.log(USAGE)
    return
  }
  let sim
  try {
    sim = await startSimulator(opts)
  } catch (e) {
    console.error(`late-sim: ${e.message}`)
    process.exit(1)
  }
  console.log('Late API simulator listening')
  console.log(`  LATE_BASE_URL=${sim.baseUrl}`)
  console.log(`  LATE_API_KEY=${sim.apiKey}`)
  console.log(`  webhook secret: ${sim.webhookSecret}`)
  console.log(`  admin: ${sim.origin}/__sim/state`)
  const { limit, windowMs } = sim.rateLimitStats()
  console.log(`  team limit: ${limit ? `${limit} requests per ${windowMs} ms (429s counted at ${sim.origin}/__sim/ratelimit)` : 'off'}`)
  console.log('Press Ctrl-C to stop.')

  // The native server does not keep the event loop alive by itself.
  const keepAlive = setInterval(() => {}, 1 << 30)
  let stopping = false
  const stop = async (signal) => {
    if (stopping) return
    stopping = true
    await sim.close()
    clearInterval(keepAlive)
    console.log(`late-sim stopped (${signal})`)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

main()
