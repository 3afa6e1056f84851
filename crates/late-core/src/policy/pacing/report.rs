//! What pacing tells the outside: counters (read through [`super::Pacer::stats`]) and events.
//!
//! Every event goes through [`emit`], the one place that writes a log line: to the client's
//! [`NoteSink`] (the JS `logger`, at the event's level) when it has one, else to stderr
//! (`[late-native] warn: …`). Lines never contain the API key (pacing only knows a hash of it)
//! or the Redis password (messages pass through `RedisTarget::redact`).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::base::observe::NoteSink;

/// Something worth a log line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PacingEvent {
    /// Redis failed or was too slow: calls pace themselves in this process until it is back.
    RedisFallback {
        /// `redis://host:port`.
        target: String,
        /// What went wrong (redacted).
        reason: String,
        /// The share of the team's limit this process keeps meanwhile.
        local_limit: u32,
    },
    /// Redis answers again: calls draw from the shared window again.
    RedisRejoined {
        /// `redis://host:port`.
        target: String,
        /// How long the fallback lasted.
        after: Duration,
    },
    /// A 429 paused every call of the client (and of the fleet, with Redis).
    Paused {
        /// The server's `Retry-After`.
        wait: Duration,
    },
}

impl PacingEvent {
    /// `warn` for a fallback, `info` otherwise.
    pub fn level(&self) -> &'static str {
        match self {
            Self::RedisFallback { .. } => "warn",
            _ => "info",
        }
    }

    /// The log line's text.
    pub fn message(&self) -> String {
        match self {
            Self::RedisFallback {
                target,
                reason,
                local_limit,
            } => format!(
                "rate limit: Redis at {target} is unavailable ({reason}); pacing this process alone at {local_limit} requests per window until it is back"
            ),
            Self::RedisRejoined { target, after } => format!(
                "rate limit: Redis at {target} is back after {} ms; sharing the team's window again",
                after.as_millis()
            ),
            Self::Paused { wait } => format!(
                "rate limit: the API answered 429; every call waits {} ms",
                wait.as_millis()
            ),
        }
    }
}

/// Writes the event's log line. Pauses are counted but not logged (they are the API's normal
/// answer under load); Redis transitions are. The one hook for a logger.
pub(crate) fn emit(event: &PacingEvent, notes: Option<&Arc<dyn NoteSink>>) {
    if matches!(event, PacingEvent::Paused { .. }) {
        return;
    }
    if let Some(sink) = notes {
        sink.note(event.level(), &event.message());
        return;
    }
    let line = format!("[late-native] {}: {}\n", event.level(), event.message());
    // Never panic on a closed stderr.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Monotonic counters of one pacer.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub calls: AtomicU64,
    pub delayed: AtomicU64,
    pub waited_ms: AtomicU64,
    pub refused: AtomicU64,
    pub pauses: AtomicU64,
    pub fallbacks: AtomicU64,
    pub rejoins: AtomicU64,
    pub redis_calls: AtomicU64,
    pub redis_errors: AtomicU64,
    pub absorbed: AtomicU64,
    /// Where log lines go (the client's logger), if set.
    pub notes: Option<Arc<dyn NoteSink>>,
}

impl Counters {
    /// Adds `n` to `counter`.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Reads `counter`.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// Counts the event and writes its line.
    pub fn report(&self, event: PacingEvent) {
        let counter = match event {
            PacingEvent::RedisFallback { .. } => &self.fallbacks,
            PacingEvent::RedisRejoined { .. } => &self.rejoins,
            PacingEvent::Paused { .. } => &self.pauses,
        };
        Self::add(counter, 1);
        emit(&event, self.notes.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_target_and_the_share() {
        let e = PacingEvent::RedisFallback {
            target: "redis://127.0.0.1:6390".into(),
            reason: "connection refused".into(),
            local_limit: 20,
        };
        assert_eq!(e.level(), "warn");
        assert!(e.message().contains("redis://127.0.0.1:6390"));
        assert!(e.message().contains("at 20 requests per window"));
        let c = Counters::default();
        c.report(e);
        c.report(PacingEvent::Paused {
            wait: Duration::from_secs(1),
        });
        assert_eq!(Counters::get(&c.fallbacks), 1);
        assert_eq!(Counters::get(&c.pauses), 1);
    }
}
