//! Client configuration: base URL, key, timeouts, retries, default headers.

use std::sync::Arc;
use std::time::Duration;

use crate::base::error::{Error, Result};
use crate::base::observe::{AttemptObserver, NoteSink};
use crate::base::secret::ApiKey;
use crate::net::http_client::NetworkSettings;
use crate::policy::pacing::PacingConfig;

/// The API's default base URL. Paths such as `/v1/accounts` are appended to it. The client
/// defaults below have one owner, this file: the JS facade reads the ones it shows
/// (`DEFAULT_BASE_URL`, `DEFAULT_TIMEOUT_MS`, `DEFAULT_MAX_RETRIES`) from the napi exports and
/// leaves the others undefined, so that [`ClientConfig::new`] applies them.
pub const DEFAULT_BASE_URL: &str = "https://zernio.com/api";
/// Default per-attempt timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default cap on a single wait between attempts (also caps `Retry-After`).
pub(crate) const DEFAULT_MAX_RETRY_WAIT_MS: u64 = 60_000;
/// Default bound on the wait for a slot of the team's rate limit (five windows of the API's
/// minute): a burst of up to five times the limit completes instead of failing.
pub(crate) const DEFAULT_MAX_QUEUE_WAIT_MS: u64 = 300_000;
/// Default cap on a response body.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Everything a [`crate::Client`] needs. Environment variables are read by the caller (the
/// JS facade), never here: the core has no hidden inputs.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The API key sent as `Authorization: Bearer <key>`.
    pub api_key: ApiKey,
    /// Base URL without a trailing slash, e.g. `https://zernio.com/api`.
    pub base_url: String,
    /// Per-attempt timeout, covering connect, headers and body.
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Cap on one wait between attempts, including a server's `Retry-After`.
    pub max_retry_wait: Duration,
    /// Bound on the wait for a slot of the team's rate limit (pacing), per attempt.
    pub max_queue_wait: Duration,
    /// Headers added to every request (after the built-in ones, so they can override them,
    /// except `Authorization`).
    pub default_headers: Vec<(String, String)>,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Responses larger than this (decoded) fail with a clear error instead of exhausting memory.
    pub max_response_bytes: usize,
    /// Trust, proxy and HTTP/2: what the connection pool is built with.
    pub network: NetworkSettings,
    /// Receives a record of each attempt (logs, metrics), if set.
    pub observer: Option<Arc<dyn AttemptObserver>>,
    /// Receives the client's own notices (the rate limiter's Redis fallback); stderr if unset.
    pub notes: Option<Arc<dyn NoteSink>>,
    /// Pacing under the team's rate limit (the `rateLimit` option).
    pub rate_limit: PacingConfig,
}

impl ClientConfig {
    /// A configuration with the defaults and the given key.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: ApiKey::new(api_key),
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            max_retries: DEFAULT_MAX_RETRIES,
            max_retry_wait: Duration::from_millis(DEFAULT_MAX_RETRY_WAIT_MS),
            max_queue_wait: Duration::from_millis(DEFAULT_MAX_QUEUE_WAIT_MS),
            default_headers: Vec::new(),
            user_agent: concat!("late-core/", env!("CARGO_PKG_VERSION")).to_string(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            network: NetworkSettings::default(),
            observer: None,
            notes: None,
            rate_limit: PacingConfig::default(),
        }
    }

    /// Whether the base URL is https.
    pub fn is_https(&self) -> bool {
        self.base_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// Checks every field, so that a bad option fails at construction, naming the option.
    pub fn validate(&mut self) -> Result<()> {
        let key = self.api_key.expose();
        if key.trim().is_empty() {
            return Err(Error::validation(
                "apiKey",
                "an API key is required: pass `apiKey` or set LATE_API_KEY (or ZERNIO_API_KEY)",
            ));
        }
        if key.trim() != key || key.contains(['\r', '\n']) {
            return Err(Error::validation(
                "apiKey",
                "the API key has leading or trailing whitespace or a line break (often a newline pasted into an env var)",
            ));
        }
        let trimmed = self.base_url.trim_end_matches('/').to_string();
        let parsed = url::Url::parse(&trimmed).map_err(|_| {
            Error::validation(
                "baseUrl",
                "must be an absolute http(s) URL such as https://zernio.com/api",
            )
        })?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(Error::validation("baseUrl", "must use http or https"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::validation(
                "baseUrl",
                "must not have a query or fragment",
            ));
        }
        self.base_url = trimmed;
        if self.timeout.is_zero() {
            return Err(Error::validation(
                "timeoutMs",
                "must be a positive number of milliseconds",
            ));
        }
        self.rate_limit.validate()?;
        crate::wire::headers::check_all("defaultHeaders", &self.default_headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_key_is_a_validation_error_naming_api_key() {
        let err = ClientConfig::new("").validate().unwrap_err();
        assert!(matches!(err, Error::Validation { ref param, .. } if param == "apiKey"));
    }

    #[test]
    fn key_with_newline_is_rejected_without_echoing_it() {
        let err = ClientConfig::new("sk_test_x\n").validate().unwrap_err();
        assert!(!err.to_string().contains("sk_test_x"));
    }

    #[test]
    fn base_url_is_normalised_and_checked() {
        let mut c = ClientConfig::new("sk_test_x");
        c.base_url = "http://127.0.0.1:1234/api/".into();
        c.validate().unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:1234/api");
        c.base_url = "ftp://x".into();
        assert!(c.validate().is_err());
        c.base_url = "not a url".into();
        assert!(c.validate().is_err());
    }

    #[test]
    fn bad_default_header_is_rejected() {
        let mut c = ClientConfig::new("sk_test_x");
        c.default_headers = vec![("bad header".into(), "v".into())];
        let err = c.validate().unwrap_err();
        assert!(matches!(err, Error::Validation { ref param, .. } if param == "defaultHeaders"));
        c.default_headers = vec![("Host".into(), "evil.example".into())];
        let err = c.validate().unwrap_err();
        assert!(
            matches!(err, Error::Validation { ref param, .. } if param == "defaultHeaders.host")
        );
    }
}
