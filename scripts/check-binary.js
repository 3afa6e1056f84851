#!/usr/bin/env node
'use strict'
// Checks what a built `.node` links against and exports, from its headers alone (any host can
// check any target's file). The platform comes from the name, late-native.<platform>.node:
//
//   node scripts/check-binary.js target/napi-cross/late-native.linux-x64-musl.node [...] [--json]
//
// Every file: the machine is the platform's CPU, and the Node-API entry point
// `napi_register_module_v1` is exported.
//   linux-*-musl  every NEEDED library is musl's (libc.so, which musl's loader maps to itself,
//                 libc.musl-<arch>.so.1 or ld-musl-<arch>.so.1) and no symbol has a GLIBC_ version
//   linux-*-gnu   every NEEDED library is glibc's or libgcc_s (the glibc floor: scripts/check-glibc.js)
//   win32-*       every imported DLL is Windows' own: no vcruntime140.dll (the Visual C++
//                 Redistributable's), libgcc_s_seh-1.dll, libwinpthread-1.dll, libstdc++, node.exe or
//                 libnode.dll (N-API is resolved from the host process at run time)
// ELF files are read with readelf (binutils reads every architecture), PE files with objdump -p.
// Exit 0: all good; 1: a check failed (each failure listed); 2: a file or tool is missing.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const ENTRY = 'napi_register_module_v1'
const ELF_MACHINE = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' }
const MUSL_ARCH = { x64: 'x86_64', arm64: 'aarch64' }
const GLIBC_LIBS = /^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12])$/
/** DLLs every Windows 10 has (case-insensitive), plus the api-ms-win-* API sets. */
const WINDOWS_DLLS = new Set(
  ['kernel32', 'kernelbase', 'ntdll', 'advapi32', 'userenv', 'ws2_32', 'bcrypt', 'bcryptprimitives', 'crypt32', 'ncrypt', 'secur32', 'msvcrt', 'ucrtbase', 'user32', 'ole32', 'oleaut32', 'shell32', 'iphlpapi', 'dnsapi', 'synchronization'].map(
    (n) => `${n}.dll`,
  ),
)

class MissingTool extends Error {}

function run(tool, args) {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 256 << 20 })
  if (r.error && r.error.code === 'ENOENT') throw new MissingTool(`${tool} not found: apt-get install binutils`)
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')}: ${(r.stderr || '').trim()}`)
  return r.stdout
}

/** `{ os, arch, abi }` from late-native.<os>-<arch>[-<abi>].node. */
function platformOf(file) {
  const m = /late-native\.([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?\.node$/.exec(path.basename(file))
  if (!m) throw new Error(`${file}: not named late-native.<platform>.node`)
  return { os: m[1], arch: m[2], abi: m[3] ?? null }
}

function checkElf(file, { arch, abi }) {
  const problems = []
  const header = run('readelf', ['-h', '-W', file])
  const machine = /Machine:\s+(.+)/.exec(header)?.[1].trim()
  if (machine !== ELF_MACHINE[arch]) problems.push(`machine is ${machine}, not ${ELF_MACHINE[arch]} (${arch})`)
  const dynamic = run('readelf', ['-d', '-W', file])
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1])
  const syms = run('readelf', ['--dyn-syms', '-W', file])
  const entry = syms.split('\n').find((l) => new RegExp(`\\s${ENTRY}(@|$)`).test(l.trim()) || l.trim().endsWith(` ${ENTRY}`))
  if (!entry || /\sUND\s/.test(entry) || !/\sFUNC\s+GLOBAL\s/.test(entry)) problems.push(`does not export ${ENTRY}`)
  const versions = run('readelf', ['-V', '-W', file])
  const glibc = [...new Set([...`${syms}\n${versions}`.matchAll(/GLIBC_[\d.]+/g)].map((m) => m[0]))]
  if (abi === 'musl') {
    const musl = new Set(['libc.so', `libc.musl-${MUSL_ARCH[arch]}.so.1`, `ld-musl-${MUSL_ARCH[arch]}.so.1`])
    for (const lib of needed) if (!musl.has(lib)) problems.push(`needs ${lib}, which is not musl's`)
    if (glibc.length) problems.push(`has glibc symbol versions: ${glibc.join(', ')}`)
  } else {
    for (const lib of needed) if (!GLIBC_LIBS.test(lib)) problems.push(`needs ${lib}, which is not glibc's or libgcc_s`)
  }
  return { format: 'elf', machine, needed, problems }
}

function checkPe(file, { arch }) {
  const problems = []
  const out = run('objdump', ['-p', file])
  const format = /file format (\S+)/.exec(out)?.[1]
  const want = { x64: 'pei-x86-64', arm64: 'pei-aarch64-little' }[arch]
  if (format !== want) problems.push(`format is ${format}, not ${want} (${arch})`)
  const dlls = [...new Set([...out.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase()))].sort()
  for (const dll of dlls) if (!WINDOWS_DLLS.has(dll) && !/^api-ms-win-/.test(dll)) problems.push(`imports ${dll}, which Windows does not have`)
  const exportsAt = out.indexOf('[Ordinal/Name Pointer] Table')
  if (exportsAt < 0 || !new RegExp(`\\]\\s+${ENTRY}\\s*$`, 'm').test(out.slice(exportsAt))) problems.push(`does not export ${ENTRY}`)
  return { format, needed: dlls, problems }
}

function check(file) {
  const platform = platformOf(file)
  if (!ELF_MACHINE[platform.arch]) throw new Error(`${file}: unknown CPU ${platform.arch}`)
  if (platform.os === 'linux') return checkElf(file, platform)
  if (platform.os === 'win32') return checkPe(file, platform)
  throw new Error(`${file}: ${platform.os} binaries are not checked here (Mach-O)`)
}

module.exports = { check, platformOf }

if (require.main === module) {
  const argv = process.argv.slice(2)
  const json = argv.includes('--json')
  const files = argv.filter((a) => a !== '--json')
  if (!files.length) {
    console.error('usage: node scripts/check-binary.js late-native.<platform>.node [...] [--json]')
    process.exit(2)
  }
  let failed = false
  const results = []
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.error(`check-binary: ${file} does not exist; build it first: node scripts/build-cross.js`)
      process.exit(2)
    }
    let r
    try {
      r = check(file)
    } catch (e) {
      console.error(`check-binary: ${e.message}`)
      process.exit(e instanceof MissingTool ? 2 : 1)
    }
    results.push({ file, ...r })
    if (r.problems.length) {
      failed = true
      if (!json) console.error(`✖ ${file}:\n${r.problems.map((p) => `    ${p}`).join('\n')}`)
    } else if (!json) {
      console.log(`✔ ${file}: ${r.machine ?? r.format}; exports ${ENTRY}; links ${r.needed.join(', ') || 'nothing'}`)
    }
  }
  if (json) console.log(JSON.stringify(results, null, 2))
  process.exit(failed ? 1 : 0)
}
