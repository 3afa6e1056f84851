// A loopback server that records every request as it arrived on the wire (method, raw path,
// query pairs, headers, body bytes) and answers with `respond(record)` (default: 200 `{}`).
// `parseMultipart` and `wireView` turn a record into what two clients can be compared on.
import http from 'node:http'

export async function startRecorder(respond = () => ({ status: 200, body: {} })) {
  const requests = []
  const sockets = new Set()
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url, 'http://127.0.0.1')
      const record = {
        method: req.method,
        rawPath: url.pathname,
        path: url.pathname.replace(/^\/api/, ''),
        rawQuery: url.search.replace(/^\?/, ''),
        query: [...url.searchParams.entries()],
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      requests.push(record)
      const out = (await respond(record)) || { status: 200, body: {} }
      if (out.destroy) return req.socket.destroy()
      const headers = { ...(out.raw === undefined && out.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(out.headers || {}) }
      res.writeHead(out.status ?? 200, headers)
      res.end(out.raw !== undefined ? out.raw : out.body === undefined ? undefined : JSON.stringify(out.body))
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/api`,
    requests,
    take() {
      return requests.splice(0, requests.length)
    },
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** The parts of a multipart body: `[{ name, filename, contentType, data: Buffer }]`; throws on a malformed body. */
export function parseMultipart(contentType, body) {
  const m = /boundary=("?)([^";]+)\1/.exec(contentType || '')
  if (!m) throw new Error(`no boundary in ${contentType}`)
  const delim = Buffer.from(`--${m[2]}`)
  const text = body.toString('latin1')
  const d = delim.toString('latin1')
  const close = `\r\n${d}--\r\n`
  if (!text.startsWith(d)) throw new Error('the body does not start with the boundary')
  if (!text.endsWith(close)) throw new Error('the body does not end with CRLF, the closing boundary and CRLF')
  const parts = []
  for (const chunk of text.slice(d.length, text.length - close.length).split(`\r\n${d}`)) {
    if (!chunk.startsWith('\r\n')) throw new Error('a boundary is not followed by CRLF')
    const headEnd = chunk.indexOf('\r\n\r\n')
    const head = chunk.slice(2, headEnd)
    const disposition = /content-disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?/i.exec(head)
    if (!disposition) throw new Error(`no Content-Disposition in ${head}`)
    const type = /content-type: (.*)/i.exec(head)
    parts.push({
      name: disposition[1],
      filename: disposition[2],
      contentType: type ? type[1].trim() : undefined,
      data: Buffer.from(chunk.slice(headEnd + 4), 'latin1'),
    })
  }
  return parts
}

/**
 * What two clients must agree on for one request: method, path (segments decoded), query
 * multiset (decoded, sorted), content type without parameters, and the body (parsed JSON, the
 * multipart parts, or the bytes).
 */
export function wireView(r) {
  const type = (r.headers['content-type'] || '').split(';')[0].trim() || undefined
  let body
  if (r.body.length === 0) body = undefined
  else if (type === 'application/json') body = JSON.parse(r.body.toString('utf8'))
  else if (type === 'multipart/form-data') {
    body = parseMultipart(r.headers['content-type'], r.body).map((p) => ({ ...p, data: p.data.toString('base64') }))
  } else body = r.body.toString('base64')
  return {
    method: r.method,
    path: r.path.split('/').map(decodeURIComponent).join('/'),
    query: r.query.map(([k, v]) => `${k}=${v}`).sort(),
    contentType: type,
    body,
  }
}
