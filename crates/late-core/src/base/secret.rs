//! The API key, kept out of every `Debug` and `Display` output.

use std::fmt;

/// An API key. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key. The value is only read when the `Authorization` header is built.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself. Only the transport calls this, to build the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces every occurrence of the key in `text` with `[redacted]`.
    ///
    /// Applied to every message that leaves the core, so that a server echoing the key back
    /// cannot make it appear in an error.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 || !text.contains(&self.0) {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_key() {
        let key = ApiKey::new("sk_test_secret_value");
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        assert_eq!(format!("{key}"), "[redacted]");
    }

    #[test]
    fn redact_removes_every_occurrence() {
        let key = ApiKey::new("sk_test_abc");
        assert_eq!(
            key.redact("a sk_test_abc b sk_test_abc"),
            "a [redacted] b [redacted]"
        );
        assert_eq!(key.redact("nothing here"), "nothing here");
    }
}
