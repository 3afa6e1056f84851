//! Option objects passed from the facade. The facade has applied env defaults and checked the
//! JS types; the numbers are checked here (`crate::millis`, their one owner), and an option
//! left undefined gets the core's default (`late_core::ClientConfig::new`).

use std::collections::HashMap;

use napi_derive::napi;

use crate::errors::CoreResult;
use crate::millis::{bytes, duration, retries, wait_bound};

/// The API's base URL when neither the option nor an env variable sets one
/// (`late_core::DEFAULT_BASE_URL`, the one owner).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const DEFAULT_BASE_URL: &str = late_core::DEFAULT_BASE_URL;

/// The per-attempt timeout in ms when `timeoutMs` is not set (`late_core::DEFAULT_TIMEOUT_MS`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const DEFAULT_TIMEOUT_MS: u32 = late_core::DEFAULT_TIMEOUT_MS as u32;

/// Retries after the first attempt when `maxRetries` is not set (`late_core::DEFAULT_MAX_RETRIES`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const DEFAULT_MAX_RETRIES: u32 = late_core::DEFAULT_MAX_RETRIES;

/// Client settings, fully resolved by the facade (env defaults applied). The docs of the fields a
/// caller sets are the ones `LateClientOptions` shows (it takes these fields from here).
#[napi(object)]
pub struct ClientOptions {
    /// API key (`sk_…`). Default: env `LATE_API_KEY`, then `ZERNIO_API_KEY`. Never shown in
    /// errors, logs or `inspect`.
    pub api_key: String,
    /// Default: env `LATE_BASE_URL`, then `ZERNIO_BASE_URL`, then `'https://zernio.com/api'`.
    pub base_url: String,
    /// Timeout of each attempt in ms (connect, headers and body). Default 60 000.
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt (connection errors, timeouts, 408, 429, 5xx) — only where a
    /// resend cannot repeat an action: `GET`/`PUT`/`DELETE`, the operations the API dedupes by
    /// `Idempotency-Key`, and any failure that proves nothing was done (see the README's
    /// reliability section and the per-call `replaySafe`). An integer from 0 to 1000. Default 2.
    pub max_retries: Option<f64>,
    /// Longest wait between two attempts, in ms: caps the client's own backoff; a server asking
    /// for longer (`Retry-After`) fails the call at once with `retryAfterMs` set. Default 60 000.
    pub max_retry_wait_ms: Option<f64>,
    /// Longest wait for a slot of the team's rate limit (pacing), in ms, before anything is sent;
    /// a slot further away fails the call at once with a `RateLimitError` whose `retryAfterMs`
    /// says when. `Infinity`: wait as long as it takes (a batch job). The per-attempt `timeoutMs`
    /// starts once the slot is granted. Default 300 000 (five of the API's one-minute windows).
    pub max_queue_wait_ms: Option<f64>,
    /// Headers sent with every request. `Authorization` and the headers that frame the message or
    /// the connection (`content-length`, `transfer-encoding`, `host`, `connection`, `keep-alive`,
    /// `te`, `trailer`, `upgrade`, `expect`, `proxy-connection`) are refused
    /// (`LateValidationError`).
    pub default_headers: Option<HashMap<String, String>>,
    /// Largest response body accepted, in bytes, after decompression. Default 64 MiB.
    pub max_response_bytes: Option<f64>,
    /// Extra trusted CA certificates (PEM texts) from the `ca` option.
    pub ca: Option<Vec<String>>,
    /// Extra trusted CA certificates (PEM text) from `NODE_EXTRA_CA_CERTS`, already read.
    pub env_ca: Option<String>,
    /// Proxy URL to use instead of the environment's.
    pub proxy_url: Option<String>,
    /// No proxy at all, whatever the environment says.
    pub proxy_disabled: Option<bool>,
    /// Negotiate HTTP/2 on https (ALPN, falling back to HTTP/1.1). Default `true`; `false`
    /// forces HTTP/1.1.
    pub http2: Option<bool>,
    /// Pacing under the team's rate limit (on by default).
    pub rate_limit: Option<crate::pacing::RateLimitOptions>,
}

/// Per-call options.
#[napi(object)]
#[derive(Default)]
pub struct CallOptions {
    /// Per-attempt timeout in ms for this call.
    pub timeout_ms: Option<f64>,
    /// Retries after the first attempt for this call (an integer from 0 to 1000).
    pub max_retries: Option<f64>,
    /// `Idempotency-Key` to send, reused on every attempt (whatever the operation).
    pub idempotency_key: Option<String>,
    /// The call is safe to repeat: sent again after any retryable failure.
    pub replay_safe: Option<bool>,
    /// Cap on one wait between attempts, in ms.
    pub max_retry_wait_ms: Option<f64>,
    /// Bound on the wait for a slot of the team's rate limit, in ms, or `Infinity`.
    pub max_queue_wait_ms: Option<f64>,
    /// Overall deadline for the call in ms, across attempts and waits.
    pub deadline_ms: Option<f64>,
    /// Extra headers for this call.
    pub headers: Option<HashMap<String, String>>,
    /// Internal (the facade's telemetry): the id under which the client's trace listener
    /// (`onAttemptStart`) is asked for each attempt's headers. Not a user option.
    pub trace: Option<u32>,
}

impl ClientOptions {
    /// Builds the core configuration.
    pub(crate) fn to_config(&self) -> CoreResult<late_core::ClientConfig> {
        let mut c = late_core::ClientConfig::new(self.api_key.clone());
        c.base_url = self.base_url.clone();
        c.user_agent = concat!("late-native/", env!("CARGO_PKG_VERSION")).to_string();
        if let Some(t) = duration("timeoutMs", self.timeout_ms)? {
            c.timeout = t;
        }
        if let Some(r) = retries("maxRetries", self.max_retries)? {
            c.max_retries = r;
        }
        if let Some(w) = duration("maxRetryWaitMs", self.max_retry_wait_ms)? {
            c.max_retry_wait = w;
        }
        if let Some(w) = wait_bound("maxQueueWaitMs", self.max_queue_wait_ms)? {
            c.max_queue_wait = w;
        }
        if let Some(h) = &self.default_headers {
            let mut headers: Vec<(String, String)> =
                h.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            headers.sort();
            c.default_headers = headers;
        }
        if let Some(m) = bytes("maxResponseBytes", self.max_response_bytes)? {
            c.max_response_bytes = m;
        }
        let mut roots = Vec::new();
        for pem in self.ca.iter().flatten() {
            roots.extend(late_core::parse_pem_roots(pem.as_bytes(), "ca")?);
        }
        if let Some(pem) = &self.env_ca {
            roots.extend(late_core::parse_pem_roots(
                pem.as_bytes(),
                "NODE_EXTRA_CA_CERTS",
            )?);
        }
        c.network = late_core::NetworkSettings {
            extra_roots: roots,
            proxy: match (&self.proxy_url, self.proxy_disabled) {
                (_, Some(true)) => late_core::ProxySetting::Disabled,
                (Some(url), _) => late_core::ProxySetting::Url(url.clone()),
                _ => late_core::ProxySetting::Environment,
            },
            http2: self.http2.unwrap_or(true),
        };
        if let Some(r) = &self.rate_limit {
            c.rate_limit = r.to_core()?;
        }
        Ok(c)
    }
}

impl CallOptions {
    /// Builds the core per-call options, with the call's trace hook when it has one (`hooks`:
    /// the client's listener slot).
    pub(crate) fn to_core_traced(
        &self,
        hooks: &crate::attempt_hook::StartSlot,
    ) -> CoreResult<late_core::CallOptions> {
        let mut opts = self.to_core()?;
        opts.attempt_hook = self
            .trace
            .and_then(|id| crate::attempt_hook::JsAttemptHook::for_call(hooks, id));
        Ok(opts)
    }

    /// Builds the core per-call options.
    pub(crate) fn to_core(&self) -> CoreResult<late_core::CallOptions> {
        Ok(late_core::CallOptions {
            timeout: duration("options.timeoutMs", self.timeout_ms)?,
            max_retries: retries("options.maxRetries", self.max_retries)?,
            idempotency_key: self.idempotency_key.clone(),
            replay_safe: self.replay_safe.unwrap_or(false),
            max_retry_wait: duration("options.maxRetryWaitMs", self.max_retry_wait_ms)?,
            max_queue_wait: wait_bound("options.maxQueueWaitMs", self.max_queue_wait_ms)?,
            deadline: duration("options.deadlineMs", self.deadline_ms)?,
            headers: self
                .headers
                .as_ref()
                .map(|h| h.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
            attempt_hook: None,
        })
    }
}
