import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConnectCallback, LateValidationError } from '../index.mjs'

test('parseConnectCallback reads a successful redirect from a URL string, URL, URLSearchParams or searchParams object', () => {
  const q = 'connected=instagram&profileId=p1&accountId=a1&username=ig_user'
  const expected = { ok: true, platform: 'instagram', profileId: 'p1', accountId: 'a1', username: 'ig_user' }
  assert.deepEqual(parseConnectCallback(`https://app.example.com/connected?${q}`), expected)
  assert.deepEqual(parseConnectCallback(`/connected?${q}#frag`), expected)
  assert.deepEqual(parseConnectCallback(new URL(`https://app.example.com/c?${q}`)), expected)
  assert.deepEqual(parseConnectCallback(new URLSearchParams(q)), expected)
  assert.deepEqual(
    parseConnectCallback({ connected: 'instagram', profileId: 'p1', accountId: ['a1', 'a2'], username: 'ig_user' }),
    expected,
  )
})

test('parseConnectCallback reads a failed redirect with its details', () => {
  assert.deepEqual(parseConnectCallback('https://app.example.com/c?error=oauth_denied&platform=instagram'), {
    ok: false,
    error: 'oauth_denied',
    platform: 'instagram',
  })
  assert.deepEqual(
    parseConnectCallback('?error=payment_required&platform=instagram&error_message=Upgrade&is_user_fixable=true&reason=free_tier_exceeded&dashboard_url=https%3A%2F%2Fzernio.com%2Fbilling'),
    {
      ok: false,
      error: 'payment_required',
      platform: 'instagram',
      errorMessage: 'Upgrade',
      isUserFixable: true,
      reason: 'free_tier_exceeded',
      dashboardUrl: 'https://zernio.com/billing',
    },
  )
})

test('parseConnectCallback throws a LateValidationError when the URL has no connect result', () => {
  assert.throws(() => parseConnectCallback('https://app.example.com/connected'), (e) => e instanceof LateValidationError && e.param === 'url')
  assert.throws(() => parseConnectCallback(42), (e) => e instanceof LateValidationError && e.param === 'url')
})
