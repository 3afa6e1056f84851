//! Rate-limit state read from `X-RateLimit-*` headers.

use serde_json::{json, Value};

/// The `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers of one response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// Unix time (seconds) when the next slot frees up.
    pub reset_at: Option<u64>,
}

impl RateLimit {
    /// Reads the headers; `None` when none of them is present.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
        let get = |name: &str| -> Option<u64> {
            headers
                .get(name)?
                .to_str()
                .ok()?
                .trim()
                .parse::<f64>()
                .ok()
                .map(|v| v.max(0.0) as u64)
        };
        let rl = Self {
            limit: get("x-ratelimit-limit"),
            remaining: get("x-ratelimit-remaining"),
            reset_at: get("x-ratelimit-reset"),
        };
        (rl != Self::default()).then_some(rl)
    }

    /// JSON form for JS: `{limit, remaining, resetAt}` (`resetAt` in Unix seconds).
    pub fn to_json(&self) -> Value {
        json!({ "limit": self.limit, "remaining": self.remaining, "resetAt": self.reset_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn reads_the_three_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("600"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("599"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1700000000"));
        let rl = RateLimit::from_headers(&h).unwrap();
        assert_eq!(rl.limit, Some(600));
        assert_eq!(rl.remaining, Some(599));
        assert_eq!(rl.reset_at, Some(1_700_000_000));
    }

    #[test]
    fn absent_headers_give_none() {
        assert!(RateLimit::from_headers(&HeaderMap::new()).is_none());
    }
}
