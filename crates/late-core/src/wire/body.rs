//! Request bodies of every kind the API takes: JSON text, one raw payload with its own content
//! type (`application/octet-stream` uploads), and `multipart/form-data`. Raw payloads and
//! multipart parts are bytes already in memory or a file streamed from disk in 256 KiB chunks,
//! never read whole. A body is rebuilt for every attempt, so a retry re-reads a file from its
//! start, and the `Content-Length` is always known before the first byte goes out.

use std::path::PathBuf;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt};
use reqwest::header::HeaderValue;
use tokio::io::AsyncReadExt;

use crate::base::error::{Error, Result};

/// Chunk size of a body streamed from memory or disk (a raw payload, a multipart part, an upload
/// to a presigned URL), and the granularity of an upload's progress.
pub(crate) const CHUNK: usize = 256 * 1024;

/// Where a payload's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Bytes already in memory.
    Bytes(Bytes),
    /// A file, streamed from disk at send time.
    File(PathBuf),
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, Debug)]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts (`filename="…"`).
    pub filename: Option<String>,
    /// The part's `Content-Type`, for file parts.
    pub content_type: Option<String>,
    /// The part's content.
    pub source: Source,
}

/// A `multipart/form-data` body: its boundary and parts, in order.
#[derive(Clone, Debug)]
pub struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

/// A request body.
#[derive(Clone, Debug)]
pub enum Body {
    /// JSON text, sent as `application/json`.
    Json(Bytes),
    /// One payload sent as is, with its content type (e.g. `application/octet-stream`).
    Raw {
        /// The `Content-Type` header value.
        content_type: HeaderValue,
        /// The payload.
        source: Source,
    },
    /// A `multipart/form-data` body.
    Multipart(Multipart),
}

/// What one attempt sends: the body stream and its length (`None`: reqwest knows it).
pub(crate) struct Prepared {
    /// The body.
    pub body: reqwest::Body,
    /// The `Content-Length` to send with a streamed body.
    pub length: Option<u64>,
}

/// `"` and line breaks in a field or file name, escaped as browsers and undici's `FormData` do.
fn escape(name: &str) -> String {
    name.replace('\n', "%0A")
        .replace('\r', "%0D")
        .replace('"', "%22")
}

impl Multipart {
    /// A multipart body with a fresh random boundary.
    pub fn new(parts: Vec<Part>) -> Result<Self> {
        Self::with_boundary(
            format!("----late-native-{}", crate::base::ids::random_id()),
            parts,
        )
    }

    /// A multipart body with the given boundary (1–70 characters of the RFC 2046 set).
    pub fn with_boundary(boundary: impl Into<String>, parts: Vec<Part>) -> Result<Self> {
        let boundary = boundary.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=?".contains(c);
        if boundary.is_empty() || boundary.len() > 70 || !boundary.chars().all(allowed) {
            return Err(Error::validation(
                "boundary",
                "expected 1 to 70 letters, digits or '()+_,-./:=?",
            ));
        }
        for part in &parts {
            if let Some(ct) = &part.content_type {
                HeaderValue::from_str(ct).map_err(|_| {
                    Error::validation(
                        format!("body.{}", part.name),
                        "its content type is not a valid header value",
                    )
                })?;
            }
        }
        Ok(Self { boundary, parts })
    }

    /// The header block that opens `part`.
    fn head(&self, part: &Part) -> Bytes {
        let mut h = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            escape(&part.name)
        );
        if let Some(f) = &part.filename {
            h.push_str(&format!("; filename=\"{}\"", escape(f)));
        }
        h.push_str("\r\n");
        if let Some(ct) = &part.content_type {
            h.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        h.push_str("\r\n");
        Bytes::from(h)
    }

    fn tail(&self) -> Bytes {
        Bytes::from(format!("--{}--\r\n", self.boundary))
    }
}

impl Body {
    /// A JSON body.
    pub fn json(text: impl Into<Bytes>) -> Self {
        Self::Json(text.into())
    }

    /// A raw payload with its content type.
    pub fn raw(content_type: &str, source: Source) -> Result<Self> {
        let content_type = HeaderValue::from_str(content_type)
            .map_err(|_| Error::validation("contentType", "is not a valid header value"))?;
        Ok(Self::Raw {
            content_type,
            source,
        })
    }

    /// The `Content-Type` header value.
    pub fn content_type(&self) -> HeaderValue {
        match self {
            Self::Json(_) => HeaderValue::from_static("application/json"),
            Self::Raw { content_type, .. } => content_type.clone(),
            Self::Multipart(m) => {
                HeaderValue::from_str(&format!("multipart/form-data; boundary={}", m.boundary))
                    .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"))
            }
        }
    }

    /// Builds the body for one attempt: opens files (a missing or unreadable file is a
    /// validation error naming it) and chains the segments into one stream.
    pub(crate) async fn prepare(&self) -> Result<Prepared> {
        if let Self::Json(b) = self {
            return Ok(Prepared {
                body: reqwest::Body::from(b.clone()),
                length: None,
            });
        }
        let (stream, length) = self.stream().await?;
        Ok(Prepared {
            body: reqwest::Body::wrap_stream(stream),
            length: Some(length),
        })
    }

    /// The whole body in memory (files read): for tests.
    #[cfg(test)]
    pub async fn to_bytes(&self) -> Result<Bytes> {
        let (mut s, length) = self.stream().await?;
        let mut out = bytes::BytesMut::with_capacity(length as usize);
        while let Some(chunk) = s.next().await {
            let chunk =
                chunk.map_err(|e| Error::validation("file", format!("read failed: {e}")))?;
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }

    /// The body as one stream of chunks, and its length in bytes.
    async fn stream(&self) -> Result<(ByteStream, u64)> {
        match self {
            Self::Json(b) => Ok((once(b.clone()), b.len() as u64)),
            Self::Raw { source, .. } => segment(source).await,
            Self::Multipart(m) => {
                let mut streams = Vec::with_capacity(m.parts.len() * 3 + 1);
                let mut length = 0u64;
                for part in &m.parts {
                    let head = m.head(part);
                    length += head.len() as u64;
                    streams.push(once(head));
                    let (content, n) = segment(&part.source).await?;
                    length += n + 2;
                    streams.push(content);
                    streams.push(once(Bytes::from_static(b"\r\n")));
                }
                let tail = m.tail();
                length += tail.len() as u64;
                streams.push(once(tail));
                Ok((stream::iter(streams).flatten().boxed(), length))
            }
        }
    }
}

type ByteStream = BoxStream<'static, std::io::Result<Bytes>>;

fn once(b: Bytes) -> ByteStream {
    stream::once(async move { Ok(b) }).boxed()
}

/// A payload's stream and length; a file is opened now and read lazily, never past the size it
/// had when opened.
async fn segment(source: &Source) -> Result<(ByteStream, u64)> {
    match source {
        Source::Bytes(b) => {
            let chunks: Vec<std::io::Result<Bytes>> = (0..b.len())
                .step_by(CHUNK)
                .map(|i| Ok(b.slice(i..(i + CHUNK).min(b.len()))))
                .collect();
            Ok((stream::iter(chunks).boxed(), b.len() as u64))
        }
        Source::File(path) => {
            let cannot = |e: std::io::Error| {
                Error::validation("file", format!("cannot read `{}`: {e}", path.display()))
            };
            let file = tokio::fs::File::open(path).await.map_err(cannot)?;
            let meta = file.metadata().await.map_err(cannot)?;
            if !meta.is_file() {
                return Err(Error::validation(
                    "file",
                    format!("`{}` is not a file", path.display()),
                ));
            }
            let len = meta.len();
            let reader = file.take(len);
            Ok((
                tokio_util::io::ReaderStream::with_capacity(reader, CHUNK).boxed(),
                len,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> Part {
        Part {
            name: name.into(),
            filename: None,
            content_type: None,
            source: Source::Bytes(Bytes::from(value.to_string())),
        }
    }

    #[tokio::test]
    async fn multipart_bytes_are_exact_and_the_length_matches() {
        let dir = std::env::temp_dir().join(format!("late-body-{}", crate::base::ids::random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("posts.csv");
        std::fs::write(&file, "a,b\r\n1,2\r\n").unwrap();
        let m = Multipart::with_boundary(
            "XyZ",
            vec![
                text("dry\"Run", "true"),
                Part {
                    name: "file".into(),
                    filename: Some("po\nsts.csv".into()),
                    content_type: Some("text/csv".into()),
                    source: Source::File(file.clone()),
                },
            ],
        )
        .unwrap();
        let body = Body::Multipart(m);
        assert_eq!(
            body.content_type(),
            HeaderValue::from_static("multipart/form-data; boundary=XyZ")
        );
        let expected = "--XyZ\r\nContent-Disposition: form-data; name=\"dry%22Run\"\r\n\r\ntrue\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"po%0Asts.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n\
--XyZ--\r\n";
        assert_eq!(body.to_bytes().await.unwrap(), Bytes::from(expected));
        assert_eq!(
            body.prepare().await.unwrap().length,
            Some(expected.len() as u64)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_file_is_a_validation_error() {
        let body = Body::raw(
            "application/octet-stream",
            Source::File("/no/such/late-file".into()),
        )
        .unwrap();
        assert!(matches!(
            body.prepare().await,
            Err(Error::Validation { ref param, .. }) if param == "file"
        ));
    }

    #[test]
    fn bad_boundaries_and_content_types_are_refused() {
        assert!(Multipart::with_boundary("", vec![]).is_err());
        assert!(Multipart::with_boundary("a b", vec![]).is_err());
        assert!(Body::raw("text/plain\r\nX: y", Source::Bytes(Bytes::new())).is_err());
        let bad = Part {
            content_type: Some("a\nb".into()),
            ..text("f", "x")
        };
        assert!(Multipart::with_boundary("b", vec![bad]).is_err());
    }
}
