'use strict'

/**
 * Extra trusted certificates: `NODE_EXTRA_CA_CERTS` (read once per process, as Node does; an
 * unreadable or invalid file is ignored with a warning, as Node does) and the `ca` client option
 * (a PEM string or Buffer, or an array of them; invalid → LateValidationError). Both add to the
 * platform's trust store; neither replaces it.
 */

const { LateValidationError } = require('./errors.js')

let envCa
/** The PEM text of NODE_EXTRA_CA_CERTS, read and checked once; undefined when unset or unusable. */
function nodeExtraCaCerts(native, warn) {
  if (envCa !== undefined) return envCa.pem
  envCa = { pem: undefined }
  const file = typeof process !== 'undefined' && process.env ? process.env.NODE_EXTRA_CA_CERTS : undefined
  if (!file) return undefined
  let pem
  try {
    pem = require('node:fs').readFileSync(file, 'utf8')
  } catch (e) {
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
function caOption(native, value) {
  if (value === undefined) return undefined
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) return undefined
  return list.map((item, i) => {
    const param = Array.isArray(value) ? `ca[${i}]` : 'ca'
    let pem
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

module.exports = { nodeExtraCaCerts, caOption }
