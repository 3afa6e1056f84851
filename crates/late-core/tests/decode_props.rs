//! Property tests: decoding whatever a server sends never panics, and never leaks the key.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use late_core::{
    map_connect_response, pick_default_profile, retry_backoff, server_wait, sign_webhook,
    verify_webhook, ApiError, ApiKey, RateLimit, Response, MAX_RETRY_DELAY,
};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

fn response(body: Vec<u8>, status: u16) -> Response {
    Response {
        status,
        headers: http::HeaderMap::new(),
        body: Bytes::from(body),
        request_id: None,
        attempts: 1,
        rate_limit: None,
        idempotency_key: None,
        queued: std::time::Duration::ZERO,
    }
}

/// Arbitrary bytes, biased towards JSON-looking text.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "\\PC{0,200}".prop_map(|s| s.into_bytes()),
        (any::<Option<String>>(), any::<Option<String>>(), any::<Option<u64>>(), any::<bool>()).prop_map(
            |(cursor, err, page, arr)| {
                let v = serde_json::json!({
                    "accounts": if arr { serde_json::json!([{"_id": "a"}, 1, null, "x"]) } else { serde_json::json!("nope") },
                    "pagination": { "nextCursor": cursor, "page": page, "pages": page.map(|p| p.wrapping_add(1)), "limit": page },
                    "profiles": [{ "_id": err.clone().unwrap_or_default(), "isDefault": arr }],
                    "error": err, "authUrl": cursor, "code": 5,
                });
                v.to_string().into_bytes()
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn api_error_decoding_never_panics_or_leaks(status in 100u16..1000, b in body(), key in "[a-z_]{4,20}") {
        let key = ApiKey::new(format!("sk_test_{key}"));
        let mut raw = b.clone();
        raw.extend_from_slice(key.expose().as_bytes());
        let e = ApiError::from_response(&key, status, vec![], &raw, None, None, Some(Duration::from_secs(u64::MAX / 4)));
        prop_assert!(!e.body.contains(key.expose()));
        prop_assert!(!e.message.contains(key.expose()));
        prop_assert!(!e.to_string().contains(key.expose()));
    }

    #[test]
    fn connect_and_profile_decoding_never_panic(b in body(), status in 200u16..300) {
        let r = response(b, status);
        let _ = map_connect_response(&r);
        let _ = pick_default_profile(&r);
    }

    #[test]
    fn header_parsing_never_panics(values in proptest::collection::vec("\\PC{0,40}", 4), secs in any::<u64>()) {
        let mut h = HeaderMap::new();
        for (name, v) in ["retry-after", "retry-after-ms", "x-ratelimit-reset", "x-ratelimit-limit"].iter().zip(values.iter()) {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(HeaderName::from_static(name), v);
            }
        }
        let now = UNIX_EPOCH + Duration::from_secs(secs % (1u64 << 40));
        let _ = server_wait(&h, 429, now);
        let _ = server_wait(&h, 503, SystemTime::now());
        let _ = RateLimit::from_headers(&h);
    }

    #[test]
    fn backoff_is_bounded(n in any::<u32>(), r in any::<f64>()) {
        let d = retry_backoff(n, if r.is_finite() { r } else { 0.5 });
        prop_assert!(d <= MAX_RETRY_DELAY);
    }

    #[test]
    fn webhook_verification_never_panics(b in proptest::collection::vec(any::<u8>(), 0..200), sig in "\\PC{0,80}", secret in "\\PC{0,20}") {
        let _ = verify_webhook(&b, &sig, &[secret.as_str()]);
        let good = sign_webhook(&b, "whsec_test");
        prop_assert!(verify_webhook(&b, &good, &["whsec_test"]).is_ok());
    }
}
