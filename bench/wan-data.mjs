// The account lists of `npm run bench:wan`: shaped like the API's `SocialAccount`, with about
// the entropy of real data (ObjectIds from creation times and a counter, varied usernames, names,
// follower counts, avatar tokens), so they compress like real answers do — about 9× with Brotli
// — instead of the 50× of the loopback benchmark's sequential fixtures. Seeded: every run, every
// client, the same bytes.

import { rng } from '../__test__/helpers/rng.mjs'

const WORDS = ['acme', 'studio', 'coffee', 'daily', 'urban', 'north', 'bloom', 'pixel', 'craft', 'wild', 'river', 'nova', 'lumen', 'forge', 'atlas', 'maple', 'harbor', 'summit', 'ember', 'cedar', 'vivid', 'orbit', 'sage', 'fable']
const PLATFORMS = ['instagram', 'tiktok', 'linkedin', 'twitter', 'facebook', 'youtube', 'threads', 'bluesky']
const MACHINE = 'a1b2c3d4e5'

/** `{ accounts: [...n], hasAnalyticsAccess }` as JSON bytes, for profile `profileId`. */
export function accountListJson(n, profileId, seed = 42) {
  const r = rng(seed)
  const hex = (k) => Array.from({ length: k }, () => Math.floor(r() * 16).toString(16)).join('')
  const pick = (a) => a[Math.floor(r() * a.length)]
  const accounts = []
  for (let i = 0; i < n; i++) {
    const platform = PLATFORMS[i % PLATFORMS.length]
    const username = `${pick(WORDS)}${pick(['', '_', '.'])}${pick(WORDS)}${Math.floor(r() * 10000)}`
    const createdMs = Date.UTC(2025, 0, 1) + Math.floor(r() * 600 * 86_400_000)
    const name = pick(WORDS)
    accounts.push({
      _id: Math.floor(createdMs / 1000).toString(16).padStart(8, '0') + MACHINE + (0x100000 + i).toString(16).padStart(6, '0'),
      platform,
      profileId: { _id: profileId, name: 'Default', slug: 'default' },
      username,
      displayName: `${name[0].toUpperCase()}${name.slice(1)} ${pick(WORDS)} ${pick(['Co', 'Shop', 'HQ', 'Official', 'Studio', ''])}`.trim(),
      platformUserId: String(Math.floor(r() * 1e15)),
      profilePicture: `https://cdn.zernio.example/avatars/${platform}/${hex(12)}.jpg`,
      profileUrl: `https://www.${platform}.com/${username}`,
      isActive: r() > 0.05,
      needsReconnection: r() < 0.03,
      enabled: true,
      scopeAreas: null,
      oauthAppId: null,
      parentAccountId: null,
      rateLimitedUntil: null,
      createdAt: new Date(createdMs).toISOString(),
      metadata: { accountType: pick(['BUSINESS', 'CREATOR', 'PERSONAL']), followersCount: Math.floor(r() ** 3 * 2e6) },
    })
  }
  return Buffer.from(JSON.stringify({ accounts, hasAnalyticsAccess: true }))
}
