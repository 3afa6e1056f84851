import Link from 'next/link'
import { parseConnectCallback } from 'late-native'

export const runtime = 'nodejs'

type SearchParams = Record<string, string | string[] | undefined>

/** Where Late sends the browser back: `?connected=instagram&profileId=…&accountId=…&username=…` or `?error=…`. */
export default async function Connected({ searchParams }: { searchParams: Promise<SearchParams> }) {
  let result: ReturnType<typeof parseConnectCallback> | null
  try {
    result = parseConnectCallback(await searchParams)
  } catch {
    result = null // no connect result in the URL (opened directly)
  }

  return (
    <>
      {result?.ok ? (
        <div className="card success" role="status">
          <h1>Instagram connected</h1>
          <p>
            {result.username ? <strong>@{result.username}</strong> : 'The account'} is now connected
            {result.accountId ? <> (account <code>{result.accountId}</code>)</> : null}.
          </p>
        </div>
      ) : (
        <div className="card failure" role="alert">
          <h1>Instagram was not connected</h1>
          <p>
            {result
              ? result.errorMessage ?? (result.error === 'oauth_denied' ? 'Access was denied.' : `Error: ${result.error}`)
              : 'This page shows the result of a connect; start one from the home page.'}
          </p>
        </div>
      )}
      <p>
        <Link href="/">← Back to your accounts</Link>
      </p>
    </>
  )
}
