//! `NativeClient`: the napi class the facade's `LateClient` wraps.

use std::collections::HashMap;

use late_core::NextPage;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::cancel::{token_of, CancelToken};
use crate::errors::{promise, throw, CoreResult, Pending, Settled};
use crate::observe::{AttemptFn, JsObserver};
use crate::options::{CallOptions, ClientOptions};
use crate::upload::{progress_callback, to_core, NativeUpload, NativeUploadResult, ProgressFn};

/// Rate-limit state from `X-RateLimit-*` headers.
#[napi(object)]
pub struct NativeRateLimit {
    /// Requests allowed per window.
    pub limit: Option<f64>,
    /// Requests left in the window.
    pub remaining: Option<f64>,
    /// Unix time (seconds) when the next slot frees up.
    pub reset_at: Option<f64>,
}

impl From<late_core::RateLimit> for NativeRateLimit {
    fn from(r: late_core::RateLimit) -> Self {
        Self {
            limit: r.limit.map(|v| v as f64),
            remaining: r.remaining.map(|v| v as f64),
            reset_at: r.reset_at.map(|v| v as f64),
        }
    }
}

/// A request for `NativeClient.request`.
#[napi(object)]
pub struct NativeRequest {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// Path below the base URL, e.g. `/v1/accounts`. Path parameters already encoded.
    pub path: String,
    /// Query as a flat list `[name1, value1, name2, value2, ...]`.
    pub query: Option<Vec<String>>,
    /// JSON body text.
    pub body: Option<String>,
    /// A body other than JSON (raw bytes, a file, multipart parts); wins over `body`.
    pub payload: Option<crate::body::NativeBody>,
    /// Extra headers for this request.
    pub headers: Option<HashMap<String, String>>,
    /// Hand the response body over as bytes (`bytes`) instead of text (`body`).
    pub binary_response: Option<bool>,
}

/// A success response.
#[napi(object)]
pub struct NativeResponse {
    /// HTTP status (2xx).
    pub status: u32,
    /// Response headers, lower-case names.
    pub headers: HashMap<String, String>,
    /// Body text (JSON for the API's answers); empty when `bytes` is set.
    pub body: String,
    /// Body bytes, when the request asked for `binaryResponse`.
    pub bytes: Option<Buffer>,
    /// `X-Request-Id` of the response.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// The `Idempotency-Key` sent, if any.
    pub idempotency_key: Option<String>,
    /// `X-RateLimit-*` headers of the response.
    pub rate_limit: Option<NativeRateLimit>,
    /// How long the call waited for the rate limit, in ms (all attempts).
    pub queued_ms: f64,
}

impl NativeResponse {
    fn new(r: late_core::Response, binary: bool) -> Self {
        let headers = r.header_list().into_iter().collect();
        let (body, bytes) = if binary {
            (String::new(), Some(Buffer::from(Vec::from(r.body))))
        } else {
            (crate::text::string(r.body), None)
        };
        Self {
            status: r.status as u32,
            headers,
            body,
            bytes,
            request_id: r.request_id,
            attempts: r.attempts,
            idempotency_key: r.idempotency_key,
            rate_limit: r.rate_limit.map(Into::into),
            queued_ms: r.queued.as_secs_f64() * 1000.0,
        }
    }
}

/// Parameters of `NativeClient.connect`.
#[napi(object)]
pub struct NativeConnectParams {
    /// Profile id; the default profile when absent.
    pub profile_id: Option<String>,
    /// Absolute http(s) URL to return to.
    pub redirect_url: Option<String>,
    /// Instagram: `instagram_login` or `facebook_login`.
    pub login_method: Option<String>,
    /// Headless (white-label) flow.
    pub headless: Option<bool>,
    /// Further query parameters, flat `[name, value, ...]`, already checked by the facade.
    pub extra: Option<Vec<String>>,
}

/// Where the next page of accounts is.
#[napi(object)]
pub struct NativeNextPage {
    /// Cursor style: the `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// Page style: the page number (1-based).
    pub page: Option<u32>,
    /// Page size the server reported.
    pub limit: Option<u32>,
}

/// Filters of `NativeClient.accountsPage`.
#[napi(object)]
pub struct NativeListAccountsParams {
    /// Profile id; the default profile when absent.
    pub profile_id: Option<String>,
    /// Platform filter.
    pub platform: Option<String>,
    /// `connected` or `disconnected`.
    pub status: Option<String>,
}

fn pairs(flat: Option<Vec<String>>) -> Vec<(String, String)> {
    flat.unwrap_or_default()
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

/// The result of `NativeClient.warmup`.
#[napi(object)]
pub struct NativeWarmup {
    /// `h2` or `http/1.1`.
    pub protocol: String,
    /// Milliseconds to connect, handshake and get the answer.
    pub duration_ms: f64,
    /// Whether a new connection was opened (false when one was already pooled).
    pub connected: bool,
}

fn configure(
    options: ClientOptions,
    on_attempt: Option<AttemptFn>,
    observe_all: Option<bool>,
    on_note: Option<crate::observe::NoteFn>,
) -> CoreResult<late_core::ClientConfig> {
    let mut config = options.to_config()?;
    config.observer = on_attempt.map(|f| {
        std::sync::Arc::new(JsObserver::new(f, observe_all.unwrap_or(true)))
            as std::sync::Arc<dyn late_core::AttemptObserver>
    });
    config.notes = on_note.map(|f| {
        std::sync::Arc::new(crate::observe::JsNotes(f)) as std::sync::Arc<dyn late_core::NoteSink>
    });
    Ok(config)
}

/// The core request and call options of a `request` call.
fn core_request(
    request: NativeRequest,
    options: Option<CallOptions>,
    hooks: &crate::attempt_hook::StartSlot,
) -> CoreResult<(late_core::Request, late_core::CallOptions)> {
    let opts = options.unwrap_or_default().to_core_traced(hooks)?;
    let body = match (request.payload, request.body) {
        (Some(p), _) => Some(crate::body::to_core(p)?),
        (None, Some(text)) => Some(late_core::Body::json(text.into_bytes())),
        (None, None) => None,
    };
    let req = late_core::Request {
        method: late_core::Method::parse(&request.method)?,
        path: request.path,
        query: pairs(request.query),
        body,
        headers: request
            .headers
            .map(|h| h.into_iter().collect())
            .unwrap_or_default(),
    };
    Ok((req, opts))
}

/// The native client. Use `LateClient` from the package entry point instead.
#[napi]
pub struct NativeClient {
    inner: late_core::Client,
    runs: crate::list_stream::RunsSlot,
    hooks: crate::attempt_hook::StartSlot,
}

#[napi]
impl NativeClient {
    /// Builds a client with its own connection pool. Throws on invalid options. `onAttempt`
    /// receives a record of each attempt (every one when `observeAll`, else failed ones only);
    /// `onNote` the client's own notices (`warn`/`info` lines of the rate limiter).
    #[napi(constructor)]
    pub fn new(
        env: Env,
        options: ClientOptions,
        #[napi(ts_arg_type = "((attempt: NativeAttempt) => void) | undefined | null")]
        on_attempt: Option<AttemptFn>,
        observe_all: Option<bool>,
        #[napi(ts_arg_type = "((level: string, message: string) => void) | undefined | null")]
        on_note: Option<crate::observe::NoteFn>,
    ) -> Result<Self> {
        let inner = configure(options, on_attempt, observe_all, on_note)
            .and_then(late_core::Client::new)
            .map_err(|e| throw(&env, e))?;
        Ok(Self {
            runs: Default::default(),
            hooks: Default::default(),
            inner,
        })
    }

    /// A client with other options sharing this one's connection pool (a new pool when the
    /// trust, proxy or HTTP/2 setting changed).
    #[napi]
    pub fn with_options(
        &self,
        env: &Env,
        options: ClientOptions,
        #[napi(ts_arg_type = "((attempt: NativeAttempt) => void) | undefined | null")]
        on_attempt: Option<AttemptFn>,
        observe_all: Option<bool>,
        #[napi(ts_arg_type = "((level: string, message: string) => void) | undefined | null")]
        on_note: Option<crate::observe::NoteFn>,
    ) -> Result<NativeClient> {
        let inner = configure(options, on_attempt, observe_all, on_note)
            .and_then(|config| self.inner.with_config(config))
            .map_err(|e| throw(env, e))?;
        Ok(Self {
            runs: self.runs.clone(),
            hooks: self.hooks.clone(),
            inner,
        })
    }

    /// Opens and handshakes one pooled connection to the API's origin ahead of the first call.
    #[napi(ts_return_type = "Promise<NativeWarmup>")]
    pub fn warmup(
        &self,
        env: &Env,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<Pending<Settled<NativeWarmup>>> {
        let opts = options
            .unwrap_or_default()
            .to_core()
            .map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        promise(env, async move {
            client
                .warmup(opts.timeout, &token)
                .await
                .map(|w| NativeWarmup {
                    protocol: w.protocol.to_string(),
                    duration_ms: w.duration.as_secs_f64() * 1000.0,
                    connected: w.connected,
                })
        })
    }

    /// Rate-limit state of the most recent response, if the server sent it.
    #[napi(getter)]
    pub fn rate_limit(&self) -> Option<NativeRateLimit> {
        self.inner.last_rate_limit().map(Into::into)
    }

    /// What pacing under the rate limit does and did.
    #[napi(getter)]
    pub fn pacing(&self) -> crate::pacing::NativePacingStats {
        self.inner.pacing_stats().into()
    }

    /// Any API request, with retries, timeouts and cancellation.
    #[napi(ts_return_type = "Promise<NativeResponse>")]
    pub fn request(
        &self,
        env: &Env,
        request: NativeRequest,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<Pending<Settled<NativeResponse>>> {
        let binary = request.binary_response.unwrap_or(false);
        let (req, opts) = core_request(request, options, &self.hooks).map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        promise(env, async move {
            client
                .request(&req, &opts, &token)
                .await
                .map(|r| NativeResponse::new(r, binary))
        })
    }

    /// `GET /v1/connect/{platform}` → JSON text `{connectUrl, state, ...}`.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn connect(
        &self,
        env: &Env,
        platform: String,
        params: NativeConnectParams,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<Pending<Settled<String>>> {
        let opts = options
            .unwrap_or_default()
            .to_core_traced(&self.hooks)
            .map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        let params = late_core::ConnectParams {
            profile_id: params.profile_id,
            redirect_url: params.redirect_url,
            login_method: params.login_method,
            headless: params.headless,
            extra: pairs(params.extra),
        };
        promise(env, async move {
            client
                .connect(&platform, &params, &opts, &token)
                .await
                .map(|r| r.json)
        })
    }

    /// Sets the listener of streamed account pages, once per client (its clones share it):
    /// `(callId, runJson | null, offset)` for every run of whole accounts of a large page.
    #[napi]
    pub fn on_list_runs(
        &self,
        #[napi(ts_arg_type = "(callId: number, run: string | null, offset: number) => void")]
        listener: crate::list_stream::RunsFn,
    ) {
        let _ = self.runs.set(listener);
    }

    /// Sets the trace listener, once per client (its clones share it): for each attempt of a
    /// call made with `trace` in its options, `(event) => [name, value, …] | undefined` is
    /// called before it is sent (its answer: the attempt's headers, e.g. `traceparent`) and when
    /// it ended (`event.end`), and waited for. What it throws is ignored.
    #[napi]
    pub fn on_attempt_start(
        &self,
        #[napi(ts_arg_type = "(event: NativeAttemptEvent) => string[] | undefined")]
        listener: crate::attempt_hook::StartFn,
    ) {
        let _ = self.hooks.set(listener);
    }

    /// One page of `GET /v1/accounts`: the first page when `next` is absent, else the page it
    /// names (`{ cursor, limit }` or `{ page, limit }`). Resolves to the page's JSON text; with a
    /// `callId` (and a listener set), a page larger than one run streams its accounts to the
    /// listener instead and resolves to `{ body, runs }` (`body` without the accounts). The
    /// facade parses it and follows `pagination`.
    #[napi(ts_return_type = "Promise<string | NativeListPage>")]
    pub fn accounts_page(
        &self,
        env: &Env,
        params: NativeListAccountsParams,
        next: Option<NativeNextPage>,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
        call_id: Option<u32>,
    ) -> Result<Pending<Settled<Either<crate::text::BodyText, crate::list_stream::NativeListPage>>>>
    {
        let opts = options
            .unwrap_or_default()
            .to_core_traced(&self.hooks)
            .map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        let params = late_core::ListAccountsParams {
            profile_id: params.profile_id,
            platform: params.platform,
            status: params.status,
        };
        let limit = next.as_ref().and_then(|n| n.limit).map(|l| l as u64);
        let next = match next {
            None => None,
            Some(NativeNextPage {
                cursor: Some(cursor),
                ..
            }) => Some(NextPage::Cursor { cursor, limit }),
            Some(NativeNextPage {
                page: Some(page), ..
            }) => Some(NextPage::Page {
                page: page as u64,
                limit,
            }),
            Some(_) => {
                return Err(throw(
                    env,
                    crate::errors::validation("next", "needs a `cursor` or a `page`"),
                ))
            }
        };
        let sink = match call_id {
            Some(id) if self.runs.get().is_some() => {
                Some(crate::list_stream::RunSink::new(self.runs.clone(), id))
            }
            _ => None,
        };
        promise(env, async move {
            let resp = match &sink {
                Some(sink) => {
                    client
                        .accounts_page_streamed(&params, next.as_ref(), &opts, &token, sink)
                        .await
                }
                None => {
                    client
                        .accounts_page(&params, next.as_ref(), &opts, &token)
                        .await
                }
            }?;
            let body = crate::text::body(resp.body);
            Ok(match sink.map(|s| s.runs()) {
                Some(runs) if runs > 0 => {
                    Either::B(crate::list_stream::NativeListPage { body, runs })
                }
                _ => Either::A(body),
            })
        })
    }

    /// The default profile's id (looked up once per client, then cached).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn default_profile_id(
        &self,
        env: &Env,
        options: Option<CallOptions>,
        cancel: Option<&CancelToken>,
    ) -> Result<Pending<Settled<String>>> {
        let opts = options
            .unwrap_or_default()
            .to_core_traced(&self.hooks)
            .map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        promise(env, async move {
            client.default_profile_id(&opts, &token).await
        })
    }

    /// PUTs a file or bytes to a presigned upload URL (no `Authorization` header sent), with
    /// progress callbacks `(progress) => void`, retries and an inactivity timeout.
    #[napi(ts_return_type = "Promise<NativeUploadResult>")]
    pub fn upload(
        &self,
        env: &Env,
        upload: NativeUpload,
        options: Option<CallOptions>,
        #[napi(ts_arg_type = "((progress: NativeUploadProgress) => void) | undefined | null")]
        on_progress: Option<ProgressFn>,
        cancel: Option<&CancelToken>,
    ) -> Result<Pending<Settled<NativeUploadResult>>> {
        let opts = options
            .unwrap_or_default()
            .to_core()
            .map_err(|e| throw(env, e))?;
        let token = token_of(cancel);
        let client = self.inner.clone();
        let up = to_core(upload).map_err(|e| throw(env, e))?;
        promise(env, async move {
            let progress = progress_callback(on_progress);
            client
                .upload(&up, &opts, &progress, &token)
                .await
                .map(NativeUploadResult::from)
        })
    }
}
