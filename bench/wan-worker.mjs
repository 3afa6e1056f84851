// One WAN measurement in a fresh process (see bench/wan.mjs):
//   node bench/wan-worker.mjs '<json spec>'
// spec: { client: 'late-native'|'official'|'fetch'|'download-only', scenario: 'cold'|'seq'|'list'|'concurrent',
//         base: 'https://127.0.0.1:PORT/api', profileId, key }
// Trust comes from NODE_EXTRA_CA_CERTS, which every client honours. Prints one JSON line.
// `list` prints `READY` after its warm-up call and waits for a line on stdin before the timed call,
// so the runner can read the proxy's byte counters around the list alone.

import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import https from 'node:https'

const require = createRequire(import.meta.url)
const spec = JSON.parse(process.argv[2])
const PKG = process.env.LATE_BENCH_PKG

async function load(name) {
  const t0 = performance.now()
  let client
  if (name === 'late-native') {
    const { LateClient } = require(PKG)
    const late = new LateClient({ apiKey: spec.key, baseUrl: spec.base })
    const big = late.withOptions({ baseUrl: spec.base.replace('/api', '/big/api') })
    client = {
      small: () => late.listAccounts({ profileId: spec.profileId }),
      big: () => big.listAccounts({ profileId: spec.profileId }),
    }
  } else if (name === 'official') {
    const sdk = require('@zernio/node')
    const Zernio = sdk.Zernio || sdk.default
    const z = new Zernio({ apiKey: spec.key, baseURL: spec.base })
    const zBig = new Zernio({ apiKey: spec.key, baseURL: spec.base.replace('/api', '/big/api') })
    const query = { profileId: spec.profileId }
    client = {
      small: async () => (await z.accounts.listAccounts({ query })).data.accounts,
      big: async () => (await zBig.accounts.listAccounts({ query })).data.accounts,
    }
  } else if (name === 'fetch') {
    const auth = { authorization: `Bearer ${spec.key}` }
    const get = async (url) => {
      const res = await fetch(url, { headers: auth })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      return (await res.json()).accounts
    }
    client = {
      small: () => get(`${spec.base}/v1/accounts?profileId=${spec.profileId}`),
      big: () => get(`${spec.base.replace('/api', '/big/api')}/v1/accounts?profileId=${spec.profileId}`),
    }
  } else if (name === 'download-only') {
    // The floor: download the compressed bytes and decode or parse nothing.
    const agent = new https.Agent({ keepAlive: true })
    const get = (url) =>
      new Promise((resolve, reject) => {
        https
          .get(url, { agent, headers: { authorization: `Bearer ${spec.key}`, 'accept-encoding': 'br' } }, (res) => {
            let n = 0
            res.on('data', (c) => (n += c.length))
            res.on('end', () => resolve(n))
            res.on('error', reject)
          })
          .on('error', reject)
      })
    client = {
      small: () => get(`${spec.base}/v1/accounts?profileId=${spec.profileId}`),
      big: () => get(`${spec.base.replace('/api', '/big/api')}/v1/accounts?profileId=${spec.profileId}`),
    }
  } else throw new Error(`unknown client ${name}`)
  return { client, importMs: performance.now() - t0 }
}

function waitForLine() {
  return new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve))
}

const { client, importMs } = await load(spec.client)
let out
if (spec.scenario === 'cold') {
  const t0 = performance.now()
  const list = await client.small()
  const firstCallMs = performance.now() - t0
  out = { importMs, firstCallMs, startToResultMs: performance.now(), count: list.length }
} else if (spec.scenario === 'seq') {
  await client.small()
  const t0 = performance.now()
  for (let i = 0; i < 20; i++) await client.small()
  out = { ms: performance.now() - t0 }
} else if (spec.scenario === 'list') {
  await client.small()
  console.log('READY')
  await waitForLine()
  const t0 = performance.now()
  const list = await client.big()
  out = { ms: performance.now() - t0, count: typeof list === 'number' ? undefined : list.length }
} else if (spec.scenario === 'concurrent') {
  const t0 = performance.now()
  const lists = await Promise.all(Array.from({ length: 20 }, () => client.small()))
  out = { ms: performance.now() - t0, count: lists.length }
} else throw new Error(`unknown scenario ${spec.scenario}`)
console.log(JSON.stringify(out))
process.exit(0)
