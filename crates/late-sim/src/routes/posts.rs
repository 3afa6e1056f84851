//! `/v1/posts` and `/v1/posts/{postId}`, with the API's three idempotency layers:
//! `Idempotency-Key`, `x-request-id` + content fingerprint, and content-hash duplicates.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use crate::app::Shared;
use crate::error::ApiError;
use crate::extract::{is_http_url, Fields, JsonObject, Query};
use crate::idempotency::{self, Claim};
use crate::ids::{is_object_id, random_range};
use crate::middleware::{sleep_or_shutdown, DeferredDelay};
use crate::state::{Post, SimState, Target};
use crate::time::{iso_from_millis, now_iso, parse_iso_millis, unix_millis};
use crate::webhook_delivery;

const SCOPE: &str = "POST /v1/posts";
const DAY_MS: i64 = 24 * 3600 * 1000;

const LIST_PARAMS: &[&str] = &[
    "page",
    "limit",
    "offset",
    "cursor",
    "fields",
    "updatedSince",
    "source",
    "status",
    "platform",
    "profileId",
    "createdBy",
    "fromDate",
    "toDate",
    "dateFrom",
    "dateTo",
    "includeHidden",
    "search",
    "tags",
    "sortBy",
    "accountId",
];

const STATUSES: &[&str] = &[
    "draft",
    "pending_approval",
    "scheduled",
    "publishing",
    "published",
    "partial",
    "failed",
    "cancelled",
];

fn post_not_found() -> ApiError {
    ApiError::not_found("post_not_found", "Post not found").param("postId")
}

/// Validated create/update input.
struct Input {
    title: Option<String>,
    content: Option<String>,
    media_items: Vec<Value>,
    targets: Vec<Target>,
    scheduled_ms: Option<i64>,
    publish_now: bool,
    is_draft: bool,
    timezone: Option<String>,
    tags: Option<Vec<String>>,
    hashtags: Option<Vec<String>>,
    mentions: Option<Vec<String>>,
    visibility: Option<String>,
    metadata: Option<Value>,
}

fn parse_media(v: Option<&Value>, param: &str) -> Result<Option<Vec<Value>>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let Some(obj) = item.as_object() else {
                    return Err(ApiError::invalid(
                        &format!("{param}[{i}]"),
                        "media items must be objects",
                    ));
                };
                match obj.get("url") {
                    None | Some(Value::Null) => continue,
                    Some(Value::String(u)) if u.is_empty() => continue,
                    Some(Value::String(u)) if is_http_url(u) => {}
                    _ => {
                        return Err(ApiError::invalid(
                            &format!("{param}[{i}].url"),
                            "url must be an absolute http(s) URL",
                        ))
                    }
                }
                if let Some(t) = obj.get("type") {
                    if !matches!(t.as_str(), Some("image" | "video" | "gif" | "document")) {
                        return Err(ApiError::invalid(
                            &format!("{param}[{i}].type"),
                            "type must be image, video, gif or document",
                        ));
                    }
                }
                out.push(item.clone());
            }
            Ok(Some(out))
        }
        Some(_) => Err(ApiError::invalid(
            param,
            format!("{param} must be an array"),
        )),
    }
}

fn parse_input(st: &SimState, body: &Map<String, Value>, partial: bool) -> Result<Input, ApiError> {
    let title = body.opt_str("title")?;
    let content = body.opt_str("content")?;
    let media_items = parse_media(body.get("mediaItems"), "mediaItems")?;
    let publish_now = body.opt_bool("publishNow")?.unwrap_or(false);
    let is_draft = body.opt_bool("isDraft")?.unwrap_or(false);
    let timezone = body.opt_str("timezone")?;
    let scheduled_ms = match body.opt_str("scheduledFor")? {
        None => None,
        Some(s) => Some(parse_iso_millis(&s).ok_or_else(|| {
            ApiError::invalid("scheduledFor", "scheduledFor must be an ISO 8601 date-time")
        })?),
    };
    let visibility = body.opt_str("visibility")?;
    if let Some(v) = &visibility {
        if !matches!(v.as_str(), "public" | "private" | "unlisted") {
            return Err(ApiError::invalid(
                "visibility",
                "visibility must be public, private or unlisted",
            ));
        }
    }
    let metadata = match body.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(Value::Object(m.clone())),
        Some(_) => return Err(ApiError::invalid("metadata", "metadata must be an object")),
    };
    let mut targets = Vec::new();
    match body.get("platforms") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let p = |f: &str| format!("platforms[{i}].{f}");
                let Some(obj) = item.as_object() else {
                    return Err(ApiError::invalid(
                        &format!("platforms[{i}]"),
                        "platform entries must be objects",
                    ));
                };
                let platform = match obj.get("platform") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    _ => return Err(ApiError::missing(&p("platform"))),
                };
                let account_id = match obj.get("accountId") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    _ => return Err(ApiError::missing(&p("accountId"))),
                };
                if !is_object_id(&account_id) {
                    return Err(ApiError::invalid(
                        &p("accountId"),
                        "accountId must be a valid ObjectId",
                    ));
                }
                let Some(account) = st.accounts.iter().find(|a| a.id == account_id) else {
                    let mut e = ApiError::raw(
                        StatusCode::FORBIDDEN,
                        json!({
                            "error": format!("Account {account_id} does not belong to you. Read GET /v1/accounts for current account IDs."),
                            "type": "permission_error",
                        }),
                    );
                    e = e.param(&p("accountId"));
                    return Err(e);
                };
                if account.platform != platform {
                    return Err(ApiError::invalid(
                        &p("platform"),
                        format!(
                            "Account {account_id} is a {} account, not {platform}",
                            account.platform
                        ),
                    ));
                }
                if !account.is_connected() {
                    return Err(ApiError::forbidden(
                        "ACCOUNT_DISCONNECTED",
                        format!("Account {account_id} ({platform}) is disconnected and cannot be posted to. Reconnect it, then refresh your account IDs from GET /v1/accounts."),
                    ));
                }
                let custom_content = match obj.get("customContent") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => {
                        return Err(ApiError::invalid(
                            &p("customContent"),
                            "customContent must be a string",
                        ))
                    }
                };
                let custom_media =
                    parse_media(obj.get("customMedia"), &p("customMedia"))?.map(Value::from);
                let scheduled_for = match obj.get("scheduledFor") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => {
                        Some(iso_from_millis(parse_iso_millis(s).ok_or_else(|| {
                            ApiError::invalid(
                                &p("scheduledFor"),
                                "scheduledFor must be an ISO 8601 date-time",
                            )
                        })?))
                    }
                    Some(_) => {
                        return Err(ApiError::invalid(
                            &p("scheduledFor"),
                            "scheduledFor must be a string",
                        ))
                    }
                };
                let platform_specific_data = obj
                    .get("platformSpecificData")
                    .filter(|v| !v.is_null())
                    .cloned();
                targets.push(Target {
                    platform,
                    account_id,
                    custom_content,
                    custom_media,
                    scheduled_for,
                    platform_specific_data,
                    status: "pending".into(),
                    platform_post_id: None,
                    platform_post_url: None,
                    published_at: None,
                });
            }
        }
        Some(_) => return Err(ApiError::invalid("platforms", "platforms must be an array")),
    }
    if !partial {
        if !is_draft && targets.is_empty() {
            return Err(ApiError::bad_request(
                "missing_required_field",
                "platforms is required (at least one {platform, accountId}) unless isDraft is true",
            )
            .param("platforms"));
        }
        let has_media = media_items.as_ref().is_some_and(|m| !m.is_empty());
        let all_custom = !targets.is_empty() && targets.iter().all(|t| t.custom_content.is_some());
        if !is_draft
            && !has_media
            && !all_custom
            && content.as_deref().is_none_or(|c| c.trim().is_empty())
        {
            return Err(ApiError::missing("content"));
        }
    }
    Ok(Input {
        title,
        content,
        media_items: media_items.unwrap_or_default(),
        targets,
        scheduled_ms,
        publish_now,
        is_draft,
        timezone,
        tags: body.opt_str_array("tags")?,
        hashtags: body.opt_str_array("hashtags")?,
        mentions: body.opt_str_array("mentions")?,
        visibility,
        metadata,
    })
}

fn fingerprints(
    content: Option<&str>,
    media: &[Value],
    targets: &[Target],
) -> Vec<(String, String, String)> {
    let urls: Vec<&str> = media
        .iter()
        .filter_map(|m| m.get("url").and_then(Value::as_str))
        .collect();
    targets
        .iter()
        .map(|t| {
            let text = t.custom_content.as_deref().or(content).unwrap_or("");
            let mut h = ring::digest::Context::new(&ring::digest::SHA256);
            h.update(text.trim().as_bytes());
            h.update(b"\n");
            h.update(urls.join("\n").as_bytes());
            (
                t.platform.clone(),
                t.account_id.clone(),
                hex::encode(h.finish().as_ref()),
            )
        })
        .collect()
}

/// Decides the post and target statuses.
fn apply_status(
    post: &mut Post,
    publish_now: bool,
    is_draft: bool,
    scheduled_ms: Option<i64>,
) -> &'static str {
    let now = unix_millis();
    let publish = !is_draft && (publish_now || scheduled_ms.is_some_and(|s| s <= now));
    if is_draft || (!publish && scheduled_ms.is_none()) {
        post.status = "draft".into();
        for t in post.platforms.iter_mut() {
            t.status = "pending".into();
        }
        "Draft saved successfully"
    } else if publish {
        let at = now_iso();
        post.status = "published".into();
        post.published_at = Some(at.clone());
        for t in post.platforms.iter_mut() {
            let pid = format!(
                "{}",
                random_range(1_000_000_000_000_000_000, 9_999_999_999_999_999_999)
            );
            t.status = "published".into();
            t.platform_post_url = Some(format!("https://{}.example/posts/{pid}", t.platform));
            t.platform_post_id = Some(pid);
            t.published_at = Some(at.clone());
        }
        "Post published successfully"
    } else {
        post.status = "scheduled".into();
        for t in post.platforms.iter_mut() {
            t.status = "pending".into();
        }
        "Post scheduled successfully"
    }
}

fn post_event_fields(post: &Post) -> Value {
    let mut p = json!({
        "id": post.id,
        "content": post.content.clone().unwrap_or_default(),
        "status": post.status,
        "scheduledFor": post.scheduled_for.clone().unwrap_or_else(|| post.created_at.clone()),
        "platforms": post.platforms.iter().map(|t| {
            let mut v = json!({ "platform": t.platform, "status": t.status, "accountId": t.account_id });
            if let Some(id) = &t.platform_post_id { v["platformPostId"] = json!(id); }
            if let Some(u) = &t.platform_post_url { v["publishedUrl"] = json!(u); }
            v
        }).collect::<Vec<_>>(),
    });
    if let Some(at) = &post.published_at {
        p["publishedAt"] = json!(at);
    }
    if let Some(m) = &post.metadata {
        p["metadata"] = m.clone();
    }
    json!({ "post": p })
}

fn emit_post_event(app: &Shared, post: &Post) {
    let event = match post.status.as_str() {
        "published" => "post.published",
        "scheduled" => "post.scheduled",
        _ => return,
    };
    let profile_id = {
        let st = app.state();
        post.platforms
            .first()
            .and_then(|t| st.accounts.iter().find(|a| a.id == t.account_id))
            .map(|a| a.profile_id.clone())
    };
    let account_id = post.platforms.first().map(|t| t.account_id.clone());
    webhook_delivery::emit(
        app,
        event,
        profile_id.as_deref(),
        account_id.as_deref(),
        post_event_fields(post),
    );
}

/// Checks a `POST /v1/posts` body as a create would, without storing anything (dry runs).
pub(crate) fn check_input(app: &Shared, body: &Map<String, Value>) -> Result<(), ApiError> {
    parse_input(&app.state(), body, false).map(|_| ())
}

/// Validates and stores a new post (after the `Idempotency-Key` layer).
pub(crate) fn create_post(
    app: &Shared,
    body: &Map<String, Value>,
    request_id: Option<&str>,
) -> Result<(StatusCode, Value), ApiError> {
    let mut st = app.state();
    let input = parse_input(&st, body, false)?;
    let now = unix_millis();
    let fps = if input.is_draft {
        Vec::new()
    } else {
        fingerprints(input.content.as_deref(), &input.media_items, &input.targets)
    };
    // x-request-id retry: same request id and the same content fingerprint → original post.
    if let Some(rid) = request_id {
        if let Some(p) = st.posts.iter().find(|p| {
            p.request_id.as_deref() == Some(rid)
                && now - p.created_ms < DAY_MS
                && p.fingerprints == fps
        }) {
            return Ok((
                StatusCode::OK,
                json!({ "message": "Post already exists (idempotent retry)", "post": p.to_json(&st.accounts) }),
            ));
        }
    }
    for (platform, account_id, hash) in &fps {
        if let Some(existing) = st.posts.iter().find(|p| {
            now - p.created_ms < DAY_MS
                && p.fingerprints
                    .iter()
                    .any(|(pl, acc, h)| pl == platform && acc == account_id && h == hash)
        }) {
            return Err(ApiError::raw(
                StatusCode::CONFLICT,
                json!({
                    "error": "This exact content is already scheduled, publishing, or was posted to this account within the last 24 hours.",
                    "details": { "accountId": account_id, "platform": platform, "existingPostId": existing.id },
                }),
            ));
        }
    }
    let seq = st.next_seq();
    let created = now_iso();
    let mut post = Post {
        id: app.ids.object_id(),
        user_id: st.user_id.clone(),
        title: input.title,
        content: input.content,
        media_items: input.media_items,
        platforms: input.targets,
        scheduled_for: input.scheduled_ms.map(iso_from_millis),
        timezone: input.timezone.unwrap_or_else(|| "UTC".into()),
        status: String::new(),
        tags: input.tags.unwrap_or_default(),
        hashtags: input.hashtags.unwrap_or_default(),
        mentions: input.mentions.unwrap_or_default(),
        visibility: input.visibility,
        metadata: input.metadata,
        published_at: None,
        created_at: created.clone(),
        updated_at: created,
        created_ms: now,
        seq,
        request_id: request_id.map(str::to_string),
        fingerprints: fps,
    };
    let message = apply_status(
        &mut post,
        input.publish_now,
        input.is_draft,
        input.scheduled_ms,
    );
    let out = json!({ "message": message, "post": post.to_json(&st.accounts) });
    st.posts.push(post.clone());
    drop(st);
    emit_post_event(app, &post);
    Ok((StatusCode::CREATED, out))
}

fn respond(r: Result<(StatusCode, Value), ApiError>) -> Response {
    match r {
        // `create_post` answers 200 only with the post an earlier call with the same
        // `x-request-id` created (a new post is 201): a replay, no action.
        Ok((StatusCode::OK, v)) => {
            crate::actions::replayed((StatusCode::OK, Json(v)).into_response())
        }
        Ok((s, v)) => (s, Json(v)).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /v1/posts` → 201 `{message, post}`.
pub(crate) async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    delay: Option<Extension<Arc<DeferredDelay>>>,
    JsonObject(body): JsonObject,
) -> Response {
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let claim = match idempotency::claim(&app, SCOPE, &headers, &Value::Object(body.clone())) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let key = match claim {
        Claim::None => return respond(create_post(&app, &body, request_id.as_deref())),
        Claim::Replay { body, .. } => {
            let mut b = body;
            b["message"] = json!("Post already exists (idempotent retry)");
            if let Some(id) = b["post"]["_id"].as_str().map(str::to_string) {
                let st = app.state();
                if let Some(p) = st.posts.iter().find(|p| p.id == id) {
                    b["post"] = p.to_json(&st.accounts);
                }
            }
            return crate::actions::replayed((StatusCode::OK, Json(b)).into_response());
        }
        Claim::Fresh(k) => k,
    };
    // The route runs in its own task (crate::middleware), so a client that gives up does not
    // cancel it: the key stays in flight (409 to a retry) until the post exists.
    if let Some(d) = delay.and_then(|Extension(d)| d.take()) {
        sleep_or_shutdown(&app, d).await;
    }
    let result = create_post(&app, &body, request_id.as_deref());
    match &result {
        Ok((status, v)) => idempotency::finish(&app, SCOPE, &key, *status, v),
        Err(_) => idempotency::abandon(&app, SCOPE, &key),
    }
    respond(result)
}

fn decode_offset(c: &str) -> Option<usize> {
    let s = String::from_utf8(hex::decode(c).ok()?).ok()?;
    s.strip_prefix("off:")?.parse().ok()
}

/// `GET /v1/posts` → `{posts, pagination{page, limit, total, pages, nextCursor}}`.
pub(crate) async fn list(State(app): State<Shared>, q: Query) -> Result<Json<Value>, ApiError> {
    q.only(LIST_PARAMS)?;
    let page = q.int("page", 1, 1_000_000)?.unwrap_or(1) as usize;
    let limit = q.int("limit", 1, 500)?.unwrap_or(10) as usize;
    let offset = q.int("offset", 0, i64::MAX)?.map(|o| o as usize);
    let cursor = match q.str("cursor") {
        Some(c) => Some(decode_offset(c).ok_or_else(|| {
            ApiError::bad_request("invalid_cursor", "The cursor could not be parsed")
                .param("cursor")
        })?),
        None => None,
    };
    if let Some(s) = q.str("status") {
        if !STATUSES.contains(&s) {
            return Err(ApiError::invalid(
                "status",
                format!("status must be one of {}", STATUSES.join(", ")),
            ));
        }
    }
    let sort = q.str("sortBy").unwrap_or("scheduled-desc");
    if !matches!(
        sort,
        "scheduled-desc" | "scheduled-asc" | "created-desc" | "created-asc" | "status" | "platform"
    ) {
        return Err(ApiError::invalid("sortBy", "unknown sortBy"));
    }
    let st = app.state();
    let profile_accounts: Option<Vec<&str>> = q.str("profileId").map(|pid| {
        st.accounts
            .iter()
            .filter(|a| a.profile_id == pid)
            .map(|a| a.id.as_str())
            .collect()
    });
    let search = q.str("search").map(str::to_lowercase);
    let mut posts: Vec<&Post> = st
        .posts
        .iter()
        .filter(|p| q.str("status").is_none_or(|s| p.status == s))
        .filter(|p| {
            q.str("platform")
                .is_none_or(|pl| p.platforms.iter().any(|t| t.platform == pl))
        })
        .filter(|p| {
            q.str("accountId")
                .is_none_or(|a| p.platforms.iter().any(|t| t.account_id == a))
        })
        .filter(|p| {
            profile_accounts.as_ref().is_none_or(|ids| {
                p.platforms
                    .iter()
                    .any(|t| ids.contains(&t.account_id.as_str()))
            })
        })
        .filter(|p| {
            search.as_deref().is_none_or(|s| {
                p.content
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(s)
            })
        })
        .collect();
    let sched = |p: &Post| {
        p.scheduled_for
            .as_deref()
            .and_then(parse_iso_millis)
            .unwrap_or(p.created_ms)
    };
    match sort {
        "created-asc" => posts.sort_by_key(|p| p.seq),
        "created-desc" => posts.sort_by_key(|p| std::cmp::Reverse(p.seq)),
        "scheduled-asc" => posts.sort_by_key(|p| (sched(p), p.seq)),
        "status" => posts.sort_by(|a, b| a.status.cmp(&b.status).then(b.seq.cmp(&a.seq))),
        "platform" => posts.sort_by(|a, b| {
            let pa = a
                .platforms
                .first()
                .map(|t| t.platform.as_str())
                .unwrap_or("");
            let pb = b
                .platforms
                .first()
                .map(|t| t.platform.as_str())
                .unwrap_or("");
            pa.cmp(pb).then(b.seq.cmp(&a.seq))
        }),
        _ => posts.sort_by_key(|p| std::cmp::Reverse((sched(p), p.seq))),
    }
    let total = posts.len();
    let start = cursor.or(offset).unwrap_or((page - 1) * limit);
    let items: Vec<Value> = posts
        .iter()
        .skip(start)
        .take(limit)
        .map(|p| p.to_json(&st.accounts))
        .collect();
    let next = if start + limit < total && !matches!(sort, "status" | "platform") {
        Some(hex::encode(format!("off:{}", start + limit)))
    } else {
        None
    };
    Ok(Json(json!({
        "posts": items,
        "pagination": {
            "page": start / limit + 1,
            "limit": limit,
            "total": total,
            "pages": total.div_ceil(limit),
            "nextCursor": next,
        }
    })))
}

/// `GET /v1/posts/{postId}` → `{post}`.
pub(crate) async fn get_one(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let st = app.state();
    let p = st
        .posts
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(post_not_found)?;
    Ok(Json(json!({ "post": p.to_json(&st.accounts) })))
}

/// `PUT /v1/posts/{postId}` → `{message, post}`.
pub(crate) async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let mut st = app.state();
    let input = parse_input(&st, &body, true)?;
    let accounts = st.accounts.clone();
    let post = st
        .posts
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(post_not_found)?;
    if post.status == "published" {
        return Err(ApiError::bad_request(
            "invalid_resource_state",
            "Published posts cannot be updated; use POST /v1/posts/{postId}/edit.",
        ));
    }
    if input.title.is_some() {
        post.title = input.title;
    }
    if input.content.is_some() {
        post.content = input.content;
    }
    if body.contains_key("mediaItems") {
        post.media_items = input.media_items;
    }
    if body.contains_key("platforms") {
        post.platforms = input.targets;
    }
    if let Some(tz) = input.timezone {
        post.timezone = tz;
    }
    if let Some(v) = input.tags {
        post.tags = v;
    }
    if let Some(v) = input.hashtags {
        post.hashtags = v;
    }
    if let Some(v) = input.mentions {
        post.mentions = v;
    }
    if input.visibility.is_some() {
        post.visibility = input.visibility;
    }
    if input.metadata.is_some() {
        post.metadata = input.metadata;
    }
    if input.scheduled_ms.is_some() {
        post.scheduled_for = input.scheduled_ms.map(iso_from_millis);
    }
    let old_status = post.status.clone();
    let was_draft = old_status == "draft";
    let is_draft = match body.opt_bool("isDraft")? {
        Some(d) => d,
        None => was_draft && !input.publish_now && input.scheduled_ms.is_none(),
    };
    let scheduled = post.scheduled_for.as_deref().and_then(parse_iso_millis);
    apply_status(post, input.publish_now, is_draft, scheduled);
    post.updated_at = now_iso();
    if post.status != "draft" {
        post.fingerprints =
            fingerprints(post.content.as_deref(), &post.media_items, &post.platforms);
    }
    let out = json!({ "message": "Post updated successfully", "post": post.to_json(&accounts) });
    let snapshot = post.clone();
    drop(st);
    // Events fire on a status change (draft → scheduled, scheduled → published, ...).
    if snapshot.status != old_status {
        emit_post_event(&app, &snapshot);
    }
    Ok(Json(out))
}

/// `DELETE /v1/posts/{postId}` → `{message}`; published posts are refused with 400.
pub(crate) async fn delete(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut st = app.state();
    let idx = st
        .posts
        .iter()
        .position(|p| p.id == id)
        .ok_or_else(post_not_found)?;
    if st.posts[idx].status == "published" {
        return Err(ApiError::bad_request(
            "invalid_resource_state",
            "Cannot delete published posts. Use POST /v1/posts/{postId}/unpublish to remove them from the platforms.",
        ));
    }
    st.posts.remove(idx);
    Ok(Json(json!({ "message": "Post deleted successfully" })))
}

/// `POST /v1/posts/{postId}/retry` → 200 `{message, post}`: publishes the post again on every
/// platform (a new platform post each time; the API does not dedupe this operation by
/// `Idempotency-Key`, so a request sent twice publishes twice). Drafts are refused with 400.
pub(crate) async fn retry(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut st = app.state();
    let accounts = st.accounts.clone();
    let post = st
        .posts
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(post_not_found)?;
    if post.status == "draft" {
        return Err(ApiError::bad_request(
            "invalid_resource_state",
            "Only scheduled, published, failed or partial posts can be retried.",
        ));
    }
    let message = apply_status(post, true, false, None);
    post.updated_at = now_iso();
    let out = json!({ "message": message, "post": post.to_json(&accounts) });
    let snapshot = post.clone();
    drop(st);
    emit_post_event(&app, &snapshot);
    Ok(Json(out))
}
