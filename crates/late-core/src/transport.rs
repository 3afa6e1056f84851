//! The HTTP transport: one pooled reqwest client, per-attempt timeouts, retries, cancellation.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio_util::sync::CancellationToken;

use crate::config::ClientConfig;
use crate::error::{ApiError, ConnectionKind, Error, Result};
use crate::rate_limit::RateLimit;
use crate::request::{CallOptions, Method, Request, Response};
use crate::retry;

/// Builds the shared reqwest client: HTTP/1.1 keep-alive pool, rustls with the ring provider
/// and the platform's trust store, redirects limited (reqwest drops `Authorization` when a
/// redirect leaves the origin).
pub fn build_http_client() -> Result<reqwest::Client> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("TLS setup failed: {e}")))?
        .with_platform_verifier()
        .map_err(|e| Error::Internal(format!("TLS trust store setup failed: {e}")))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .http1_only()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .map_err(|e| Error::Internal(format!("HTTP client setup failed: {}", flatten(&e))))
}

/// Sends requests for one client configuration. Cheap to clone; clones share the pool.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    last_rate_limit: Arc<Mutex<Option<RateLimit>>>,
}

impl Transport {
    /// A transport over `http` (shared pool) with `config` (already validated).
    pub fn new(http: reqwest::Client, config: Arc<ClientConfig>) -> Self {
        Self {
            http,
            config,
            last_rate_limit: Arc::new(Mutex::new(None)),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The pooled HTTP client, to share with a derived transport.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Rate-limit headers of the most recent response of this transport.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last_rate_limit.lock().ok().and_then(|g| *g)
    }

    /// Sends `req`, retrying per the policy in [`crate::retry`], until success, a final error,
    /// the deadline, or `cancel`.
    pub async fn execute(
        &self,
        req: &Request,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<Response> {
        req.validate()?;
        if req
            .headers
            .iter()
            .chain(opts.headers.iter())
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        {
            return Err(Error::validation(
                "headers",
                "`Authorization` cannot be set per request; create a client with another `apiKey` (withOptions)",
            ));
        }
        if cancel.is_cancelled() {
            return Err(Error::Aborted);
        }
        let timeout = opts.timeout.unwrap_or(self.config.timeout);
        if timeout.is_zero() {
            return Err(Error::validation(
                "timeoutMs",
                "must be a positive number of milliseconds",
            ));
        }
        let max_retries = opts.max_retries.unwrap_or(self.config.max_retries);
        let max_wait = opts.max_retry_wait.unwrap_or(self.config.max_retry_wait);
        let idempotency_key = match (&opts.idempotency_key, req.method) {
            (Some(k), _) => Some(k.clone()),
            (None, Method::Post) => Some(random_id()),
            _ => None,
        };
        let request_id = random_id();
        let url = self.url(req)?;
        let deadline = opts.deadline.map(|d| Instant::now() + d);

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let attempt_timeout = match deadline {
                Some(d) => timeout.min(d.saturating_duration_since(Instant::now())),
                None => timeout,
            };
            let sent = self.attempt(
                req,
                opts,
                &url,
                idempotency_key.as_deref(),
                &request_id,
                attempt_timeout,
            );
            let outcome = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(Error::Aborted),
                r = sent => r,
            };
            let (err, server_wait) = match outcome {
                Ok(mut resp) => {
                    resp.attempts = attempt;
                    resp.idempotency_key = idempotency_key;
                    return Ok(resp);
                }
                Err((err, wait)) => (err.with_attempts(attempt), wait),
            };
            let has_key = idempotency_key.is_some();
            if attempt > max_retries || !retry::is_retryable(&err, req.method, has_key) {
                return Err(err);
            }
            let wait = match server_wait {
                Some(w) if w > max_wait => return Err(err),
                Some(w) => w,
                None => retry::backoff(attempt - 1, rand::random::<f64>()),
            };
            if let Some(d) = deadline {
                if Instant::now() + wait >= d {
                    return Err(err);
                }
            }
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(Error::Aborted),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn url(&self, req: &Request) -> Result<reqwest::Url> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.config.base_url, req.path))
            .map_err(|e| {
                Error::validation(
                    "path",
                    format!("does not form a valid URL with the base URL: {e}"),
                )
            })?;
        if !req.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        Ok(url)
    }

    fn headers(
        &self,
        req: &Request,
        opts: &CallOptions,
        idempotency_key: Option<&str>,
        request_id: &str,
    ) -> Result<HeaderMap> {
        let mut h =
            HeaderMap::with_capacity(8 + self.config.default_headers.len() + req.headers.len());
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.config.api_key.expose()))
            .map_err(|_| {
            Error::validation(
                "apiKey",
                "contains characters that cannot be sent in a header",
            )
        })?;
        auth.set_sensitive(true);
        h.insert(reqwest::header::AUTHORIZATION, auth);
        h.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        if let Ok(ua) = HeaderValue::from_str(&self.config.user_agent) {
            h.insert(reqwest::header::USER_AGENT, ua);
        }
        if req.body.is_some() {
            h.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        if let Ok(v) = HeaderValue::from_str(request_id) {
            h.insert(HeaderName::from_static("x-request-id"), v);
        }
        if let Some(key) = idempotency_key {
            let v = HeaderValue::from_str(key).map_err(|_| {
                Error::validation(
                    "idempotencyKey",
                    "contains characters that cannot be sent in a header",
                )
            })?;
            h.insert(HeaderName::from_static("idempotency-key"), v);
        }
        for (name, value) in self
            .config
            .default_headers
            .iter()
            .chain(req.headers.iter())
            .chain(opts.headers.iter())
        {
            if name.eq_ignore_ascii_case("authorization") {
                continue;
            }
            let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::validation("headers", format!("`{name}` is not a valid header name"))
            })?;
            let v = HeaderValue::from_str(value).map_err(|_| {
                Error::validation(
                    "headers",
                    format!("the value of `{name}` is not a valid header value"),
                )
            })?;
            h.insert(n, v);
        }
        Ok(h)
    }

    /// One attempt. On failure, also returns the wait the server asked for.
    async fn attempt(
        &self,
        req: &Request,
        opts: &CallOptions,
        url: &reqwest::Url,
        idempotency_key: Option<&str>,
        request_id: &str,
        timeout: Duration,
    ) -> std::result::Result<Response, (Error, Option<Duration>)> {
        let timeout_ms = timeout.as_millis() as u64;
        let fut = self.attempt_inner(req, opts, url, idempotency_key, request_id);
        match tokio::time::timeout(timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err((
                Error::Timeout {
                    timeout_ms,
                    attempts: 0,
                },
                None,
            )),
        }
    }

    async fn attempt_inner(
        &self,
        req: &Request,
        opts: &CallOptions,
        url: &reqwest::Url,
        idempotency_key: Option<&str>,
        request_id: &str,
    ) -> std::result::Result<Response, (Error, Option<Duration>)> {
        let headers = self
            .headers(req, opts, idempotency_key, request_id)
            .map_err(|e| (e, None))?;
        let mut builder = self
            .http
            .request(req.method.to_reqwest(), url.clone())
            .headers(headers);
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let mut resp = builder
            .send()
            .await
            .map_err(|e| (self.connection_error(&e), None))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let rate_limit = RateLimit::from_headers(&headers);
        if let Some(rl) = rate_limit {
            if let Ok(mut g) = self.last_rate_limit.lock() {
                *g = Some(rl);
            }
        }
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let limit = self.config.max_response_bytes;
        if let Some(len) = resp.content_length() {
            if len as usize > limit {
                return Err((self.too_large(status, request_id, len as usize), None));
            }
        }
        let mut buf = BytesMut::with_capacity(
            resp.content_length()
                .map_or(8 * 1024, |n| n as usize)
                .min(limit),
        );
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if buf.len() + chunk.len() > limit {
                        return Err((
                            self.too_large(status, request_id, buf.len() + chunk.len()),
                            None,
                        ));
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err((self.connection_error(&e), None)),
            }
        }
        let body: Bytes = buf.freeze();
        let header_list = header_list(&headers);
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                headers: header_list,
                body,
                request_id,
                attempts: 0,
                rate_limit,
                idempotency_key: None,
            });
        }
        let wait = retry::server_wait(&headers, status, SystemTime::now());
        let err = ApiError::from_response(
            &self.config.api_key,
            status,
            header_list,
            &body,
            request_id,
            rate_limit,
            wait,
        );
        Err((Error::Api(Box::new(err)), wait))
    }

    fn too_large(&self, status: u16, request_id: Option<String>, size: usize) -> Error {
        Error::Decode {
            message: format!(
                "the response body ({size} bytes or more) exceeds the limit of {} bytes",
                self.config.max_response_bytes
            ),
            status,
            request_id,
        }
    }

    fn connection_error(&self, e: &reqwest::Error) -> Error {
        let message = self.config.api_key.redact(&flatten(e));
        let kind = classify(e, &message);
        Error::Connection {
            kind,
            message,
            attempts: 0,
        }
    }
}

fn header_list(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(n, v)| {
            v.to_str()
                .ok()
                .map(|v| (n.as_str().to_string(), v.to_string()))
        })
        .collect()
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

fn classify(e: &reqwest::Error, message: &str) -> ConnectionKind {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => return ConnectionKind::Refused,
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                    return ConnectionKind::Reset
                }
                TimedOut => return ConnectionKind::ConnectTimeout,
                _ => {}
            }
        }
        if s.downcast_ref::<rustls::Error>().is_some() {
            return ConnectionKind::Tls;
        }
        src = s.source();
    }
    let lower = message.to_ascii_lowercase();
    if e.is_timeout() {
        ConnectionKind::ConnectTimeout
    } else if lower.contains("dns")
        || lower.contains("lookup address")
        || lower.contains("name or service not known")
    {
        ConnectionKind::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        ConnectionKind::Tls
    } else if lower.contains("connection closed")
        || lower.contains("incomplete message")
        || lower.contains("reset")
        || lower.contains("broken pipe")
        || e.is_body()
        || e.is_decode()
    {
        ConnectionKind::Reset
    } else {
        ConnectionKind::Other
    }
}

/// A random UUID v4 string, for `Idempotency-Key` and `x-request-id`.
pub fn random_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_id_is_a_uuid_v4() {
        let id = random_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, random_id());
    }
}
