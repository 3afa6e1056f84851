//! `POST /v1/media/presign` plus the simulator's stand-in storage: `PUT` to the upload URL,
//! `GET` from the public URL.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::{Fields, JsonObject, Query};
use crate::ids::random_hex;
use crate::state::MediaObject;
use crate::time::{now_iso, unix_millis};

/// Content types accepted by presign (the spec's `MediaContentType`).
pub const MEDIA_CONTENT_TYPES: &[&str] = &[
    "image/jpeg",
    "image/jpg",
    "image/png",
    "image/webp",
    "image/gif",
    "video/mp4",
    "video/mpeg",
    "video/quicktime",
    "video/avi",
    "video/x-msvideo",
    "video/webm",
    "video/x-m4v",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/ogg",
    "audio/wav",
    "audio/webm",
    "audio/x-m4a",
    "application/x-subrip",
    "text/vtt",
];

const MAX_SIZE: u64 = 5 * 1024 * 1024 * 1024;
const EXPIRES_IN: Duration = Duration::from_secs(3600);

fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() {
        "file".into()
    } else {
        s.chars().take(100).collect()
    }
}

/// `POST /v1/media/presign` → `{uploadUrl, publicUrl, key, expiresIn: 3600}`.
pub(crate) async fn presign(
    State(app): State<Shared>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let filename = body.req_str("filename")?;
    let content_type = body.req_str("contentType")?;
    if !MEDIA_CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(ApiError::invalid(
            "contentType",
            format!(
                "Unsupported contentType {content_type:?}. Use one of: {}.",
                MEDIA_CONTENT_TYPES.join(", ")
            ),
        ));
    }
    let size = match body.get("size") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n) if n <= MAX_SIZE => Some(n),
            _ => {
                return Err(ApiError::invalid(
                    "size",
                    "size must be an integer between 0 and 5 GB",
                ))
            }
        },
    };
    let key = format!(
        "temp/{}_{}_{}",
        unix_millis(),
        random_hex(3),
        sanitize(&filename)
    );
    let token = random_hex(16);
    let obj = MediaObject {
        key: key.clone(),
        filename,
        content_type,
        declared_size: size,
        token: token.clone(),
        bytes: None,
        created: Instant::now(),
        created_at: now_iso(),
    };
    app.state().media.insert(key.clone(), obj);
    Ok(Json(json!({
        "uploadUrl": format!("{}/__sim/uploads/{key}?token={token}&expires={}", app.origin, EXPIRES_IN.as_secs()),
        "publicUrl": format!("{}/__sim/media/{key}", app.origin),
        "key": key,
        "expiresIn": EXPIRES_IN.as_secs(),
    })))
}

fn storage_error(status: StatusCode, code: &str, message: &str) -> Response {
    ApiError::raw(status, json!({ "error": message, "code": code })).into_response()
}

/// `PUT /__sim/uploads/{key}?token=…`: stores the bytes; `Content-Type` must match the
/// presigned type (403 `SignatureDoesNotMatch` otherwise, like S3).
pub(crate) async fn upload(
    State(app): State<Shared>,
    Path(key): Path<String>,
    q: Query,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = app.state();
    let Some(obj) = st.media.get_mut(&key) else {
        return storage_error(StatusCode::NOT_FOUND, "NoSuchUpload", "Unknown upload URL");
    };
    if q.str("token") != Some(obj.token.as_str()) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The upload token is missing or wrong",
        );
    }
    if obj.created.elapsed() > EXPIRES_IN {
        return storage_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "The upload URL has expired",
        );
    }
    let sent_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| {
            s.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if sent_type.as_deref() != Some(obj.content_type.as_str()) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            &format!(
                "Content-Type {:?} does not match the presigned contentType {:?}",
                sent_type.unwrap_or_default(),
                obj.content_type
            ),
        );
    }
    if let Some(size) = obj.declared_size {
        if size != body.len() as u64 {
            return storage_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                &format!("Declared size {size} but received {} bytes", body.len()),
            );
        }
    }
    let digest: String = crate::webhook_delivery::sign("etag", &body)
        .chars()
        .take(32)
        .collect();
    let etag = format!("\"{digest}\"");
    obj.bytes = Some(body);
    (StatusCode::OK, [(header::ETAG, etag)]).into_response()
}

/// `GET /__sim/media/{key}`: serves uploaded bytes.
pub(crate) async fn download(State(app): State<Shared>, Path(key): Path<String>) -> Response {
    let st = app.state();
    match st
        .media
        .get(&key)
        .and_then(|m| m.bytes.clone().map(|b| (m.content_type.clone(), b)))
    {
        Some((ct, bytes)) => (StatusCode::OK, [(header::CONTENT_TYPE, ct)], bytes).into_response(),
        None => storage_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "No media stored under this key",
        ),
    }
}
