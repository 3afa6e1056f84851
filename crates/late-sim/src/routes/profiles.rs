//! `/v1/profiles` and `/v1/profiles/{profileId}`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::{Fields, JsonObject, Query};
use crate::idempotency::{self, Claim};
use crate::state::Profile;
use crate::time::now_iso;

fn profile_not_found() -> ApiError {
    ApiError::not_found("profile_not_found", "Profile not found")
}

fn check_timezone(tz: &str) -> Result<(), ApiError> {
    let ok = tz == "UTC"
        || tz == "GMT"
        || (tz.contains('/')
            && tz
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+')));
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "timezone",
            format!("Unknown timezone {tz:?}"),
        ))
    }
}

fn check_external_id(v: &str) -> Result<String, ApiError> {
    let t = v.trim();
    if t.is_empty() || t.len() > 255 {
        return Err(ApiError::invalid(
            "externalId",
            "externalId must be 1 to 255 characters",
        ));
    }
    Ok(t.to_string())
}

/// `GET /v1/profiles`
pub(crate) async fn list(State(app): State<Shared>, q: Query) -> Result<Json<Value>, ApiError> {
    let limit = q.int("limit", 1, 1000)?;
    let skip = q.int("skip", 0, i64::MAX)?;
    q.bool("includeOverLimit")?;
    let st = app.state();
    let all: Vec<&Profile> = st
        .ordered_profiles()
        .into_iter()
        .filter(|p| q.str("name").is_none_or(|n| p.name == n))
        .filter(|p| {
            q.str("externalId")
                .is_none_or(|e| p.external_id.as_deref() == Some(e))
        })
        .collect();
    let total = all.len();
    let paged = limit.is_some() || skip.is_some();
    let s = skip.unwrap_or(0) as usize;
    let items: Vec<Value> = all
        .iter()
        .skip(s)
        .take(limit.map(|l| l as usize).unwrap_or(usize::MAX))
        .map(|p| p.to_json(Some(st.account_count(&p.id))))
        .collect();
    let mut body = json!({ "profiles": items });
    if paged {
        body["total"] = json!(total);
        body["skip"] = json!(s);
        if let Some(l) = limit {
            body["limit"] = json!(l);
        }
    }
    Ok(Json(body))
}

/// `POST /v1/profiles` (honours `Idempotency-Key`).
pub(crate) async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> Response {
    const SCOPE: &str = "POST /v1/profiles";
    let claim = match idempotency::claim(&app, SCOPE, &headers, &Value::Object(body.clone())) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let key = match claim {
        Claim::Replay { status, body } => {
            return crate::actions::replayed(
                (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                    Json(body),
                )
                    .into_response(),
            )
        }
        Claim::Fresh(k) => Some(k),
        Claim::None => None,
    };
    let result = create_inner(&app, &body);
    if let Some(k) = key {
        match &result {
            Ok(v) => idempotency::finish(&app, SCOPE, &k, StatusCode::CREATED, v),
            Err(_) => idempotency::abandon(&app, SCOPE, &k),
        }
    }
    match result {
        Ok(v) => (StatusCode::CREATED, Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

fn create_inner(app: &Shared, body: &Map<String, Value>) -> Result<Value, ApiError> {
    let name = body.req_str("name")?;
    let description = body.opt_str("description")?;
    let color = body.opt_str("color")?.unwrap_or_else(|| "#ffeda0".into());
    let timezone = body.opt_str("timezone")?;
    if let Some(tz) = &timezone {
        check_timezone(tz)?;
    }
    let external_id = body
        .opt_str("externalId")?
        .map(|e| check_external_id(&e))
        .transpose()?;
    let mut st = app.state();
    check_unique(&st.profiles, Some(&name), external_id.as_deref(), None)?;
    let seq = st.next_seq();
    let profile = Profile {
        id: app.ids.object_id(),
        user_id: st.user_id.clone(),
        name,
        description,
        color,
        timezone,
        external_id,
        is_default: false,
        created_at: now_iso(),
        seq,
    };
    let v = profile.to_json(None);
    st.profiles.push(profile);
    Ok(json!({ "message": "Profile created successfully", "profile": v }))
}

/// `GET /v1/profiles/{profileId}`
pub(crate) async fn get_one(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let st = app.state();
    let p = st.profile(&id).ok_or_else(profile_not_found)?;
    Ok(Json(json!({ "profile": p.to_json(None) })))
}

/// `PUT /v1/profiles/{profileId}`
pub(crate) async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    const FIELDS: [&str; 6] = [
        "name",
        "description",
        "color",
        "timezone",
        "externalId",
        "isDefault",
    ];
    if !FIELDS.iter().any(|f| body.contains_key(*f)) {
        return Err(ApiError::bad_request(
            "missing_required_field",
            "Send at least one of name, description, color, timezone, externalId or isDefault.",
        ));
    }
    let name = match body.opt_str("name")? {
        Some(n) if n.trim().is_empty() => {
            return Err(ApiError::invalid("name", "name must not be empty"))
        }
        n => n.map(|n| n.trim().to_string()),
    };
    let description = body.opt_str("description")?;
    let color = body.opt_str("color")?;
    let timezone = body.opt_str("timezone")?;
    if let Some(tz) = &timezone {
        check_timezone(tz)?;
    }
    let external_id = body
        .opt_str("externalId")?
        .map(|e| check_external_id(&e))
        .transpose()?;
    let is_default = body.opt_bool("isDefault")?;

    let mut st = app.state();
    if st.profile(&id).is_none() {
        return Err(profile_not_found());
    }
    check_unique(
        &st.profiles,
        name.as_deref(),
        external_id.as_deref(),
        Some(&id),
    )?;
    if is_default == Some(true) {
        for p in st.profiles.iter_mut() {
            p.is_default = p.id == id;
        }
    }
    let clear_desc = body.is_null("description");
    let clear_tz = body.is_null("timezone");
    let clear_ext = body.is_null("externalId");
    let p = st
        .profiles
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(profile_not_found)?;
    if let Some(n) = name {
        p.name = n;
    }
    if description.is_some() || clear_desc {
        p.description = description;
    }
    if let Some(c) = color {
        p.color = c;
    }
    if timezone.is_some() || clear_tz {
        p.timezone = timezone;
    }
    if external_id.is_some() || clear_ext {
        p.external_id = external_id;
    }
    Ok(Json(
        json!({ "message": "Profile updated successfully", "profile": p.to_json(None) }),
    ))
}

/// `DELETE /v1/profiles/{profileId}`: refused with 400 while active accounts are connected.
pub(crate) async fn delete(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut st = app.state();
    let was_default = st.profile(&id).ok_or_else(profile_not_found)?.is_default;
    let active = st
        .accounts
        .iter()
        .filter(|a| a.profile_id == id && a.is_active)
        .count();
    if active > 0 {
        return Err(ApiError::bad_request(
            "profile_has_connected_accounts",
            format!("Profile has {active} active connected account(s); disconnect them first."),
        ));
    }
    st.profiles.retain(|p| p.id != id);
    if was_default {
        if let Some(p) = st.profiles.iter_mut().min_by_key(|p| p.seq) {
            p.is_default = true;
        }
    }
    // Remaining (inactive) accounts move to another profile, never deleted.
    if st.accounts.iter().any(|a| a.profile_id == id) {
        let target = match st.ordered_profiles().first() {
            Some(p) => p.id.clone(),
            None => {
                let seq = st.next_seq();
                let p = Profile {
                    id: app.ids.object_id(),
                    user_id: st.user_id.clone(),
                    name: "Default".into(),
                    description: None,
                    color: "#ffeda0".into(),
                    timezone: None,
                    external_id: None,
                    is_default: true,
                    created_at: now_iso(),
                    seq,
                };
                let pid = p.id.clone();
                st.profiles.push(p);
                pid
            }
        };
        for a in st.accounts.iter_mut().filter(|a| a.profile_id == id) {
            a.profile_id = target.clone();
        }
    }
    Ok(Json(json!({ "message": "Profile deleted successfully" })))
}

/// The 409s of create and update: another profile (not `except`) already has this name or
/// this `externalId`.
fn check_unique(
    profiles: &[Profile],
    name: Option<&str>,
    external_id: Option<&str>,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let other = |p: &&Profile| Some(p.id.as_str()) != except;
    if let Some(n) = name {
        if let Some(p) = profiles.iter().filter(other).find(|p| p.name == n) {
            return Err(ApiError::conflict(
                "profile_name_conflict",
                format!("A profile named {n:?} already exists."),
            )
            .param("name")
            .details(json!({ "existingProfileId": p.id })));
        }
    }
    if let Some(e) = external_id {
        if let Some(p) = profiles
            .iter()
            .filter(other)
            .find(|p| p.external_id.as_deref() == Some(e))
        {
            return Err(ApiError::conflict(
                "profile_external_id_conflict",
                format!("A profile with externalId {e:?} already exists."),
            )
            .param("externalId")
            .details(json!({ "existingProfileId": p.id })));
        }
    }
    Ok(())
}
