//! `GET /v1/connect/{platform}` and the consent page at `/__sim/consent/{state}`.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::consent_page;
use crate::error::{ApiError, SimError};
use crate::extract::Query;
use crate::ids::{is_object_id, random_hex, random_range};
use crate::state::{Account, ConnectSession};
use crate::time::now_iso;
use crate::webhook_delivery;

/// Platforms accepted by `GET /v1/connect/{platform}` (the spec's enum).
pub const CONNECT_PLATFORMS: &[&str] = &[
    "facebook",
    "instagram",
    "linkedin",
    "twitter",
    "tiktok",
    "youtube",
    "threads",
    "reddit",
    "pinterest",
    "bluesky",
    "googlebusiness",
    "telegram",
    "snapchat",
    "discord",
    "slack",
    "whatsapp",
    "google",
    "microsoft",
];

const SESSION_TTL: Duration = Duration::from_secs(3600);

fn valid_redirect(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => match u.scheme() {
            "http" | "https" => u.host_str().is_some_and(|h| !h.is_empty()),
            "javascript" | "data" | "file" | "vbscript" | "blob" | "about" => false,
            // Custom app schemes (mobile deep links) are allowed by the spec.
            _ => true,
        },
        Err(_) => false,
    }
}

/// `GET /v1/connect/{platform}` → `{authUrl, state}`.
pub(crate) async fn start(
    State(app): State<Shared>,
    Path(platform): Path<String>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    if !CONNECT_PLATFORMS.contains(&platform.as_str()) {
        return Err(ApiError::invalid(
            "platform",
            format!(
                "Unsupported platform {platform:?}. Use one of: {}.",
                CONNECT_PLATFORMS.join(", ")
            ),
        ));
    }
    let profile_id = q
        .str("profileId")
        .ok_or_else(|| ApiError::missing("profileId"))?;
    if !is_object_id(profile_id) {
        return Err(ApiError::invalid(
            "profileId",
            "profileId must be a valid ObjectId",
        ));
    }
    let redirect_url = q.str("redirect_url").map(str::to_string);
    if let Some(r) = &redirect_url {
        if !valid_redirect(r) {
            return Err(ApiError::bad_request(
                "INVALID_REDIRECT_URL",
                "redirect_url must be an absolute http(s) URL (or a custom app scheme).",
            )
            .param("redirect_url"));
        }
    }
    let login_method = q.str("loginMethod").map(str::to_string);
    if let Some(m) = &login_method {
        if m != "instagram_login" && m != "facebook_login" {
            return Err(ApiError::invalid(
                "loginMethod",
                "loginMethod must be instagram_login or facebook_login",
            ));
        }
    }
    let headless = q.bool("headless")?.unwrap_or(false);
    q.bool("forceReauth")?;
    let mut st = app.state();
    if st.profile(profile_id).is_none() {
        return Err(
            ApiError::not_found("profile_not_found", "Profile not found").param("profileId"),
        );
    }
    st.sessions.retain(|_, s| s.created.elapsed() < SESSION_TTL);
    let state = random_hex(16);
    st.sessions.insert(
        state.clone(),
        ConnectSession {
            state: state.clone(),
            platform,
            profile_id: profile_id.to_string(),
            redirect_url,
            login_method,
            headless,
            created: Instant::now(),
            completed: false,
        },
    );
    Ok(Json(json!({
        "authUrl": format!("{}/__sim/consent/{state}", app.origin),
        "state": state,
    })))
}

/// What a consent decision led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentOutcome {
    /// Where the browser is sent (the connect's `redirect_url` plus result parameters), if any.
    pub redirect_url: Option<String>,
    /// Whether the account was connected.
    pub connected: bool,
    /// The platform.
    pub platform: String,
    /// The profile.
    pub profile_id: String,
    /// The connected account id (on Allow).
    pub account_id: Option<String>,
    /// The connected account's username (on Allow).
    pub username: Option<String>,
    /// The error code (`oauth_denied`, `invalid_state`, `profile_not_found`) otherwise.
    pub error: Option<String>,
}

impl ConsentOutcome {
    /// The JSON form `{redirectUrl, connected, platform, profileId, accountId?, username?, error?}`.
    pub fn to_json(&self) -> Value {
        json!({
            "redirectUrl": self.redirect_url,
            "connected": self.connected,
            "platform": self.platform,
            "profileId": self.profile_id,
            "accountId": self.account_id,
            "username": self.username,
            "error": self.error,
        })
    }
}

fn with_params(base: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(base) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => base.to_string(),
    }
}

fn profile_url(platform: &str, user: &str) -> String {
    match platform {
        "instagram" => format!("https://www.instagram.com/{user}"),
        "twitter" => format!("https://x.com/{user}"),
        "facebook" => format!("https://www.facebook.com/{user}"),
        "threads" => format!("https://www.threads.net/@{user}"),
        "tiktok" => format!("https://www.tiktok.com/@{user}"),
        "youtube" => format!("https://www.youtube.com/@{user}"),
        "linkedin" => format!("https://www.linkedin.com/in/{user}"),
        "reddit" => format!("https://www.reddit.com/user/{user}"),
        "pinterest" => format!("https://www.pinterest.com/{user}"),
        "bluesky" => format!("https://bsky.app/profile/{user}"),
        _ => format!("https://{platform}.example/{user}"),
    }
}

fn clean_username(u: Option<&str>) -> Result<Option<String>, String> {
    let Some(u) = u
        .map(str::trim)
        .map(|u| u.trim_start_matches('@'))
        .filter(|u| !u.is_empty())
    else {
        return Ok(None);
    };
    if u.chars().count() > 64 || u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("username must be 1 to 64 characters without spaces".into());
    }
    Ok(Some(u.to_string()))
}

/// Applies a consent decision for `state` (shared by the HTML page and `grant_consent`).
pub(crate) fn decide(
    app: &Shared,
    state: &str,
    allow: bool,
    username: Option<&str>,
) -> Result<ConsentOutcome, SimError> {
    let username = clean_username(username).map_err(SimError::Consent)?;
    let mut st = app.state();
    let session = match st.sessions.get_mut(state) {
        Some(s) if s.created.elapsed() < SESSION_TTL => s,
        _ => {
            return Err(SimError::Consent(format!(
                "unknown or expired connect state {state:?}"
            )))
        }
    };
    let (platform, profile_id, redirect) = (
        session.platform.clone(),
        session.profile_id.clone(),
        session.redirect_url.clone(),
    );
    let fail = |code: &str| ConsentOutcome {
        redirect_url: redirect
            .as_deref()
            .map(|r| with_params(r, &[("error", code), ("platform", &platform)])),
        connected: false,
        platform: platform.clone(),
        profile_id: profile_id.clone(),
        account_id: None,
        username: None,
        error: Some(code.to_string()),
    };
    if session.completed {
        return Ok(fail("invalid_state"));
    }
    session.completed = true;
    if !allow {
        return Ok(fail("oauth_denied"));
    }
    if st.profile(&profile_id).is_none() {
        return Ok(fail("profile_not_found"));
    }
    let username =
        username.unwrap_or_else(|| format!("sim_{platform}_{}", random_range(1000, 10000)));
    let existing = st
        .accounts
        .iter_mut()
        .find(|a| a.platform == platform && a.profile_id == profile_id && a.username == username);
    let account = match existing {
        Some(a) => {
            a.is_active = true;
            a.needs_reconnection = false;
            a.clone()
        }
        None => {
            let seq = st.next_seq();
            let a = Account {
                id: app.ids.object_id(),
                platform: platform.clone(),
                profile_id: profile_id.clone(),
                display_name: username.clone(),
                platform_user_id: format!(
                    "{}",
                    random_range(10_000_000_000_000_000, 99_999_999_999_999_999)
                ),
                profile_url: profile_url(&platform, &username),
                username: username.clone(),
                is_active: true,
                needs_reconnection: false,
                created_at: now_iso(),
                seq,
            };
            st.accounts.push(a.clone());
            a
        }
    };
    drop(st);
    webhook_delivery::emit(
        app,
        "account.connected",
        Some(&profile_id),
        Some(&account.id),
        json!({
            "account": {
                "accountId": account.id,
                "profileId": profile_id,
                "platform": platform,
                "username": account.username,
                "displayName": account.display_name,
            }
        }),
    );
    Ok(ConsentOutcome {
        redirect_url: redirect.as_deref().map(|r| {
            with_params(
                r,
                &[
                    ("connected", &platform),
                    ("profileId", &profile_id),
                    ("accountId", &account.id),
                    ("username", &account.username),
                ],
            )
        }),
        connected: true,
        platform,
        profile_id,
        account_id: Some(account.id),
        username: Some(account.username),
        error: None,
    })
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// `GET /__sim/consent/{state}`: the consent screen.
pub(crate) async fn page(
    State(app): State<Shared>,
    Path(state): Path<String>,
    q: Query,
) -> Response {
    let st = app.state();
    let Some(s) = st
        .sessions
        .get(&state)
        .filter(|s| s.created.elapsed() < SESSION_TTL)
    else {
        return html(
            StatusCode::NOT_FOUND,
            consent_page::error(
                "invalid_state",
                "This connection link is unknown or has expired.",
            ),
        );
    };
    if s.completed {
        return html(
            StatusCode::GONE,
            consent_page::error("invalid_state", "This connection link was already used."),
        );
    }
    let profile_name = st
        .profile(&s.profile_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    html(
        StatusCode::OK,
        consent_page::consent(&state, &s.platform, &profile_name, q.str("username")),
    )
}

/// `POST /__sim/consent/{state}`: form fields `decision` (`allow`/`deny`) and `username`.
pub(crate) async fn submit(
    State(app): State<Shared>,
    Path(state): Path<String>,
    q: Query,
    body: Bytes,
) -> Response {
    let mut form: std::collections::BTreeMap<String, String> = q.0.clone();
    for (k, v) in url::form_urlencoded::parse(&body) {
        form.insert(k.into_owned(), v.into_owned());
    }
    let allow = match form.get("decision").map(|s| s.to_ascii_lowercase()) {
        Some(d) if d == "allow" => true,
        Some(d) if d == "deny" => false,
        _ => {
            return html(
                StatusCode::BAD_REQUEST,
                consent_page::error(
                    "invalid_request",
                    "Choose Allow or Deny (form field `decision`).",
                ),
            )
        }
    };
    let username = form.get("username").map(String::as_str);
    match decide(&app, &state, allow, username) {
        Ok(out) => match &out.redirect_url {
            Some(url) => (StatusCode::SEE_OTHER, [(header::LOCATION, url.clone())]).into_response(),
            None if out.connected => html(
                StatusCode::OK,
                consent_page::connected(
                    &out.platform,
                    &out.profile_id,
                    out.account_id.as_deref().unwrap_or(""),
                    out.username.as_deref().unwrap_or(""),
                ),
            ),
            None => html(
                StatusCode::OK,
                consent_page::error(
                    out.error.as_deref().unwrap_or("error"),
                    match out.error.as_deref() {
                        Some("oauth_denied") => "You denied access. No account was connected.",
                        Some("invalid_state") => "This connection link was already used.",
                        _ => "The connection could not be completed.",
                    },
                ),
            ),
        },
        Err(SimError::Consent(m)) if m.starts_with("username") => html(
            StatusCode::BAD_REQUEST,
            consent_page::error("invalid_username", &m),
        ),
        Err(_) => html(
            StatusCode::NOT_FOUND,
            consent_page::error(
                "invalid_state",
                "This connection link is unknown or has expired.",
            ),
        ),
    }
}
