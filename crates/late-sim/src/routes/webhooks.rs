//! `/v1/webhooks/settings`, `/v1/webhooks/test` and `/v1/webhooks/logs`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::{is_http_url, Fields, JsonObject, Query};
use crate::ids::is_object_id;
use crate::state::Webhook;
use crate::time::now_iso;
use crate::webhook_delivery;

const MAX_WEBHOOKS: usize = 50;

fn webhook_not_found() -> ApiError {
    ApiError::not_found("webhook_not_found", "Webhook not found").param("webhookId")
}

fn valid_event(e: &str) -> bool {
    let parts: Vec<&str> = e.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
        })
}

/// Fields shared by create and update.
struct HookFields {
    name: Option<String>,
    url: Option<String>,
    secret: Option<Option<String>>,
    events: Option<Vec<String>>,
    is_active: Option<bool>,
    custom_headers: Option<BTreeMap<String, String>>,
    disabled_resource_groups: Option<Vec<String>>,
    profile_ids: Option<Vec<String>>,
    account_ids: Option<Vec<String>>,
}

fn parse_fields(app: &Shared, body: &Map<String, Value>) -> Result<HookFields, ApiError> {
    let name = match body.opt_str("name")? {
        Some(n) => {
            let n = n.trim().to_string();
            if n.is_empty() || n.chars().count() > 50 {
                return Err(ApiError::invalid("name", "name must be 1 to 50 characters"));
            }
            Some(n)
        }
        None => None,
    };
    let url = match body.opt_str("url")? {
        Some(u) => {
            let u = u.trim().to_string();
            if !is_http_url(&u) {
                return Err(ApiError::invalid(
                    "url",
                    "url must be a valid absolute http(s) URL",
                ));
            }
            Some(u)
        }
        None => None,
    };
    let events = body.opt_str_array("events")?;
    if let Some(ev) = &events {
        if ev.is_empty() {
            return Err(ApiError::invalid(
                "events",
                "events must list at least one event",
            ));
        }
        if let Some(bad) = ev.iter().find(|e| !valid_event(e)) {
            return Err(ApiError::invalid(
                "events",
                format!("Unknown event {bad:?}"),
            ));
        }
    }
    let secret = if body.contains_key("secret") {
        Some(body.opt_str("secret")?.filter(|s| !s.is_empty()))
    } else {
        None
    };
    let custom_headers = match body.get("customHeaders") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let Some(s) = v.as_str() else {
                    return Err(ApiError::invalid(
                        "customHeaders",
                        "customHeaders values must be strings",
                    ));
                };
                if axum::http::HeaderName::from_bytes(k.as_bytes()).is_err()
                    || axum::http::HeaderValue::from_str(s).is_err()
                {
                    return Err(ApiError::invalid(
                        "customHeaders",
                        format!("Invalid header {k:?}"),
                    ));
                }
                out.insert(k.clone(), s.to_string());
            }
            Some(out)
        }
        Some(_) => {
            return Err(ApiError::invalid(
                "customHeaders",
                "customHeaders must be an object",
            ))
        }
    };
    let profile_ids = body.opt_str_array("profileIds")?;
    let account_ids = body.opt_str_array("accountIds")?;
    {
        let st = app.state();
        if let Some(bad) = profile_ids
            .iter()
            .flatten()
            .find(|p| st.profile(p).is_none())
        {
            return Err(ApiError::not_found(
                "profile_not_found",
                format!("Profile {bad} is not in your team"),
            )
            .param("profileIds"));
        }
        if let Some(bad) = account_ids
            .iter()
            .flatten()
            .find(|a| !st.accounts.iter().any(|x| &x.id == *a))
        {
            return Err(ApiError::not_found(
                "account_not_found",
                format!("Account {bad} is not in your team"),
            )
            .param("accountIds"));
        }
    }
    Ok(HookFields {
        name,
        url,
        secret,
        events,
        is_active: body.opt_bool("isActive")?,
        custom_headers,
        disabled_resource_groups: body.opt_str_array("disabledResourceGroups")?,
        profile_ids,
        account_ids,
    })
}

/// `GET /v1/webhooks/settings` → `{webhooks}`.
pub(crate) async fn list(State(app): State<Shared>) -> Json<Value> {
    let st = app.state();
    Json(json!({ "webhooks": st.webhooks.iter().map(Webhook::to_json).collect::<Vec<_>>() }))
}

/// Events a webhook registered through `SimConfig::webhook_url` subscribes to.
const DEFAULT_WEBHOOK_EVENTS: &[&str] = &[
    "account.connected",
    "account.disconnected",
    "post.scheduled",
    "post.published",
    "post.failed",
    "post.partial",
    "webhook.test",
];

/// Registers the configured start-up webhook, if any.
pub(crate) fn register_default(app: &Shared) {
    if let Some(url) = &app.config.webhook_url {
        insert(
            app,
            "late-sim default".into(),
            url.clone(),
            DEFAULT_WEBHOOK_EVENTS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            Some(app.config.webhook_secret.clone()).filter(|s| !s.is_empty()),
        );
    }
}

/// Creates a webhook (shared by the route and the `webhook_url` start option).
pub(crate) fn insert(
    app: &Shared,
    name: String,
    url: String,
    events: Vec<String>,
    secret: Option<String>,
) -> Webhook {
    let hook = Webhook {
        id: app.ids.object_id(),
        name,
        url,
        secret,
        events,
        is_active: true,
        last_fired_at: None,
        failure_count: 0,
        custom_headers: BTreeMap::new(),
        disabled_resource_groups: Vec::new(),
        profile_ids: Vec::new(),
        account_ids: Vec::new(),
        created_at: now_iso(),
    };
    app.state().webhooks.push(hook.clone());
    hook
}

/// `POST /v1/webhooks/settings` → 200 `{success, webhook}`. Without `secret`, the simulator's
/// configured webhook secret is used; `secret: ""` makes the webhook unsigned.
pub(crate) async fn create(
    State(app): State<Shared>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let f = parse_fields(&app, &body)?;
    let name = f.name.ok_or_else(|| ApiError::missing("name"))?;
    let url = f.url.ok_or_else(|| ApiError::missing("url"))?;
    let events = f.events.ok_or_else(|| ApiError::missing("events"))?;
    if app.state().webhooks.len() >= MAX_WEBHOOKS {
        return Err(ApiError::bad_request(
            "webhook_limit_reached",
            "Maximum of 50 webhooks reached",
        ));
    }
    let secret = match f.secret {
        Some(s) => s,
        None => Some(app.config.webhook_secret.clone()).filter(|s| !s.is_empty()),
    };
    let mut hook = insert(&app, name, url, events, secret);
    let mut st = app.state();
    if let Some(w) = st.webhooks.iter_mut().find(|w| w.id == hook.id) {
        if let Some(a) = f.is_active {
            w.is_active = a;
        }
        if let Some(h) = f.custom_headers {
            w.custom_headers = h;
        }
        if let Some(d) = f.disabled_resource_groups {
            w.disabled_resource_groups = d;
        }
        if let Some(p) = f.profile_ids {
            w.profile_ids = p;
        }
        if let Some(a) = f.account_ids {
            w.account_ids = a;
        }
        hook = w.clone();
    }
    Ok(Json(json!({ "success": true, "webhook": hook.to_json() })))
}

/// `PUT /v1/webhooks/settings` (identified by `webhookId` or `_id`) → `{success, webhook}`.
pub(crate) async fn update(
    State(app): State<Shared>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let id = match body.opt_str("webhookId")? {
        Some(id) => id,
        None => body
            .opt_str("_id")?
            .ok_or_else(|| ApiError::missing("webhookId"))?,
    };
    let f = parse_fields(&app, &body)?;
    let mut st = app.state();
    let w = st
        .webhooks
        .iter_mut()
        .find(|w| w.id == id)
        .ok_or_else(webhook_not_found)?;
    if let Some(v) = f.name {
        w.name = v;
    }
    if let Some(v) = f.url {
        w.url = v;
    }
    if let Some(v) = f.secret {
        w.secret = v;
    }
    if let Some(v) = f.events {
        w.events = v;
    }
    if let Some(v) = f.is_active {
        w.is_active = v;
        if v {
            w.failure_count = 0;
        }
    }
    if let Some(v) = f.custom_headers {
        w.custom_headers = v;
    }
    if let Some(v) = f.disabled_resource_groups {
        w.disabled_resource_groups = v;
    }
    if let Some(v) = f.profile_ids {
        w.profile_ids = v;
    }
    if let Some(v) = f.account_ids {
        w.account_ids = v;
    }
    Ok(Json(json!({ "success": true, "webhook": w.to_json() })))
}

/// `DELETE /v1/webhooks/settings?webhookId=` (or the older `id=`) → `{success}`.
pub(crate) async fn delete(State(app): State<Shared>, q: Query) -> Result<Json<Value>, ApiError> {
    q.only(&["webhookId", "id"])?;
    let id = q
        .str("webhookId")
        .or(q.str("id"))
        .ok_or_else(|| ApiError::missing("webhookId"))?;
    if !is_object_id(id) {
        return Err(ApiError::invalid(
            "webhookId",
            "webhookId must be a valid ObjectId",
        ));
    }
    let mut st = app.state();
    let before = st.webhooks.len();
    st.webhooks.retain(|w| w.id != id);
    if st.webhooks.len() == before {
        return Err(webhook_not_found());
    }
    Ok(Json(json!({ "success": true })))
}

fn sample_fields(app: &Shared, event: &str) -> Value {
    let st = app.state();
    let account = st.accounts.first().cloned();
    let profile_id = account
        .as_ref()
        .map(|a| a.profile_id.clone())
        .or_else(|| st.profiles.first().map(|p| p.id.clone()))
        .unwrap_or_default();
    if event.starts_with("account.") {
        let mut acc = json!({
            "accountId": account.as_ref().map(|a| a.id.clone()).unwrap_or_else(|| "000000000000000000000000".into()),
            "profileId": profile_id,
            "platform": account.as_ref().map(|a| a.platform.clone()).unwrap_or_else(|| "instagram".into()),
            "username": account.as_ref().map(|a| a.username.clone()).unwrap_or_else(|| "sim_sample".into()),
            "displayName": account.as_ref().map(|a| a.display_name.clone()).unwrap_or_else(|| "Sim Sample".into()),
        });
        if event == "account.disconnected" {
            acc["disconnectionType"] = json!("intentional");
            acc["reason"] = json!("Sample event");
        }
        return json!({ "account": acc, "test": true });
    }
    if event.starts_with("post.") {
        return json!({
            "test": true,
            "post": {
                "id": "000000000000000000000000",
                "content": "Sample post",
                "status": event.trim_start_matches("post."),
                "scheduledFor": now_iso(),
                "platforms": [],
            }
        });
    }
    json!({ "test": true })
}

/// `POST /v1/webhooks/test` `{webhookId, event?}`: one synchronous delivery.
pub(crate) async fn test(
    State(app): State<Shared>,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    let id = body.req_str("webhookId")?;
    let event = body.opt_str("event")?;
    if let Some(e) = &event {
        if !valid_event(e) {
            return Err(ApiError::invalid("event", format!("Unknown event {e:?}")));
        }
    }
    let hook = app
        .state()
        .webhooks
        .iter()
        .find(|w| w.id == id)
        .cloned()
        .ok_or_else(webhook_not_found)?;
    let (name, fields) = match &event {
        Some(e) => (e.clone(), sample_fields(&app, e)),
        None => (
            "webhook.test".to_string(),
            json!({ "message": "This is a test webhook from Zernio (late-sim)" }),
        ),
    };
    let payload = webhook_delivery::payload(&app, &name, None, fields);
    let ok = webhook_delivery::send_test(&app, &hook, &name, payload).await;
    Ok(if ok {
        Json(json!({ "success": true, "message": "Test webhook sent successfully" }))
            .into_response()
    } else {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "success": false, "message": "Test webhook failed" })),
        )
            .into_response()
    })
}

/// `GET /v1/webhooks/logs` → `{logs, pagination{total, limit, skip, pages, hasMore}}`.
pub(crate) async fn logs(State(app): State<Shared>, q: Query) -> Result<Json<Value>, ApiError> {
    q.only(&["limit", "skip", "status", "event", "webhookId", "eventId"])?;
    let limit = q.int("limit", 1, 100)?.unwrap_or(50) as usize;
    let skip = q.int("skip", 0, 10_000)?.unwrap_or(0) as usize;
    let status = q.str("status");
    if let Some(s) = status {
        if s != "success" && s != "failed" {
            return Err(ApiError::invalid(
                "status",
                "status must be success or failed",
            ));
        }
    }
    let st = app.state();
    let matched: Vec<Value> = st
        .webhook_logs
        .iter()
        .rev()
        .filter(|l| status.is_none_or(|s| (s == "success") == l.success))
        .filter(|l| q.str("event").is_none_or(|e| l.event == e))
        .filter(|l| q.str("webhookId").is_none_or(|w| l.webhook_id == w))
        .filter(|l| q.str("eventId").is_none_or(|e| l.event_id == e))
        .map(|l| l.to_json(&st.user_id))
        .collect();
    let total = matched.len();
    let logs: Vec<Value> = matched.into_iter().skip(skip).take(limit).collect();
    Ok(Json(json!({
        "logs": logs,
        "pagination": {
            "total": total,
            "limit": limit,
            "skip": skip,
            "pages": total.div_ceil(limit),
            "hasMore": skip + limit < total,
        }
    })))
}
