/**
 * Content types by file extension: the one table for files that do not say their type
 * (`media.upload` by file name, `fileFromPath` for multipart and raw bodies).
 *
 * @example
 * BY_EXTENSION['.png'] // 'image/png'
 */
export const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif',
  '.mp4': 'video/mp4', '.mpeg': 'video/mpeg', '.mpg': 'video/mpeg', '.mov': 'video/quicktime', '.avi': 'video/x-msvideo',
  '.webm': 'video/webm', '.m4v': 'video/x-m4v', '.pdf': 'application/pdf', '.mp3': 'audio/mpeg', '.aac': 'audio/aac',
  '.ogg': 'audio/ogg', '.wav': 'audio/wav', '.m4a': 'audio/x-m4a', '.srt': 'application/x-subrip', '.vtt': 'text/vtt',
  '.csv': 'text/csv', '.txt': 'text/plain', '.json': 'application/json',
}
