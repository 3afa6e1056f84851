import type { InstagramAccount } from '@/lib/types'

/** The list of connected Instagram accounts; rendered by the client component and the Server Component alike. */
export function AccountItems({ accounts }: { accounts: InstagramAccount[] }) {
  if (accounts.length === 0) return <p className="muted">No Instagram account connected yet.</p>
  return (
    <ul className="accounts" data-testid="accounts">
      {accounts.map((a) => (
        <li key={a.id} data-account-id={a.id}>
          <span className="avatar" aria-hidden="true">
            {(a.username ?? '?').charAt(0).toUpperCase()}
          </span>
          <span>
            <strong>{a.username ? `@${a.username}` : a.id}</strong>
            {a.displayName && a.displayName !== a.username ? <span className="muted"> · {a.displayName}</span> : null}
          </span>
          <span className={a.isActive ? 'badge ok' : 'badge'}>{a.isActive ? 'active' : 'inactive'}</span>
        </li>
      ))}
    </ul>
  )
}
