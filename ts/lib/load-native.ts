/**
 * Loads the native addon through the loader napi-rs generates (`native.js`), which tries
 * `./late-native.<platform>.node` (a build from source) and then the prebuilt platform package
 * `@late-native/binding-<platform>` (an optional dependency). When both fail, this throws one
 * error that names the platform package that should have been installed and says how to fix it
 * or build from source, instead of napi-rs' generic "Cannot find native binding".
 *
 * `module.exports` is the binding itself: `const native = require('./load-native.js')`, typed by
 * the binding's own declarations (native.d.ts, which napi generates beside native.js).
 *
 * @example
 * import native = require('./load-native.js')
 * native.countPemCertificates(pem, 'ca')
 */

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The binding napi-rs generates: its types are native.d.ts'. */
type Native = typeof import('../native.js')

/** The fields of package.json read here. */
interface PackageJson {
  name: string
  version: string
  repository?: string | { url?: string }
  napi?: { packageName?: string; binaryName?: string }
}

/** The error thrown when the addon cannot be loaded (`code` `ERR_LATE_NATIVE_BINDING`). */
interface NativeLoadError extends Error {
  code: 'ERR_LATE_NATIVE_BINDING'
  /** napi-rs' name of the platform, e.g. `linux-x64-gnu`. */
  platform: string
  /** The platform package that should have been installed. */
  packageName: string
}

// package.json sits outside the compiled sources: read at run time, as before.
const pkg = require('../package.json') as PackageJson

/** `napi.packageName` in package.json: platform packages are `<prefix>-<platform>`. */
const PACKAGE_PREFIX = (pkg.napi && pkg.napi.packageName) || pkg.name
const BINARY_NAME = (pkg.napi && pkg.napi.binaryName) || 'index'

/** Platforms with a prebuilt binary (`napi.targets` in package.json, as napi-rs names them). */
const SUPPORTED_PLATFORMS = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'linux-x64-musl',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
]

/** True on a musl libc (Alpine), false on glibc: the same test, in the same order, as native.js'. */
function isMusl(): boolean {
  if (process.platform !== 'linux') return false
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl')
  } catch {
    // no /usr/bin/ldd: ask the process report
  }
  try {
    // The report's shape varies by platform and Node version: read it as unknown, checking each field.
    const report = (process.report && typeof process.report.getReport === 'function' ? process.report.getReport() : null) as {
      header?: { glibcVersionRuntime?: string }
      sharedObjects?: unknown
    } | null
    if (!report) return false
    if (report.header && report.header.glibcVersionRuntime) return false
    return Array.isArray(report.sharedObjects) && report.sharedObjects.some((f: string) => f.includes('libc.musl-') || f.includes('ld-musl-'))
  } catch {
    return false
  }
}

/** napi-rs' name of the platform this process runs on, e.g. `linux-x64-gnu` or `darwin-arm64`. */
function currentPlatform(platform: string = process.platform, arch: string = process.arch, musl: boolean | (() => boolean) = isMusl): string {
  if (platform === 'linux') return `linux-${arch}-${(typeof musl === 'function' ? musl() : musl) ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

/** Every message in an error's `cause` chain (napi-rs chains one per load attempt). */
function causeMessages(err: unknown): string[] {
  const out: string[] = []
  const seen = new Set<object>()
  for (let e = err as { message?: unknown; cause?: unknown } | null | undefined; e && typeof e === 'object' && !seen.has(e) && out.length < 10; e = e.cause as typeof e) {
    seen.add(e)
    // napi's loader also tries WASI fallbacks this package does not ship: leave those out
    // (`test` converts a message that is not a string to text, as before.)
    if (e.message && !/wasi/i.test(e.message as string)) out.push(String(e.message).split('\n')[0])
  }
  return out
}

function packageInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`)
    return true
  } catch {
    return false
  }
}

/** The error thrown when the addon cannot be loaded. */
function nativeLoadError(cause: unknown, platform: string = currentPlatform()): NativeLoadError {
  const packageName = `${PACKAGE_PREFIX}-${platform}`
  const repo = typeof pkg.repository === 'object' && pkg.repository ? pkg.repository.url : pkg.repository
  const repoUrl = repo ? String(repo).replace(/^git\+/, '').replace(/\.git$/, '') : 'the late-native repository'
  const supported = SUPPORTED_PLATFORMS.includes(platform)
  const lines = [`late-native: could not load the native addon for ${platform} (Node.js ${process.version}).`]
  if (!supported) {
    lines.push(
      `There is no prebuilt binary for ${platform}; prebuilt platforms: ${SUPPORTED_PLATFORMS.join(', ')}.`,
      'Build it from source (below).',
    )
  } else if (packageInstalled(packageName)) {
    lines.push(
      `The platform package ${packageName} is installed but its binary failed to load (see the causes below:`,
      "a `GLIBC_2.xx not found` means a binary for another libc, an `invalid ELF header` a binary for another OS/CPU).",
      `Reinstall it on the machine that runs the code: npm install ${packageName}@${pkg.version}`,
    )
  } else {
    lines.push(
      `The prebuilt binary ships in the optional dependency ${packageName}@${pkg.version}, which is not installed.`,
      'Fix, in order of likelihood:',
      `  - reinstall with optional dependencies on the OS/CPU/libc that runs the code: remove node_modules and`,
      '    package-lock.json, then `npm install` (npm bug https://github.com/npm/cli/issues/4828); never use',
      '    --no-optional / --omit=optional; with pnpm or yarn, set supportedArchitectures when installing for another platform',
      `    (e.g. building a Docker image or a serverless bundle on macOS for Linux);`,
      `  - or add it explicitly: npm install ${packageName}@${pkg.version}`,
    )
  }
  lines.push(
    `Build from source (Rust >= 1.88 from https://rustup.rs): git clone ${repoUrl} && cd late-native && npm install`,
    `  (compiles ${BINARY_NAME}.${platform}.node next to native.js), then \`npm install /path/to/late-native\` in your app,`,
    '  or set NAPI_RS_NATIVE_LIBRARY_PATH=/path/to/late-native.<platform>.node.',
  )
  const causes = causeMessages(cause)
  if (causes.length) lines.push('Causes:', ...causes.map((m) => `  - ${m}`))
  const error = new Error(lines.join('\n'), { cause }) as NativeLoadError
  error.name = 'LateNativeLoadError'
  error.code = 'ERR_LATE_NATIVE_BINDING'
  error.platform = platform
  error.packageName = packageName
  return error
}

function loadNative(): Native {
  // The binary beside native.js for this platform, which native.js tries first, loaded without
  // compiling native.js's loader for every other platform (2 ms of every `require`). An
  // override, a platform package or a binary that fails to load: native.js does it, and reports.
  if (!process.env.NAPI_RS_NATIVE_LIBRARY_PATH && !process.env.NAPI_RS_FORCE_WASI) {
    const local = join(__dirname, '..', `${BINARY_NAME}.${currentPlatform()}.node`)
    if (existsSync(local)) {
      try {
        return require(local) as Native
      } catch {
        // native.js tries it again and says why it failed
      }
    }
  }
  try {
    return require('../native.js') as Native
  } catch (err) {
    throw nativeLoadError(err)
  }
}

const native: Native = loadNative()
export = native
