//! Pure Rust core of late-native: a client for the Late / Zernio social-media API.
//!
//! Nothing here knows about Node.js. The napi layer in the root crate is a thin wrapper over
//! [`Client`]. The core owns configuration, the HTTP transport (reqwest over rustls with the
//! ring provider), the retry policy, pacing under the team's rate limit (shared through Redis
//! in fleet mode), structured errors, and the calls that need logic (connect URLs,
//! default-profile resolution, account pagination).

mod accounts;
mod body;
mod body_error;
mod client;
mod config;
mod connect;
mod connections;
mod decode;
mod default_profile;
mod error;
mod event_store;
mod headers;
mod http_client;
mod ids;
mod json_split;
mod observe;
mod pacing;
mod platform;
mod profiles;
mod rate_limit;
mod redis_link;
mod replay;
mod request;
mod response;
mod retry;
mod secret;
mod tls;
mod transport;
mod upload;
mod webhook;

// What the napi layer (the root crate's `src/`) uses.
pub use accounts::{ListAccountsParams, NextPage};
pub use body::{Body, Multipart, Part, Source};
pub use client::Client;
pub use config::ClientConfig;
pub use connect::{ConnectParams, ConnectResult};
pub use error::{ApiError, ConnectionKind, Error, Outcome, Result};
pub use event_store::{RedisEventStore, DEFAULT_TTL as DEFAULT_EVENT_TTL};
pub use http_client::{NetworkSettings, ProxySetting};
pub use json_split::{Run, Splitter};
pub use observe::{Attempt, AttemptObserver, NoteSink, ObserveLevel};
pub use pacing::{PacingConfig, PacingStats};
pub use rate_limit::RateLimit;
pub use redis_link::RedisTarget;
pub use request::{CallOptions, Method, Request};
pub use response::Response;
pub use secret::ApiKey;
pub use tls::parse_pem_roots;
pub use transport::{ListSink, Warmup};
pub use upload::{Upload, UploadOutcome, UploadSource};
pub use webhook::{sign as sign_webhook, verify as verify_webhook, WebhookError};

// What late-core's property tests (`tests/decode_props.rs`) drive with arbitrary answers: the
// decoders of response bodies and the readers of retry headers.
pub use accounts::collect_page as collect_accounts_page;
pub use connect::map_response as map_connect_response;
pub use profiles::pick_default as pick_default_profile;
pub use retry::{backoff as retry_backoff, server_wait, MAX_DELAY as MAX_RETRY_DELAY};
