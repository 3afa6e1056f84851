//! The retry policy: which failures are retried, and how long to wait.
//!
//! Retryable failures: connection errors (but not TLS failures), timeouts, 408, 429, 5xx, and
//! 409 only when the envelope's `code` is `idempotency_conflict` (and the call carries its key).
//! Never 400/401/402/403/404/422. Whether a retryable failure is retried depends on the call's
//! replay rule ([`crate::policy::replay`]): a call that is safe to repeat is retried after any of
//! them; any other call only after a failure that proves the server did nothing
//! ([`proves_nothing_done`]).
//!
//! Wait before retry `n` (0-based): the server's `retry-after-ms` / `Retry-After` (seconds or
//! HTTP date) when present, else `X-RateLimit-Reset` on a 429, else
//! `min(0.5 s × 2ⁿ, 8 s) × (1 − 0.25 × r)` with `r` uniform in [0, 1). A server wait longer
//! than the cap (`maxRetryWait`, default 60 s) is not shortened: the call fails at once with
//! the error, whose `retryAfterMs` says how long to wait. The client's own backoff is capped by
//! it too, so `maxRetryWait` bounds every wait between attempts. (A 429 of the team's limit
//! while pacing is on is waited out by the pacer instead, bounded by `maxQueueWaitMs`.)

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

use crate::base::error::{ApiError, ConnectionKind, Error};

/// First backoff step.
pub(crate) const BASE_DELAY: Duration = Duration::from_millis(500);
/// Largest backoff step (before jitter).
pub const MAX_DELAY: Duration = Duration::from_secs(8);

/// Whether this failure may be retried: `replay_safe` when the call may be sent again after
/// any retryable failure ([`crate::policy::replay`]), `has_key` when it carries an
/// `Idempotency-Key`.
pub(crate) fn is_retryable(err: &Error, replay_safe: bool, has_key: bool) -> bool {
    if proves_nothing_done(err) {
        return true;
    }
    replay_safe && is_transient(err, has_key)
}

/// Whether the failure is one that is retried for a call that is safe to repeat.
pub(crate) fn is_transient(err: &Error, has_key: bool) -> bool {
    match err {
        // A certificate or handshake refusal does not fix itself in a second.
        Error::Connection {
            kind: ConnectionKind::Tls,
            ..
        } => false,
        Error::Connection { .. } | Error::Timeout { .. } => true,
        Error::Api(e) => {
            matches!(e.status, 408 | 429 | 500..=599)
                || (e.status == 409 && has_key && e.code.as_deref() == Some("idempotency_conflict"))
        }
        _ => false,
    }
}

/// Whether the failure proves the server did nothing with the request, so that sending it
/// again cannot repeat an action: the connection failed before the request was written
/// (refused, DNS, connect timeout; not TLS, which a retry does not fix), or the API's limiter
/// refused it (a 429 that names no upstream `platform`: the limiter answers before the
/// handler runs). HTTP/2 `REFUSED_STREAM` and a `GOAWAY` below the request's stream are
/// replayed by reqwest itself, under the same rule.
pub(crate) fn proves_nothing_done(err: &Error) -> bool {
    match err {
        Error::Connection { kind, sent, .. } => !sent && *kind != ConnectionKind::Tls,
        Error::Api(e) => refused_by_limiter(e),
        _ => false,
    }
}

/// Whether the server may have acted on the request although the attempt failed: it was sent
/// and no answer says what became of it (a timeout or a connection lost after sending, a
/// 408 or 5xx, an answer that could not be read).
pub(crate) fn outcome_unknown(err: &Error) -> bool {
    match err {
        Error::Connection { sent, .. } => *sent,
        Error::Timeout { .. } | Error::Decode { .. } => true,
        Error::Api(e) => e.status == 408 || e.status >= 500,
        _ => false,
    }
}

/// A 429 of the API's own limiter (not an upstream platform's quota, which names `platform`).
fn refused_by_limiter(e: &ApiError) -> bool {
    if e.status != 429 {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(&e.body) {
        Ok(v) => v.get("platform").is_none_or(serde_json::Value::is_null),
        Err(_) => true,
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
pub(crate) fn wait_before_retry(
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
    use reqwest::header::HeaderValue;

    fn api(status: u16, code: Option<&str>) -> Error {
        Error::Api(Box::new(ApiError {
            status,
            code: code.map(Into::into),
            ..Default::default()
        }))
    }

    fn conn(kind: ConnectionKind, sent: bool) -> Error {
        Error::connection(kind, "", sent)
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable(&api(s, None), true, false), "{s}");
        }
        for s in [400, 401, 402, 403, 404, 422] {
            assert!(!is_retryable(&api(s, None), true, false), "{s}");
        }
    }

    #[test]
    fn conflict_only_for_idempotency_conflict_with_its_key() {
        assert!(is_retryable(
            &api(409, Some("idempotency_conflict")),
            true,
            true
        ));
        assert!(!is_retryable(
            &api(409, Some("idempotency_conflict")),
            true,
            false
        ));
        assert!(!is_retryable(&api(409, None), true, true));
        assert!(!is_retryable(
            &api(409, Some("profile_name_conflict")),
            true,
            false
        ));
    }

    #[test]
    fn tls_failures_are_not_retried() {
        let tls = conn(ConnectionKind::Tls, false);
        assert!(!is_retryable(&tls, true, false));
        assert!(!is_retryable(&tls, false, false));
    }

    #[test]
    fn an_unsafe_call_is_retried_only_when_nothing_was_done() {
        let reset = conn(ConnectionKind::Reset, true);
        assert!(!is_retryable(&reset, false, false));
        assert!(
            !is_retryable(&reset, false, true),
            "a key the API ignores makes nothing safe"
        );
        assert!(is_retryable(&reset, true, true));
        assert!(!is_retryable(&api(503, None), false, false));
        assert!(!is_retryable(&Error::timeout(100, 1), false, false));
        let refused = conn(ConnectionKind::Refused, false);
        assert!(is_retryable(&refused, false, false));
        assert!(is_retryable(
            &conn(ConnectionKind::Dns, false),
            false,
            false
        ));
        assert!(is_retryable(&api(429, Some("rate_limited")), false, false));
        let mut upstream = ApiError {
            status: 429,
            body: r#"{"error":"quota","platform":"reddit"}"#.into(),
            ..Default::default()
        };
        assert!(!is_retryable(
            &Error::Api(Box::new(upstream.clone())),
            false,
            false
        ));
        upstream.body = r#"{"error":"hourly cap","details":{"scope":"inbox"}}"#.into();
        assert!(is_retryable(&Error::Api(Box::new(upstream)), false, false));
    }

    #[test]
    fn outcomes_known_and_unknown() {
        assert!(outcome_unknown(&conn(ConnectionKind::Reset, true)));
        assert!(!outcome_unknown(&conn(ConnectionKind::Refused, false)));
        assert!(outcome_unknown(&Error::timeout(1, 1)));
        assert!(outcome_unknown(&api(500, None)));
        assert!(!outcome_unknown(&api(429, None)));
        assert!(!outcome_unknown(&api(400, None)));
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
