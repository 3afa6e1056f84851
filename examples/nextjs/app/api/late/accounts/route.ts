import { lateErrorResponse } from '@/lib/late'
import { listInstagramAccounts } from '@/lib/accounts'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

/** GET /api/late/accounts → { accounts }: the profile's connected Instagram accounts. */
export async function GET(): Promise<Response> {
  try {
    return Response.json({ accounts: await listInstagramAccounts() })
  } catch (err) {
    return lateErrorResponse(err)
  }
}
