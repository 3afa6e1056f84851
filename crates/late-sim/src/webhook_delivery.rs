//! Signed webhook delivery with retries and a delivery log.
//!
//! Each event is serialised once; every attempt sends the same bytes with
//! `X-Zernio-Event`, `X-Zernio-Event-Id`, `X-Zernio-Signature` (lowercase hex HMAC-SHA256 of the
//! raw body with the webhook's secret, only when it has one) and the legacy `X-Late-*` copies.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::app::Shared;
use crate::ids::uuid_v4;
use crate::middleware::sleep_or_shutdown;
use crate::state::{Webhook, WebhookLog};
use crate::time::now_iso;

/// Lowercase hex HMAC-SHA256 of `body` with `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    hex::encode(ring::hmac::sign(&key, body).as_ref())
}

/// Builds the HTTP client used for deliveries (rustls with the ring provider, no proxy,
/// no redirects).
pub(crate) fn http_client() -> Result<reqwest::Client, String> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_platform_verifier()
        .map_err(|e| e.to_string())?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())
}

/// Outcome of one delivery attempt.
struct Attempt {
    ok: bool,
    status: Option<u16>,
    body: Option<String>,
    error: Option<String>,
    elapsed_ms: u64,
}

async fn send_once(
    app: &Shared,
    hook: &Webhook,
    event: &str,
    event_id: &str,
    body: &[u8],
) -> Attempt {
    let started = Instant::now();
    let mut req = app
        .http
        .post(&hook.url)
        .timeout(app.config.webhook_timeout)
        .header("content-type", "application/json")
        .header("user-agent", "Zernio-Webhooks/1.0 (late-sim)")
        .header("x-zernio-event", event)
        .header("x-zernio-event-id", event_id)
        .header("x-late-event", event)
        .header("x-late-event-id", event_id);
    if let Some(secret) = hook.secret.as_deref().filter(|s| !s.is_empty()) {
        let sig = sign(secret, body);
        req = req
            .header("x-zernio-signature", &sig)
            .header("x-late-signature", &sig);
    }
    for (k, v) in &hook.custom_headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let fut = async {
        let resp = req.body(body.to_vec()).send().await?;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        Ok::<_, reqwest::Error>((status, text))
    };
    let result = tokio::select! {
        r = fut => Some(r),
        _ = app.shutdown.cancelled() => None,
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match result {
        Some(Ok((status, text))) => Attempt {
            ok: (200..300).contains(&status),
            status: Some(status),
            body: Some(text.chars().take(2000).collect()),
            error: (!(200..300).contains(&status))
                .then(|| format!("Endpoint answered HTTP {status}")),
            elapsed_ms,
        },
        Some(Err(e)) => Attempt {
            ok: false,
            status: None,
            body: None,
            error: Some(if e.is_timeout() {
                format!(
                    "No answer within {} ms",
                    app.config.webhook_timeout.as_millis()
                )
            } else {
                format!("Delivery failed: {e}")
            }),
            elapsed_ms,
        },
        None => Attempt {
            ok: false,
            status: None,
            body: None,
            error: Some("Simulator shut down".into()),
            elapsed_ms,
        },
    }
}

/// The event an attempt belongs to.
struct EventRef<'a> {
    name: &'a str,
    id: &'a str,
    payload: &'a Value,
    test: bool,
}

fn log_attempt(app: &Shared, hook: &Webhook, ev: &EventRef<'_>, n: u32, a: &Attempt) {
    let mut st = app.state();
    st.webhook_logs.push(WebhookLog {
        webhook_id: hook.id.clone(),
        webhook_name: hook.name.clone(),
        event_id: ev.id.to_string(),
        event: ev.name.to_string(),
        test: ev.test,
        url: hook.url.clone(),
        success: a.ok,
        status_code: a.status,
        request_payload: ev.payload.clone(),
        response_body: a.body.clone(),
        error_message: a.error.clone(),
        attempt_number: n,
        response_time_ms: a.elapsed_ms,
        created_at: now_iso(),
    });
    if st.webhook_logs.len() > 5000 {
        st.webhook_logs.remove(0);
    }
    if let Some(w) = st.webhooks.iter_mut().find(|w| w.id == hook.id) {
        if a.ok {
            w.failure_count = 0;
            w.last_fired_at = Some(now_iso());
        }
    }
}

/// Delivers with retries (runs as a tracked task).
async fn deliver(
    app: Shared,
    hook: Webhook,
    event: String,
    event_id: String,
    payload: Value,
    body: Vec<u8>,
) {
    let attempts = app.config.webhook_attempts.max(1);
    for n in 1..=attempts {
        if app.shutdown.is_cancelled() {
            return;
        }
        let a = send_once(&app, &hook, &event, &event_id, &body).await;
        if app.shutdown.is_cancelled() {
            return;
        }
        let ev = EventRef {
            name: &event,
            id: &event_id,
            payload: &payload,
            test: false,
        };
        log_attempt(&app, &hook, &ev, n, &a);
        if a.ok {
            return;
        }
        if n < attempts {
            sleep_or_shutdown(&app, app.config.webhook_retry_delay).await;
        }
    }
    let mut st = app.state();
    if let Some(w) = st.webhooks.iter_mut().find(|w| w.id == hook.id) {
        w.failure_count += 1;
    }
}

fn profiles_field(app: &Shared, profile_id: Option<&str>) -> Option<Value> {
    let st = app.state();
    let p = st.profile(profile_id?)?;
    Some(json!([{ "id": p.id, "externalId": p.external_id }]))
}

/// Builds the event payload `{id, event, timestamp, profiles?, ...fields}`.
pub(crate) fn payload(app: &Shared, event: &str, profile_id: Option<&str>, fields: Value) -> Value {
    let mut v = json!({ "id": uuid_v4(), "event": event });
    if let Some(p) = profiles_field(app, profile_id) {
        v["profiles"] = p;
    }
    if let Value::Object(m) = fields {
        for (k, val) in m {
            v[k.as_str()] = val;
        }
    }
    v["timestamp"] = json!(now_iso());
    v
}

/// Emits an event to every active webhook subscribed to it (honouring `profileIds` /
/// `accountIds` allowlists). Deliveries run in the background.
pub(crate) fn emit(
    app: &Shared,
    event: &str,
    profile_id: Option<&str>,
    account_id: Option<&str>,
    fields: Value,
) {
    let hooks: Vec<Webhook> = app
        .state()
        .webhooks
        .iter()
        .filter(|w| w.is_active && w.events.iter().any(|e| e == event))
        .filter(|w| {
            w.profile_ids.is_empty()
                || profile_id.is_some_and(|p| w.profile_ids.iter().any(|x| x == p))
        })
        .filter(|w| {
            w.account_ids.is_empty()
                || account_id.is_some_and(|a| w.account_ids.iter().any(|x| x == a))
        })
        .cloned()
        .collect();
    if hooks.is_empty() {
        return;
    }
    let payload = payload(app, event, profile_id, fields);
    let event_id = payload["id"].as_str().unwrap_or_default().to_string();
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    for hook in hooks {
        app.spawn(deliver(
            app.clone(),
            hook,
            event.to_string(),
            event_id.clone(),
            payload.clone(),
            body.clone(),
        ));
    }
}

/// Sends one test delivery synchronously (`POST /v1/webhooks/test`); true on a 2xx.
pub(crate) async fn send_test(app: &Shared, hook: &Webhook, event: &str, payload: Value) -> bool {
    let event_id = payload["id"].as_str().unwrap_or_default().to_string();
    let body = serde_json::to_vec(&payload).unwrap_or_default();
    let a = send_once(app, hook, event, &event_id, &body).await;
    let ev = EventRef {
        name: event,
        id: &event_id,
        payload: &payload,
        test: event != "webhook.test",
    };
    log_attempt(app, hook, &ev, 1, &a);
    a.ok
}
