// Test certificates, generated per run (never committed): a CA and leaf certificates signed by
// it, ECDSA P-256, through WebCrypto and @peculiar/x509. Also a writer of zstd frames for Node
// versions whose zlib has no zstd encoder.

import { webcrypto } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto)
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
const DAY = 86_400_000

function pemKey(pkcs8) {
  const b64 = Buffer.from(pkcs8).toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`
}

let serial = 1
function nextSerial() {
  serial += 1
  return serial.toString(16).padStart(4, '0')
}

/** A self-signed CA: `{ cert, keys, pem }`. */
export async function makeCa(name = 'late-native test CA') {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { cert, keys, pem: cert.toString('pem') + '\n' }
}

/**
 * A server certificate signed by `ca`: `{ cert, key }` PEM strings for `tls.createServer`.
 * `names`: DNS names and IPs (default localhost and 127.0.0.1); `expired`: valid only in the past.
 */
export async function makeLeaf(ca, { names = ['localhost', '127.0.0.1'], expired = false, crlUrl = null } = {}) {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${names[0]}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - (expired ? 10 : 1) * DAY),
    notAfter: new Date(now + (expired ? -2 : 10) * DAY),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (/^[\d.]+$/.test(n) ? { type: 'ip', value: n } : { type: 'dns', value: n })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...(crlUrl ? [new x509.CRLDistributionPointsExtension([crlUrl])] : []),
    ],
  })
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)
  return { cert: cert.toString('pem') + '\n' + ca.pem, key: pemKey(pkcs8) }
}

/**
 * An empty certificate revocation list signed by `ca` (DER), valid for a week: what a leaf made
 * with `crlUrl` points to. Windows checks the end certificate's revocation and, unlike Windows
 * itself, Wine's crypt32 fails a certificate whose revocation status is unknown.
 */
export async function makeCrl(ca) {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(Date.now() - DAY),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey)],
  })
  return Buffer.from(crl.rawData)
}

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'late-tls-'))
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

/**
 * A zstd frame of `data`: real compression where Node's zlib has zstd (Node ≥ 22.15), else a
 * valid frame of raw blocks (RFC 8878 §3.1.1.2), which exercises the same decoder.
 */
export function zstd(data) {
  if (typeof zlib.zstdCompressSync === 'function') return zlib.zstdCompressSync(data)
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x00]), Buffer.from([0x58])] // no FCS, window 4 MB
  const max = 128 * 1024
  if (data.length === 0) parts.push(Buffer.from([0x01, 0x00, 0x00]))
  for (let off = 0; off < data.length; off += max) {
    const chunk = data.subarray(off, off + max)
    const last = off + max >= data.length ? 1 : 0
    const h = (chunk.length << 3) | last // block type 0 = raw
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), chunk)
  }
  return Buffer.concat(parts)
}

/** A zstd frame of RLE blocks that decodes to `blocks × 128 KiB` of `byte`: a decompression bomb. */
export function zstdBomb(blocks, byte = 0x61) {
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])]
  for (let i = 0; i < blocks; i++) {
    const h = ((128 * 1024) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0) // block type 1 = RLE
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, byte]))
  }
  return Buffer.concat(parts)
}

/** Encodes `body` for `encoding` (br, gzip, deflate, zstd). */
export function encode(encoding, body) {
  const data = Buffer.from(body)
  switch (encoding) {
    case 'br':
      return zlib.brotliCompressSync(data)
    case 'gzip':
      return zlib.gzipSync(data)
    case 'deflate':
      return zlib.deflateSync(data)
    case 'zstd':
      return zstd(data)
    default:
      return data
  }
}
