//! Response bodies: decompressed in Rust while they stream in (br, gzip, zstd, deflate), with
//! the size cap applied to the decoded bytes, so a small compressed body that inflates past
//! `maxResponseBytes` stops at the cap with bounded memory.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::StreamReader;

/// What every request accepts, best first.
pub(crate) const ACCEPT_ENCODING: &str = "br, gzip, zstd, deflate";

/// A body encoding the client decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// No `Content-Encoding` (or `identity`).
    Identity,
    /// `gzip` (or `x-gzip`).
    Gzip,
    /// `deflate`: zlib-wrapped deflate, as HTTP defines it.
    Deflate,
    /// `br`: Brotli.
    Brotli,
    /// `zstd`: Zstandard.
    Zstd,
}

impl Encoding {
    /// Reads `Content-Encoding`; `Err` carries the value when it is not one the client asked for.
    pub fn from_header(value: Option<&str>) -> Result<Self, String> {
        let Some(v) = value.map(str::trim) else {
            return Ok(Self::Identity);
        };
        match v.to_ascii_lowercase().as_str() {
            "" | "identity" => Ok(Self::Identity),
            "gzip" | "x-gzip" => Ok(Self::Gzip),
            "deflate" => Ok(Self::Deflate),
            "br" => Ok(Self::Brotli),
            "zstd" => Ok(Self::Zstd),
            _ => Err(v.to_string()),
        }
    }

    /// The token, for logs; `None` for identity.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Deflate => Some("deflate"),
            Self::Brotli => Some("br"),
            Self::Zstd => Some("zstd"),
        }
    }
}

/// Why reading a body failed.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The connection failed while the body was streaming.
    Network(reqwest::Error),
    /// The compressed bytes could not be decoded.
    Corrupt(String),
    /// The decoded body passed the cap; the size read so far.
    TooLarge(usize),
}

enum Source {
    Plain(reqwest::Response),
    Decoded(Pin<Box<dyn AsyncRead + Send>>),
}

/// A response body, decoded chunk by chunk.
pub(crate) struct Body {
    source: Source,
    encoding: Encoding,
    wire: Arc<AtomicU64>,
    decoded: usize,
    limit: usize,
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Body")
            .field("encoding", &self.encoding)
            .field("decoded", &self.decoded)
            .finish()
    }
}

/// The size hint of a read from a decoder: large enough to amortise the calls, small enough
/// to hand complete pieces on while the rest streams in.
const DECODED_CHUNK: usize = 64 * 1024;

impl Body {
    /// Wraps `resp`'s body for `encoding`, capped at `limit` decoded bytes.
    pub fn new(resp: reqwest::Response, encoding: Encoding, limit: usize) -> Self {
        let wire = Arc::new(AtomicU64::new(0));
        let source = match encoding {
            Encoding::Identity => Source::Plain(resp),
            Encoding::Gzip => Source::Decoded(Box::pin(GzipDecoder::new(counted(resp, &wire)))),
            Encoding::Deflate => Source::Decoded(Box::pin(ZlibDecoder::new(counted(resp, &wire)))),
            Encoding::Brotli => Source::Decoded(Box::pin(BrotliDecoder::new(counted(resp, &wire)))),
            Encoding::Zstd => Source::Decoded(Box::pin(ZstdDecoder::new(counted(resp, &wire)))),
        };
        Self {
            source,
            encoding,
            wire,
            decoded: 0,
            limit,
        }
    }

    /// Decoded bytes so far.
    pub fn decoded_bytes(&self) -> usize {
        self.decoded
    }

    /// Bytes received on the wire so far (compressed size), when the body is compressed.
    pub fn wire_bytes(&self) -> Option<u64> {
        (self.encoding != Encoding::Identity).then(|| self.wire.load(Ordering::Relaxed))
    }

    /// The next decoded chunk; `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Bytes>, BodyError> {
        let chunk = match &mut self.source {
            Source::Plain(resp) => resp.chunk().await.map_err(BodyError::Network)?,
            Source::Decoded(reader) => {
                let mut buf = BytesMut::with_capacity(DECODED_CHUNK);
                let n = reader.read_buf(&mut buf).await.map_err(io_to_body)?;
                (n > 0).then(|| buf.freeze())
            }
        };
        if let Some(c) = &chunk {
            self.decoded += c.len();
            if self.decoded > self.limit {
                return Err(BodyError::TooLarge(self.decoded));
            }
        }
        Ok(chunk)
    }

    /// The whole decoded body, `size_hint` bytes preallocated (capped at the limit). A body
    /// that arrives in one chunk (every small answer) is returned without a copy.
    pub async fn read_all(&mut self, size_hint: Option<u64>) -> Result<Bytes, BodyError> {
        let Some(first) = self.next().await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.next().await? else {
            return Ok(first);
        };
        let mut buf = BytesMut::with_capacity(
            size_hint
                .map_or(first.len() + second.len(), |n| n as usize)
                .min(self.limit.saturating_add(1)),
        );
        buf.extend_from_slice(&first);
        buf.extend_from_slice(&second);
        while let Some(chunk) = self.next().await? {
            buf.extend_from_slice(&chunk);
        }
        Ok(buf.freeze())
    }
}

/// The raw body as a buffered reader for a decoder, counting the bytes on the wire.
fn counted(
    resp: reqwest::Response,
    wire: &Arc<AtomicU64>,
) -> StreamReader<impl futures_util::Stream<Item = io::Result<Bytes>> + Send, Bytes> {
    let counter = wire.clone();
    StreamReader::new(
        resp.bytes_stream()
            .inspect_ok(move |c| {
                counter.fetch_add(c.len() as u64, Ordering::Relaxed);
            })
            .map_err(|e| io::Error::other(NetworkError(e))),
    )
}

/// A network error carried through the decoder's `io::Error`.
#[derive(Debug)]
struct NetworkError(reqwest::Error);

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for NetworkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn io_to_body(e: io::Error) -> BodyError {
    let is_network = e
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<NetworkError>().is_some());
    if is_network {
        if let Some(inner) = e.into_inner() {
            if let Ok(net) = inner.downcast::<NetworkError>() {
                return BodyError::Network(net.0);
            }
        }
        return BodyError::Corrupt("the connection failed while the body streamed".into());
    }
    BodyError::Corrupt(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_encoding_tokens() {
        assert_eq!(Encoding::from_header(None), Ok(Encoding::Identity));
        assert_eq!(Encoding::from_header(Some("GZIP")), Ok(Encoding::Gzip));
        assert_eq!(Encoding::from_header(Some(" br ")), Ok(Encoding::Brotli));
        assert_eq!(Encoding::from_header(Some("zstd")), Ok(Encoding::Zstd));
        assert_eq!(
            Encoding::from_header(Some("deflate")),
            Ok(Encoding::Deflate)
        );
        assert_eq!(
            Encoding::from_header(Some("compress")),
            Err("compress".to_string())
        );
    }
}
