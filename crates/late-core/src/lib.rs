//! Pure Rust core of late-native: a client for the Late / Zernio social-media API.
//!
//! Nothing here knows about Node.js. The napi layer in the root crate is a thin wrapper over
//! [`Client`]. The core owns configuration, the HTTP transport (reqwest over rustls with the
//! ring provider), the retry policy, pacing under the team's rate limit (shared through Redis
//! in fleet mode), structured errors, and the calls that need logic (connect URLs,
//! default-profile resolution, account pages).
//!
//! # Layers
//!
//! Each folder is a layer. A module uses its own layer and the layers before it in this list,
//! never one after it, so the modules form no cycle (`tests/structure.rs` checks it):
//!
//! - `base/`: errors, the API key, rate-limit headers, attempt records, random ids.
//! - `wire/`: requests, caller headers, bodies, responses, decompression, decode errors, list runs.
//! - `net/`: TLS, connection counts, the pooled HTTP client.
//! - `fleet/`: Redis: the link, and the webhook event store.
//! - `policy/`: replay safety, retry waits, pacing under the team's rate limit.
//! - `send/`: the client's configuration and the transport (the send loop).
//! - `api/`: accounts, connect, profiles and the default profile, platforms, uploads, webhooks.
//! - `client.rs`: [`Client`], the calls over one transport.
//!
//! Every module is private to the crate; what other crates use is the `pub use` list below.

mod api;
mod base;
mod client;
mod fleet;
mod net;
mod policy;
mod send;
mod wire;

// What the napi layer (the root crate's `src/`) uses.
pub use api::accounts::{ListAccountsParams, NextPage};
pub use api::connect::{ConnectParams, ConnectResult};
pub use api::upload::{Upload, UploadOutcome, UploadSource};
pub use api::webhook::{sign as sign_webhook, verify as verify_webhook, WebhookError};
pub use base::error::{ApiError, ConnectionKind, Error, Outcome, Result};
pub use base::observe::{
    Attempt, AttemptHeaders, AttemptHook, AttemptObserver, AttemptStart, NoteSink, ObserveLevel,
};
pub use base::rate_limit::RateLimit;
pub use base::secret::ApiKey;
pub use client::Client;
pub use fleet::event_store::{RedisEventStore, DEFAULT_TTL as DEFAULT_EVENT_TTL};
pub use fleet::redis_link::RedisTarget;
pub use net::http_client::{NetworkSettings, ProxySetting};
pub use net::tls::parse_pem_roots;
pub use policy::pacing::{PacingConfig, PacingStats};
pub use send::config::{ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS};
pub use send::transport::{ListSink, Warmup};
pub use wire::body::{Body, Multipart, Part, Source};
pub use wire::headers::FRAMING_HEADERS;
pub use wire::json_split::{Run, Splitter};
pub use wire::request::{CallOptions, Method, Request};
pub use wire::response::Response;

// What late-core's property tests (`tests/decode_props.rs`) drive with arbitrary answers: the
// decoders of response bodies and the readers of retry headers.
pub use api::connect::map_response as map_connect_response;
pub use api::profiles::pick_default as pick_default_profile;
pub use policy::retry::{backoff as retry_backoff, server_wait, MAX_DELAY as MAX_RETRY_DELAY};
