//! One logical call: what to send and the per-call options (what came back is a
//! [`crate::wire::response::Response`]).

use std::time::{Duration, Instant};

use crate::base::error::{Error, Result};
use crate::wire::body::Body;

/// Longest request URL (base URL, path and query, in bytes) the client sends. Longer URLs are
/// refused up front with a short validation error: servers and proxies reject them anyway
/// (many at 8–16 KB), often by dropping the connection, which would otherwise be retried.
pub(crate) const MAX_URL_BYTES: usize = 16 * 1024;

/// Refuses a URL longer than [`MAX_URL_BYTES`]; the message gives its length, never the URL.
pub(crate) fn check_url_length(url: &url::Url, query_len: usize) -> Result<()> {
    let len = url.as_str().len();
    if len <= MAX_URL_BYTES {
        return Ok(());
    }
    let param = if query_len > 0 { "query" } else { "path" };
    Err(Error::validation(
        param,
        format!(
            "the request URL would be {len} bytes, above the limit of {MAX_URL_BYTES}; send large data in the request body"
        ),
    ))
}

/// HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// Parses a method name, case-insensitively.
    pub fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Ok(Self::Get),
            "POST" => Ok(Self::Post),
            "PUT" => Ok(Self::Put),
            "PATCH" => Ok(Self::Patch),
            "DELETE" => Ok(Self::Delete),
            _ => Err(Error::validation(
                "method",
                format!("expected GET, POST, PUT, PATCH or DELETE, got `{name}`"),
            )),
        }
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Methods that repeat no action when sent again (`GET`, `PUT`, `DELETE`).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// What to send.
#[derive(Clone, Debug)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL, starting with `/`, e.g. `/v1/accounts`.
    pub path: String,
    /// Query pairs, in order. Values are percent-encoded by the transport.
    pub query: Vec<(String, String)>,
    /// The body, if any: JSON text, a raw payload or multipart parts (see [`Body`]).
    pub body: Option<Body>,
    /// Extra headers for this request.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A request without query, body or headers.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
        }
    }

    /// Adds a query pair when the value is present.
    pub fn query_opt(mut self, name: &str, value: Option<&str>) -> Self {
        if let Some(v) = value {
            self.query.push((name.to_string(), v.to_string()));
        }
        self
    }

    /// Checks the path: relative to the base URL, no scheme, no `..`.
    pub fn validate(&self) -> Result<()> {
        if !self.path.starts_with('/') || self.path.starts_with("//") {
            return Err(Error::validation(
                "path",
                "must start with a single `/`, e.g. `/v1/accounts`",
            ));
        }
        if self.path.split(['/', '?']).any(|seg| seg == "..") {
            return Err(Error::validation("path", "must not contain `..` segments"));
        }
        if self.path.contains(['?', '#']) {
            return Err(Error::validation(
                "path",
                "must not contain `?` or `#`; pass query parameters in `query`",
            ));
        }
        crate::wire::headers::check_all("headers", &self.headers)
    }
}

/// Per-call options: they override the client's settings for one call.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// `Idempotency-Key` to send (and reuse on every attempt), whatever the operation. When
    /// `None`, the operations the API dedupes by the key get a generated one (late-core's
    /// `policy/replay.rs`).
    pub idempotency_key: Option<String>,
    /// The caller knows the call is safe to repeat: it may be sent again after any retryable
    /// failure, like a `GET`, although its operation does not accept `Idempotency-Key`.
    pub replay_safe: bool,
    /// Cap on a single wait between attempts.
    pub max_retry_wait: Option<Duration>,
    /// Bound on the wait for a slot of the team's rate limit.
    pub max_queue_wait: Option<Duration>,
    /// Overall deadline for the call, across attempts and waits.
    pub deadline: Option<Duration>,
    /// Extra headers for every request of this call (after the request's own).
    pub headers: Vec<(String, String)>,
    /// Asked before each attempt for headers of that attempt alone (trace context).
    pub attempt_hook: Option<std::sync::Arc<dyn crate::base::observe::AttemptHook>>,
}

impl CallOptions {
    /// Checks the per-call headers (the rules of late-core's `wire/headers.rs`).
    pub fn validate(&self) -> Result<()> {
        crate::wire::headers::check_all("options.headers", &self.headers)
    }

    /// These options for the part of a call that starts now, when the call started at
    /// `started`: the deadline shrinks by the time spent, so one deadline bounds the whole
    /// call (a default-profile lookup, then the request). A deadline already passed is a
    /// timeout error, before anything more is sent.
    pub fn left_since(&self, started: Instant) -> Result<CallOptions> {
        let mut out = self.clone();
        if let Some(total) = self.deadline {
            let left = total.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(Error::timeout(
                    total.as_millis().min(u64::MAX as u128) as u64,
                    0,
                ));
            }
            out.deadline = Some(left);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_parse_is_case_insensitive_and_rejects_unknown() {
        assert_eq!(Method::parse("get").unwrap(), Method::Get);
        assert!(matches!(
            Method::parse("TRACE"),
            Err(Error::Validation { .. })
        ));
    }

    #[test]
    fn path_validation() {
        assert!(Request::new(Method::Get, "/v1/accounts").validate().is_ok());
        assert!(Request::new(Method::Get, "v1/accounts").validate().is_err());
        assert!(Request::new(Method::Get, "//evil.example/x")
            .validate()
            .is_err());
        assert!(Request::new(Method::Get, "/v1/../x").validate().is_err());
        assert!(Request::new(Method::Get, "/v1/x?a=b").validate().is_err());
    }

    #[test]
    fn framing_headers_are_refused_per_request_and_per_call() {
        let mut req = Request::new(Method::Post, "/v1/posts");
        req.headers = vec![("Content-Length".into(), "1".into())];
        assert!(
            matches!(req.validate(), Err(Error::Validation { ref param, .. }) if param == "headers.content-length")
        );
        let opts = CallOptions {
            headers: vec![("transfer-encoding".into(), "chunked".into())],
            ..Default::default()
        };
        assert!(
            matches!(opts.validate(), Err(Error::Validation { ref param, .. }) if param == "options.headers.transfer-encoding")
        );
    }

    #[test]
    fn a_long_url_is_refused_without_echoing_it() {
        let long =
            url::Url::parse(&format!("http://127.0.0.1/{}", "a".repeat(MAX_URL_BYTES))).unwrap();
        let err = check_url_length(&long, 0).unwrap_err();
        assert!(matches!(err, Error::Validation { ref param, .. } if param == "path"));
        assert!(err.to_string().len() < 200, "{err}");
        let ok = url::Url::parse("http://127.0.0.1/v1/accounts").unwrap();
        assert!(check_url_length(&ok, 0).is_ok());
    }

    #[test]
    fn the_deadline_shrinks_across_the_parts_of_a_call() {
        let opts = CallOptions {
            deadline: Some(Duration::from_millis(500)),
            ..Default::default()
        };
        let later = opts
            .left_since(Instant::now() - Duration::from_millis(200))
            .unwrap();
        assert!(later.deadline.unwrap() <= Duration::from_millis(300));
        assert!(matches!(
            opts.left_since(Instant::now() - Duration::from_secs(1)),
            Err(Error::Timeout {
                timeout_ms: 500,
                ..
            })
        ));
        let none = CallOptions::default()
            .left_since(Instant::now() - Duration::from_secs(1))
            .unwrap();
        assert!(none.deadline.is_none());
    }
}
