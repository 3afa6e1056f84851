//! Errors: [`SimError`] for the Rust API, [`ApiError`] for HTTP error responses.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// An error from the simulator's Rust API.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound (port in use, permission denied, ...).
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The configuration is unusable (for example an empty API key).
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    /// A fault description was invalid; the message names the bad field.
    #[error("invalid fault: {0}")]
    InvalidFault(String),
    /// A consent URL or state was unknown, expired or already used.
    #[error("consent failed: {0}")]
    Consent(String),
    /// The webhook HTTP client could not be built.
    #[error("could not build the webhook HTTP client: {0}")]
    HttpClient(String),
}

/// An HTTP error answer in the API's `ErrorResponse` envelope (`{error, type, code, param?}`),
/// or any other JSON body when the spec documents a different shape.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: Value,
    /// Extra response headers (for example `Retry-After`).
    pub headers: Vec<(HeaderName, String)>,
}

impl ApiError {
    /// An error with the standard envelope.
    pub fn new(status: StatusCode, kind: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({ "error": message.into(), "type": kind, "code": code }),
            headers: Vec::new(),
        }
    }

    /// An error with an arbitrary JSON body.
    pub fn raw(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// Adds the `param` field naming the offending request field.
    pub fn param(mut self, param: &str) -> Self {
        if let Value::Object(m) = &mut self.body {
            m.insert("param".into(), Value::String(param.to_string()));
        }
        self
    }

    /// Adds a `details` object.
    pub fn details(mut self, details: Value) -> Self {
        if let Value::Object(m) = &mut self.body {
            m.insert("details".into(), details);
        }
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// 400 `invalid_request_error`.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            code,
            message,
        )
    }

    /// 400 for a missing required field.
    pub fn missing(param: &str) -> Self {
        Self::bad_request("missing_required_field", format!("{param} is required")).param(param)
    }

    /// 400 for a field with a wrong value.
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::bad_request("INVALID_FIELD_VALUE", message).param(param)
    }

    /// 404 `not_found`.
    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", code, message)
    }

    /// 403 `permission_error`.
    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "permission_error", code, message)
    }

    /// 409 conflict.
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "invalid_request_error", code, message)
    }

    /// 422 for an `Idempotency-Key` reused with a different request body.
    pub fn idempotency_key_reused() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request_error",
            "idempotency_key_reused",
            "This Idempotency-Key was already used with a different request body.",
        )
        .param("Idempotency-Key")
    }

    /// 409 while a request with the same `Idempotency-Key` is still being processed.
    pub fn idempotency_in_flight() -> Self {
        Self::conflict(
            "idempotency_conflict",
            "A request with this Idempotency-Key is still being processed. Retry after a short delay.",
        )
        .header(axum::http::header::RETRY_AFTER, "1")
    }

    /// A default body for an injected fault status.
    pub fn for_status(status: StatusCode) -> Self {
        let (kind, code) = match status.as_u16() {
            400 => ("invalid_request_error", "bad_request"),
            401 => ("authentication_error", "invalid_credentials"),
            402 => ("invalid_request_error", "PAYMENT_REQUIRED"),
            403 => ("permission_error", "forbidden"),
            404 => ("not_found", "resource_not_found"),
            409 => ("invalid_request_error", "conflict"),
            422 => ("invalid_request_error", "unprocessable_entity"),
            429 => ("rate_limit_error", "rate_limited"),
            503 => ("api_error", "temporarily_unavailable"),
            s if s >= 500 => ("api_error", "internal_error"),
            _ => ("api_error", "simulated_fault"),
        };
        let msg = format!(
            "Simulated {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("error")
        );
        Self::new(status, kind, code, msg)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body)).into_response();
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}
