//! Per-attempt records for logs and metrics. The transport builds one for every attempt when an
//! observer wants it; nothing in a record can carry the API key or any header value.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Which attempts an observer wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObserveLevel {
    /// Every attempt (debug logs, metrics hooks).
    All,
    /// Only attempts that failed (retried or final).
    Failures,
}

/// One attempt of a call.
#[derive(Clone, Debug, Default)]
pub struct Attempt {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path below the base URL, without the query (it may carry user data).
    pub path: String,
    /// The spec's operationId of the route (`createPost`), when the spec has it.
    pub operation: Option<&'static str>,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Why the attempt failed without an answer: `timeout`, `connection_refused`, …; for an
    /// answer with an error status, the envelope's `code` when it has one.
    pub error: Option<String>,
    /// Time from sending to the end of the body (or the failure).
    pub duration: Duration,
    /// `X-Request-Id` of the response (or the one sent).
    pub request_id: Option<String>,
    /// `h2` or `http/1.1`, when the server answered.
    pub protocol: Option<&'static str>,
    /// Body bytes received, decoded.
    pub bytes: u64,
    /// Body bytes on the wire when the body was compressed.
    pub wire_bytes: Option<u64>,
    /// `br`, `gzip`, `zstd` or `deflate` when the body was compressed.
    pub encoding: Option<&'static str>,
    /// The wait before the next attempt, when the call retries.
    pub retry_in: Option<Duration>,
}

/// Receives attempt records (the napi layer forwards them to JS: the logger and `onAttempt`).
pub trait AttemptObserver: Send + Sync + fmt::Debug {
    /// Which attempts to report.
    fn level(&self) -> ObserveLevel;
    /// Called once per attempt, from a transport thread; must not block.
    fn attempt(&self, record: Attempt);
}

/// Receives the client's own notices (a Redis fallback of the rate limiter, its rejoining): the
/// napi layer forwards them to the JS `logger` at their level.
pub trait NoteSink: Send + Sync + fmt::Debug {
    /// `level` is `warn` or `info`; `message` never carries a secret.
    fn note(&self, level: &'static str, message: &str);
}

/// What a call's [`AttemptHook`] is told just before an attempt is sent.
#[derive(Clone, Debug)]
pub struct AttemptStart {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path below the base URL, without the query.
    pub path: String,
    /// The spec's operationId of the route, when the spec has it.
    pub operation: Option<&'static str>,
    /// 1 for the first attempt.
    pub attempt: u32,
}

/// Headers to add to one attempt (a name and a value each).
pub type AttemptHeaders = Vec<(String, String)>;

/// Told of every attempt of one call, and awaited: before it is sent (after its wait for a
/// rate-limit slot) and when it ended (answer or failure; not when the call is cancelled in
/// flight). The napi layer lets JS start the attempt's span there and returns the trace context
/// to send with it (`traceparent`, `tracestate`, `baggage`). A header the transport would refuse
/// from a caller (framing, `Authorization`, `Idempotency-Key`, `X-Request-Id`, invalid) is left
/// out; the attempt is sent either way.
pub trait AttemptHook: Send + Sync + fmt::Debug {
    /// The headers for attempt `start.attempt`; empty when there are none.
    fn before_attempt(
        &self,
        start: AttemptStart,
    ) -> Pin<Box<dyn Future<Output = AttemptHeaders> + Send + 'static>>;
    /// The record of an attempt that ended.
    fn after_attempt(&self, record: Attempt) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
}
