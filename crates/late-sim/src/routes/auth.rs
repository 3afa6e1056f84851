//! `GET /v1/auth/verify`.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;

/// `GET /v1/auth/verify` → `{valid, userId, name, email, authType, scope}`.
pub(crate) async fn verify(State(app): State<Shared>) -> Json<Value> {
    let user_id = app.state().user_id.clone();
    Json(json!({
        "valid": true,
        "userId": user_id,
        "name": "Simulator User",
        "email": "sim@late-sim.invalid",
        "authType": "api_key",
        "scope": null,
    }))
}
