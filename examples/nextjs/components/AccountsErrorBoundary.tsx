'use client'

import { Component, type ReactNode } from 'react'

type State = { error: (Error & { digest?: string }) | null }

/**
 * Error boundary around the server-rendered account list: when `listAccounts` fails on the server,
 * the rest of the page (and the Connect button) stays usable. In production Next.js sends the
 * browser only a digest of the error, never its message; the server log has the details.
 */
export class AccountsErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <p className="error" role="alert">
        Could not load accounts{error.digest ? ` (error ${error.digest}, see the server log)` : ''}.{' '}
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </p>
    )
  }
}
