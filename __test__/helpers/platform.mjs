// The one way to skip a test: only when this machine is not the platform the test needs.
//
//   test('named pipes', { skip: onlyOn('win32', 'named pipes') }, () => { … })
//
// `onlyOn(platform, why)` is false on that platform, else the reason `platform: <platform> <why>`,
// which scripts/test.js accepts under CI=true (scripts/lib/platform.js has the names). Any other
// skip fails CI: a test that needs a tool installs it or fails naming how to install it.
import { createRequire } from 'node:module'

const { isPlatformName, isThisPlatform } = createRequire(import.meta.url)('../../scripts/lib/platform.js')

/** `false` on `platform` (an OS, OS-arch, CPU or libc name), else a skip reason naming it. */
export function onlyOn(platform, why) {
  if (!isPlatformName(platform)) throw new Error(`onlyOn: "${platform}" is not a platform name (scripts/lib/platform.js)`)
  return isThisPlatform(platform) ? false : `platform: ${platform} ${why}`
}

/**
 * Skip reason for a tool this machine lacks: outside CI the test skips saying how to install it;
 * under CI=true scripts/test.js fails the run on it (.ci/run installs every tool).
 */
export function missingTool(tool, install) {
  return `missing tool: ${tool} (install: ${install})`
}
