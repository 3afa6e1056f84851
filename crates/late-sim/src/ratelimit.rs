//! A per-minute sliding-window request limit, as the real API applies per team.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::time::unix_seconds;

const WINDOW: Duration = Duration::from_secs(60);

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The configured limit.
    pub limit: u32,
    /// Requests left in the window after this one.
    pub remaining: u32,
    /// Unix seconds when the next slot frees up.
    pub reset: i64,
    /// Seconds to wait before retrying (when refused).
    pub retry_after: u64,
}

/// Sliding one-minute window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    hits: VecDeque<Instant>,
}

impl RateLimiter {
    /// A limiter allowing `limit` requests per minute (`0` = unlimited).
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            hits: VecDeque::new(),
        }
    }

    /// Changes the limit (keeps the window).
    pub fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
    }

    /// Forgets every counted request.
    pub fn reset(&mut self) {
        self.hits.clear();
    }

    /// Counts a request; `None` when the limit is disabled.
    pub fn check(&mut self) -> Option<RateDecision> {
        if self.limit == 0 {
            return None;
        }
        let now = Instant::now();
        while let Some(front) = self.hits.front() {
            if now.duration_since(*front) >= WINDOW {
                self.hits.pop_front();
            } else {
                break;
            }
        }
        let allowed = self.hits.len() < self.limit as usize;
        if allowed {
            self.hits.push_back(now);
        }
        let until_free = self
            .hits
            .front()
            .map(|f| WINDOW.saturating_sub(now.duration_since(*f)))
            .unwrap_or(Duration::ZERO);
        let secs = until_free.as_millis().div_ceil(1000) as u64;
        Some(RateDecision {
            allowed,
            limit: self.limit,
            remaining: self.limit.saturating_sub(self.hits.len() as u32),
            reset: unix_seconds() + secs as i64,
            retry_after: secs.max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit() {
        let mut r = RateLimiter::new(2);
        assert!(r.check().unwrap().allowed);
        let d = r.check().unwrap();
        assert!(d.allowed && d.remaining == 0);
        let d = r.check().unwrap();
        assert!(!d.allowed);
        assert!(d.retry_after >= 1 && d.retry_after <= 60);
        assert!(RateLimiter::new(0).check().is_none());
    }
}
