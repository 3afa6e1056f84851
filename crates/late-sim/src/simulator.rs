//! [`Simulator`]: the handle to a running simulator.

use serde_json::Value;

use crate::app::{lock, Shared};
use crate::error::SimError;
use crate::faults::Fault;
use crate::recorder::RecordedRequest;
use crate::routes::connect::{self, ConsentOutcome};

/// A running simulator. Dropping it without [`Simulator::close`] still stops it (in the
/// background); `close` waits until every connection and background task has ended.
pub struct Simulator {
    app: Shared,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl Simulator {
    pub(crate) fn new(app: Shared) -> Self {
        Self { app }
    }

    /// The API base URL, `http://127.0.0.1:PORT/api` (paths are `/v1/...` below it).
    pub fn base_url(&self) -> String {
        self.app.base_url()
    }

    /// The server origin, `http://127.0.0.1:PORT` (admin routes live under `/__sim`).
    pub fn origin(&self) -> String {
        self.app.origin.clone()
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.app
            .origin
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// The accepted API key.
    pub fn api_key(&self) -> String {
        self.app.config.api_key.clone()
    }

    /// The default webhook signing secret.
    pub fn webhook_secret(&self) -> String {
        self.app.config.webhook_secret.clone()
    }

    /// Whether [`Simulator::close`] was called (or the handle dropped).
    pub fn is_closed(&self) -> bool {
        self.app.shutdown.is_cancelled()
    }

    /// Stops accepting, lets in-flight requests finish (up to `shutdown_grace`), stops
    /// webhook deliveries, and waits for every task. Safe to call more than once.
    pub async fn close(&self) {
        self.app.shutdown.cancel();
        self.app.tracker.close();
        let grace = self.app.config.shutdown_grace + std::time::Duration::from_secs(2);
        let _ = tokio::time::timeout(grace, self.app.tracker.wait()).await;
    }

    /// Adds a fault.
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.app.faults).push(fault);
    }

    /// Adds faults from their JSON form (one object or an array).
    pub fn inject_fault_json(&self, json: &Value) -> Result<(), SimError> {
        let items: Vec<&Value> = match json {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        let parsed = items
            .into_iter()
            .map(Fault::from_json)
            .collect::<Result<Vec<_>, _>>()?;
        let mut faults = lock(&self.app.faults);
        for f in parsed {
            faults.push(f);
        }
        Ok(())
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.app.faults).clear();
    }

    /// Pending faults.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.app.faults).list()
    }

    /// Recorded requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.app.recorder).list()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.app.recorder).clear();
    }

    /// `{total, duplicates: [{method, path, operation, requestId, times}]}`: the POSTs and
    /// PATCHes acted on, and every call (one `x-request-id`) that acted more than once.
    pub fn actions(&self) -> Value {
        lock(&self.app.actions).to_json()
    }

    /// Everything the simulator holds (profiles, accounts, posts, webhooks, logs, media).
    pub fn state(&self) -> Value {
        self.app.state().snapshot()
    }

    /// Back to a fresh state: only a new default profile; faults, request log, ledger of
    /// actions and rate window cleared.
    pub fn reset(&self) {
        crate::routes::admin::reset_all(&self.app);
    }

    /// Changes the per-minute request limit (`0` disables it).
    pub fn set_rate_limit(&self, per_minute: u32) {
        self.set_rate_limit_window(per_minute, crate::ratelimit::DEFAULT_WINDOW);
    }

    /// Changes the team limit to `limit` requests per sliding `window` (`0` disables it);
    /// clears the window and the counts.
    pub fn set_rate_limit_window(&self, limit: u32, window: std::time::Duration) {
        lock(&self.app.limiter).configure(limit, window);
    }

    /// `{limit, windowMs, allowed, limited}`: the team limit, and how many `/api` requests it
    /// let through and refused with a 429 since the start, the last reset or the last change.
    pub fn rate_limit_stats(&self) -> Value {
        lock(&self.app.limiter).stats()
    }

    /// Does what the consent page's Allow/Deny button does for the connect behind `auth_url`
    /// (or a bare `state`), without a browser.
    pub fn grant_consent(
        &self,
        auth_url: &str,
        allow: bool,
        username: Option<&str>,
    ) -> Result<ConsentOutcome, SimError> {
        let state = auth_url
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        if state.is_empty() {
            return Err(SimError::Consent("no state in the auth URL".into()));
        }
        connect::decide(&self.app, state, allow, username)
    }

    /// Adds an account directly (no consent page, no webhook). `fields` is
    /// `{platform, profileId?, username?, displayName?, isActive?, needsReconnection?}`;
    /// returns the `SocialAccount` JSON.
    pub fn add_account(&self, fields: &Value) -> Result<Value, SimError> {
        let map = fields
            .as_object()
            .ok_or_else(|| SimError::Config("account fields must be an object".into()))?;
        crate::routes::admin::seed_account(&self.app, map).map_err(|e| {
            SimError::Config(
                e.body["error"]
                    .as_str()
                    .unwrap_or("invalid account")
                    .to_string(),
            )
        })
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.app.shutdown.cancel();
        self.app.tracker.close();
    }
}
