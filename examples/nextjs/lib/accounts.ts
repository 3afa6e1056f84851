import 'server-only'
import { late, profileId } from './late'
import type { InstagramAccount } from './types'

/**
 * The profile's connected Instagram accounts, as the pages show them (not the whole SocialAccount).
 * One call for both patterns: the route handler (GET /api/late/accounts) and the Server Component.
 */
export async function listInstagramAccounts(): Promise<InstagramAccount[]> {
  const found = await late().listAccounts({ profileId: profileId(), platform: 'instagram' })
  return found.map((a) => ({
    id: a._id,
    username: a.username ?? null,
    displayName: a.displayName ?? null,
    profilePicture: a.profilePicture ?? null,
    isActive: a.isActive,
  }))
}
