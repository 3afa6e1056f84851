import Link from 'next/link'
import { ConnectInstagram } from '@/components/ConnectInstagram'

export default function Home() {
  return (
    <>
      <h1>Social accounts</h1>
      <p className="muted">
        Connect an Instagram account through Late. The button talks only to this app&apos;s own
        backend; the API key never leaves the server. (<Link href="/server" prefetch={false}>The server-rendered version</Link> uses
        a Server Component and a Server Action.)
      </p>
      <ConnectInstagram />
    </>
  )
}
