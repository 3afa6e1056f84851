'use server'

import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { late, lateProblem, originFromHeaders, profileId } from '@/lib/late'

/**
 * "Connect Instagram" as a Server Action: `<form action={connectInstagram}>`. Runs on the server,
 * asks Late for the connection URL and redirects the browser there — with JavaScript disabled too
 * (the form then posts as a plain HTML form and gets a 303 to Late's page).
 */
export async function connectInstagram(): Promise<void> {
  let connectUrl: string
  try {
    ;({ connectUrl } = await late().connectInstagram({
      profileId: profileId(),
      redirectUrl: `${originFromHeaders(await headers())}/connected`,
    }))
  } catch (err) {
    console.error('[late]', err)
    redirect(`/server?connectError=${lateProblem(err)}`) // redirect() throws: never inside the try
  }
  redirect(connectUrl)
}
