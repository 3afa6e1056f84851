//! Uploading media bytes to a presigned URL: streamed from disk (never loaded whole), with
//! progress, an inactivity timeout, retries (a PUT is idempotent) and cancellation.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use tokio_util::sync::CancellationToken;

use crate::base::error::{flatten, ApiError, ConnectionKind, Error, Result};
use crate::policy::retry;
use crate::send::config::ClientConfig;
use crate::wire::body::CHUNK;
use crate::wire::request::CallOptions;
use crate::wire::response::header_list;

/// Where the bytes come from.
#[derive(Clone, Debug)]
pub enum UploadSource {
    /// A file, streamed from disk.
    Path(PathBuf),
    /// Bytes already in memory.
    Bytes(Bytes),
}

/// One upload to a presigned URL.
#[derive(Clone, Debug)]
pub struct Upload {
    /// The presigned `uploadUrl`. No `Authorization` header is sent to it.
    pub url: String,
    /// The bytes.
    pub source: UploadSource,
    /// `Content-Type`, as given to presign.
    pub content_type: String,
}

/// A finished upload.
#[derive(Clone, Debug)]
pub struct UploadOutcome {
    /// HTTP status of the PUT.
    pub status: u16,
    /// Bytes sent.
    pub bytes: u64,
    /// Attempts made.
    pub attempts: u32,
    /// `ETag` of the stored object, if the server sent one.
    pub etag: Option<String>,
}

/// Size of the source in bytes (reads file metadata only).
pub(crate) async fn source_size(source: &UploadSource) -> Result<u64> {
    match source {
        UploadSource::Bytes(b) => Ok(b.len() as u64),
        UploadSource::Path(p) => {
            let meta = tokio::fs::metadata(p).await.map_err(|e| {
                Error::validation("file", format!("cannot read `{}`: {e}", p.display()))
            })?;
            if !meta.is_file() {
                return Err(Error::validation(
                    "file",
                    format!("`{}` is not a file", p.display()),
                ));
            }
            Ok(meta.len())
        }
    }
}

async fn body(source: &UploadSource, sent: Arc<AtomicU64>) -> Result<reqwest::Body> {
    match source {
        UploadSource::Bytes(b) => {
            let chunks: Vec<Bytes> = (0..b.len())
                .step_by(CHUNK)
                .map(|i| b.slice(i..(i + CHUNK).min(b.len())))
                .collect();
            let stream = futures_util::stream::iter(chunks).map(move |c| {
                sent.fetch_add(c.len() as u64, Ordering::Relaxed);
                Ok::<Bytes, std::io::Error>(c)
            });
            Ok(reqwest::Body::wrap_stream(stream))
        }
        UploadSource::Path(p) => {
            let file = tokio::fs::File::open(p).await.map_err(|e| {
                Error::validation("file", format!("cannot open `{}`: {e}", p.display()))
            })?;
            let stream = tokio_util::io::ReaderStream::with_capacity(file, CHUNK).map(move |c| {
                if let Ok(c) = &c {
                    sent.fetch_add(c.len() as u64, Ordering::Relaxed);
                }
                c
            });
            Ok(reqwest::Body::wrap_stream(stream))
        }
    }
}

/// Runs the upload. `progress(sent, total)` is called as bytes go out (at least once, at the end).
/// The timeout is an inactivity timeout: an attempt fails when no byte moved for that long, so a
/// large file on a slow link is not cut off while it progresses.
pub(crate) async fn run(
    http: &reqwest::Client,
    config: &ClientConfig,
    up: &Upload,
    opts: &CallOptions,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<UploadOutcome> {
    let url = reqwest::Url::parse(&up.url)
        .map_err(|_| Error::validation("uploadUrl", "is not a valid URL"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(Error::validation("uploadUrl", "must be an http(s) URL"));
    }
    let content_type = HeaderValue::from_str(&up.content_type)
        .map_err(|_| Error::validation("contentType", "is not a valid header value"))?;
    let total = source_size(&up.source).await?;
    let timeout = opts.timeout.unwrap_or(config.timeout);
    let max_retries = opts.max_retries.unwrap_or(config.max_retries);
    let max_wait = opts.max_retry_wait.unwrap_or(config.max_retry_wait);
    let key = &config.api_key;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        if cancel.is_cancelled() {
            return Err(Error::aborted());
        }
        let sent = Arc::new(AtomicU64::new(0));
        let req = http
            .put(url.clone())
            .header(CONTENT_TYPE, content_type.clone())
            .header(CONTENT_LENGTH, total)
            .body(body(&up.source, sent.clone()).await?);
        let result = watch(req.send(), &sent, total, timeout, progress, cancel).await;
        let err = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let headers = header_list(resp.headers());
                let etag = resp
                    .headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let wait = retry::server_wait(resp.headers(), status, SystemTime::now());
                let bytes = resp.bytes().await.unwrap_or_default();
                if (200..300).contains(&status) {
                    progress(total, total);
                    return Ok(UploadOutcome {
                        status,
                        bytes: total,
                        attempts: attempt,
                        etag,
                    });
                }
                let e = ApiError::from_response(key, status, headers, &bytes, None, None, wait);
                (Error::Api(Box::new(e)), wait)
            }
            Err(e) => (e, None),
        };
        let (err, wait) = err;
        let err = err.with_attempts(attempt);
        if matches!(err, Error::Aborted { .. })
            || attempt > max_retries
            || !retry::is_retryable(&err, true, false)
        {
            return Err(err);
        }
        let Some(wait) = retry::wait_before_retry(wait, attempt - 1, rand::random(), max_wait)
        else {
            return Err(err);
        };
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::aborted()),
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Drives the request, reporting progress and failing after `idle` without any byte moving.
async fn watch(
    fut: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    sent: &AtomicU64,
    total: u64,
    idle: Duration,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
    cancel: &CancellationToken,
) -> Result<reqwest::Response> {
    tokio::pin!(fut);
    let tick = Duration::from_millis(100).min(idle);
    let mut last = 0u64;
    let mut last_move = Instant::now();
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::aborted()),
            r = &mut fut => {
                return r.map_err(|e| Error::connection(ConnectionKind::Reset, flatten(&e), true));
            }
            _ = tokio::time::sleep(tick) => {
                let now = sent.load(Ordering::Relaxed);
                if now != last {
                    last = now;
                    last_move = Instant::now();
                    progress(now.min(total), total);
                } else if last_move.elapsed() >= idle {
                    return Err(Error::timeout(idle.as_millis() as u64, 0));
                }
            }
        }
    }
}
