//! What came back: a success response, its headers and its JSON body.

use std::time::Duration;

use bytes::Bytes;

use crate::base::error::{Error, Result};
use crate::base::rate_limit::RateLimit;
use crate::wire::body_error::body_error;

/// A success response.
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status (2xx).
    pub status: u16,
    /// Response headers (kept as received; [`Response::header_list`] turns them into strings
    /// only for callers that want them).
    pub headers: http::HeaderMap,
    /// Body bytes.
    pub body: Bytes,
    /// `X-Request-Id` of the response.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// `X-RateLimit-*` headers of the response.
    pub rate_limit: Option<RateLimit>,
    /// The `Idempotency-Key` that was sent, if any.
    pub idempotency_key: Option<String>,
    /// How long the call waited for the rate limit (all attempts).
    pub queued: Duration,
}

impl Response {
    /// The headers as `(lower-case name, value)` pairs; values that are not visible ASCII are
    /// left out.
    pub fn header_list(&self) -> Vec<(String, String)> {
        header_list(&self.headers)
    }

    /// Parses the body as JSON into `T`. Broken JSON is an [`Error::Decode`] saying where it
    /// broke, with an excerpt around the place (late-core's `wire/body_error.rs`).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error("the expected JSON", &e))
    }

    /// The [`Error::Decode`] for this response, whose body `err` could not decode as `what`
    /// (e.g. "an account list").
    pub(crate) fn decode_error(&self, what: &str, err: &serde_json::Error) -> Error {
        body_error(
            self.status,
            self.request_id.as_deref(),
            &self.body,
            what,
            err,
        )
    }

    /// A 200 response with `body` and nothing else, for the core's unit tests.
    #[cfg(test)]
    pub(crate) fn ok_for_test(body: &str) -> Self {
        Self {
            status: 200,
            headers: http::HeaderMap::new(),
            body: Bytes::from(body.to_string()),
            request_id: None,
            attempts: 1,
            rate_limit: None,
            idempotency_key: None,
            queued: Duration::ZERO,
        }
    }
}

/// The headers as `(name, value)` strings (values that are not visible ASCII left out).
pub(crate) fn header_list(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(n, v)| {
            v.to_str()
                .ok()
                .map(|v| (n.as_str().to_string(), v.to_string()))
        })
        .collect()
}
