// A loopback server imitating the real Late API, scripted per test. It records every request
// (method, path, query, headers, body) so tests can assert on exactly what the client sent.
import http from 'node:http'

export const KEY = 'sk_test_mock_0123'

/**
 * Starts a mock API. `routes` maps 'METHOD /path' (path below /api) to a handler
 * `(req, ctx) => ({ status, headers, body })` or to a fixed response object. A handler may
 * return `{ hang: true }` to never answer, or `{ destroy: true }` to drop the connection.
 */
export async function startMockApi(routes = {}) {
  const requests = []
  const sockets = new Set()
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url, 'http://127.0.0.1')
      const path = url.pathname.replace(/^\/api/, '')
      const record = {
        method: req.method,
        path,
        query: Object.fromEntries(url.searchParams),
        search: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(record)
      const key = `${req.method} ${path}`
      let route = routes[key] ?? routes['*']
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': `req_${requests.length}` })
        res.end(JSON.stringify({ error: `no mock for ${key}`, type: 'not_found' }))
        return
      }
      const out = typeof route === 'function' ? await route(record, { count: requests.filter((r) => `${r.method} ${r.path}` === key).length }) : route
      if (out.hang) return
      if (out.destroy) {
        req.socket.destroy()
        return
      }
      const headers = { 'content-type': 'application/json', 'x-request-id': `req_${requests.length}`, ...(out.headers || {}) }
      res.writeHead(out.status ?? 200, headers)
      res.end(out.raw !== undefined ? out.raw : out.body === undefined ? '' : JSON.stringify(out.body))
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    port,
    requests,
    routes,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** The standard happy routes: a default profile, Instagram connect, two accounts. */
export function happyRoutes(overrides = {}) {
  return {
    'GET /v1/profiles': {
      body: {
        profiles: [
          { _id: '64f0000000000000000000a1', name: 'Other', isDefault: false },
          { _id: '64f0000000000000000000d1', name: 'Default', isDefault: true },
        ],
      },
    },
    'GET /v1/connect/instagram': (r) => ({
      body: { authUrl: `https://www.instagram.com/oauth/authorize?profile=${r.query.profileId}`, state: 'st_1' },
    }),
    'GET /v1/accounts': {
      body: {
        accounts: [
          { _id: 'acc1', platform: 'instagram', profileId: '64f0000000000000000000d1', username: 'ig_one', isActive: true },
          { _id: 'acc2', platform: 'twitter', profileId: '64f0000000000000000000d1', username: 'x_two', isActive: true },
        ],
        hasAnalyticsAccess: false,
      },
    },
    ...overrides,
  }
}
