// A real Redis for the fleet tests: Debian's redis-server (or valkey-server) on a free loopback
// port, without persistence, stopped after the test. No Redis package: the tests talk to it
// through late-native itself, and this file only needs PING, over a raw socket.
import { spawn, spawnSync } from 'node:child_process'
import net from 'node:net'

const INSTALL_HINT =
  'the fleet tests need a Redis server binary: install it with `apt-get install -y redis-server` ' +
  '(Debian/Ubuntu; `valkey-server` works too), or put redis-server on PATH. .ci/run installs it.'

/** The server binary: redis-server, else valkey-server; throws naming the fix when neither exists. */
export function redisBinary() {
  for (const bin of ['redis-server', 'valkey-server']) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
    if (r.status === 0) return bin
  }
  throw new Error(INSTALL_HINT)
}

/** A port nothing listens on right now. */
export async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** `true` when a Redis answers PING on `port`. */
export function ping(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')))
  })
}

/** Sends one inline command and resolves to the raw reply text (for INFO and the like). */
export function command(port, line, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' })
    let text = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no reply to ${line} within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    socket.on('connect', () => socket.write(`${line}\r\n`))
    socket.on('data', (d) => {
      text += d.toString()
      // A bulk reply: `$<len>\r\n<data>\r\n`; anything else is one line.
      const m = /^\$(\d+)\r\n/.exec(text)
      const complete = m ? text.length >= m[0].length + Number(m[1]) + 2 : text.endsWith('\r\n')
      if (complete) {
        clearTimeout(timer)
        socket.end()
        resolve(m ? text.slice(m[0].length, m[0].length + Number(m[1])) : text.trim())
      }
    })
  })
}

/**
 * Starts a Redis on a free loopback port (no RDB, no AOF). `stop()` ends it; `kill()` and
 * `start()` take it down hard and bring it back on the same port, empty.
 */
export async function startRedis() {
  const bin = redisBinary()
  const port = await freePort()
  let child
  let stderr = ''
  async function start() {
    stderr = ''
    child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child.stderr.on('data', (d) => (stderr += d))
    // Never outlive the test process, even when it ends without calling stop().
    const orphan = () => child.kill('SIGKILL')
    process.once('exit', orphan)
    child.once('exit', () => process.removeListener('exit', orphan))
    const until = Date.now() + 10_000
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}: ${stderr}`)
      if (await ping(port)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    child.kill('SIGKILL')
    throw new Error(`${bin} did not answer PING on port ${port} within 10 s: ${stderr}`)
  }
  async function halt(signal) {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill(signal)
    await exited
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    /** Takes Redis down at once (SIGKILL), as a crash would. */
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
    command: (line) => command(port, line),
  }
}
