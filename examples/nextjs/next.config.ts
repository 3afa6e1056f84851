import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // late-native is a Node-API addon (a compiled .node file): Next must not bundle it, but load it
  // with Node's own `require` at run time.
  serverExternalPackages: ['late-native'],
  // A self-contained server in .next/standalone (server.js + only the node_modules it needs, the
  // addon's .node included): what the Dockerfile copies. `next start` still works for local use.
  output: 'standalone',
  // This example lives inside the late-native repo, which has its own lockfile: pin the root here.
  turbopack: { root: __dirname },
  outputFileTracingRoot: __dirname,
}

export default nextConfig
