import 'server-only'
import { listInstagramAccounts } from '@/lib/accounts'
import { AccountItems } from './AccountItems'

/**
 * Server Component: calls `listAccounts` directly on the server (no route handler, no fetch from
 * the browser). Render it inside `<Suspense>` for a loading state and an error boundary for failures.
 */
export async function AccountList() {
  return <AccountItems accounts={await listInstagramAccounts()} />
}
