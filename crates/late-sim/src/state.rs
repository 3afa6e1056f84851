//! The simulator's in-memory data: profiles, accounts, posts, webhooks, logs, connect
//! sessions, idempotency records and uploaded media.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use bytes::Bytes;
use serde_json::{json, Value};

use crate::ids::IdGen;
use crate::time::now_iso;

/// A profile (a container that groups connected accounts).
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub description: Option<String>,
    pub color: String,
    pub timezone: Option<String>,
    pub external_id: Option<String>,
    pub is_default: bool,
    pub created_at: String,
    pub seq: u64,
}

impl Profile {
    /// The spec's `Profile` object; `account_count` is included in lists.
    pub fn to_json(&self, account_count: Option<usize>) -> Value {
        let mut v = json!({
            "_id": self.id,
            "userId": self.user_id,
            "name": self.name,
            "color": self.color,
            "timezone": self.timezone,
            "externalId": self.external_id,
            "isDefault": self.is_default,
            "createdAt": self.created_at,
        });
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        if let Some(n) = account_count {
            v["accountCount"] = json!(n);
        }
        v
    }

    /// A URL-ish slug of the name (used when an account's `profileId` is populated).
    pub fn slug(&self) -> String {
        let mut out = String::new();
        for c in self.name.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_string()
    }
}

/// A connected social account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub platform: String,
    pub profile_id: String,
    pub username: String,
    pub display_name: String,
    pub platform_user_id: String,
    pub profile_url: String,
    pub is_active: bool,
    pub needs_reconnection: bool,
    pub created_at: String,
    pub seq: u64,
}

impl Account {
    /// The spec's `SocialAccount` object. With `profile`, `profileId` is populated as
    /// `{_id, name, slug}` (as the real list endpoint does); otherwise it is the id string.
    pub fn to_json(&self, profile: Option<&Profile>) -> Value {
        let profile_id = match profile {
            Some(p) => json!({ "_id": p.id, "name": p.name, "slug": p.slug() }),
            None => json!(self.profile_id),
        };
        json!({
            "_id": self.id,
            "platform": self.platform,
            "profileId": profile_id,
            "username": self.username,
            "displayName": self.display_name,
            "platformUserId": self.platform_user_id,
            "profilePicture": null,
            "profileUrl": self.profile_url,
            "isActive": self.is_active,
            "needsReconnection": self.needs_reconnection,
            "enabled": true,
            "scopeAreas": null,
            "oauthAppId": null,
            "parentAccountId": null,
            "rateLimitedUntil": null,
            "metadata": {},
        })
    }

    /// A short summary, as embedded in post targets (a valid `SocialAccount`).
    pub fn summary(&self) -> Value {
        json!({
            "_id": self.id,
            "platform": self.platform,
            "profileId": self.profile_id,
            "username": self.username,
            "displayName": self.display_name,
            "isActive": self.is_active,
        })
    }

    /// Whether `GET /v1/accounts?status=connected` lists it.
    pub fn is_connected(&self) -> bool {
        self.is_active && !self.needs_reconnection
    }
}

/// One platform target of a post.
#[derive(Debug, Clone)]
pub struct Target {
    pub platform: String,
    pub account_id: String,
    pub custom_content: Option<String>,
    pub custom_media: Option<Value>,
    pub scheduled_for: Option<String>,
    pub platform_specific_data: Option<Value>,
    pub status: String,
    pub platform_post_id: Option<String>,
    pub platform_post_url: Option<String>,
    pub published_at: Option<String>,
}

/// A post.
#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub user_id: String,
    pub title: Option<String>,
    pub content: Option<String>,
    pub media_items: Vec<Value>,
    pub platforms: Vec<Target>,
    pub scheduled_for: Option<String>,
    pub timezone: String,
    pub status: String,
    pub tags: Vec<String>,
    pub hashtags: Vec<String>,
    pub mentions: Vec<String>,
    pub visibility: Option<String>,
    pub metadata: Option<Value>,
    pub published_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub created_ms: i64,
    pub seq: u64,
    /// `x-request-id` of the creating request, for the second idempotency layer.
    pub request_id: Option<String>,
    /// Content fingerprints `(platform, accountId, hash)` for duplicate detection.
    pub fingerprints: Vec<(String, String, String)>,
}

impl Post {
    /// The spec's `Post` object; targets' `accountId` is populated when the account exists.
    pub fn to_json(&self, accounts: &[Account]) -> Value {
        let platforms: Vec<Value> = self
            .platforms
            .iter()
            .map(|t| {
                let account = accounts
                    .iter()
                    .find(|a| a.id == t.account_id)
                    .map(|a| a.summary())
                    .unwrap_or_else(|| json!(t.account_id));
                let mut v = json!({
                    "platform": t.platform,
                    "accountId": account,
                    "status": t.status,
                });
                let o = &mut v;
                if let Some(c) = &t.custom_content {
                    o["customContent"] = json!(c);
                }
                if let Some(c) = &t.custom_media {
                    o["customMedia"] = c.clone();
                }
                if let Some(c) = &t.scheduled_for {
                    o["scheduledFor"] = json!(c);
                }
                if let Some(c) = &t.platform_specific_data {
                    o["platformSpecificData"] = c.clone();
                }
                if let Some(c) = &t.platform_post_id {
                    o["platformPostId"] = json!(c);
                }
                if let Some(c) = &t.platform_post_url {
                    o["platformPostUrl"] = json!(c);
                }
                if let Some(c) = &t.published_at {
                    o["publishedAt"] = json!(c);
                }
                v
            })
            .collect();
        let mut v = json!({
            "_id": self.id,
            "userId": self.user_id,
            "content": self.content.clone().unwrap_or_default(),
            "mediaItems": self.media_items,
            "platforms": platforms,
            "timezone": self.timezone,
            "status": self.status,
            "tags": self.tags,
            "hashtags": self.hashtags,
            "mentions": self.mentions,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        });
        if let Some(t) = &self.title {
            v["title"] = json!(t);
        }
        if let Some(s) = &self.scheduled_for {
            v["scheduledFor"] = json!(s);
        }
        if let Some(s) = &self.visibility {
            v["visibility"] = json!(s);
        }
        if let Some(m) = &self.metadata {
            v["metadata"] = m.clone();
        }
        if let Some(p) = &self.published_at {
            v["publishedAt"] = json!(p);
        }
        v
    }
}

/// A webhook subscription.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: String,
    pub name: String,
    pub url: String,
    pub secret: Option<String>,
    pub events: Vec<String>,
    pub is_active: bool,
    pub last_fired_at: Option<String>,
    pub failure_count: u32,
    pub custom_headers: BTreeMap<String, String>,
    pub disabled_resource_groups: Vec<String>,
    pub profile_ids: Vec<String>,
    pub account_ids: Vec<String>,
    pub created_at: String,
}

impl Webhook {
    /// The spec's `Webhook` object.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "_id": self.id,
            "name": self.name,
            "url": self.url,
            "events": self.events,
            "isActive": self.is_active,
            "failureCount": self.failure_count,
            "customHeaders": self.custom_headers,
            "disabledResourceGroups": self.disabled_resource_groups,
            "profileIds": self.profile_ids,
            "accountIds": self.account_ids,
        });
        if let Some(s) = &self.secret {
            v["secret"] = json!(s);
        }
        if let Some(s) = &self.last_fired_at {
            v["lastFiredAt"] = json!(s);
        }
        v
    }
}

/// One webhook delivery attempt.
#[derive(Debug, Clone)]
pub struct WebhookLog {
    pub webhook_id: String,
    pub webhook_name: String,
    pub event_id: String,
    pub event: String,
    pub test: bool,
    pub url: String,
    pub success: bool,
    pub status_code: Option<u16>,
    pub request_payload: Value,
    pub response_body: Option<String>,
    pub error_message: Option<String>,
    pub attempt_number: u32,
    pub response_time_ms: u64,
    pub created_at: String,
}

impl WebhookLog {
    /// The spec's `WebhookLog` object.
    pub fn to_json(&self, user_id: &str) -> Value {
        let mut v = json!({
            "userId": user_id,
            "webhookId": self.webhook_id,
            "webhookName": self.webhook_name,
            "eventId": self.event_id,
            "event": self.event,
            "url": self.url,
            "status": if self.success { "success" } else { "failed" },
            "requestPayload": self.request_payload,
            "attemptNumber": self.attempt_number,
            "responseTime": self.response_time_ms,
            "createdAt": self.created_at,
        });
        if self.test {
            v["test"] = json!(true);
        }
        if let Some(c) = self.status_code {
            v["statusCode"] = json!(c);
        }
        if let Some(b) = &self.response_body {
            v["responseBody"] = json!(b);
        }
        if let Some(e) = &self.error_message {
            v["errorMessage"] = json!(e);
        }
        v
    }
}

/// A connect flow started by `GET /v1/connect/{platform}`.
#[derive(Debug, Clone)]
pub struct ConnectSession {
    pub state: String,
    pub platform: String,
    pub profile_id: String,
    pub redirect_url: Option<String>,
    pub login_method: Option<String>,
    pub headless: bool,
    pub created: Instant,
    pub completed: bool,
}

/// A presigned upload and, once PUT, its bytes.
#[derive(Debug, Clone)]
pub struct MediaObject {
    pub key: String,
    pub filename: String,
    pub content_type: String,
    pub declared_size: Option<u64>,
    pub token: String,
    pub bytes: Option<Bytes>,
    pub created: Instant,
    pub created_at: String,
}

/// Where an idempotent request stands.
#[derive(Debug, Clone)]
pub enum IdemState {
    /// The first request is still being processed.
    InFlight,
    /// The first request finished with this status and body.
    Done { status: u16, body: Value },
}

/// An `Idempotency-Key` record.
#[derive(Debug, Clone)]
pub struct IdemEntry {
    /// The parsed request body (compared structurally).
    pub body: Value,
    pub state: IdemState,
    pub created: Instant,
}

/// All mutable simulator data.
#[derive(Debug)]
pub struct SimState {
    pub user_id: String,
    pub profiles: Vec<Profile>,
    pub accounts: Vec<Account>,
    pub posts: Vec<Post>,
    pub webhooks: Vec<Webhook>,
    pub webhook_logs: Vec<WebhookLog>,
    pub sessions: HashMap<String, ConnectSession>,
    /// Keyed by `(scope, key)`, scope being the route (`"POST /v1/posts"`).
    pub idempotency: HashMap<(String, String), IdemEntry>,
    pub media: HashMap<String, MediaObject>,
    pub seq: u64,
}

impl SimState {
    /// A fresh state with the default profile.
    pub fn new(ids: &IdGen) -> Self {
        let mut s = Self {
            user_id: ids.object_id(),
            profiles: Vec::new(),
            accounts: Vec::new(),
            posts: Vec::new(),
            webhooks: Vec::new(),
            webhook_logs: Vec::new(),
            sessions: HashMap::new(),
            idempotency: HashMap::new(),
            media: HashMap::new(),
            seq: 0,
        };
        let seq = s.next_seq();
        s.profiles.push(Profile {
            id: ids.object_id(),
            user_id: s.user_id.clone(),
            name: "Default".into(),
            description: None,
            color: "#ffeda0".into(),
            timezone: None,
            external_id: None,
            is_default: true,
            created_at: now_iso(),
            seq,
        });
        s
    }

    /// A monotonically increasing sequence number (creation order).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Finds a profile by id.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// Connected accounts of a profile (what `accountCount` counts).
    pub fn account_count(&self, profile_id: &str) -> usize {
        self.accounts
            .iter()
            .filter(|a| a.profile_id == profile_id)
            .count()
    }

    /// Profiles in the API's order: default first, then by creation.
    pub fn ordered_profiles(&self) -> Vec<&Profile> {
        let mut v: Vec<&Profile> = self.profiles.iter().collect();
        v.sort_by_key(|p| (!p.is_default, p.seq));
        v
    }

    /// A JSON dump of everything, for `GET /__sim/state`.
    pub fn snapshot(&self) -> Value {
        json!({
            "userId": self.user_id,
            "profiles": self.ordered_profiles().iter().map(|p| p.to_json(Some(self.account_count(&p.id)))).collect::<Vec<_>>(),
            "accounts": self.accounts.iter().map(|a| {
                let mut v = a.to_json(None);
                v["createdAt"] = json!(a.created_at);
                v
            }).collect::<Vec<_>>(),
            "posts": self.posts.iter().map(|p| p.to_json(&self.accounts)).collect::<Vec<_>>(),
            "webhooks": self.webhooks.iter().map(|w| {
                let mut v = w.to_json();
                v["createdAt"] = json!(w.created_at);
                v
            }).collect::<Vec<_>>(),
            "webhookLogs": self.webhook_logs.iter().map(|l| l.to_json(&self.user_id)).collect::<Vec<_>>(),
            "media": self.media.values().map(|m| json!({
                "key": m.key,
                "filename": m.filename,
                "contentType": m.content_type,
                "uploaded": m.bytes.is_some(),
                "size": m.bytes.as_ref().map(|b| b.len()),
                "createdAt": m.created_at,
            })).collect::<Vec<_>>(),
            "pendingConnects": self.sessions.values().filter(|s| !s.completed).map(|s| json!({
                "state": s.state,
                "platform": s.platform,
                "profileId": s.profile_id,
                "redirectUrl": s.redirect_url,
                "loginMethod": s.login_method,
                "headless": s.headless,
            })).collect::<Vec<_>>(),
        })
    }
}
