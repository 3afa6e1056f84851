'use strict'

/**
 * Non-Latin-1 punctuation of generated declaration text as ASCII (other characters as `\u{…}`
 * escapes): a declaration file that is all one-byte characters stays one byte a character in
 * a consumer's tsc.
 */
function ascii(text) {
  return String(text)
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\u2192/g, '->')
    .replace(/\u2190/g, '<-')
    .replace(/\u2264/g, '<=')
    .replace(/\u2265/g, '>=')
    .replace(/\u00d7/g, 'x')
    .replace(/[^\x00-\xff]/g, (c) => `\\u{${c.codePointAt(0).toString(16)}}`)
}

module.exports = { ascii }
