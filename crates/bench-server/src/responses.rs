//! The fixed responses, serialised once at start-up into complete HTTP/1.1 messages (status
//! line, headers and body), so that answering a request is a single `write`.
//!
//! Bodies follow the field names of the Late / Zernio OpenAPI spec (`SocialAccount`, `Profile`,
//! `PostCreateResponse`), shaped like what the real API returns, so clients parse realistic JSON.

use serde_json::{json, Value};

/// The profile every account belongs to.
pub const PROFILE_ID: &str = "6650f1a2b3c4d5e6f7a8b9c0";

/// Accounts in the small list (`GET /api/v1/accounts`).
pub const SMALL_ACCOUNTS: usize = 3;

/// Accounts in the large list when not set on the command line.
pub const DEFAULT_BIG_ACCOUNTS: usize = 10_000;

/// Platforms the generated accounts cycle through.
const PLATFORMS: [&str; 8] = [
    "instagram",
    "tiktok",
    "linkedin",
    "twitter",
    "facebook",
    "youtube",
    "threads",
    "bluesky",
];

/// What a request is answered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `GET …/v1/accounts`: the small account list.
    SmallAccounts,
    /// `GET /big/…/v1/accounts` or `GET …/v1/accounts?size=…`: the large account list.
    BigAccounts,
    /// `GET …/v1/profiles`: one default profile.
    Profiles,
    /// `POST …/v1/posts`: 201 with `{message, post}`.
    PostCreated,
    /// Anything else: 404.
    NotFound,
    /// A request the server cannot frame (chunked request body): 411, then close.
    LengthRequired,
    /// Unparsable request or headers too large: 400, then close.
    BadRequest,
}

/// Picks the response for a method and request target (`/path?query`).
///
/// Any prefix before `/v1/` is accepted (`/api/v1/accounts`, `/v1/accounts`), so clients can
/// use `http://127.0.0.1:PORT/api` as their base URL; a `/big/` prefix or a `size` query
/// parameter selects the large account list, so a client whose query it cannot control can
/// still ask for it through its base URL (`http://127.0.0.1:PORT/big/api`).
pub fn route(method: &str, target: &str) -> Route {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (target, ""),
    };
    match method {
        "GET" if path.ends_with("/v1/accounts") => {
            let big = path.starts_with("/big/")
                || query
                    .split('&')
                    .any(|kv| kv.starts_with("size=") && kv != "size=3");
            if big {
                Route::BigAccounts
            } else {
                Route::SmallAccounts
            }
        }
        "GET" if path.ends_with("/v1/profiles") => Route::Profiles,
        "POST" if path.ends_with("/v1/posts") => Route::PostCreated,
        _ => Route::NotFound,
    }
}

/// Every response, pre-serialised.
pub struct Responses {
    small_accounts: Vec<u8>,
    big_accounts: Vec<u8>,
    profiles: Vec<u8>,
    post_created: Vec<u8>,
    not_found: Vec<u8>,
    length_required: Vec<u8>,
    bad_request: Vec<u8>,
}

impl Responses {
    /// Builds every response; the large list has `big` accounts.
    pub fn new(big: usize) -> Self {
        Self {
            small_accounts: message(200, "OK", &account_list(SMALL_ACCOUNTS)),
            big_accounts: message(200, "OK", &account_list(big)),
            profiles: message(200, "OK", &profiles()),
            post_created: message(201, "Created", &post_created()),
            not_found: message(404, "Not Found", &json!({ "error": "Not found" })),
            length_required: message(
                411,
                "Length Required",
                &json!({ "error": "send a Content-Length (chunked request bodies are not supported)" }),
            ),
            bad_request: message(400, "Bad Request", &json!({ "error": "bad request" })),
        }
    }

    /// The complete HTTP message for `route`.
    pub fn get(&self, route: Route) -> &[u8] {
        match route {
            Route::SmallAccounts => &self.small_accounts,
            Route::BigAccounts => &self.big_accounts,
            Route::Profiles => &self.profiles,
            Route::PostCreated => &self.post_created,
            Route::NotFound => &self.not_found,
            Route::LengthRequired => &self.length_required,
            Route::BadRequest => &self.bad_request,
        }
    }
}

/// A complete HTTP/1.1 response with a JSON body.
fn message(status: u16, reason: &str, body: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(body).expect("JSON values always serialise");
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\n\
         content-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\n\
         x-request-id: req_bench\r\n\
         \r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

/// `{accounts: [...], hasAnalyticsAccess}` with `n` accounts (the real API's list shape).
fn account_list(n: usize) -> Value {
    let accounts: Vec<Value> = (0..n).map(account).collect();
    json!({ "accounts": accounts, "hasAnalyticsAccess": false })
}

/// One realistic `SocialAccount`, as the list endpoint returns it (profile populated).
fn account(i: usize) -> Value {
    let platform = PLATFORMS[i % PLATFORMS.len()];
    let username = format!("brand_{platform}_{i}");
    json!({
        "_id": format!("6651a0b1c2d3e4f5{i:08x}"),
        "platform": platform,
        "profileId": { "_id": PROFILE_ID, "name": "Default", "slug": "default" },
        "username": username,
        "displayName": format!("Brand Account {i}"),
        "platformUserId": format!("17841{:010}", 4_000_000_000u64 + i as u64),
        "profilePicture": format!("https://cdn.example.com/avatars/{platform}/{i}.jpg"),
        "profileUrl": format!("https://www.{platform}.com/{username}"),
        "isActive": true,
        "needsReconnection": false,
        "enabled": true,
        "scopeAreas": null,
        "oauthAppId": null,
        "parentAccountId": null,
        "rateLimitedUntil": null,
        "createdAt": "2026-03-14T09:26:53.589Z",
        "metadata": { "accountType": "BUSINESS", "followersCount": 1000 + i },
    })
}

/// `{profiles: [default profile]}`.
fn profiles() -> Value {
    json!({
        "profiles": [{
            "_id": PROFILE_ID,
            "userId": "6650f0a1b2c3d4e5f6a7b8c9",
            "name": "Default",
            "description": "Default profile",
            "color": "#ffeda0",
            "timezone": null,
            "externalId": null,
            "isDefault": true,
            "accountCount": SMALL_ACCOUNTS,
            "createdAt": "2026-03-14T09:20:11.042Z",
        }]
    })
}

/// `PostCreateResponse`: `{message, post}`.
fn post_created() -> Value {
    json!({
        "message": "Post scheduled successfully",
        "post": {
            "_id": "6652b0c1d2e3f4a5b6c7d8e9",
            "userId": "6650f0a1b2c3d4e5f6a7b8c9",
            "profileId": PROFILE_ID,
            "content": "Benchmark post",
            "status": "scheduled",
            "scheduledFor": "2026-12-01T10:00:00.000Z",
            "timezone": "UTC",
            "mediaItems": [],
            "platforms": [{
                "platform": "instagram",
                "accountId": "6651a0b1c2d3e4f500000000",
                "status": "pending",
            }],
            "tags": [],
            "hashtags": [],
            "mentions": [],
            "visibility": "public",
            "createdAt": "2026-11-28T12:00:00.000Z",
            "updatedAt": "2026-11-28T12:00:00.000Z",
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(msg: &[u8]) -> Value {
        let at = msg.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        serde_json::from_slice(&msg[at..]).unwrap()
    }

    #[test]
    fn routes() {
        assert_eq!(route("GET", "/api/v1/accounts"), Route::SmallAccounts);
        assert_eq!(
            route("GET", "/api/v1/accounts?profileId=x"),
            Route::SmallAccounts
        );
        assert_eq!(
            route("GET", "/api/v1/accounts?size=10000"),
            Route::BigAccounts
        );
        assert_eq!(
            route("GET", "/big/api/v1/accounts?profileId=x"),
            Route::BigAccounts
        );
        assert_eq!(route("GET", "/api/v1/profiles"), Route::Profiles);
        assert_eq!(route("POST", "/api/v1/posts"), Route::PostCreated);
        assert_eq!(route("DELETE", "/api/v1/posts"), Route::NotFound);
        assert_eq!(route("GET", "/nope"), Route::NotFound);
    }

    #[test]
    fn bodies_are_valid_and_framed() {
        let r = Responses::new(25);
        let small = body(r.get(Route::SmallAccounts));
        assert_eq!(small["accounts"].as_array().unwrap().len(), SMALL_ACCOUNTS);
        assert_eq!(small["accounts"][0]["platform"], "instagram");
        let big = body(r.get(Route::BigAccounts));
        assert_eq!(big["accounts"].as_array().unwrap().len(), 25);
        assert_eq!(
            body(r.get(Route::Profiles))["profiles"][0]["isDefault"],
            true
        );
        let created = r.get(Route::PostCreated);
        assert!(created.starts_with(b"HTTP/1.1 201 Created\r\n"));
        assert!(body(created)["post"]["_id"].is_string());
        // content-length matches the body
        let text = String::from_utf8_lossy(created);
        let (head, rest) = text.split_once("\r\n\r\n").unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(len, rest.len());
    }
}
