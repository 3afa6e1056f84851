import { late, lateErrorResponse, profileId } from '@/lib/late'
import type { InstagramAccount } from '@/lib/types'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

/** GET /api/late/accounts → { accounts }: the profile's connected Instagram accounts. */
export async function GET(): Promise<Response> {
  try {
    const found = await late().listAccounts({ profileId: profileId(), platform: 'instagram' })
    const accounts: InstagramAccount[] = found.map((a) => ({
      id: a._id,
      username: a.username ?? null,
      displayName: a.displayName ?? null,
      profilePicture: a.profilePicture ?? null,
      isActive: a.isActive,
    }))
    return Response.json({ accounts })
  } catch (err) {
    return lateErrorResponse(err)
  }
}
