//! The HTTP routes.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod auth;
pub(crate) mod bulk_upload;
pub(crate) mod connect;
pub(crate) mod media;
pub(crate) mod posts;
pub(crate) mod profiles;
pub(crate) mod webhooks;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{middleware, Json, Router};
use serde_json::json;

use crate::app::Shared;
use crate::error::ApiError;

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::not_found(
        "route_not_found",
        format!("The simulator does not implement {}", uri.path()),
    )
}

async fn api_method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "invalid_request_error",
        "method_not_allowed",
        "Method not allowed on this route",
    )
}

async fn index(State(app): State<Shared>) -> Response {
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>late-sim</title></head><body>\
<h1>Late API simulator</h1><p>API base URL: <code>{}</code></p>\
<p>Admin: <a href=\"/__sim/state\">/__sim/state</a>, <a href=\"/__sim/requests\">/__sim/requests</a>, \
<a href=\"/__sim/faults\">/__sim/faults</a></p></body></html>",
        crate::consent_page::escape(&app.base_url())
    ))
    .into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "ok": true }))
}

/// The complete router (API under `/api`, simulator pages and admin under `/__sim`).
pub(crate) fn router(app: Shared) -> Router {
    let api = Router::new()
        .route("/v1/profiles", get(profiles::list).post(profiles::create))
        .route(
            "/v1/profiles/{profileId}",
            get(profiles::get_one)
                .put(profiles::update)
                .delete(profiles::delete),
        )
        .route("/v1/accounts", get(accounts::list))
        .route(
            "/v1/accounts/{accountId}",
            put(accounts::update)
                .patch(accounts::move_to_profile)
                .delete(accounts::disconnect),
        )
        .route("/v1/connect/{platform}", get(connect::start))
        .route("/v1/posts", get(posts::list).post(posts::create))
        .route("/v1/posts/bulk-upload", post(bulk_upload::upload))
        .route(
            "/v1/posts/{postId}",
            get(posts::get_one).put(posts::update).delete(posts::delete),
        )
        .route("/v1/posts/{postId}/retry", post(posts::retry))
        .route("/v1/media/presign", post(media::presign))
        .route(
            "/v1/webhooks/settings",
            get(webhooks::list)
                .post(webhooks::create)
                .put(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/v1/webhooks/test", post(webhooks::test))
        .route("/v1/webhooks/logs", get(webhooks::logs))
        .route("/v1/auth/verify", get(auth::verify))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed);

    Router::new()
        .nest("/api", api)
        .route("/", get(index))
        .route("/__sim/health", get(health))
        .route(
            "/__sim/consent/{state}",
            get(connect::page).post(connect::submit),
        )
        .route("/__sim/uploads/{*key}", put(media::upload))
        .route("/__sim/media/{*key}", get(media::download))
        .route(
            "/__sim/faults",
            get(admin::list_faults)
                .post(admin::add_faults)
                .delete(admin::clear_faults),
        )
        .route(
            "/__sim/requests",
            get(admin::list_requests).delete(admin::clear_requests),
        )
        .route("/__sim/state", get(admin::state))
        .route("/__sim/ratelimit", get(admin::rate_limit))
        .route("/__sim/actions", get(admin::actions))
        .route("/__sim/reset", post(admin::reset))
        .route("/__sim/accounts", post(admin::add_account))
        .fallback(api_not_found)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::middleware::common,
        ))
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}
