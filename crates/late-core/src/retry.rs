//! The retry policy: what is retried, how long to wait.
//!
//! Retried: connection errors (but not TLS failures), timeouts, 408, 429, 5xx, and 409 only when the envelope's
//! `code` is `idempotency_conflict`. Never 400/401/402/403/404/422. A POST or PATCH is retried
//! only when it carries an `Idempotency-Key`, so that a retry can never duplicate data.
//!
//! Wait before retry `n` (0-based): the server's `retry-after-ms` / `Retry-After` (seconds or
//! HTTP date) when present, else `X-RateLimit-Reset` on a 429, else
//! `min(0.5 s × 2ⁿ, 8 s) × (1 − 0.25 × r)` with `r` uniform in [0, 1). A server wait longer
//! than the cap (`maxRetryWait`, default 60 s) is not shortened: the call fails at once with
//! the error, whose `retryAfterMs` says how long to wait. The client's own backoff is capped by
//! it too, so `maxRetryWait` bounds every wait between attempts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

use crate::error::Error;
use crate::request::Method;

/// First backoff step.
pub const BASE_DELAY: Duration = Duration::from_millis(500);
/// Largest backoff step (before jitter).
pub const MAX_DELAY: Duration = Duration::from_secs(8);

/// Whether this failure may be retried for this request.
pub fn is_retryable(err: &Error, method: Method, has_idempotency_key: bool) -> bool {
    let replay_safe = method.is_idempotent() || has_idempotency_key;
    match err {
        // A certificate or handshake refusal does not fix itself in a second.
        Error::Connection {
            kind: crate::ConnectionKind::Tls,
            ..
        } => false,
        Error::Connection { .. } | Error::Timeout { .. } => replay_safe,
        Error::Api(e) => {
            let status_retryable = matches!(e.status, 408 | 429 | 500..=599)
                || (e.status == 409 && e.code.as_deref() == Some("idempotency_conflict"));
            status_retryable && replay_safe
        }
        _ => false,
    }
}

/// Exponential backoff with jitter for retry `n` (0-based); `r` is uniform in [0, 1).
pub fn backoff(n: u32, r: f64) -> Duration {
    let exp = BASE_DELAY.saturating_mul(1u32.checked_shl(n.min(16)).unwrap_or(u32::MAX));
    let capped = exp.min(MAX_DELAY);
    capped.mul_f64(1.0 - 0.25 * r.clamp(0.0, 1.0))
}

/// The wait before retry `n` (0-based): the server's wait when it gave one, else the backoff
/// (`r` uniform in [0, 1)) capped at `max_wait`. `None` when the server asked for longer than
/// `max_wait`: the call then fails at once, its error saying how long to wait.
pub fn wait_before_retry(
    server_wait: Option<Duration>,
    n: u32,
    r: f64,
    max_wait: Duration,
) -> Option<Duration> {
    match server_wait {
        Some(w) if w > max_wait => None,
        Some(w) => Some(w),
        None => Some(backoff(n, r).min(max_wait)),
    }
}

/// The wait the server asked for: `retry-after-ms`, then `Retry-After` (seconds or HTTP date),
/// then, on a 429, `X-RateLimit-Reset` (Unix seconds).
pub fn server_wait(headers: &HeaderMap, status: u16, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    if let Some(v) = text("retry-after") {
        if let Ok(secs) = v.parse::<f64>() {
            if secs.is_finite() && secs >= 0.0 {
                return Some(Duration::from_secs_f64(secs));
            }
        } else if let Ok(at) = httpdate::parse_http_date(v) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
        }
    }
    if status == 429 {
        if let Some(reset) = text("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok()) {
            let now_s = now
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            // Some servers send a delta instead of a timestamp: treat small values as seconds.
            let wait = if reset > 1_000_000_000 {
                reset.saturating_sub(now_s)
            } else {
                reset
            };
            return Some(Duration::from_secs(wait));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use reqwest::header::HeaderValue;

    fn api(status: u16, code: Option<&str>) -> Error {
        Error::Api(Box::new(ApiError {
            status,
            code: code.map(Into::into),
            ..Default::default()
        }))
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable(&api(s, None), Method::Get, false), "{s}");
        }
        for s in [400, 401, 402, 403, 404, 422] {
            assert!(!is_retryable(&api(s, None), Method::Get, false), "{s}");
        }
    }

    #[test]
    fn conflict_only_for_idempotency_conflict() {
        assert!(is_retryable(
            &api(409, Some("idempotency_conflict")),
            Method::Post,
            true
        ));
        assert!(!is_retryable(&api(409, None), Method::Post, true));
        assert!(!is_retryable(
            &api(409, Some("profile_name_conflict")),
            Method::Get,
            false
        ));
    }

    #[test]
    fn tls_failures_are_not_retried() {
        let tls = Error::Connection {
            kind: crate::ConnectionKind::Tls,
            message: String::new(),
            attempts: 1,
        };
        assert!(!is_retryable(&tls, Method::Get, false));
    }

    #[test]
    fn post_without_key_is_never_retried() {
        let conn = Error::Connection {
            kind: crate::ConnectionKind::Reset,
            message: String::new(),
            attempts: 1,
        };
        assert!(!is_retryable(&conn, Method::Post, false));
        assert!(is_retryable(&conn, Method::Post, true));
        assert!(!is_retryable(&api(503, None), Method::Post, false));
        assert!(is_retryable(&conn, Method::Delete, false));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 0.0), Duration::from_millis(1000));
        assert_eq!(backoff(10, 0.0), MAX_DELAY);
        assert_eq!(backoff(40, 0.0), MAX_DELAY);
        let j = backoff(0, 0.999);
        assert!(j >= Duration::from_millis(375) && j <= Duration::from_millis(500));
    }

    #[test]
    fn max_wait_caps_the_backoff_and_refuses_a_longer_server_wait() {
        let cap = Duration::from_millis(1);
        for n in 0..5 {
            assert_eq!(wait_before_retry(None, n, 0.5, cap), Some(cap));
        }
        assert_eq!(
            wait_before_retry(None, 0, 0.0, Duration::from_secs(60)),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            wait_before_retry(Some(Duration::from_secs(2)), 0, 0.0, cap),
            None
        );
        assert_eq!(
            wait_before_retry(Some(Duration::ZERO), 0, 0.0, cap),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(server_wait(&h, 503, now), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", HeaderValue::from_static("150"));
        assert_eq!(server_wait(&h, 503, now), Some(Duration::from_millis(150)));
        let mut h = HeaderMap::new();
        let date = httpdate::fmt_http_date(now + Duration::from_secs(3));
        h.insert("retry-after", HeaderValue::from_str(&date).unwrap());
        assert_eq!(server_wait(&h, 429, now), Some(Duration::from_secs(3)));
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1700000004"));
        assert_eq!(server_wait(&h, 429, now), Some(Duration::from_secs(4)));
        assert_eq!(server_wait(&h, 503, now), None);
    }
}
