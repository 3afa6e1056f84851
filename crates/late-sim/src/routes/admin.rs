//! Admin routes under `/__sim` (no authentication): faults, the request log, state, reset and
//! account seeding.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::{lock, Shared};
use crate::error::ApiError;
use crate::extract::{parse_object, Fields};
use crate::faults::Fault;
use crate::ids::{is_object_id, random_range};
use crate::state::{Account, SimState};
use crate::time::now_iso;

fn faults_json(app: &Shared) -> Value {
    json!({ "faults": lock(&app.faults).list().iter().map(Fault::to_json).collect::<Vec<_>>() })
}

/// `GET /__sim/faults`
pub(crate) async fn list_faults(State(app): State<Shared>) -> Json<Value> {
    Json(faults_json(&app))
}

/// `POST /__sim/faults` with one fault object or an array of them.
pub(crate) async fn add_faults(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return ApiError::bad_request("invalid_json", format!("Body is not JSON: {e}"))
                .into_response()
        }
    };
    let items = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let mut parsed = Vec::new();
    for item in &items {
        match Fault::from_json(item) {
            Ok(f) => parsed.push(f),
            Err(e) => return ApiError::bad_request("invalid_fault", e.to_string()).into_response(),
        }
    }
    {
        let mut faults = lock(&app.faults);
        for f in parsed {
            faults.push(f);
        }
    }
    (StatusCode::CREATED, Json(faults_json(&app))).into_response()
}

/// `DELETE /__sim/faults`
pub(crate) async fn clear_faults(State(app): State<Shared>) -> Json<Value> {
    lock(&app.faults).clear();
    Json(json!({ "faults": [] }))
}

/// `GET /__sim/requests`
pub(crate) async fn list_requests(State(app): State<Shared>) -> Json<Value> {
    Json(json!({ "requests": lock(&app.recorder).list() }))
}

/// `DELETE /__sim/requests`
pub(crate) async fn clear_requests(State(app): State<Shared>) -> Json<Value> {
    lock(&app.recorder).clear();
    Json(json!({ "requests": [] }))
}

/// `GET /__sim/state`
pub(crate) async fn state(State(app): State<Shared>) -> Json<Value> {
    Json(app.state().snapshot())
}

/// `GET /__sim/ratelimit`: `{limit, windowMs, allowed, limited}` (`limited` counts the 429s the
/// team limit sent).
pub(crate) async fn rate_limit(State(app): State<Shared>) -> Json<Value> {
    Json(lock(&app.limiter).stats())
}

/// `GET /__sim/actions`: `{total, duplicates: [{method, path, operation, requestId, times}]}`,
/// the POSTs and PATCHes acted on and the calls among them that acted more than once.
pub(crate) async fn actions(State(app): State<Shared>) -> Json<Value> {
    Json(lock(&app.actions).to_json())
}

/// Resets data, faults, the request log, the ledger of actions and the rate-limit window.
pub(crate) fn reset_all(app: &Shared) {
    *app.state() = SimState::new(&app.ids);
    lock(&app.faults).clear();
    lock(&app.recorder).clear();
    lock(&app.actions).clear();
    lock(&app.limiter).reset();
    crate::routes::webhooks::register_default(app);
}

/// `POST /__sim/reset`
pub(crate) async fn reset(State(app): State<Shared>) -> Json<Value> {
    reset_all(&app);
    Json(json!({ "success": true }))
}

/// Adds an account directly (no consent flow, no webhook).
pub(crate) fn seed_account(
    app: &Shared,
    body: &serde_json::Map<String, Value>,
) -> Result<Value, ApiError> {
    let platform = body.req_str("platform")?;
    let mut st = app.state();
    let profile_id = match body.opt_str("profileId")? {
        Some(p) => {
            if !is_object_id(&p) || st.profile(&p).is_none() {
                return Err(
                    ApiError::not_found("profile_not_found", "Profile not found")
                        .param("profileId"),
                );
            }
            p
        }
        None => st
            .ordered_profiles()
            .first()
            .map(|p| p.id.clone())
            .ok_or_else(|| ApiError::not_found("profile_not_found", "There is no profile"))?,
    };
    let username = body
        .opt_str("username")?
        .unwrap_or_else(|| format!("sim_{platform}_{}", random_range(1000, 10000)));
    let display_name = body
        .opt_str("displayName")?
        .unwrap_or_else(|| username.clone());
    let seq = st.next_seq();
    let a = Account {
        id: app.ids.object_id(),
        platform: platform.clone(),
        profile_id,
        profile_url: format!("https://{platform}.example/{username}"),
        username,
        display_name,
        platform_user_id: format!("{}", random_range(10_000_000_000, 99_999_999_999)),
        is_active: body.opt_bool("isActive")?.unwrap_or(true),
        needs_reconnection: body.opt_bool("needsReconnection")?.unwrap_or(false),
        created_at: now_iso(),
        seq,
    };
    let v = a.to_json(None);
    st.accounts.push(a);
    Ok(v)
}

/// `POST /__sim/accounts` `{platform, profileId?, username?, displayName?, isActive?, needsReconnection?}`
pub(crate) async fn add_account(State(app): State<Shared>, body: axum::body::Bytes) -> Response {
    let result = parse_object(&body).and_then(|m| seed_account(&app, &m));
    match result {
        Ok(v) => (StatusCode::CREATED, Json(json!({ "account": v }))).into_response(),
        Err(e) => e.into_response(),
    }
}
