#!/usr/bin/env node
'use strict'
// `npm run test:e2e`: the end-to-end tests in e2e/*.e2e.mjs (not part of `npm test`).
// Packs late-native, installs it into examples/nextjs and examples/express from the tarball,
// runs `next build` + `next start` against the simulator, and drives Debian's Chromium with
// playwright-core. Needs the native addon built (`npm install` does it) and Chromium at
// /usr/bin/chromium (or CHROMIUM_PATH); scripts/ci-e2e.sh installs it with apt-get.
// E2E_SKIP_BUILD=1 reuses the last install and build. Output (logs, screenshots): e2e/out/.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..')
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const LIMIT_MS = Number(process.env.E2E_TIMEOUT_MS || 20 * 60_000)

if (!fs.existsSync(chromium)) {
  console.error(`e2e: no Chromium at ${chromium}. Install it (Debian: apt-get install -y chromium, or run scripts/ci-e2e.sh) or set CHROMIUM_PATH.`)
  process.exit(2)
}
try {
  require.resolve('playwright-core', { paths: [root] })
} catch {
  console.error('e2e: playwright-core is missing; run `npm install` at the repository root.')
  process.exit(2)
}

const files = fs
  .readdirSync(path.join(root, 'e2e'))
  .filter((f) => f.endsWith('.e2e.mjs'))
  .sort()
  .map((f) => path.join('e2e', f))

const started = Date.now()
// Own process group, so a timeout can end the whole tree (the tests also clean up after themselves).
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
})
const killTree = (signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {}
}
const timer = setTimeout(() => {
  console.error(`e2e: no result after ${LIMIT_MS / 1000} s; stopping`)
  killTree('SIGTERM')
  setTimeout(() => killTree('SIGKILL'), 10_000).unref()
}, LIMIT_MS)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => killTree(sig))
child.on('close', (code, signal) => {
  clearTimeout(timer)
  killTree('SIGKILL')
  console.log(`e2e: ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s (logs and screenshots in e2e/out/)`)
  process.exit(code ?? 1)
})
