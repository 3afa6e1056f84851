//! `/v1/accounts` and `/v1/accounts/{accountId}`.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::{Fields, JsonObject, Query};
use crate::ids::is_object_id;
use crate::state::Account;
use crate::webhook_delivery;

const LIST_PARAMS: &[&str] = &[
    "profileId",
    "platform",
    "status",
    "search",
    "category",
    "sort",
    "order",
    "includeOverLimit",
    "excludeHidden",
    "adAccountRows",
    "includeCreatorAccounts",
    "includeSandbox",
    "includeStatusCounts",
    "page",
    "limit",
    "cursor",
    "profileIds",
    "perProfile",
];

fn account_not_found() -> ApiError {
    ApiError::not_found("account_not_found", "Account not found").param("accountId")
}

fn encode_cursor(id: &str) -> String {
    hex::encode(format!("acc:{id}"))
}

fn decode_cursor(c: &str) -> Option<String> {
    let bytes = hex::decode(c).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let id = s.strip_prefix("acc:")?;
    is_object_id(id).then(|| id.to_string())
}

/// `GET /v1/accounts`: filters `profileId`, `platform`, `status`, `search`; paging with
/// `page`+`limit` (offset) or `limit`/`cursor` (cursor); no paging params lists everything.
pub(crate) async fn list(State(app): State<Shared>, q: Query) -> Result<Json<Value>, ApiError> {
    q.only(LIST_PARAMS)?;
    let profile_id = q.str("profileId");
    if let Some(p) = profile_id {
        if !is_object_id(p) {
            return Err(ApiError::invalid(
                "profileId",
                "profileId must be a valid ObjectId",
            ));
        }
    }
    let status = q.str("status");
    if let Some(s) = status {
        if s != "connected" && s != "disconnected" {
            return Err(ApiError::invalid(
                "status",
                "status must be connected or disconnected",
            ));
        }
    }
    let page = q.int("page", 1, 1_000_000)?;
    let limit = q.int("limit", 1, 500)?;
    let cursor = q.str("cursor");
    for b in [
        "includeOverLimit",
        "excludeHidden",
        "includeStatusCounts",
        "includeSandbox",
    ] {
        q.bool(b)?;
    }
    if page.is_some() && cursor.is_some() {
        return Err(ApiError::bad_request(
            "invalid_pagination",
            "cursor cannot be combined with page",
        )
        .param("cursor"));
    }
    if page.is_some() && limit.is_none() {
        return Err(
            ApiError::bad_request("invalid_pagination", "page requires limit").param("limit"),
        );
    }
    let after = match cursor {
        Some(c) => Some(decode_cursor(c).ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "The cursor could not be parsed")
                .param("cursor")
        })?),
        None => None,
    };
    let search = q.str("search").map(|s| s.to_lowercase());
    let platform = q.str("platform");

    let st = app.state();
    let mut matched: Vec<&Account> = st
        .accounts
        .iter()
        .filter(|a| profile_id.is_none_or(|p| a.profile_id == p))
        .filter(|a| platform.is_none_or(|p| a.platform == p))
        .filter(|a| match status {
            Some("connected") => a.is_connected(),
            Some(_) => !a.is_connected(),
            None => true,
        })
        .filter(|a| {
            search.as_deref().is_none_or(|s| {
                a.username.to_lowercase().contains(s)
                    || a.display_name.to_lowercase().contains(s)
                    || a.platform_user_id.contains(s)
                    || a.id == s
            })
        })
        .collect();
    let render = |a: &Account| a.to_json(st.profile(&a.profile_id));
    let mut body = json!({ "hasAnalyticsAccess": false });
    if let (Some(page), Some(limit)) = (page, limit) {
        matched.sort_by(|a, b| a.platform.cmp(&b.platform).then(b.seq.cmp(&a.seq)));
        let total = matched.len();
        let start = ((page - 1) * limit) as usize;
        body["accounts"] = matched
            .iter()
            .skip(start)
            .take(limit as usize)
            .map(|a| render(a))
            .collect();
        body["pagination"] = json!({
            "page": page,
            "limit": limit,
            "total": total,
            "pages": total.div_ceil(limit as usize),
        });
    } else if limit.is_some() || after.is_some() {
        let limit =
            limit.unwrap_or(i64::from(app.config.accounts_page_default.unwrap_or(500))) as usize;
        matched.sort_by(|a, b| a.id.cmp(&b.id));
        let rest: Vec<&&Account> = matched
            .iter()
            .filter(|a| after.as_deref().is_none_or(|c| a.id.as_str() > c))
            .collect();
        let page_items: Vec<&&Account> = rest.iter().take(limit).copied().collect();
        let next = if rest.len() > limit {
            page_items.last().map(|a| encode_cursor(&a.id))
        } else {
            None
        };
        body["accounts"] = page_items.iter().map(|a| render(a)).collect();
        body["pagination"] = json!({ "limit": limit, "nextCursor": next });
    } else {
        matched.sort_by(|a, b| a.platform.cmp(&b.platform).then(b.seq.cmp(&a.seq)));
        body["accounts"] = matched.iter().map(|a| render(a)).collect();
    }
    if q.bool("includeStatusCounts")? == Some(true) {
        let base = st
            .accounts
            .iter()
            .filter(|a| profile_id.is_none_or(|p| a.profile_id == p))
            .filter(|a| platform.is_none_or(|p| a.platform == p));
        let (all, disconnected) = base.fold((0, 0), |(n, d), a| {
            (n + 1, d + usize::from(!a.is_connected()))
        });
        body["statusCounts"] = json!({ "all": all, "disconnected": disconnected });
    }
    Ok(Json(body))
}

/// `PUT /v1/accounts/{accountId}`: update `username` / `displayName` (and `xCapabilities` on X).
pub(crate) async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let username = body.opt_str("username")?;
    let display_name = body.opt_str("displayName")?;
    let x_caps = body.get("xCapabilities").filter(|v| !v.is_null()).cloned();
    let mut st = app.state();
    let a = st
        .accounts
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or_else(account_not_found)?;
    if let Some(caps) = &x_caps {
        if a.platform != "twitter" {
            return Err(ApiError::invalid(
                "xCapabilities",
                "xCapabilities is only accepted on X (twitter) accounts",
            ));
        }
        if !caps.is_object() {
            return Err(ApiError::invalid(
                "xCapabilities",
                "xCapabilities must be an object",
            ));
        }
    }
    if let Some(u) = username {
        a.username = u;
    }
    if let Some(d) = display_name {
        a.display_name = d;
    }
    let mut out = json!({
        "message": "Account updated successfully",
        "username": a.username,
        "displayName": a.display_name,
    });
    if let Some(caps) = x_caps {
        out["xCapabilities"] = json!({
            "analytics": caps.get("analytics").and_then(Value::as_bool).unwrap_or(false),
            "inbox": caps.get("inbox").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    Ok(Json(out))
}

/// `PATCH /v1/accounts/{accountId}`: move the account to another profile.
pub(crate) async fn move_to_profile(
    State(app): State<Shared>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let profile_id = body.req_str("profileId")?;
    if !is_object_id(&profile_id) {
        return Err(ApiError::invalid(
            "profileId",
            "profileId must be a valid ObjectId",
        ));
    }
    let mut st = app.state();
    if !st.accounts.iter().any(|a| a.id == id) {
        return Err(account_not_found());
    }
    if st.profile(&profile_id).is_none() {
        return Err(
            ApiError::not_found("profile_not_found", "Target profile not found").param("profileId"),
        );
    }
    if let Some(a) = st.accounts.iter_mut().find(|a| a.id == id) {
        a.profile_id = profile_id.clone();
    }
    Ok(Json(
        json!({ "message": "Account updated successfully", "profileId": profile_id }),
    ))
}

/// `DELETE /v1/accounts/{accountId}`: disconnect (and emit `account.disconnected`).
pub(crate) async fn disconnect(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let removed = {
        let mut st = app.state();
        let idx = st
            .accounts
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(account_not_found)?;
        st.accounts.remove(idx)
    };
    webhook_delivery::emit(
        &app,
        "account.disconnected",
        Some(&removed.profile_id),
        Some(&removed.id),
        json!({
            "account": {
                "accountId": removed.id,
                "profileId": removed.profile_id,
                "platform": removed.platform,
                "username": removed.username,
                "displayName": removed.display_name,
                "disconnectionType": "intentional",
                "reason": "Disconnected through the API",
            }
        }),
    );
    Ok(Json(
        json!({ "message": "Account disconnected successfully" }),
    ))
}
