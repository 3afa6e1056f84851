//! The HTTP transport: one pooled client, per-attempt timeouts, retries, cancellation,
//! decompression, and a record of every attempt for the observer (logs, metrics).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio_util::sync::CancellationToken;

use crate::base::error::{ApiError, ConnectionKind, Error, Outcome, Result};
use crate::base::ids::random_id;
use crate::base::observe::{Attempt, AttemptHeaders, AttemptStart, ObserveLevel};
use crate::base::rate_limit::RateLimit;
use crate::net::http_client::HttpClient;
use crate::policy::pacing::{self, Pacer};
use crate::policy::replay::Replay;
use crate::policy::retry;
use crate::send::config::ClientConfig;
use crate::wire::decode::{Body, BodyError, Encoding, ACCEPT_ENCODING};
use crate::wire::json_split::{Run, Splitter};
use crate::wire::request::{CallOptions, Request};
use crate::wire::response::{header_list, Response};

/// Sends requests for one client configuration. Cheap to clone; clones share the pool.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    http: HttpClient,
    config: Arc<ClientConfig>,
    /// `Authorization: Bearer …`, built once (marked sensitive: never printed by `Debug`).
    auth: HeaderValue,
    user_agent: Option<HeaderValue>,
    /// The client's `defaultHeaders`, parsed once (`Authorization` left out: the key is `auth`).
    default_headers: Vec<(HeaderName, HeaderValue)>,
    /// The base URL, parsed once; each call only sets its path and query.
    base: reqwest::Url,
    /// The base URL's path without a trailing slash (`/api`, or empty).
    base_path: String,
    last_rate_limit: Arc<Mutex<Option<RateLimit>>>,
    pacer: Pacer,
}

/// Receives a list page while its body streams in: runs of whole elements of one array field,
/// cut by a [`Splitter`] (only once the body is larger than one run; a smaller body comes whole,
/// and the sink hears nothing).
pub trait ListSink: Send + Sync {
    /// The array field of the top-level object to stream (`accounts`).
    fn field(&self) -> &str;
    /// An attempt starts: forget the runs of a previous one (a retry after a failure mid-body).
    fn reset(&self);
    /// A run of whole elements, as a JSON array text.
    fn run(&self, run: Run);
}

/// How many bytes of elements make a run handed on to the sink (about 1 ms of `JSON.parse`).
pub(crate) const RUN_BYTES: usize = 256 * 1024;

/// What one attempt saw, for the observer.
#[derive(Default)]
struct Seen {
    status: Option<u16>,
    request_id: Option<String>,
    protocol: Option<&'static str>,
    bytes: u64,
    wire_bytes: Option<u64>,
    encoding: Option<&'static str>,
}

type AttemptResult = std::result::Result<Response, (Error, Option<Duration>)>;

/// The result of [`Client::warmup`](crate::Client::warmup).
#[derive(Clone, Debug)]
pub struct Warmup {
    /// `h2` or `http/1.1`.
    pub protocol: &'static str,
    /// Time to connect, handshake and get the answer.
    pub duration: Duration,
    /// Whether a new connection was opened (false when one was already pooled).
    pub connected: bool,
}

impl Transport {
    /// A transport over `http` (shared pool) with `config` (already validated), paced by
    /// `pacer` (shared with the clones that keep the same key and `rateLimit`).
    pub fn new(http: HttpClient, config: Arc<ClientConfig>, pacer: Pacer) -> Result<Self> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose()))
            .map_err(|_| {
                Error::validation(
                    "apiKey",
                    "contains characters that cannot be sent in a header",
                )
            })?;
        auth.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&config.user_agent).ok();
        let base = reqwest::Url::parse(&config.base_url).map_err(|_| {
            Error::validation(
                "baseUrl",
                "must be an absolute http(s) URL such as https://zernio.com/api",
            )
        })?;
        let base_path = base.path().trim_end_matches('/').to_string();
        let default_headers = config
            .default_headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("authorization"))
            .map(|(n, v)| crate::wire::headers::parse("defaultHeaders", n, v))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            http,
            config,
            auth,
            user_agent,
            default_headers,
            base,
            base_path,
            last_rate_limit: Arc::new(Mutex::new(None)),
            pacer,
        })
    }

    /// The pacer.
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The pooled HTTP client, to share with a derived transport.
    pub fn http_client(&self) -> &HttpClient {
        &self.http
    }

    /// The reqwest client (for uploads to presigned URLs).
    pub fn http(&self) -> &reqwest::Client {
        &self.http.client
    }

    /// Rate-limit headers of the most recent response of this transport.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.last_rate_limit.lock().ok().and_then(|g| *g)
    }

    /// Opens (connect, TLS handshake, ALPN) one pooled connection to the API's origin ahead of
    /// the first call: a `HEAD` of the base URL without credentials, whose answer is ignored.
    pub async fn warmup(
        &self,
        timeout: Option<Duration>,
        cancel: &CancellationToken,
    ) -> Result<Warmup> {
        let timeout = timeout.unwrap_or(self.config.timeout);
        let url = self.base.clone();
        let before = self.http.connections.opened();
        let started = Instant::now();
        let work = async {
            let lead = self.http.connections.enter().await;
            let mut req = self.http.client.head(url);
            if let Some(ua) = &self.user_agent {
                req = req.header(reqwest::header::USER_AGENT, ua.clone());
            }
            let resp = req.send().await.map_err(|e| self.connection_error(&e))?;
            lead.done();
            self.http.connections.touch();
            Ok::<_, Error>(protocol_of(resp.version()))
        };
        let protocol = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::aborted()),
            r = tokio::time::timeout(timeout, work) => r.map_err(|_| Error::timeout(timeout.as_millis() as u64, 1))??,
        };
        Ok(Warmup {
            protocol,
            duration: started.elapsed(),
            connected: self.http.connections.opened() > before,
        })
    }

    /// Sends `req`, retrying per the policy in [`crate::policy::retry`], until success, a final
    /// error, the deadline, or `cancel`.
    pub async fn execute(
        &self,
        req: &Request,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<Response> {
        self.execute_with(req, opts, cancel, None).await
    }

    /// Like [`Transport::execute`], handing a large success body's array field to `sink` while it
    /// streams in; the response's body is then the rest of it (the array emptied).
    pub async fn execute_streamed(
        &self,
        req: &Request,
        opts: &CallOptions,
        cancel: &CancellationToken,
        sink: &dyn ListSink,
    ) -> Result<Response> {
        self.execute_with(req, opts, cancel, Some(sink)).await
    }

    async fn execute_with(
        &self,
        req: &Request,
        opts: &CallOptions,
        cancel: &CancellationToken,
        sink: Option<&dyn ListSink>,
    ) -> Result<Response> {
        req.validate()?;
        opts.validate()?;
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
            return Err(Error::aborted());
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
        let max_queue = opts.max_queue_wait.unwrap_or(self.config.max_queue_wait);
        // Replay safety (crate::policy::replay): the one place that picks the key and says what
        // may be resent.
        let replay = Replay::of(req.method, &req.path, opts.replay_safe);
        // The key: the call's `idempotencyKey` option, else an `Idempotency-Key` header of the
        // request or the call, else one generated where the API dedupes by it.
        let idempotency_key = match &opts.idempotency_key {
            Some(key) => Some(key.clone()),
            None => caller_key(req, opts)?.or_else(|| replay.wants_key().then(random_id)),
        };
        let request_id = random_id();
        let url = self.url(req)?;
        let headers = self.headers(req, opts, idempotency_key.as_deref(), &request_id)?;
        let deadline = opts.deadline.map(|d| Instant::now() + d);
        let observer = self.config.observer.as_ref();
        let call = CallInfo {
            req,
            operation: replay.operation_id(),
            request_id: &request_id,
        };
        // What the call may have done so far: an attempt whose outcome is unknown makes it so.
        let mut unknown = false;
        let outcome = |unknown: bool, note: Option<String>| Outcome {
            may_have_been_processed: unknown,
            not_replayed: note,
            idempotency_key: idempotency_key.clone(),
        };

        let mut attempt: u32 = 0;
        let mut queued = Duration::ZERO;
        // The 429 of the team's limit the next slot waits out, if the last attempt got one.
        let mut refused: Option<Error> = None;
        loop {
            attempt += 1;
            // Pacing (crate::policy::pacing): wait for a slot of the team's rate limit.
            let budget = pacing::Budget {
                max_wait: max_queue,
                deadline,
                deadline_total: opts.deadline,
                attempts: attempt - 1,
                rate_limit: self.last_rate_limit(),
            };
            let permit = match self.pacer.acquire(&budget, cancel).await {
                Ok(p) => p,
                // The slot after a 429 is further away than `maxQueueWaitMs` (or the deadline):
                // the API's own 429 (its request id, body and `Retry-After`) says it best.
                Err(Error::Api(refusal)) if refusal.status == 429 && refused.is_some() => {
                    let err = refused.take().unwrap_or(Error::Api(refusal));
                    return Err(err.with_outcome(outcome(unknown, None)));
                }
                Err(e) => return Err(e.with_outcome(outcome(unknown, None))),
            };
            queued += permit.waited();
            // The call's hook (trace context): asked after the wait for a slot, so the
            // attempt's span starts when the attempt does.
            let hooked;
            let attempt_headers = match &opts.attempt_hook {
                Some(hook) => {
                    let start = AttemptStart {
                        method: req.method.as_str(),
                        path: req.path.clone(),
                        operation: call.operation,
                        attempt,
                    };
                    let extra = tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return Err(Error::aborted().with_outcome(outcome(unknown, None))),
                        extra = hook.before_attempt(start) => extra,
                    };
                    hooked = with_attempt_headers(&headers, extra);
                    &hooked
                }
                None => &headers,
            };
            let attempt_timeout = match deadline {
                Some(d) => timeout.min(d.saturating_duration_since(Instant::now())),
                None => timeout,
            };
            let started = Instant::now();
            let mut seen = Seen::default();
            let sent = self.attempt(req, &url, attempt_headers, attempt_timeout, &mut seen, sink);
            let result = tokio::select! {
                biased;
                // Cancelled in flight: the request may have reached the server.
                _ = cancel.cancelled() => return Err(Error::aborted().with_outcome(outcome(true, None))),
                r = sent => r,
            };
            // The attempt's record, to the observer (when it wants it) and to the call's hook
            // (awaited: the hook hears of an attempt's end before the call settles).
            macro_rules! report {
                ($err:expr, $retry_in:expr, $seen:expr) => {{
                    let err: Option<&Error> = $err;
                    let obs = observer.filter(|o| err.is_some() || o.level() == ObserveLevel::All);
                    if obs.is_some() || opts.attempt_hook.is_some() {
                        let rec = record(&call, attempt, started, err, $retry_in, $seen);
                        match &opts.attempt_hook {
                            Some(hook) => {
                                if let Some(obs) = obs {
                                    obs.attempt(rec.clone());
                                }
                                hook.after_attempt(rec).await;
                            }
                            None => {
                                if let Some(obs) = obs {
                                    obs.attempt(rec);
                                }
                            }
                        }
                    }
                }};
            }
            let limit_seen = pacing::Seen::of(&result);
            permit.complete(limit_seen);
            let (err, server_wait) = match result {
                Ok(mut resp) => {
                    report!(None, None, seen);
                    resp.attempts = attempt;
                    resp.idempotency_key = idempotency_key;
                    resp.queued = queued;
                    return Ok(resp);
                }
                Err((err, wait)) => (err.with_attempts(attempt), wait),
            };
            unknown |= retry::outcome_unknown(&err);
            let has_key = idempotency_key.is_some();
            if !retry::is_retryable(&err, replay.is_safe(), has_key) {
                // Retries were left and a safe call would have been resent: say why this one was not.
                let note = (attempt <= max_retries && retry::is_transient(&err, has_key))
                    .then(|| replay.not_replayed(req.method));
                report!(Some(&err), None, seen);
                return Err(err.with_outcome(outcome(unknown, note)));
            }
            if attempt > max_retries {
                report!(Some(&err), None, seen);
                return Err(err.with_outcome(outcome(unknown, None)));
            }
            // A 429 of the team's limit has paused the pacer: the next `acquire` waits it out,
            // bounded by `maxQueueWaitMs` like any wait for a slot.
            let paced = self.pacer.is_active() && limit_seen.team_pause.is_some();
            refused = None;
            let server_wait = if paced {
                Some(Duration::ZERO)
            } else {
                server_wait
            };
            let Some(wait) =
                retry::wait_before_retry(server_wait, attempt - 1, rand::random(), max_wait)
            else {
                report!(Some(&err), None, seen);
                return Err(err.with_outcome(outcome(unknown, None)));
            };
            if let Some(d) = deadline {
                if !paced && Instant::now() + wait >= d {
                    report!(Some(&err), None, seen);
                    return Err(err.with_outcome(outcome(unknown, None)));
                }
            }
            report!(Some(&err), Some(wait), seen);
            if paced {
                refused = Some(err);
            }
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(Error::aborted().with_outcome(outcome(unknown, None))),
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn url(&self, req: &Request) -> Result<reqwest::Url> {
        // The parsed base with the path set: no re-parse of scheme and host per call.
        let mut url = self.base.clone();
        let mut path = String::with_capacity(self.base_path.len() + req.path.len());
        path.push_str(&self.base_path);
        path.push_str(&req.path);
        url.set_path(&path);
        if !req.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        crate::wire::request::check_url_length(&url, req.query.len())?;
        Ok(url)
    }

    /// Every header of the call, built once and reused by each attempt.
    fn headers(
        &self,
        req: &Request,
        opts: &CallOptions,
        idempotency_key: Option<&str>,
        request_id: &str,
    ) -> Result<HeaderMap> {
        let mut h = HeaderMap::with_capacity(8 + self.default_headers.len() + req.headers.len());
        h.insert(reqwest::header::AUTHORIZATION, self.auth.clone());
        h.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        h.insert(
            reqwest::header::ACCEPT_ENCODING,
            HeaderValue::from_static(ACCEPT_ENCODING),
        );
        if let Some(ua) = &self.user_agent {
            h.insert(reqwest::header::USER_AGENT, ua.clone());
        }
        if let Some(body) = &req.body {
            h.insert(reqwest::header::CONTENT_TYPE, body.content_type());
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
        for (n, v) in &self.default_headers {
            h.insert(n.clone(), v.clone());
        }
        // The call's own headers (checked by `validate` before this; `Authorization` refused there).
        // An `Idempotency-Key` among them is the call's key, sent above.
        for (name, value) in req.headers.iter().chain(opts.headers.iter()) {
            if name.eq_ignore_ascii_case(IDEMPOTENCY_KEY) {
                continue;
            }
            let (n, v) = crate::wire::headers::parse("headers", name, value)?;
            h.insert(n, v);
        }
        Ok(h)
    }

    /// One attempt. On failure, also returns the wait the server asked for.
    async fn attempt(
        &self,
        req: &Request,
        url: &reqwest::Url,
        headers: &HeaderMap,
        timeout: Duration,
        seen: &mut Seen,
        sink: Option<&dyn ListSink>,
    ) -> AttemptResult {
        let timeout_ms = timeout.as_millis() as u64;
        let fut = self.attempt_inner(req, url, headers, seen, sink);
        match tokio::time::timeout(timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err((Error::timeout(timeout_ms, 0), None)),
        }
    }

    async fn attempt_inner(
        &self,
        req: &Request,
        url: &reqwest::Url,
        headers: &HeaderMap,
        seen: &mut Seen,
        sink: Option<&dyn ListSink>,
    ) -> AttemptResult {
        let mut builder = self
            .http
            .client
            .request(req.method.to_reqwest(), url.clone())
            .headers(headers.clone());
        if let Some(body) = &req.body {
            let prepared = body.prepare().await.map_err(|e| (e, None))?;
            if let Some(n) = prepared.length {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, n);
            }
            builder = builder.body(prepared.body);
        }
        let lead = self.http.connections.enter().await;
        let mut resp = builder
            .send()
            .await
            .map_err(|e| (self.connection_error(&e), None))?;
        lead.done();
        let status = resp.status().as_u16();
        seen.status = Some(status);
        seen.protocol = Some(protocol_of(resp.version()));
        let content_length = resp.content_length();
        // Taken, not cloned: the body is read through `resp` without them.
        let headers = std::mem::take(resp.headers_mut());
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
        seen.request_id = request_id.clone();
        let limit = self.config.max_response_bytes;
        let encoding = match Encoding::from_header(
            headers
                .get(reqwest::header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok()),
        ) {
            Ok(e) => e,
            Err(other) => {
                return Err((
                    Error::decode(format!(
                            "the response has a Content-Encoding the client did not ask for (`{other}`)"
                        ), status, request_id),
                    None,
                ))
            }
        };
        seen.encoding = encoding.name();
        if encoding == Encoding::Identity {
            if let Some(len) = content_length {
                if len as usize > limit {
                    return Err((self.too_large(status, request_id, len as usize), None));
                }
            }
        }
        let mut body = Body::new(resp, encoding, limit);
        let hint = content_length.filter(|_| encoding == Encoding::Identity);
        let read = match sink {
            Some(sink) if (200..300).contains(&status) => read_streamed(&mut body, sink).await,
            _ => body.read_all(hint).await,
        };
        seen.bytes = body.decoded_bytes() as u64;
        seen.wire_bytes = body.wire_bytes();
        let body: Bytes = match read {
            Ok(b) => b,
            Err(BodyError::Network(e)) => return Err((self.connection_error(&e), None)),
            Err(BodyError::TooLarge(n)) => {
                return Err((self.too_large(status, request_id, n), None))
            }
            Err(BodyError::Corrupt(why)) => {
                return Err((
                    Error::decode(
                        format!(
                            "the response body could not be decompressed ({}): {why}",
                            encoding.name().unwrap_or("identity")
                        ),
                        status,
                        request_id,
                    ),
                    None,
                ))
            }
        };
        self.http.connections.touch();
        if (200..300).contains(&status) {
            return Ok(Response {
                status,
                headers,
                body,
                request_id,
                attempts: 0,
                rate_limit,
                idempotency_key: None,
                queued: Duration::ZERO,
            });
        }
        let wait = retry::server_wait(&headers, status, SystemTime::now());
        let err = ApiError::from_response(
            &self.config.api_key,
            status,
            header_list(&headers),
            &body,
            request_id,
            rate_limit,
            wait,
        );
        Err((Error::Api(Box::new(err)), wait))
    }

    fn too_large(&self, status: u16, request_id: Option<String>, size: usize) -> Error {
        Error::decode(format!(
                "the response body ({size} bytes or more, decoded) exceeds the limit of {} bytes (maxResponseBytes)",
                self.config.max_response_bytes
            ), status, request_id)
    }

    fn connection_error(&self, e: &reqwest::Error) -> Error {
        let mut flat = crate::base::error::flatten(e);
        // reqwest quotes the whole URL: keep the origin and path (shortened), never the query,
        // which may carry user data (tokens, ids).
        if let Some(url) = e.url() {
            flat = flat.replace(url.as_str(), &quoted_url(url));
        }
        let flat = self.config.api_key.redact(&flat);
        let kind = classify(e, &flat);
        let message = match crate::net::tls::find_rustls_error(e) {
            Some(tls) => format!("{} ({flat})", crate::net::tls::describe(tls)),
            None => flat,
        };
        // An error of the connector (TCP connect, DNS, proxy tunnel, TLS handshake) came before
        // a byte of the request was written.
        let sent = !e.is_connect();
        Error::connection(kind, message, sent)
    }
}

/// Reads a success body for a [`ListSink`]: whole while it is under one run, then through a
/// [`Splitter`] that hands runs to the sink as they complete. Returns the body (small) or the
/// envelope (the body with the array emptied).
async fn read_streamed(
    body: &mut Body,
    sink: &dyn ListSink,
) -> std::result::Result<Bytes, BodyError> {
    sink.reset();
    let mut head = bytes::BytesMut::new();
    let mut splitter: Option<Splitter> = None;
    while let Some(chunk) = body.next().await? {
        match &mut splitter {
            Some(s) => {
                for run in s.feed(&chunk) {
                    sink.run(run);
                }
            }
            None => {
                head.extend_from_slice(&chunk);
                if head.len() >= RUN_BYTES {
                    let mut s = Splitter::new(sink.field(), RUN_BYTES);
                    for run in s.feed(&head) {
                        sink.run(run);
                    }
                    head = bytes::BytesMut::new();
                    splitter = Some(s);
                }
            }
        }
    }
    Ok(match splitter {
        None => head.freeze(),
        Some(s) => {
            let (last, envelope) = s.finish();
            if let Some(run) = last {
                sink.run(run);
            }
            Bytes::from(envelope)
        }
    })
}

/// A URL as error messages show it: origin and path, at most 200 characters, the query elided.
fn quoted_url(url: &reqwest::Url) -> String {
    let mut out = String::new();
    out.push_str(url.scheme());
    out.push_str("://");
    out.push_str(url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(url.path());
    if out.len() > 200 {
        let mut cut = 200;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    if url.query().is_some() {
        out.push_str("?…");
    }
    out
}

/// `h2` or `http/1.1` (the ALPN names).
fn protocol_of(v: reqwest::Version) -> &'static str {
    if v == reqwest::Version::HTTP_2 {
        "h2"
    } else if v == reqwest::Version::HTTP_10 {
        "http/1.0"
    } else {
        "http/1.1"
    }
}

/// What every attempt record of one call shares.
struct CallInfo<'a> {
    req: &'a Request,
    operation: Option<&'static str>,
    /// The `x-request-id` sent with every attempt.
    request_id: &'a str,
}

/// The call's headers with an attempt's own (from its hook): a header a caller could not set is
/// left out, and one already set by the call is replaced.
fn with_attempt_headers(headers: &HeaderMap, extra: AttemptHeaders) -> HeaderMap {
    let mut h = headers.clone();
    for (name, value) in extra {
        let Ok((name, value)) = crate::wire::headers::parse("attempt", &name, &value) else {
            continue;
        };
        if name == reqwest::header::AUTHORIZATION
            || name.as_str() == "idempotency-key"
            || name.as_str() == "x-request-id"
        {
            continue;
        }
        h.insert(name, value);
    }
    h
}

/// The observer's record of one attempt.
fn record(
    call: &CallInfo<'_>,
    attempt: u32,
    started: Instant,
    err: Option<&Error>,
    retry_in: Option<Duration>,
    seen: Seen,
) -> Attempt {
    let req = call.req;
    let error = err.map(|e| match e {
        Error::Api(a) => a.code.clone().unwrap_or_else(|| "api_error".into()),
        Error::Connection { kind, .. } => kind.as_str().to_string(),
        Error::Timeout { .. } => "timeout".into(),
        Error::Decode { .. } => "invalid_response".into(),
        Error::Aborted { .. } => "aborted".into(),
        Error::Validation { .. } => "validation".into(),
        Error::Internal(_) => "internal".into(),
    });
    Attempt {
        method: req.method.as_str(),
        path: req.path.clone(),
        operation: call.operation,
        attempt,
        status: seen.status,
        error,
        duration: started.elapsed(),
        request_id: seen
            .request_id
            .or_else(|| Some(call.request_id.to_string())),
        protocol: seen.protocol,
        bytes: seen.bytes,
        wire_bytes: seen.wire_bytes,
        encoding: seen.encoding,
        retry_in,
    }
}

fn classify(e: &reqwest::Error, message: &str) -> ConnectionKind {
    if crate::net::tls::find_rustls_error(e).is_some() {
        return ConnectionKind::Tls;
    }
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

/// The `Idempotency-Key` header name, as a caller may spell it in any case.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The `Idempotency-Key` a caller set as a header of the request or of the call, if any (the
/// last one wins, as it would among headers); an empty one is refused, naming the header.
fn caller_key(req: &Request, opts: &CallOptions) -> Result<Option<String>> {
    let key = req
        .headers
        .iter()
        .chain(opts.headers.iter())
        .rfind(|(name, _)| name.eq_ignore_ascii_case(IDEMPOTENCY_KEY))
        .map(|(_, value)| value.clone());
    match key {
        Some(k) if k.is_empty() => Err(Error::validation(
            "headers.idempotency-key",
            "expected a non-empty string",
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_urls_drop_the_query_and_stay_short() {
        let url = reqwest::Url::parse("https://zernio.com:8443/api/v1/x?token=secret").unwrap();
        assert_eq!(quoted_url(&url), "https://zernio.com:8443/api/v1/x?…");
        let long = reqwest::Url::parse(&format!("http://h/{}", "a".repeat(5000))).unwrap();
        assert!(quoted_url(&long).chars().count() <= 201);
    }

    #[test]
    fn an_idempotency_key_header_is_the_call_s_key() {
        use crate::wire::request::Method;
        let mut req = Request::new(Method::Post, "/v1/posts");
        let opts = CallOptions::default();
        assert_eq!(caller_key(&req, &opts).ok(), Some(None));
        req.headers.push(("Idempotency-Key".into(), "k1".into()));
        assert_eq!(caller_key(&req, &opts).ok(), Some(Some("k1".into())));
        let opts = CallOptions {
            headers: vec![("idempotency-key".into(), "k2".into())],
            ..CallOptions::default()
        };
        assert_eq!(caller_key(&req, &opts).ok(), Some(Some("k2".into())));
        req.headers[0].1 = String::new();
        assert!(caller_key(&req, &CallOptions::default()).is_err_and(
            |e| matches!(e, Error::Validation { ref param, .. } if param == "headers.idempotency-key")
        ));
    }
}
