//! Pure Rust core of late-native: a client for the Late / Zernio social-media API.
//!
//! Nothing here knows about Node.js. The napi layer in the root crate is a thin wrapper over
//! [`Client`]. The core owns configuration, the HTTP transport (reqwest over rustls with the
//! ring provider), the retry policy, pacing under the team's rate limit (shared through Redis
//! in fleet mode), structured errors, and the calls that need logic (connect URLs,
//! default-profile resolution, account pagination).

pub mod accounts;
pub mod body;
pub mod body_error;
pub mod client;
pub mod config;
pub mod connect;
pub mod connections;
pub mod decode;
mod default_profile;
pub mod error;
pub mod event_store;
pub mod headers;
pub mod http_client;
mod ids;
pub mod json_split;
pub mod observe;
pub mod pacing;
pub mod platform;
pub mod profiles;
pub mod rate_limit;
pub mod redis_link;
pub mod replay;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod tls;
pub mod transport;
pub mod upload;
pub mod webhook;

pub use accounts::ListAccountsParams;
pub use body::{Body, Multipart, Part, Source};
pub use client::Client;
pub use config::{ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS};
pub use connect::{ConnectParams, ConnectResult};
pub use error::{ApiError, ConnectionKind, Error, Result};
pub use event_store::RedisEventStore;
pub use http_client::{NetworkSettings, ProxySetting};
pub use observe::{Attempt, AttemptObserver, NoteSink, ObserveLevel};
pub use pacing::{PacingConfig, PacingStats};
pub use platform::{is_connect_platform, CONNECT_PLATFORMS};
pub use rate_limit::RateLimit;
pub use redis_link::RedisTarget;
pub use request::{CallOptions, Method, Request};
pub use response::Response;
pub use secret::ApiKey;
pub use upload::{Upload, UploadOutcome, UploadSource};
