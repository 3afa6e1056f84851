// The three clients under test, behind one small interface, each used the way its own docs
// say (late-native: `listAccounts` / `request`; @zernio/node: `accounts.listAccounts` /
// `posts.createPost`; plain `fetch` + `res.json()`):
//
//   listAccounts()   -> the 3-account array (GET {base}/v1/accounts?profileId=…)
//   listBig()        -> the 10,000-account array (same call against the server's /big base URL)
//   createPost(body) -> the parsed 201 body {message, post} (POST {base}/v1/posts)
//
// Every method resolves to plain JS objects, so the work measured is "call to JS objects".

import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The late-native package under test, loaded through its public CommonJS entry point (the
 * folder's package.json "main"): bench/run.mjs and bench/compare.mjs set LATE_BENCH_PKG to a
 * private copy (published files + release addon), so a concurrent rebuild of the working tree
 * cannot swap the addon mid-run, and an older commit's build is loaded by this code.
 */
export const PKG = process.env.LATE_BENCH_PKG || ROOT

/** Names accepted by `--clients`, in report order. */
export const CLIENTS = ['late-native', 'official', 'fetch']

/** What each name means in the report. */
export const CLIENT_LABELS = {
  'late-native': 'late-native',
  official: '@zernio/node',
  fetch: 'fetch',
}

/** The profile the bench server's accounts belong to (crates/bench-server/src/responses.rs). */
export const PROFILE_ID = '6650f1a2b3c4d5e6f7a8b9c0'
const API_KEY = 'sk_bench_0123456789abcdef'

/**
 * Builds client `name` against the bench server on `port`.
 * @param {string} name one of CLIENTS
 * @param {number} port
 */
export function makeClient(name, port) {
  const base = `http://127.0.0.1:${port}/api`
  const bigBase = `http://127.0.0.1:${port}/big/api`
  switch (name) {
    case 'late-native': {
      const { LateClient } = require(PKG)
      const late = new LateClient({ apiKey: API_KEY, baseUrl: base })
      // Shares the connection pool with `late`.
      const big = late.withOptions({ baseUrl: bigBase })
      const params = { profileId: PROFILE_ID }
      return {
        listAccounts: () => late.listAccounts(params),
        listBig: () => big.listAccounts(params),
        createPost: (body) => late.request('POST /v1/posts', { body }),
      }
    }
    case 'official': {
      const sdk = require('@zernio/node')
      const Zernio = sdk.Zernio || sdk.default
      const z = new Zernio({ apiKey: API_KEY, baseURL: base })
      const zBig = new Zernio({ apiKey: API_KEY, baseURL: bigBase })
      const query = { profileId: PROFILE_ID }
      return {
        listAccounts: async () => (await z.accounts.listAccounts({ query })).data.accounts,
        listBig: async () => (await zBig.accounts.listAccounts({ query })).data.accounts,
        createPost: async (body) => (await z.posts.createPost({ body })).data,
      }
    }
    case 'fetch': {
      const listUrl = `${base}/v1/accounts?profileId=${PROFILE_ID}`
      const bigUrl = `${bigBase}/v1/accounts?profileId=${PROFILE_ID}`
      const postUrl = `${base}/v1/posts`
      const auth = `Bearer ${API_KEY}`
      const get = async (url) => {
        const res = await fetch(url, { headers: { authorization: auth } })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        return (await res.json()).accounts
      }
      return {
        listAccounts: () => get(listUrl),
        listBig: () => get(bigUrl),
        createPost: async (body) => {
          const res = await fetch(postUrl, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
          if (!res.ok) throw new Error(`HTTP ${res.status}`)
          return res.json()
        },
      }
    }
    default:
      throw new Error(`unknown client ${name}; expected one of ${CLIENTS.join(', ')}`)
  }
}

/** A realistic `posts.create` body of about 2 KB of JSON. */
export function postBody() {
  const content =
    'Big news from the bench team! Our autumn collection is live today with free shipping on every order. ' +
    'Tap the link in bio to shop, share with a friend who needs a new jacket, and tag us in your photos. '
  const body = {
    content: content.repeat(5).slice(0, 1100),
    scheduledFor: '2026-12-01T10:00:00.000Z',
    timezone: 'Europe/Berlin',
    platforms: [
      { platform: 'instagram', accountId: '6651a0b1c2d3e4f500000000' },
      { platform: 'tiktok', accountId: '6651a0b1c2d3e4f500000001' },
      { platform: 'linkedin', accountId: '6651a0b1c2d3e4f500000002' },
    ],
    mediaItems: [
      { type: 'image', url: 'https://cdn.example.com/media/autumn-collection-hero-1080x1350.jpg' },
      { type: 'image', url: 'https://cdn.example.com/media/autumn-collection-detail-1080x1350.jpg' },
    ],
    tags: ['autumn', 'launch', 'collection'],
    hashtags: ['#autumn', '#newcollection', '#freeshipping', '#fashion'],
    visibility: 'public',
  }
  const size = Buffer.byteLength(JSON.stringify(body))
  // Pad the content so the serialised body is 2,048 bytes.
  body.content += ' '.repeat(Math.max(0, 2048 - size))
  return body
}
