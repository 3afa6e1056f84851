//! Structured errors. Each one crosses to JS as JSON (see [`Error::to_json`]) and becomes a
//! typed error class in the facade.

use std::fmt;
use std::time::Duration;

use serde_json::{json, Value};

use crate::base::rate_limit::RateLimit;
use crate::base::secret::ApiKey;

/// Result type of the core.
pub type Result<T> = std::result::Result<T, Error>;

/// Why a connection failed, as far as the transport can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionKind {
    /// Nothing listens at the address (`ECONNREFUSED`).
    Refused,
    /// The peer reset or closed the connection before a full response (`ECONNRESET`, EOF).
    Reset,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// Connecting took longer than the timeout.
    ConnectTimeout,
    /// Anything else.
    Other,
}

impl ConnectionKind {
    /// Stable lower-case name used in messages and in JS (`cause.code`-like).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "connection_refused",
            Self::Reset => "connection_reset",
            Self::Dns => "dns",
            Self::Tls => "tls",
            Self::ConnectTimeout => "connect_timeout",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for ConnectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-success HTTP answer from the API.
#[derive(Clone, Debug, Default)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Human message: the envelope's `error` field, or the status text.
    pub message: String,
    /// Envelope `code`.
    pub code: Option<String>,
    /// Envelope `type`.
    pub error_type: Option<String>,
    /// Envelope `param`.
    pub param: Option<String>,
    /// `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// Response headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// Raw body text (possibly cut to a short excerpt when it was huge or not JSON).
    pub body: String,
    /// `Retry-After` (or `retry-after-ms`), in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// `X-RateLimit-*` headers.
    pub rate_limit: Option<RateLimit>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// What the call may have done (set on the call's final error).
    pub outcome: Outcome,
}

/// What a failed call may have done on the server, set by the transport on the call's final
/// error (the replay rule of late-core's `policy/replay.rs`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The request reached the server and no answer says what became of it (a timeout or a
    /// connection lost after sending, a 5xx, an unreadable answer): the action may have been
    /// done. `false` when the failure proves nothing was done or the API refused the request.
    pub may_have_been_processed: bool,
    /// Why the call was not sent again although the failure is one that is retried for a
    /// request that is safe to repeat (its operation does not accept `Idempotency-Key`).
    pub not_replayed: Option<String>,
    /// The `Idempotency-Key` that was sent: a call sent again with it is never done twice.
    pub idempotency_key: Option<String>,
}

impl ApiError {
    /// Decodes an error response: the envelope's `error` (string, or object with `message`),
    /// `code`, `type` and `param`; the status text when the body is not JSON. Every occurrence of
    /// the key is redacted from the body and message. Never panics, whatever the bytes.
    pub fn from_response(
        key: &ApiKey,
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
        request_id: Option<String>,
        rate_limit: Option<RateLimit>,
        wait: Option<Duration>,
    ) -> Self {
        let text = key.redact(&String::from_utf8_lossy(body));
        let envelope: Option<Value> = serde_json::from_str(&text).ok();
        let field = |name: &str| -> Option<String> {
            envelope.as_ref()?.get(name)?.as_str().map(str::to_string)
        };
        let message = envelope
            .as_ref()
            .and_then(|v| match v.get("error") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Object(o)) => o
                    .get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string),
                _ => v
                    .get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string),
            })
            .unwrap_or_else(|| {
                let reason = http::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("error");
                if text.trim().is_empty() || envelope.is_some() {
                    reason.to_string()
                } else {
                    format!("{reason}: {}", excerpt(text.trim(), 200))
                }
            });
        let body = if envelope.is_some() {
            text.clone()
        } else {
            excerpt(&text, 2048)
        };
        ApiError {
            status,
            message: excerpt(&message, 1000),
            code: field("code"),
            error_type: field("type"),
            param: field("param"),
            request_id,
            headers,
            body,
            retry_after_ms: wait.map(|w| w.as_millis().min(u64::MAX as u128) as u64),
            rate_limit,
            attempts: 0,
            outcome: Outcome::default(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.message)?;
        if let Some(code) = &self.code {
            write!(f, " (code: {code})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id: {id}]")?;
        }
        Ok(())
    }
}

/// Every way a call can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No HTTP answer: refused, reset, DNS, TLS.
    #[error("connection failed ({kind}): {message}")]
    Connection {
        /// What kind of failure it was.
        kind: ConnectionKind,
        /// The full cause chain, flattened.
        message: String,
        /// Attempts made.
        attempts: u32,
        /// Whether the request may have been written: `false` when the failure came while
        /// connecting (refused, DNS, TLS, connect timeout), so the server saw nothing.
        sent: bool,
        /// What the call may have done.
        outcome: Outcome,
    },
    /// An attempt exceeded the timeout.
    #[error("request timed out after {timeout_ms} ms (per attempt; {attempts} attempt(s))")]
    Timeout {
        /// The per-attempt timeout that fired.
        timeout_ms: u64,
        /// Attempts made.
        attempts: u32,
        /// What the call may have done.
        outcome: Outcome,
    },
    /// The caller cancelled the call.
    #[error("the request was aborted")]
    Aborted {
        /// What the call may have done (an attempt in flight when it was cancelled may have
        /// reached the server).
        outcome: Outcome,
    },
    /// Bad input, caught before any request was sent.
    #[error("invalid `{param}`: {message}")]
    Validation {
        /// The parameter at fault, e.g. `platform`.
        param: String,
        /// What was expected.
        message: String,
    },
    /// A success response whose body could not be used (not JSON, wrong shape, too large).
    #[error("{message}")]
    Decode {
        /// What went wrong, with a short excerpt of the body.
        message: String,
        /// HTTP status of the response.
        status: u16,
        /// `X-Request-Id` of the response.
        request_id: Option<String>,
        /// What the call may have done.
        outcome: Outcome,
    },
    /// A bug or an impossible state (including a caught panic).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Shorthand for [`Error::Validation`].
    pub fn validation(param: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            param: param.into(),
            message: message.into(),
        }
    }

    /// A connection failure with nothing known of the call yet.
    pub fn connection(kind: ConnectionKind, message: impl Into<String>, sent: bool) -> Self {
        Self::Connection {
            kind,
            message: message.into(),
            attempts: 0,
            sent,
            outcome: Outcome::default(),
        }
    }

    /// An attempt's timeout (`timeout_ms`), with nothing known of the call yet.
    pub fn timeout(timeout_ms: u64, attempts: u32) -> Self {
        Self::Timeout {
            timeout_ms,
            attempts,
            outcome: Outcome::default(),
        }
    }

    /// The caller cancelled the call.
    pub fn aborted() -> Self {
        Self::Aborted {
            outcome: Outcome::default(),
        }
    }

    /// An answer that could not be used.
    pub fn decode(message: impl Into<String>, status: u16, request_id: Option<String>) -> Self {
        Self::Decode {
            message: message.into(),
            status,
            request_id,
            outcome: Outcome::default(),
        }
    }

    /// What the call may have done, on the errors that can say it.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Error::Api(e) => Some(&e.outcome),
            Error::Connection { outcome, .. }
            | Error::Timeout { outcome, .. }
            | Error::Aborted { outcome }
            | Error::Decode { outcome, .. } => Some(outcome),
            Error::Validation { .. } | Error::Internal(_) => None,
        }
    }

    /// Sets what the call may have done (no effect on validation and internal errors).
    pub(crate) fn with_outcome(mut self, o: Outcome) -> Self {
        match &mut self {
            Error::Api(e) => e.outcome = o,
            Error::Connection { outcome, .. }
            | Error::Timeout { outcome, .. }
            | Error::Aborted { outcome }
            | Error::Decode { outcome, .. } => *outcome = o,
            Error::Validation { .. } | Error::Internal(_) => {}
        }
        self
    }

    /// The message JS shows: the error, then why it was not sent again, if that applies.
    pub fn message(&self) -> String {
        let text = self.to_string();
        match self.outcome().and_then(|o| o.not_replayed.as_deref()) {
            Some(note) => format!("{text}; {note}"),
            None => text,
        }
    }

    /// The structured form sent to JS. `kind` selects the error class there.
    pub fn to_json(&self) -> Value {
        let mut v = match self {
            Error::Api(e) => json!({
                "kind": "api",
                "status": e.status,
                "code": e.code,
                "type": e.error_type,
                "param": e.param,
                "requestId": e.request_id,
                "headers": e
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect::<serde_json::Map<_, _>>(),
                "body": e.body,
                "retryAfterMs": e.retry_after_ms,
                "rateLimit": e.rate_limit.as_ref().map(RateLimit::to_json),
                "attempts": e.attempts,
            }),
            Error::Connection {
                kind,
                message,
                attempts,
                ..
            } => json!({
                "kind": "connection",
                "cause": kind.as_str(),
                "detail": message,
                "attempts": attempts,
            }),
            Error::Timeout {
                timeout_ms,
                attempts,
                ..
            } => json!({
                "kind": "timeout",
                "timeoutMs": timeout_ms,
                "attempts": attempts,
            }),
            Error::Aborted { .. } => json!({ "kind": "aborted" }),
            Error::Validation { param, .. } => json!({
                "kind": "validation",
                "param": param,
            }),
            Error::Decode {
                status, request_id, ..
            } => json!({
                "kind": "decode",
                "status": status,
                "requestId": request_id,
            }),
            Error::Internal(_) => json!({ "kind": "internal" }),
        };
        v["message"] = Value::String(self.message());
        if let Some(o) = self.outcome() {
            v["mayHaveBeenProcessed"] = Value::Bool(o.may_have_been_processed);
            if let Some(key) = &o.idempotency_key {
                v["idempotencyKey"] = Value::String(key.clone());
            }
            if let Some(note) = &o.not_replayed {
                v["notReplayed"] = Value::String(note.clone());
            }
        }
        v
    }

    /// Sets the attempt count on errors that carry one.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Api(e) => e.attempts = n,
            Error::Connection { attempts, .. } | Error::Timeout { attempts, .. } => *attempts = n,
            _ => {}
        }
        self
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary, marking the cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// The error and all its sources, joined: reqwest's own message hides the real cause.
pub(crate) fn flatten(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        src = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_message_has_status_code_and_request_id() {
        let e = Error::Api(Box::new(ApiError {
            status: 404,
            message: "Profile not found".into(),
            code: Some("not_found".into()),
            request_id: Some("req_1".into()),
            ..Default::default()
        }));
        assert_eq!(
            e.to_string(),
            "404 Profile not found (code: not_found) [request id: req_1]"
        );
        let j = e.to_json();
        assert_eq!(j["kind"], "api");
        assert_eq!(j["status"], 404);
        assert_eq!(j["requestId"], "req_1");
    }

    #[test]
    fn excerpt_respects_char_boundaries() {
        let s = "ééééé";
        let cut = excerpt(s, 3);
        assert!(cut.starts_with('é'));
        assert!(cut.contains("10 bytes"));
        assert_eq!(excerpt("short", 10), "short");
    }

    #[test]
    fn validation_json_names_the_param() {
        let j = Error::validation("platform", "unknown").to_json();
        assert_eq!(j["kind"], "validation");
        assert_eq!(j["param"], "platform");
    }
}
