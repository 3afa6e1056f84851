'use strict'
// The one convention for platform skips (scripts/test.js enforces it; README "Tests").
//
// A test may be skipped only when this machine is not the platform it needs, and it says so with
// a reason that starts with `platform: <needed> ` — e.g. `platform: win32 named pipes`,
// `platform: darwin-arm64 …`, `platform: linux,darwin …`. <needed> is one of, or a comma-separated
// list of: an OS (`process.platform`: linux, darwin, win32, freebsd, …), an OS-arch pair
// (`linux-x64`, `darwin-arm64`, …), a CPU (`x64`, `arm64`, …) or a libc (`glibc`, `musl`). Under CI=true every other skip (and every
// todo) fails the run, and so does a `platform:` skip whose platform this machine is.
// Tests build the reason with `onlyOn()` from __test__/helpers/platform.mjs.

const OSES = ['aix', 'android', 'darwin', 'freebsd', 'linux', 'openbsd', 'sunos', 'win32', 'cygwin', 'netbsd']
const CPUS = ['arm', 'arm64', 'ia32', 'loong64', 'mips', 'mipsel', 'ppc', 'ppc64', 'riscv64', 's390', 's390x', 'x64']
const LIBCS = ['glibc', 'musl']

/** This machine's libc on Linux (`glibc` or `musl`), else null. */
function libc() {
  if (process.platform !== 'linux') return null
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl'
}

/** Whether `names` (one name or a comma-separated list) are platforms the convention knows. */
function isPlatformName(names) {
  return names.split(',').every(isOnePlatformName)
}

function isOnePlatformName(name) {
  const [os, cpu, extra] = name.split('-')
  if (extra !== undefined) return false
  if (cpu !== undefined) return OSES.includes(os) && CPUS.includes(cpu)
  return OSES.includes(name) || CPUS.includes(name) || LIBCS.includes(name)
}

/** Whether this machine is the platform `names` (or one of the comma-separated list). */
function isThisPlatform(names) {
  return names.split(',').some(isThisOnePlatform)
}

function isThisOnePlatform(name) {
  if (LIBCS.includes(name)) return libc() === name
  if (CPUS.includes(name)) return process.arch === name
  if (name.includes('-')) return name === `${process.platform}-${process.arch}`
  return process.platform === name
}

/** The platform a skip reason names (`platform: <name> …`), or null when it names none. */
function platformOfReason(reason) {
  const m = /^platform:\s*(\S+)/.exec(reason || '')
  return m ? m[1] : null
}

/** This machine, as the convention names it (for messages). */
function describeMachine() {
  return [process.platform, `${process.platform}-${process.arch}`, process.arch, libc()].filter(Boolean).join(', ')
}

module.exports = { isPlatformName, isThisPlatform, platformOfReason, describeMachine }
