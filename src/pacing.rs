//! The `rateLimit` option and `LateClient.pacing` (see late-core's `policy/pacing`).

use napi_derive::napi;

use crate::errors::CoreResult;

/// The `rateLimit` client option, resolved by the facade (`false` → `enabled: false`).
#[napi(object)]
pub struct RateLimitOptions {
    /// `false` turns pacing off.
    pub enabled: bool,
    /// The team's window in ms (default 60000).
    pub window_ms: Option<f64>,
    /// Requests per window, instead of what `X-RateLimit-Limit` says.
    pub limit: Option<f64>,
    /// `redis://` or `rediss://` URL of the Redis every process on the key shares.
    pub redis: Option<String>,
}

impl RateLimitOptions {
    /// The core configuration, checked by `late_core::PacingConfig::from_option` (the one
    /// checker of the option).
    pub(crate) fn to_core(&self) -> CoreResult<late_core::PacingConfig> {
        late_core::PacingConfig::from_option(
            self.enabled,
            self.window_ms,
            self.limit,
            self.redis.as_deref(),
        )
    }
}

/// What pacing does and did: `LateClient.pacing`.
#[napi(object)]
pub struct NativePacingStats {
    /// `off`, `local`, `redis` or `fallback` (Redis configured but away).
    pub mode: String,
    /// The limit in use (learned from the headers or configured); absent until known.
    pub limit: Option<u32>,
    /// The window in ms.
    pub window_ms: f64,
    /// Processes seen on the shared window lately (1 without Redis).
    pub processes: u32,
    /// Calls waiting for a slot now.
    pub queued: f64,
    /// Slots granted (one per attempt).
    pub calls: f64,
    /// Slots granted after a wait.
    pub delayed: f64,
    /// Total wait of those, in ms.
    pub waited_ms: f64,
    /// Calls failed at once with a `RateLimitError` because the wait exceeded `maxRetryWaitMs`
    /// or the deadline.
    pub refused: f64,
    /// 429s that paused every call.
    pub pauses: f64,
    /// Times Redis failed and pacing went local.
    pub fallbacks: f64,
    /// Times Redis came back.
    pub rejoins: f64,
    /// Redis round trips (commands sent).
    pub redis_calls: f64,
    /// Redis calls that failed or timed out.
    pub redis_errors: f64,
    /// Requests the API counted that this client did not send (from `X-RateLimit-Remaining`,
    /// without Redis).
    pub absorbed: f64,
}

impl From<late_core::PacingStats> for NativePacingStats {
    fn from(s: late_core::PacingStats) -> Self {
        Self {
            mode: s.mode.to_string(),
            limit: s.limit,
            window_ms: s.window_ms as f64,
            processes: s.processes,
            queued: s.queued as f64,
            calls: s.calls as f64,
            delayed: s.delayed as f64,
            waited_ms: s.waited_ms as f64,
            refused: s.refused as f64,
            pauses: s.pauses as f64,
            fallbacks: s.fallbacks as f64,
            rejoins: s.rejoins as f64,
            redis_calls: s.redis_calls as f64,
            redis_errors: s.redis_errors as f64,
            absorbed: s.absorbed as f64,
        }
    }
}
