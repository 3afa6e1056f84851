import { appOrigin, late, lateErrorResponse, profileId } from '@/lib/late'

export const runtime = 'nodejs'

/** POST /api/late/connect → { connectUrl }: where to send the browser to connect Instagram. */
export async function POST(req: Request): Promise<Response> {
  try {
    const { connectUrl } = await late().connectInstagram({
      profileId: profileId(),
      redirectUrl: `${appOrigin(req)}/connected`,
    })
    return Response.json({ connectUrl })
  } catch (err) {
    return lateErrorResponse(err)
  }
}
