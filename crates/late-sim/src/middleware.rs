//! The layer every request passes through: request ids, the request log, rate limiting,
//! injected faults and bearer authentication.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio_util::sync::CancellationToken;

use crate::actions::{is_action, Replayed};
use crate::app::{lock, Shared};
use crate::error::ApiError;
use crate::faults::FaultAction;
use crate::ids::uuid_v4;
use crate::ratelimit::RateDecision;
use crate::recorder::{body_text, RecordedRequest};
use crate::time::now_iso;

/// Per-connection handle inserted into every request; cancelling `drop` makes the server
/// close the TCP connection without answering.
#[derive(Clone, Debug)]
pub(crate) struct ConnCtx {
    pub drop: CancellationToken,
}

/// A delay fault that a route may apply at a point of its choosing (the post create route
/// applies it while its `Idempotency-Key` is in flight); otherwise it is applied after the
/// route ran, before the answer is sent.
#[derive(Debug)]
pub(crate) struct DeferredDelay {
    delay: Duration,
    taken: AtomicBool,
}

impl DeferredDelay {
    /// Claims the delay (only once).
    pub fn take(&self) -> Option<Duration> {
        if self.taken.swap(true, Ordering::SeqCst) {
            None
        } else {
            Some(self.delay)
        }
    }
}

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const API_BODY_LIMIT: usize = 16 * 1024 * 1024;
const UPLOAD_BODY_LIMIT: usize = 512 * 1024 * 1024;

/// Admin routes are never recorded, limited, faulted or authenticated.
fn is_admin_path(path: &str) -> bool {
    [
        "/__sim/faults",
        "/__sim/requests",
        "/__sim/state",
        "/__sim/ratelimit",
        "/__sim/actions",
        "/__sim/reset",
        "/__sim/accounts",
        "/__sim/health",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

fn valid_request_id(h: &HeaderMap) -> Option<String> {
    let v = h.get(X_REQUEST_ID)?.to_str().ok()?.trim();
    (!v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| v.to_string())
}

/// Sleeps unless the simulator shuts down first.
pub(crate) async fn sleep_or_shutdown(app: &Shared, d: Duration) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        _ = app.shutdown.cancelled() => {}
    }
}

fn record_headers(app: &Shared, headers: &HeaderMap) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::<String, String>::new();
    for (name, value) in headers {
        let name = name.as_str().to_ascii_lowercase();
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let text = if name == "authorization" && !app.is_own_authorization(&text) {
            "[other]".to_string()
        } else {
            text
        };
        out.entry(name)
            .and_modify(|e| {
                e.push_str(", ");
                e.push_str(&text);
            })
            .or_insert(text);
    }
    out
}

fn check_auth(app: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "missing_credentials",
            "Missing API key. Send it as Authorization: Bearer <your API key>.",
        ));
    };
    let text = value.to_str().unwrap_or("");
    let key = text
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, k)| k.trim());
    match key {
        Some(k) if k == app.config.api_key => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "invalid_credentials",
            "Invalid API key. Check the key or create a new one.",
        )),
    }
}

fn malformed_response() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"simulated\": \"malformed\", \"data\": [{\"_id\": ",
    )
        .into_response()
}

/// The common middleware (see the module docs).
pub(crate) async fn common(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let request_id = valid_request_id(&parts.headers).unwrap_or_else(uuid_v4);
    if is_admin_path(&path) {
        let mut resp = next.run(Request::from_parts(parts, body)).await;
        set_header(&mut resp, X_REQUEST_ID, &request_id);
        return resp;
    }
    let limit = if path.starts_with("/__sim/uploads/") || path == "/api/v1/posts/bulk-upload" {
        UPLOAD_BODY_LIMIT
    } else {
        API_BODY_LIMIT
    };
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            let mut resp = ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request_error",
                "payload_too_large",
                "The request body is too large or could not be read.",
            )
            .into_response();
            set_header(&mut resp, X_REQUEST_ID, &request_id);
            return resp;
        }
    };
    let method = parts.method.as_str().to_string();
    let seq = lock(&app.recorder).push(RecordedRequest {
        seq: 0,
        method: method.clone(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: record_headers(&app, &parts.headers),
        body: body_text(&bytes),
        time: now_iso(),
        request_id: request_id.clone(),
        status: None,
    });
    let api_path = path
        .strip_prefix("/api")
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .map(|r| r.to_string());
    let rate = if api_path.is_some() {
        lock(&app.limiter).check()
    } else {
        None
    };
    let finish = |mut resp: Response| -> Response {
        set_header(&mut resp, X_REQUEST_ID, &request_id);
        if let Some(r) = rate {
            set_rate_headers(&mut resp, &r);
        }
        lock(&app.recorder).set_status(seq, resp.status().as_u16());
        resp
    };
    if let Some(r) = rate.filter(|r| !r.allowed) {
        let err = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            "rate_limited",
            format!(
                "Rate limit exceeded: {} requests per {}. Retry after {} seconds.",
                r.limit,
                window_text(lock(&app.limiter).window()),
                r.retry_after
            ),
        )
        .header(header::RETRY_AFTER, r.retry_after.to_string());
        return finish(err.into_response());
    }

    let fault_path = api_path.as_deref().unwrap_or(&path);
    let fault = lock(&app.faults).take(&method, fault_path);
    let mut deferred = None;
    // A fault that loses the answer after the route ran (`after`): kept for then.
    let mut lose_answer = None;
    if let Some(f) = fault {
        match f.action {
            FaultAction::Pass => {
                if let Some(d) = f.delay {
                    deferred = Some(Arc::new(DeferredDelay {
                        delay: d,
                        taken: AtomicBool::new(false),
                    }));
                }
            }
            _ if f.after => lose_answer = Some(f),
            action => {
                if let Some(d) = f.delay {
                    sleep_or_shutdown(&app, d).await;
                }
                if let Some(resp) = fault_answer(action, &parts.extensions).await {
                    return finish(resp);
                }
            }
        }
    }

    if let Some(p) = &api_path {
        if p == "/v1" || p.starts_with("/v1/") {
            if let Err(e) = check_auth(&app, &parts.headers) {
                return finish(e.into_response());
            }
        }
    }
    let extensions = parts.extensions.clone();
    let mut req = Request::from_parts(parts, Body::from(bytes));
    if let Some(d) = &deferred {
        req.extensions_mut().insert(d.clone());
    }
    // The route runs in its own task, as on a real server: a client that gives up (a timeout,
    // a closed connection) does not cancel work already under way.
    let route = {
        let app = app.clone();
        let (method, api_path, request_id) = (method.clone(), api_path.clone(), request_id.clone());
        async move {
            let resp = next.run(req).await;
            // The ledger of actions (crate::actions): a POST or PATCH whose route answered 2xx
            // without replaying an earlier answer acted, once per call unless sent again.
            if let Some(p) = &api_path {
                if is_action(&method)
                    && resp.status().is_success()
                    && resp.extensions().get::<Replayed>().is_none()
                {
                    lock(&app.actions).record(&method, p, &request_id);
                }
            }
            resp
        }
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.spawn(async move {
        let _ = tx.send(route.await);
    });
    let Ok(resp) = rx.await else {
        return finish(ApiError::for_status(StatusCode::SERVICE_UNAVAILABLE).into_response());
    };
    if let Some(d) = deferred.and_then(|d| d.take()) {
        sleep_or_shutdown(&app, d).await;
    }
    if let Some(f) = lose_answer {
        if let Some(d) = f.delay {
            sleep_or_shutdown(&app, d).await;
        }
        if let Some(lost) = fault_answer(f.action, &extensions).await {
            return finish(lost);
        }
    }
    finish(resp)
}

/// The answer a fault gives instead of the route's (`None`: a pure delay, answer normally). A
/// dropped connection never returns: the connection task drops this future with the socket.
async fn fault_answer(
    action: FaultAction,
    extensions: &axum::http::Extensions,
) -> Option<Response> {
    match action {
        FaultAction::Pass => None,
        FaultAction::Drop => {
            if let Some(ctx) = extensions.get::<ConnCtx>() {
                ctx.drop.cancel();
                std::future::pending::<()>().await;
            }
            Some(ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response())
        }
        FaultAction::Malformed => Some(malformed_response()),
        FaultAction::Status {
            status,
            retry_after,
            body,
        } => {
            let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut err = match body {
                Some(b) => ApiError::raw(code, b),
                None => ApiError::for_status(code),
            };
            if let Some(s) = retry_after {
                err = err.header(header::RETRY_AFTER, s.to_string());
            }
            Some(err.into_response())
        }
    }
}

/// `minute` for the real API's window, else the window in seconds or milliseconds.
fn window_text(w: Duration) -> String {
    match w.as_millis() {
        60_000 => "minute".to_string(),
        ms if ms % 1000 == 0 => format!("{} s", ms / 1000),
        ms => format!("{ms} ms"),
    }
}

fn set_header(resp: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

fn set_rate_headers(resp: &mut Response, r: &RateDecision) {
    set_header(
        resp,
        HeaderName::from_static("x-ratelimit-limit"),
        &r.limit.to_string(),
    );
    set_header(
        resp,
        HeaderName::from_static("x-ratelimit-remaining"),
        &r.remaining.to_string(),
    );
    set_header(
        resp,
        HeaderName::from_static("x-ratelimit-reset"),
        &r.reset.to_string(),
    );
}
