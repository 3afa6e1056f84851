//! The team's sliding-window request limit, as the real API applies it to every client of one
//! key: at most `limit` requests in any `window` (a minute on the real API; shorter in tests).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::time::unix_millis;

/// The real API's window.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

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

/// A sliding window over the times of the requests it let through (refused ones do not count,
/// like the real API), with counts of both.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    hits: VecDeque<Instant>,
    allowed: u64,
    limited: u64,
}

impl RateLimiter {
    /// A limiter allowing `limit` requests per `window` (`limit` 0 = unlimited).
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window: if window.is_zero() {
                DEFAULT_WINDOW
            } else {
                window
            },
            hits: VecDeque::new(),
            allowed: 0,
            limited: 0,
        }
    }

    /// Changes the limit and the window; the window's contents and the counts are cleared.
    pub fn configure(&mut self, limit: u32, window: Duration) {
        *self = Self::new(limit, window);
    }

    /// Forgets every counted request and zeroes the counts.
    pub fn reset(&mut self) {
        self.configure(self.limit, self.window);
    }

    /// The window length.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// `{limit, windowMs, allowed, limited}`: the settings, and how many requests were let
    /// through and refused with a 429 since the last reset.
    pub fn stats(&self) -> Value {
        json!({
            "limit": self.limit,
            "windowMs": self.window.as_millis() as u64,
            "allowed": self.allowed,
            "limited": self.limited,
        })
    }

    /// Counts a request; `None` when the limit is disabled.
    pub fn check(&mut self) -> Option<RateDecision> {
        if self.limit == 0 {
            return None;
        }
        let now = Instant::now();
        while let Some(front) = self.hits.front() {
            if now.duration_since(*front) >= self.window {
                self.hits.pop_front();
            } else {
                break;
            }
        }
        let allowed = self.hits.len() < self.limit as usize;
        if allowed {
            self.hits.push_back(now);
            self.allowed += 1;
        } else {
            self.limited += 1;
        }
        let until_free = self
            .hits
            .front()
            .map(|f| self.window.saturating_sub(now.duration_since(*f)))
            .unwrap_or(Duration::ZERO);
        let free_ms = until_free.as_millis() as i64;
        Some(RateDecision {
            allowed,
            limit: self.limit,
            remaining: self.limit.saturating_sub(self.hits.len() as u32),
            // Whole seconds, rounded up, as the real API sends them.
            reset: (unix_millis() + free_ms + 999).div_euclid(1000),
            retry_after: (free_ms.max(1) as u64).div_ceil(1000),
        })
    }
}

/// Parses a limit as the CLI takes it: `N` (per minute), or `N/<window>` with the window in
/// `ms`, `s` or `m` (`120/2s`, `100/1500ms`, `600/1m`; a bare number is seconds).
pub fn parse_limit(text: &str) -> Result<(u32, Duration), String> {
    let bad = || {
        format!(
            "--rate-limit takes N or N/WINDOW such as 120/2s, 100/500ms or 600/1m, got {text:?}"
        )
    };
    let (count, window) = match text.split_once('/') {
        None => (text, None),
        Some((c, w)) => (c, Some(w)),
    };
    let limit: u32 = count.trim().parse().map_err(|_| bad())?;
    let window = match window.map(str::trim) {
        None => DEFAULT_WINDOW,
        Some(w) => {
            let (num, unit) = w
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .map_or((w, "s"), |i| w.split_at(i));
            let n: f64 = num.parse().map_err(|_| bad())?;
            let ms = match unit {
                "ms" => n,
                "s" => n * 1000.0,
                "m" | "min" => n * 60_000.0,
                _ => return Err(bad()),
            };
            if !(ms.is_finite() && (1.0..=86_400_000.0).contains(&ms)) {
                return Err(bad());
            }
            Duration::from_millis(ms as u64)
        }
    };
    Ok((limit, window))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_and_counts() {
        let mut r = RateLimiter::new(2, DEFAULT_WINDOW);
        assert!(r.check().unwrap().allowed);
        let d = r.check().unwrap();
        assert!(d.allowed && d.remaining == 0);
        let d = r.check().unwrap();
        assert!(!d.allowed);
        assert!(d.retry_after >= 1 && d.retry_after <= 60);
        assert_eq!(r.stats()["allowed"], 2);
        assert_eq!(r.stats()["limited"], 1);
        r.reset();
        assert_eq!(r.stats()["limited"], 0);
        assert!(RateLimiter::new(0, DEFAULT_WINDOW).check().is_none());
    }

    #[test]
    fn a_short_window_frees_its_slots() {
        let mut r = RateLimiter::new(1, Duration::from_millis(30));
        assert!(r.check().unwrap().allowed);
        let refused = r.check().unwrap();
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, 1);
        std::thread::sleep(Duration::from_millis(40));
        assert!(r.check().unwrap().allowed);
    }

    #[test]
    fn parses_cli_limits() {
        assert_eq!(parse_limit("600").unwrap(), (600, DEFAULT_WINDOW));
        assert_eq!(
            parse_limit("120/2s").unwrap(),
            (120, Duration::from_secs(2))
        );
        assert_eq!(
            parse_limit("100/500ms").unwrap(),
            (100, Duration::from_millis(500))
        );
        assert_eq!(
            parse_limit("600/1m").unwrap(),
            (600, Duration::from_secs(60))
        );
        assert_eq!(parse_limit("5/3").unwrap(), (5, Duration::from_secs(3)));
        for bad in ["", "x", "10/", "10/0s", "10/2h", "-1/2s"] {
            assert!(parse_limit(bad).is_err(), "{bad}");
        }
    }
}
