//! Attempt records to JS: the facade's logger and `onAttempt` hook receive them through a weak
//! threadsafe function (it never keeps the process alive, and the facade wraps the user's code
//! so that nothing it throws can escape).

use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;

/// One attempt of a call, as the logger and `onAttempt` see it. Carries no header value and no
/// query string, so no secret.
#[napi(object)]
pub struct NativeAttempt {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path below the base URL, without the query.
    pub path: String,
    /// The spec's operationId of the route (`createPost`), when the spec has the route.
    pub operation: Option<String>,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// HTTP status, when the server answered.
    pub status: Option<u32>,
    /// Why it failed: `timeout`, `connection_refused`, `tls`, …, or the error envelope's `code`.
    pub error: Option<String>,
    /// Milliseconds from sending to the end of the body (or the failure).
    pub duration_ms: f64,
    /// `X-Request-Id` of the response, or the one sent.
    pub request_id: Option<String>,
    /// `h2` or `http/1.1`.
    pub protocol: Option<String>,
    /// Body bytes received (decoded).
    pub bytes: f64,
    /// Body bytes on the wire, when compressed.
    pub wire_bytes: Option<f64>,
    /// `br`, `gzip`, `zstd` or `deflate`, when compressed.
    pub encoding: Option<String>,
    /// Milliseconds before the next attempt, when the call retries.
    pub retry_in_ms: Option<f64>,
}

impl From<late_core::Attempt> for NativeAttempt {
    fn from(a: late_core::Attempt) -> Self {
        Self {
            method: a.method.to_string(),
            path: a.path,
            operation: a.operation.map(str::to_string),
            attempt: a.attempt,
            status: a.status.map(u32::from),
            error: a.error,
            duration_ms: a.duration.as_secs_f64() * 1000.0,
            request_id: a.request_id,
            protocol: a.protocol.map(str::to_string),
            bytes: a.bytes as f64,
            wire_bytes: a.wire_bytes.map(|b| b as f64),
            encoding: a.encoding.map(str::to_string),
            retry_in_ms: a.retry_in.map(|d| d.as_secs_f64() * 1000.0),
        }
    }
}

/// The JS receiver: weak (does not hold the event loop open), errors handled in JS.
pub type AttemptFn = ThreadsafeFunction<NativeAttempt, (), NativeAttempt, Status, false, true>;

/// Forwards attempt records to JS.
pub struct JsObserver {
    callback: AttemptFn,
    level: late_core::ObserveLevel,
}

impl std::fmt::Debug for JsObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsObserver")
            .field("level", &self.level)
            .finish()
    }
}

impl JsObserver {
    /// Reports every attempt when `all`, else only failed ones.
    pub fn new(callback: AttemptFn, all: bool) -> Self {
        Self {
            callback,
            level: if all {
                late_core::ObserveLevel::All
            } else {
                late_core::ObserveLevel::Failures
            },
        }
    }
}

impl late_core::AttemptObserver for JsObserver {
    fn level(&self) -> late_core::ObserveLevel {
        self.level
    }

    fn attempt(&self, record: late_core::Attempt) {
        let _ = self
            .callback
            .call(record.into(), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// The JS receiver of the client's notices: `(level, message)`, weak.
pub type NoteFn =
    ThreadsafeFunction<FnArgs<(String, String)>, (), FnArgs<(String, String)>, Status, false, true>;

/// Forwards the client's notices (the rate limiter's Redis fallback and rejoining) to JS.
pub struct JsNotes(pub NoteFn);

impl std::fmt::Debug for JsNotes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsNotes")
    }
}

impl late_core::NoteSink for JsNotes {
    fn note(&self, level: &'static str, message: &str) {
        let _ = self.0.call(
            FnArgs::from((level.to_string(), message.to_string())),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }
}
