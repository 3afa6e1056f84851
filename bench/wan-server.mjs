// The API server of `npm run bench:wan`: TLS 1.3, HTTP/2 with HTTP/1.1 fallback (ALPN), and
// responses compressed per Accept-Encoding (br, then gzip), like a CDN in front of the real API.
//
//   node bench/wan-server.mjs <cert.pem> <key.pem> <small.json> <big.json>
//
// Prints `LISTENING <port>`. Bodies are compressed once at start-up (br quality 5, gzip level 6,
// about what CDNs use for dynamic JSON), so serving costs no compression time. Commands on
// stdin: `seen` prints `{"connections":[{"alpn":…,"reused":…}],"requests":N}` since the last
// `reset`; the server exits when stdin closes.

import http2 from 'node:http2'
import fs from 'node:fs'
import zlib from 'node:zlib'
import { createInterface } from 'node:readline'

const [certFile, keyFile, smallFile, bigFile] = process.argv.slice(2)
const encodings = (raw) => ({
  identity: raw,
  br: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: zlib.gzipSync(raw, { level: 6 }),
})
const bodies = { small: encodings(fs.readFileSync(smallFile)), big: encodings(fs.readFileSync(bigFile)) }

let seen = { connections: [], requests: 0 }

function pick(acceptEncoding = '') {
  const offered = acceptEncoding.split(',').map((s) => s.trim().split(';')[0])
  if (offered.includes('br')) return 'br'
  if (offered.includes('gzip')) return 'gzip'
  return 'identity'
}

const server = http2.createSecureServer(
  { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile), allowHTTP1: true },
  (req, res) => {
    seen.requests++
    const path = new URL(req.url, 'https://x').pathname
    if (req.method === 'HEAD') {
      res.writeHead(200).end()
      return
    }
    if (!path.endsWith('/v1/accounts')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
      return
    }
    const set = path.startsWith('/big/') ? bodies.big : bodies.small
    const enc = pick(req.headers['accept-encoding'])
    const headers = { 'content-type': 'application/json', 'content-length': set[enc].length, vary: 'accept-encoding' }
    if (enc !== 'identity') headers['content-encoding'] = enc
    res.writeHead(200, headers)
    res.end(set[enc])
  },
)
server.on('secureConnection', (socket) => seen.connections.push({ alpn: socket.alpnProtocol, reused: socket.isSessionReused() }))
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`))

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() === 'seen') console.log(JSON.stringify(seen))
    else if (line.trim() === 'reset') {
      seen = { connections: [], requests: 0 }
      console.log('OK')
    }
  })
  .on('close', () => process.exit(0))
