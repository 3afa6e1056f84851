//! `NativeClient.upload`: the byte-moving half of `media.upload`, with a progress callback.

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

/// What to upload and where.
#[napi(object)]
pub struct NativeUpload {
    /// The presigned `uploadUrl` from `POST /v1/media/presign`.
    pub url: String,
    /// A file to stream from disk (never read whole into memory).
    pub path: Option<String>,
    /// Bytes to send when there is no `path`.
    pub data: Option<Buffer>,
    /// `Content-Type` given to presign.
    pub content_type: String,
}

/// A finished upload.
#[napi(object)]
pub struct NativeUploadResult {
    /// HTTP status of the PUT.
    pub status: u32,
    /// Bytes sent.
    pub bytes: f64,
    /// Attempts made.
    pub attempts: u32,
    /// `ETag` of the stored object.
    pub etag: Option<String>,
}

/// Progress of an upload: bytes sent so far and in all.
#[napi(object)]
pub struct NativeUploadProgress {
    /// Bytes sent so far.
    pub sent: f64,
    /// Bytes in all.
    pub total: f64,
}

/// The progress callback type: called on the JS thread, never keeps the process alive after
/// the upload settles (it is dropped with the call).
pub type ProgressFn =
    ThreadsafeFunction<NativeUploadProgress, (), NativeUploadProgress, Status, false>;

pub(crate) fn to_core(up: NativeUpload) -> crate::errors::CoreResult<late_core::Upload> {
    let source = match (up.path, up.data) {
        (Some(p), _) => late_core::UploadSource::Path(p.into()),
        (None, Some(d)) => late_core::UploadSource::Bytes(d.to_vec().into()),
        (None, None) => {
            return Err(crate::errors::validation(
                "file",
                "expected a file path or bytes",
            ))
        }
    };
    Ok(late_core::Upload {
        url: up.url,
        source,
        content_type: up.content_type,
    })
}

pub(crate) fn progress_callback(f: Option<ProgressFn>) -> impl Fn(u64, u64) + Send + Sync {
    move |sent, total| {
        if let Some(f) = &f {
            let _ = f.call(
                NativeUploadProgress {
                    sent: sent as f64,
                    total: total as f64,
                },
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }
}

impl From<late_core::UploadOutcome> for NativeUploadResult {
    fn from(o: late_core::UploadOutcome) -> Self {
        Self {
            status: o.status as u32,
            bytes: o.bytes as f64,
            attempts: o.attempts,
            etag: o.etag,
        }
    }
}
