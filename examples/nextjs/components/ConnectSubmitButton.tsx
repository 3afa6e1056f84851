'use client'

import { useFormStatus } from 'react-dom'

/** The Server Action form's submit button: "Redirecting…" while the action runs (with JavaScript). */
export function ConnectSubmitButton() {
  const { pending } = useFormStatus()
  return (
    <button type="submit" disabled={pending} aria-busy={pending}>
      {pending ? 'Redirecting to Instagram…' : 'Connect Instagram'}
    </button>
  )
}
