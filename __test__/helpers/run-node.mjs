// Runs a Node.js process to completion for a test: its exit code or signal, and its output.
import { spawn } from 'node:child_process'

/**
 * `node ...args`; killed with SIGKILL after `timeoutMs`. Resolves `{ code, signal, out, err }`.
 * @param {string[]} args
 * @param {{ env?: object, cwd?: string, timeoutMs?: number }} [options]
 */
export function runNode(args, { env = process.env, cwd, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code, signal) => {
      clearTimeout(kill)
      resolve({ code, signal, out, err })
    })
  })
}
