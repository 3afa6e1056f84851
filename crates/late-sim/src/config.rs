//! Configuration of a simulator instance.

use std::time::Duration;

/// The API key a simulator accepts when none is configured.
///
/// It is deliberately not shaped like a real key (`sk_` + 64 hex characters), so secret
/// scanners never flag it and it can never be mistaken for a production credential.
pub const DEFAULT_API_KEY: &str = "sk_test_late_sim_0001";

/// The webhook signing secret a simulator uses when none is configured.
pub const DEFAULT_WEBHOOK_SECRET: &str = "whsec_test_late_sim";

/// Settings of a simulator instance. Build one with `SimConfig::default()` and override fields.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// TCP port to listen on (always on 127.0.0.1). `0` picks a free ephemeral port.
    pub port: u16,
    /// The only API key accepted as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// Secret given to webhooks created without a `secret` field, so deliveries are signed by
    /// default. Creating a webhook with `secret: ""` makes it unsigned, as on the real API.
    pub webhook_secret: String,
    /// Requests allowed per sliding window (`rate_limit_window`) across all `/api` routes, for
    /// every client of the key together, like the real API's team limit; `0` disables it.
    pub rate_limit_per_minute: u32,
    /// The length of that window: a minute on the real API, shorter in tests.
    pub rate_limit_window: Duration,
    /// Page size of `GET /v1/accounts` cursor pages when `cursor` is sent without `limit`
    /// (the real API uses 500).
    pub accounts_page_default: Option<u32>,
    /// Delivery attempts per webhook event (the first attempt included).
    pub webhook_attempts: u32,
    /// Pause between two delivery attempts of the same event.
    pub webhook_retry_delay: Duration,
    /// How long a webhook receiver has to answer with a 2xx before the attempt counts as failed.
    pub webhook_timeout: Duration,
    /// A webhook URL registered at start (subscribed to `account.*`, `post.*` and
    /// `webhook.test`), handy for the CLI and demos.
    pub webhook_url: Option<String>,
    /// How many recorded requests are kept (oldest dropped first).
    pub max_recorded_requests: usize,
    /// How long in-flight requests may take to finish when the simulator closes.
    pub shutdown_grace: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            port: 0,
            api_key: DEFAULT_API_KEY.to_string(),
            webhook_secret: DEFAULT_WEBHOOK_SECRET.to_string(),
            rate_limit_per_minute: 600,
            rate_limit_window: crate::ratelimit::DEFAULT_WINDOW,
            accounts_page_default: None,
            webhook_attempts: 3,
            webhook_retry_delay: Duration::from_millis(200),
            webhook_timeout: Duration::from_secs(5),
            webhook_url: None,
            max_recorded_requests: 1000,
            shutdown_grace: Duration::from_millis(500),
        }
    }
}
