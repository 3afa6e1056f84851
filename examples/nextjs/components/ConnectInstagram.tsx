'use client'

import { useEffect, useState } from 'react'
import type { InstagramAccount } from '@/lib/types'
import { AccountItems } from './AccountItems'

type AccountsState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; accounts: InstagramAccount[] }

async function readJson<T>(res: Response): Promise<T> {
  const data: unknown = await res.json().catch(() => null)
  if (!res.ok) {
    const message = (data as { error?: unknown } | null)?.error
    throw new Error(typeof message === 'string' ? message : `Request failed (HTTP ${res.status})`)
  }
  return data as T
}

/**
 * "Connect Instagram" button plus the list of connected Instagram accounts.
 * Calls only this app's backend (/api/late/*), never Late itself.
 */
export function ConnectInstagram() {
  const [accounts, setAccounts] = useState<AccountsState>({ status: 'loading' })
  const [connecting, setConnecting] = useState(false)
  const [connectError, setConnectError] = useState<string | null>(null)

  useEffect(() => {
    const ac = new AbortController()
    fetch('/api/late/accounts', { signal: ac.signal, cache: 'no-store' })
      .then((res) => readJson<{ accounts: InstagramAccount[] }>(res))
      .then(({ accounts }) => setAccounts({ status: 'ready', accounts }))
      .catch((err: unknown) => {
        if (!ac.signal.aborted) setAccounts({ status: 'error', message: errorMessage(err) })
      })
    // Coming back with the browser's Back button restores the page from cache: re-enable the button.
    const onPageShow = (e: PageTransitionEvent) => e.persisted && setConnecting(false)
    window.addEventListener('pageshow', onPageShow)
    return () => {
      ac.abort()
      window.removeEventListener('pageshow', onPageShow)
    }
  }, [])

  async function connect() {
    setConnecting(true)
    setConnectError(null)
    try {
      const { connectUrl } = await readJson<{ connectUrl: string }>(await fetch('/api/late/connect', { method: 'POST' }))
      window.location.assign(connectUrl) // keep the loading state while the browser leaves
    } catch (err) {
      setConnectError(errorMessage(err))
      setConnecting(false)
    }
  }

  return (
    <section className="card">
      <button type="button" onClick={connect} disabled={connecting} aria-busy={connecting}>
        {connecting ? 'Redirecting to Instagram…' : 'Connect Instagram'}
      </button>
      {connectError ? (
        <p className="error" role="alert">
          Could not start the connection: {connectError}
        </p>
      ) : null}

      <h2>Connected Instagram accounts</h2>
      {accounts.status === 'loading' ? <p className="muted">Loading accounts…</p> : null}
      {accounts.status === 'error' ? (
        <p className="error" role="alert">
          Could not load accounts: {accounts.message}
        </p>
      ) : null}
      {accounts.status === 'ready' ? <AccountItems accounts={accounts.accounts} /> : null}
    </section>
  )
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
