//! Request bodies other than JSON text, as the facade hands them over: one raw payload
//! (`application/octet-stream` and the like) or `multipart/form-data` parts, each from bytes or
//! from a file path that Rust streams from disk (the file never enters the JS heap).

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::errors::{validation, CoreResult};

/// A raw payload or a multipart form. Exactly one of `data`, `path` and `parts` is set.
#[napi(object)]
pub struct NativeBody {
    /// `Content-Type` of a raw payload (ignored for multipart: the boundary is chosen here).
    pub content_type: Option<String>,
    /// Raw payload bytes.
    pub data: Option<Buffer>,
    /// Raw payload streamed from this file.
    pub path: Option<String>,
    /// Multipart parts, in order.
    pub parts: Option<Vec<NativePart>>,
    /// Multipart boundary (tests); a random one when absent.
    pub boundary: Option<String>,
}

/// One multipart part: text (`text`), bytes (`data`) or a file (`path`).
#[napi(object)]
pub struct NativePart {
    /// The form field name.
    pub name: String,
    /// A text value.
    pub text: Option<String>,
    /// A file's bytes.
    pub data: Option<Buffer>,
    /// A file streamed from disk.
    pub path: Option<String>,
    /// `filename="…"` of a file part.
    pub filename: Option<String>,
    /// `Content-Type` of a file part.
    pub content_type: Option<String>,
}

fn source(data: Option<Buffer>, path: Option<String>, what: &str) -> CoreResult<late_core::Source> {
    match (data, path) {
        (_, Some(p)) => Ok(late_core::Source::File(p.into())),
        (Some(d), None) => Ok(late_core::Source::Bytes(d.to_vec().into())),
        (None, None) => Err(validation(what, "expected bytes or a file path")),
    }
}

/// The core body for `b`.
pub(crate) fn to_core(b: NativeBody) -> CoreResult<late_core::Body> {
    let Some(parts) = b.parts else {
        let content_type = b
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_string());
        let src = source(b.data, b.path, "body")?;
        return late_core::Body::raw(&content_type, src);
    };
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        let src = match p.text {
            Some(t) => late_core::Source::Bytes(t.into_bytes().into()),
            None => source(p.data, p.path, &format!("body.{}", p.name))?,
        };
        out.push(late_core::Part {
            name: p.name,
            filename: p.filename,
            content_type: p.content_type,
            source: src,
        });
    }
    let form = match b.boundary {
        Some(boundary) => late_core::Multipart::with_boundary(boundary, out),
        None => late_core::Multipart::new(out),
    };
    Ok(late_core::Body::Multipart(form?))
}
