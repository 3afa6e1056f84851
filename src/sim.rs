//! `NativeSimulator`: the napi class behind `late-native/testing`'s `startSimulator()`.
//!
//! A thin wrapper over `late_sim::Simulator`. Structured data crosses the boundary as JSON
//! text, parsed by `testing.js`.

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Options of `NativeSimulator.start`. Every field is optional.
#[napi(object)]
#[derive(Default)]
pub struct SimOptions {
    /// TCP port on 127.0.0.1; `0` or absent picks a free port.
    pub port: Option<u32>,
    /// The accepted API key (default `sk_test_late_sim_0001`).
    pub api_key: Option<String>,
    /// Default webhook signing secret (default `whsec_test_late_sim`).
    pub webhook_secret: Option<String>,
    /// Requests per sliding window across `/api` routes, for all clients together (default
    /// 600; `0` disables).
    pub rate_limit_per_minute: Option<u32>,
    /// The window of that limit in milliseconds (default 60000).
    pub rate_limit_window_ms: Option<u32>,
    /// A webhook URL registered at start for `account.*`, `post.*` and `webhook.test`.
    pub webhook_url: Option<String>,
    /// Page size of `GET /v1/accounts` cursor pages sent without `limit` (default 500).
    pub accounts_page_default: Option<u32>,
    /// Webhook delivery attempts per event (default 3).
    pub webhook_attempts: Option<u32>,
    /// Pause between webhook delivery attempts in milliseconds (default 200).
    pub webhook_retry_delay_ms: Option<u32>,
    /// How long a webhook receiver has to answer, in milliseconds (default 5000).
    pub webhook_timeout_ms: Option<u32>,
}

/// The API key a simulator accepts by default (`late_sim::DEFAULT_API_KEY`, the one owner).
// napi-derive drops the registration of consts from `cfg(test)` builds.
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const SIM_DEFAULT_API_KEY: &str = late_sim::DEFAULT_API_KEY;

/// The webhook signing secret of a simulator by default (`late_sim::DEFAULT_WEBHOOK_SECRET`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const SIM_DEFAULT_WEBHOOK_SECRET: &str = late_sim::DEFAULT_WEBHOOK_SECRET;

/// The window of a simulator's team limit by default, in ms (`late_sim::DEFAULT_RATE_LIMIT_WINDOW`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const SIM_DEFAULT_WINDOW_MS: u32 = late_sim::DEFAULT_RATE_LIMIT_WINDOW.as_millis() as u32;

fn invalid_arg(msg: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, msg.into())
}

fn to_config(o: SimOptions) -> Result<late_sim::SimConfig> {
    let mut c = late_sim::SimConfig::default();
    if let Some(p) = o.port {
        c.port = u16::try_from(p).map_err(|_| invalid_arg("port must be between 0 and 65535"))?;
    }
    if let Some(k) = o.api_key {
        c.api_key = k;
    }
    if let Some(s) = o.webhook_secret {
        c.webhook_secret = s;
    }
    if let Some(r) = o.rate_limit_per_minute {
        c.rate_limit_per_minute = r;
    }
    if let Some(ms) = o.rate_limit_window_ms {
        c.rate_limit_window = std::time::Duration::from_millis(ms.max(1).into());
    }
    c.webhook_url = o.webhook_url;
    c.accounts_page_default = o.accounts_page_default;
    if let Some(n) = o.webhook_attempts {
        c.webhook_attempts = n.max(1);
    }
    if let Some(ms) = o.webhook_retry_delay_ms {
        c.webhook_retry_delay = std::time::Duration::from_millis(ms.into());
    }
    if let Some(ms) = o.webhook_timeout_ms {
        c.webhook_timeout = std::time::Duration::from_millis(ms.max(1).into());
    }
    Ok(c)
}

fn to_json_text(v: &serde_json::Value) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::from_reason(e.to_string()))
}

/// Parses a CLI team limit, `N` (per minute) or `N/WINDOW` (`120/2s`, `100/500ms`, `600/1m`),
/// into `[limit, windowMs]`. Throws a message naming the expected form.
// napi-derive drops the registration of free functions from `cfg(test)` builds.
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn parse_sim_rate_limit(text: String) -> Result<Vec<u32>> {
    let (limit, window) = late_sim::parse_rate_limit(&text).map_err(invalid_arg)?;
    Ok(vec![limit, window.as_millis().min(u32::MAX as u128) as u32])
}

/// An in-memory Late API simulator listening on 127.0.0.1 (see `late-native/testing`).
#[napi]
pub struct NativeSimulator {
    inner: late_sim::Simulator,
}

#[napi]
impl NativeSimulator {
    /// Starts a simulator and resolves once it accepts connections.
    #[napi(factory)]
    pub async fn start(options: Option<SimOptions>) -> Result<NativeSimulator> {
        let config = to_config(options.unwrap_or_default())?;
        // A bad configuration is the caller's mistake (InvalidArg, a TypeError in testing.js);
        // anything else, such as a port already in use, is the environment's (GenericFailure).
        let inner = late_sim::start(config).await.map_err(|e| match e {
            late_sim::SimError::Config(_) => invalid_arg(e.to_string()),
            other => Error::new(Status::GenericFailure, other.to_string()),
        })?;
        Ok(NativeSimulator { inner })
    }

    /// The API base URL, `http://127.0.0.1:PORT/api`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url()
    }

    /// The server origin, `http://127.0.0.1:PORT` (admin routes under `/__sim`).
    #[napi(getter)]
    pub fn origin(&self) -> String {
        self.inner.origin()
    }

    /// The TCP port.
    #[napi(getter)]
    pub fn port(&self) -> u32 {
        u32::from(self.inner.port())
    }

    /// The accepted API key.
    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.inner.api_key()
    }

    /// The default webhook signing secret.
    #[napi(getter)]
    pub fn webhook_secret(&self) -> String {
        self.inner.webhook_secret()
    }

    /// Whether `close()` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Stops the server and waits for every connection and background task. Idempotent.
    #[napi]
    pub async fn close(&self) -> Result<()> {
        self.inner.close().await;
        Ok(())
    }

    /// Adds faults from JSON text: one fault object or an array of them
    /// (`{route, times?, status?, retryAfter?, body?, delayMs?, drop?, malformed?}`).
    #[napi]
    pub fn inject_fault(&self, json: String) -> Result<()> {
        let v: serde_json::Value = serde_json::from_str(&json)
            .map_err(|e| invalid_arg(format!("fault is not valid JSON: {e}")))?;
        self.inner
            .inject_fault_json(&v)
            .map_err(|e| invalid_arg(e.to_string()))
    }

    /// Removes every pending fault.
    #[napi]
    pub fn clear_faults(&self) {
        self.inner.clear_faults();
    }

    /// Pending faults as JSON text (an array).
    #[napi]
    pub fn faults(&self) -> Result<String> {
        let list: Vec<serde_json::Value> = self
            .inner
            .faults()
            .iter()
            .map(late_sim::Fault::to_json)
            .collect();
        to_json_text(&serde_json::Value::Array(list))
    }

    /// Recorded requests as JSON text (an array, oldest first).
    #[napi]
    pub fn requests(&self) -> Result<String> {
        let v = serde_json::to_value(self.inner.requests())
            .map_err(|e| Error::from_reason(e.to_string()))?;
        to_json_text(&v)
    }

    /// The POSTs and PATCHes acted on and the calls that acted more than once, as JSON text:
    /// `{total, duplicates: [{method, path, operation, requestId, times}]}`.
    #[napi]
    pub fn actions(&self) -> Result<String> {
        to_json_text(&self.inner.actions())
    }

    /// Empties the request log.
    #[napi]
    pub fn clear_requests(&self) {
        self.inner.clear_requests();
    }

    /// Profiles, accounts, posts, webhooks, delivery logs and media as JSON text.
    #[napi]
    pub fn state(&self) -> Result<String> {
        to_json_text(&self.inner.state())
    }

    /// Back to a fresh state (a new default profile; faults, request log and rate window cleared).
    #[napi]
    pub fn reset(&self) {
        self.inner.reset();
    }

    /// Changes the team limit to `limit` requests per `window_ms` (default a minute; `limit` 0
    /// disables it) and clears the window and its counts.
    #[napi]
    pub fn set_rate_limit(&self, limit: u32, window_ms: Option<u32>) {
        let window = std::time::Duration::from_millis(
            window_ms.unwrap_or(SIM_DEFAULT_WINDOW_MS).max(1).into(),
        );
        self.inner.set_rate_limit_window(limit, window);
    }

    /// The team limit and its counts as JSON text: `{limit, windowMs, allowed, limited}`.
    #[napi]
    pub fn rate_limit_stats(&self) -> Result<String> {
        to_json_text(&self.inner.rate_limit_stats())
    }

    /// Adds an account without the consent flow. `json` is
    /// `{platform, profileId?, username?, displayName?, isActive?, needsReconnection?}`;
    /// returns the `SocialAccount` as JSON text.
    #[napi]
    pub fn add_account(&self, json: String) -> Result<String> {
        let v: serde_json::Value = serde_json::from_str(&json)
            .map_err(|e| invalid_arg(format!("account is not valid JSON: {e}")))?;
        let account = self
            .inner
            .add_account(&v)
            .map_err(|e| invalid_arg(e.to_string()))?;
        to_json_text(&account)
    }

    /// Does what the consent page's Allow (or Deny) button does for `auth_url`. Resolves to JSON
    /// text `{redirectUrl, connected, platform, profileId, accountId, username, error}`.
    #[napi]
    pub async fn grant_consent(
        &self,
        auth_url: String,
        allow: bool,
        username: Option<String>,
    ) -> Result<String> {
        let out = self
            .inner
            .grant_consent(&auth_url, allow, username.as_deref())
            .map_err(|e| invalid_arg(e.to_string()))?;
        to_json_text(&out.to_json())
    }
}
