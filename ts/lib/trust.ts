/**
 * Extra trusted certificates: `NODE_EXTRA_CA_CERTS` (read once per process, as Node does; an
 * unreadable or invalid file is ignored with a warning, as Node does) and the `ca` client option
 * (a PEM string or Buffer, or an array of them; invalid → LateValidationError). Both add to the
 * platform's trust store; neither replaces it.
 */

import { readFileSync } from 'node:fs'
import { LateValidationError } from './errors.js'

/** The part of the native binding this module uses. */
interface PemCounter {
  countPemCertificates(pem: string, source: string): number
}

let envCa: { pem: string | undefined } | undefined
/** The PEM text of NODE_EXTRA_CA_CERTS, read and checked once; undefined when unset or unusable. */
export function nodeExtraCaCerts(native: PemCounter, warn: (message: string) => void): string | undefined {
  if (envCa !== undefined) return envCa.pem
  envCa = { pem: undefined }
  const file = typeof process !== 'undefined' && process.env ? process.env.NODE_EXTRA_CA_CERTS : undefined
  if (!file) return undefined
  let pem: string
  try {
    pem = readFileSync(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    warn(`ignoring extra certs from NODE_EXTRA_CA_CERTS (${file}): ${e.code || e.message}`)
    return undefined
  }
  try {
    native.countPemCertificates(pem, 'NODE_EXTRA_CA_CERTS')
  } catch {
    warn(`ignoring extra certs from NODE_EXTRA_CA_CERTS (${file}): no valid PEM certificate in it`)
    return undefined
  }
  envCa.pem = pem
  return pem
}

/** The `ca` option as a list of PEM strings, checked. */
export function caOption(native: PemCounter, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) return undefined
  return list.map((item, i) => {
    const param = Array.isArray(value) ? `ca[${i}]` : 'ca'
    let pem: string
    if (typeof item === 'string') pem = item
    else if (item instanceof Uint8Array) pem = Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('utf8')
    else throw new LateValidationError(`invalid \`${param}\`: expected a PEM string or Buffer`, { param })
    try {
      native.countPemCertificates(pem, param)
    } catch {
      throw new LateValidationError(
        `invalid \`${param}\`: expected PEM certificates (-----BEGIN CERTIFICATE----- …), each usable as a trusted root`,
        { param },
      )
    }
    return pem
  })
}
