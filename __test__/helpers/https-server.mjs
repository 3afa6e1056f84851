// A loopback HTTPS API for the network tests: HTTP/2 with HTTP/1.1 fallback (or HTTP/1.1 only),
// certificates from helpers/tls.mjs, and a record of what the server saw: TCP connections, the
// ALPN protocol and TLS session reuse of each, and every request.

import http2 from 'node:http2'
import https from 'node:https'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Starts the server. `leaf`: `{ cert, key }`. `h2`: offer HTTP/2 (default true). `close`: answer
 * HTTP/1.1 requests with `Connection: close` (a new connection per call). `handler(req)`:
 * `{ status, headers, body }` (default: `{ profiles: [] }`).
 */
export async function startHttpsApi(leaf, { h2 = true, close = false, handler } = {}) {
  // `sessions`: the HTTP/2 sessions, to read what the client sent (`remoteSettings`, `state`).
  const seen = { connections: [], requests: [], sessions: [] }
  const onRequest = (req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const record = {
        method: req.method,
        path: new URL(req.url, 'https://x').pathname,
        headers: req.headers,
        httpVersion: req.httpVersion,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      seen.requests.push(record)
      const out = handler ? await handler(record) : { body: { profiles: [] } }
      if (out.delayMs) await new Promise((r) => setTimeout(r, out.delayMs))
      const headers = { 'content-type': 'application/json', ...(out.headers || {}) }
      if (close && req.httpVersion !== '2.0') headers.connection = 'close'
      res.writeHead(out.status ?? 200, headers)
      res.end(out.raw ?? JSON.stringify(out.body ?? {}))
    })
  }
  const options = { key: leaf.key, cert: leaf.cert, allowHTTP1: true }
  const server = h2 ? http2.createSecureServer(options, onRequest) : https.createServer(options, onRequest)
  server.on('secureConnection', (socket) => {
    seen.connections.push({ alpn: socket.alpnProtocol, reused: socket.isSessionReused() })
  })
  const sockets = new Set()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('session', (session) => {
    sockets.add(session)
    seen.sessions.push(session)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address()
  return {
    port,
    baseUrl: `https://127.0.0.1:${port}/api`,
    localhostUrl: `https://localhost:${port}/api`,
    seen,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
}

const INDEX = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'index.mjs')

/**
 * Runs `late.request('GET /v1/profiles')` (or `code`, an async function body with `late` and
 * `lateNative` in scope) in a child process with `env` added, and resolves to its JSON output:
 * `{ ok, data }` or `{ ok: false, name, reason, message }`. For what is read from the
 * environment once per process (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, HTTPS_PROXY).
 */
export function runClient({ env = {}, options = {}, code } = {}) {
  const script = `
    import * as lateNative from ${JSON.stringify(INDEX)}
    const late = new lateNative.LateClient(${JSON.stringify(options)})
    try {
      const data = await (async () => { ${code || "return await late.request('GET /v1/profiles')"} })()
      console.log(JSON.stringify({ ok: true, data }))
    } catch (e) {
      console.log(JSON.stringify({ ok: false, name: e.name, reason: e.reason, message: e.message, code: e.code }))
    }
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('close', (status) => {
      clearTimeout(timer)
      const line = out.trim().split('\n').pop()
      try {
        resolve({ ...JSON.parse(line), stderr: err })
      } catch {
        reject(new Error(`child exited ${status}: ${out}\n${err}`))
      }
    })
  })
}
