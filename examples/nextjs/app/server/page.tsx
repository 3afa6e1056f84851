import Link from 'next/link'
import { Suspense } from 'react'
import { AccountList } from '@/components/AccountList'
import { AccountsErrorBoundary } from '@/components/AccountsErrorBoundary'
import { ConnectSubmitButton } from '@/components/ConnectSubmitButton'
import { PROBLEM_TEXT, type LateProblem } from '@/lib/late'
import { connectInstagram } from './actions'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

type SearchParams = Record<string, string | string[] | undefined>

/**
 * The same page the App Router way: the account list is a Server Component that calls
 * `listAccounts` directly (streamed behind a Suspense fallback, inside an error boundary), and
 * "Connect Instagram" is a Server Action. No route handler, no client-side fetch; the button works
 * with JavaScript disabled.
 */
export default async function ServerRendered({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { connectError } = await searchParams
  const problem = typeof connectError === 'string' && connectError in PROBLEM_TEXT ? (connectError as LateProblem) : null
  return (
    <>
      <h1>Social accounts</h1>
      <p className="muted">
        Rendered on the server: a Server Component lists the accounts and the button is a Server Action.
        (<Link href="/" prefetch={false}>The client-side version</Link> uses route handlers.)
      </p>
      <section className="card">
        <form action={connectInstagram}>
          <ConnectSubmitButton />
        </form>
        {problem ? (
          <p className="error" role="alert">
            Could not start the connection: {PROBLEM_TEXT[problem]}
          </p>
        ) : null}

        <h2>Connected Instagram accounts</h2>
        <AccountsErrorBoundary>
          <Suspense fallback={<p className="muted">Loading accounts…</p>}>
            <AccountList />
          </Suspense>
        </AccountsErrorBoundary>
      </section>
    </>
  )
}
