//! The connection to Redis (or Valkey) that fleet mode shares state through: the shared rate
//! limit ([`crate::policy::pacing`]) and the webhook event store ([`crate::fleet::event_store`]).
//!
//! One reconnecting `ConnectionManager` per user of it, created lazily (nothing is sent before
//! the first call) with short connect and response timeouts; `rediss://` goes over rustls with
//! the ring provider. The URL may carry a password: it never appears in `Debug`, in an error
//! or in a log line.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::base::error::{Error, Result};

/// A checked `redis://` or `rediss://` URL. `Debug` and [`RedisTarget::describe`] show only
/// the scheme, host and port.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisTarget {
    url: String,
    shown: String,
}

impl RedisTarget {
    /// Checks `url`; `param` names the option in the error (which never repeats the URL, as it
    /// may hold a password).
    pub fn parse(url: &str, param: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::validation(
                param,
                format!("{why}: expected a URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380/0"),
            )
        };
        let parsed = url::Url::parse(url.trim()).map_err(|_| bad("not a URL"))?;
        let tls = match parsed.scheme() {
            "redis" | "valkey" => false,
            "rediss" | "valkeys" => true,
            _ => return Err(bad("the scheme must be redis:// or rediss:// (TLS)")),
        };
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("the URL has no host"))?;
        redis::Client::open(url.trim()).map_err(|_| bad("Redis does not accept this URL"))?;
        let port = parsed.port().unwrap_or(6379);
        Ok(Self {
            url: url.trim().to_string(),
            shown: format!("{}://{host}:{port}", if tls { "rediss" } else { "redis" }),
        })
    }

    /// `redis://host:port` without credentials or database: safe for messages.
    pub fn describe(&self) -> &str {
        &self.shown
    }

    /// Whether the connection uses TLS.
    pub fn is_tls(&self) -> bool {
        self.shown.starts_with("rediss:")
    }

    /// A connection manager that connects on first use and reconnects by itself; `timeout`
    /// bounds each connection attempt and each response. Must run inside the tokio runtime.
    pub fn connect_lazily(&self, timeout: Duration) -> Result<ConnectionManager> {
        if self.is_tls() {
            // redis builds its rustls config with the process default provider: make it ring
            // (the only one compiled in) instead of letting rustls guess. Already set: fine.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let client = redis::Client::open(self.url.as_str()).map_err(|e| {
            Error::Internal(format!(
                "Redis client setup failed: {}",
                self.redact(&e.to_string())
            ))
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(2)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500));
        ConnectionManager::new_lazy_with_config(client, config).map_err(|e| {
            Error::Internal(format!(
                "Redis client setup failed: {}",
                self.redact(&e.to_string())
            ))
        })
    }

    /// `text` without the URL's password or user name, for messages about a Redis error.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.replace(&self.url, &self.shown);
        if let Ok(u) = url::Url::parse(&self.url) {
            for secret in [u.password().unwrap_or(""), u.username()] {
                if secret.len() >= 3 {
                    out = out.replace(secret, "[redacted]");
                }
            }
        }
        out
    }
}

impl fmt::Debug for RedisTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisTarget({})", self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_redis_urls_and_hides_the_password() {
        let t =
            RedisTarget::parse("redis://:s3cr3t-pw@127.0.0.1:6390/2", "rateLimit.redis").unwrap();
        assert_eq!(t.describe(), "redis://127.0.0.1:6390");
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert_eq!(t.redact("auth s3cr3t-pw failed"), "auth [redacted] failed");
        let tls = RedisTarget::parse("rediss://user:pw-long@cache.internal", "x").unwrap();
        assert!(tls.is_tls());
        assert_eq!(tls.describe(), "rediss://cache.internal:6379");
    }

    #[test]
    fn rejects_other_urls_without_echoing_them() {
        for bad in [
            "http://127.0.0.1:6379",
            "not a url",
            "redis://",
            "redis://:pw-x@/0",
        ] {
            let err = RedisTarget::parse(bad, "rateLimit.redis").unwrap_err();
            assert!(
                matches!(err, Error::Validation { ref param, .. } if param == "rateLimit.redis"),
                "{bad}"
            );
            assert!(!err.to_string().contains("pw-x"));
        }
    }
}
