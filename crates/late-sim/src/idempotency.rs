//! The generic `Idempotency-Key` contract: same key and body replays the first answer, a
//! different body gets 422, a key still in flight gets 409 `idempotency_conflict`.

use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::app::Shared;
use crate::error::ApiError;
use crate::state::{IdemEntry, IdemState};

const WINDOW: Duration = Duration::from_secs(24 * 3600);

/// What to do with a request carrying an `Idempotency-Key`.
pub(crate) enum Claim {
    /// No key: process normally.
    None,
    /// New key, now marked in flight: process, then call [`finish`] or [`abandon`].
    Fresh(String),
    /// Same key and body as a finished request: answer with this.
    Replay { status: u16, body: Value },
}

/// Reads the `Idempotency-Key` header (at most 255 characters).
pub(crate) fn key_of(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(s) if !s.trim().is_empty() && s.len() <= 255 => Ok(Some(s.trim().to_string())),
            _ => Err(ApiError::invalid(
                "Idempotency-Key",
                "Idempotency-Key must be a non-empty string of at most 255 characters",
            )),
        },
    }
}

/// Checks and claims the key for `scope` (the route, e.g. `"POST /v1/posts"`), where the spec
/// says the API honours it.
pub(crate) fn claim(
    app: &Shared,
    scope: &str,
    headers: &HeaderMap,
    body: &Value,
) -> Result<Claim, ApiError> {
    // The API honours the key exactly where the spec declares it (late-spec); elsewhere it is
    // ignored, and a request sent again acts again.
    let honoured = scope
        .split_once(' ')
        .and_then(|(method, path)| late_spec::find(method, path))
        .is_some_and(|op| op.idempotency_key);
    if !honoured {
        return Ok(Claim::None);
    }
    let Some(key) = key_of(headers)? else {
        return Ok(Claim::None);
    };
    let mut st = app.state();
    st.idempotency.retain(|_, e| e.created.elapsed() < WINDOW);
    let id = (scope.to_string(), key.clone());
    if let Some(e) = st.idempotency.get(&id) {
        if &e.body != body {
            return Err(ApiError::idempotency_key_reused());
        }
        return match &e.state {
            IdemState::InFlight => Err(ApiError::idempotency_in_flight()),
            IdemState::Done { status, body } => Ok(Claim::Replay {
                status: *status,
                body: body.clone(),
            }),
        };
    }
    st.idempotency.insert(
        id,
        IdemEntry {
            body: body.clone(),
            state: IdemState::InFlight,
            created: Instant::now(),
        },
    );
    Ok(Claim::Fresh(key))
}

/// Stores the answer of a processed request; failures release the key so a retry is new.
pub(crate) fn finish(app: &Shared, scope: &str, key: &str, status: StatusCode, body: &Value) {
    let mut st = app.state();
    let id = (scope.to_string(), key.to_string());
    if status.is_success() {
        if let Some(e) = st.idempotency.get_mut(&id) {
            e.state = IdemState::Done {
                status: status.as_u16(),
                body: body.clone(),
            };
        }
    } else {
        st.idempotency.remove(&id);
    }
}

/// Releases a key whose request failed.
pub(crate) fn abandon(app: &Shared, scope: &str, key: &str) {
    app.state()
        .idempotency
        .remove(&(scope.to_string(), key.to_string()));
}
