//! Webhook signature verification for Late / Zernio deliveries.
//!
//! Zernio signs every delivery of a webhook that has a `secret` with **HMAC-SHA256** over the
//! **raw request body bytes**, keyed by the secret, and sends the digest as **lowercase hex** in
//! the `X-Zernio-Signature` header (and the legacy duplicate `X-Late-Signature`). There is no
//! prefix, no timestamp component and a single signature per delivery.
//!
//! [`verify`] checks such a header value against one or more secrets (several secrets allow a
//! rotation: keep the old one next to the new one until every in-flight retry has arrived) in
//! constant time, and explains the usual integration mistakes with a stable
//! [`WebhookError::code`]. [`sign`] produces the same signature, for tests and simulators.
//!
//! The secret never appears in any error message.

use ring::hmac;

/// Length in bytes of an HMAC-SHA256 digest (64 hex characters).
pub(crate) const SIGNATURE_LEN: usize = 32;

/// The optional prefix some senders and proxies put before the hex digest; accepted and ignored.
pub(crate) const SIGNATURE_PREFIX: &str = "sha256=";

/// What a JavaScript object turns into when it is coerced to a string: the body was parsed into
/// an object (by a framework's JSON body parser) before it reached the verifier.
const PARSED_OBJECT_BODY: &[u8] = b"[object Object]";

/// Why a webhook delivery could not be verified.
///
/// Each variant has a stable machine-readable [`code`](WebhookError::code); the `Display` text is
/// a human explanation with the likely fix. Neither ever contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No secret was given, or a given secret is the empty string.
    #[error(
        "no webhook secret was given: pass the `secret` configured on the webhook in Zernio \
         (an empty string does not count)"
    )]
    MissingSecret,

    /// A secret has leading or trailing whitespace, which a real secret never has.
    #[error(
        "the webhook secret has leading or trailing whitespace (often a newline pasted into an env \
         var); trim it (secret #{index} of the list)"
    )]
    SecretWhitespace {
        /// Position of the offending secret in the list that was passed (0-based).
        index: usize,
    },

    /// The signature header value is empty.
    #[error(
        "the webhook signature is empty: Zernio sends X-Zernio-Signature (and X-Late-Signature) \
         only when the webhook has a secret configured"
    )]
    MissingSignature,

    /// The signature header value is not a hex encoded SHA-256 digest.
    #[error(
        "the webhook signature is malformed: expected 64 hex characters (an HMAC-SHA256 digest, \
         optionally prefixed by `sha256=`), got {detail}"
    )]
    MalformedSignature {
        /// What was wrong with the value (never the value itself).
        detail: String,
    },

    /// The body looks like `[object Object]`: it was parsed to an object and coerced back to a
    /// string, so the raw bytes that were signed are lost.
    #[error(
        "the webhook body is \"[object Object]\": it was parsed into an object before \
         verification; pass the raw request body instead (`await req.text()` in a Next.js route \
         handler, `express.raw({{ type: 'application/json' }})` in Express)"
    )]
    BodyParsed,

    /// The signature does not match the body under any of the given secrets.
    #[error(
        "the webhook signature does not match the body under {secrets} given secret(s): check \
         the secret, and verify the raw body bytes exactly as received (re-serialised JSON does \
         not match)"
    )]
    InvalidSignature {
        /// How many secrets were tried.
        secrets: usize,
    },
}

impl WebhookError {
    /// A stable machine-readable code for this error, suitable for branching on in code.
    ///
    /// One of `missing_secret`, `secret_whitespace`, `missing_header`, `malformed_signature`,
    /// `body_parsed`, `invalid_signature`.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::MissingSecret => "missing_secret",
            WebhookError::SecretWhitespace { .. } => "secret_whitespace",
            WebhookError::MissingSignature => "missing_header",
            WebhookError::MalformedSignature { .. } => "malformed_signature",
            WebhookError::BodyParsed => "body_parsed",
            WebhookError::InvalidSignature { .. } => "invalid_signature",
        }
    }
}

/// Signs `body` with `secret` the way Zernio does: lowercase hex HMAC-SHA256 of the raw bytes.
///
/// Useful for tests and simulators that send webhooks to an application.
///
/// ```
/// let sig = late_core::sign_webhook(b"The quick brown fox jumps over the lazy dog", "key");
/// assert_eq!(sig, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
/// ```
pub fn sign(body: &[u8], secret: &str) -> String {
    hex::encode(hmac::sign(&key(secret), body).as_ref())
}

/// Verifies a webhook signature header value against the raw `body` and one or more `secrets`.
///
/// The header value may carry surrounding whitespace and an optional `sha256=` prefix; the hex
/// digest may be in either case. Each secret is tried in order and compared in constant time;
/// on success the index of the secret that matched is returned (so a caller rotating secrets can
/// tell whether the old one is still in use).
///
/// # Errors
///
/// See [`WebhookError`]: secrets are checked first (none, empty, whitespace), then the shape of
/// the signature, then the signature itself. A mismatch on a body that reads `[object Object]`
/// is reported as [`WebhookError::BodyParsed`], the usual cause.
///
/// ```
/// use late_core::{sign_webhook, verify_webhook};
/// let body = br#"{"id":"evt_1","event":"webhook.test"}"#;
/// let sig = sign_webhook(body, "new-secret");
/// assert_eq!(verify_webhook(body, &sig, &["old-secret", "new-secret"]), Ok(1));
/// ```
pub fn verify(body: &[u8], signature: &str, secrets: &[&str]) -> Result<usize, WebhookError> {
    check_secrets(secrets)?;
    let expected = decode_signature(signature)?;
    for (index, secret) in secrets.iter().enumerate() {
        // `ring::hmac::verify` compares in constant time.
        if hmac::verify(&key(secret), body, &expected).is_ok() {
            return Ok(index);
        }
    }
    if looks_parsed(body) {
        return Err(WebhookError::BodyParsed);
    }
    Err(WebhookError::InvalidSignature {
        secrets: secrets.len(),
    })
}

/// Checks a list of secrets without verifying anything: the same checks [`verify`] starts with.
///
/// # Errors
///
/// [`WebhookError::MissingSecret`] for an empty list or an empty secret,
/// [`WebhookError::SecretWhitespace`] for a secret with leading or trailing whitespace.
pub(crate) fn check_secrets(secrets: &[&str]) -> Result<(), WebhookError> {
    if secrets.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    for (index, secret) in secrets.iter().enumerate() {
        if secret.is_empty() {
            return Err(WebhookError::MissingSecret);
        }
        if secret.trim() != *secret {
            return Err(WebhookError::SecretWhitespace { index });
        }
    }
    Ok(())
}

/// Decodes a signature header value into the 32 digest bytes.
fn decode_signature(signature: &str) -> Result<Vec<u8>, WebhookError> {
    let mut value = signature.trim();
    if value.len() >= SIGNATURE_PREFIX.len()
        && value.as_bytes()[..SIGNATURE_PREFIX.len()]
            .eq_ignore_ascii_case(SIGNATURE_PREFIX.as_bytes())
    {
        value = value[SIGNATURE_PREFIX.len()..].trim_start();
    }
    if value.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let bytes = hex::decode(value).map_err(|e| WebhookError::MalformedSignature {
        detail: match e {
            hex::FromHexError::InvalidHexCharacter { index, .. } => {
                format!("a non-hex character at position {index}")
            }
            hex::FromHexError::OddLength => {
                format!("an odd number of characters ({})", value.len())
            }
            other => other.to_string(),
        },
    })?;
    if bytes.len() != SIGNATURE_LEN {
        return Err(WebhookError::MalformedSignature {
            detail: format!("{} hex characters", value.len()),
        });
    }
    Ok(bytes)
}

/// Whether the body is what a parsed JavaScript object turns into when coerced to a string.
fn looks_parsed(body: &[u8]) -> bool {
    body.trim_ascii() == PARSED_OBJECT_BODY
}

/// An HMAC-SHA256 key (ring: the same assembly-backed code that does TLS).
fn key(secret: &str) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors computed independently with Python:
    //   python3 -c 'import hmac,hashlib; print(hmac.new(KEY, BODY, hashlib.sha256).hexdigest())'
    const BODY: &[u8] = br#"{"id":"evt_1","event":"webhook.test"}"#;
    const BODY_SIG_WHSEC_TEST: &str =
        "c941d4634cfb334e5fb444d8d5819cf4487dae727b53e5079c550d759c072773";
    const BODY_SIG_SECOND_SECRET: &str =
        "4b42d742955f2a69c69fde91d92dca897e4bf576a8831b5ed75b9559472f3eb9";
    const EMPTY_SIG_S: &str = "64eca07cce67929c357d63d0a4aec207e774800403298914fc04e88ce02ac49f";
    // The well-known example from RFC-style references (also on Wikipedia's HMAC page).
    const FOX: &[u8] = b"The quick brown fox jumps over the lazy dog";
    const FOX_SIG_KEY: &str = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";

    #[test]
    fn webhook_sign_matches_independent_vectors() {
        assert_eq!(sign(BODY, "whsec_test"), BODY_SIG_WHSEC_TEST);
        assert_eq!(sign(BODY, "second-secret"), BODY_SIG_SECOND_SECRET);
        assert_eq!(sign(b"", "s"), EMPTY_SIG_S);
        assert_eq!(sign(FOX, "key"), FOX_SIG_KEY);
    }

    #[test]
    fn webhook_sign_is_lowercase_hex() {
        let sig = sign(BODY, "whsec_test");
        assert_eq!(sig.len(), 64);
        assert!(sig
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }

    #[test]
    fn webhook_verify_accepts_valid_signature() {
        assert_eq!(verify(BODY, BODY_SIG_WHSEC_TEST, &["whsec_test"]), Ok(0));
        assert_eq!(verify(FOX, FOX_SIG_KEY, &["key"]), Ok(0));
        assert_eq!(verify(b"", EMPTY_SIG_S, &["s"]), Ok(0));
    }

    #[test]
    fn webhook_verify_trims_header_and_accepts_prefix_and_uppercase() {
        let padded = format!("  {BODY_SIG_WHSEC_TEST}\r\n");
        assert_eq!(verify(BODY, &padded, &["whsec_test"]), Ok(0));
        let prefixed = format!("sha256={BODY_SIG_WHSEC_TEST}");
        assert_eq!(verify(BODY, &prefixed, &["whsec_test"]), Ok(0));
        let upper_prefix = format!(" SHA256={}", BODY_SIG_WHSEC_TEST.to_uppercase());
        assert_eq!(verify(BODY, &upper_prefix, &["whsec_test"]), Ok(0));
    }

    #[test]
    fn webhook_verify_rotation_returns_matching_index() {
        assert_eq!(
            verify(
                BODY,
                BODY_SIG_SECOND_SECRET,
                &["whsec_test", "second-secret"]
            ),
            Ok(1)
        );
        assert_eq!(
            verify(BODY, BODY_SIG_WHSEC_TEST, &["whsec_test", "second-secret"]),
            Ok(0)
        );
    }

    #[test]
    fn webhook_verify_rejects_wrong_signature() {
        let err = verify(BODY, BODY_SIG_WHSEC_TEST, &["other"]).unwrap_err();
        assert_eq!(err, WebhookError::InvalidSignature { secrets: 1 });
        assert_eq!(err.code(), "invalid_signature");
        // A one-byte change in the body.
        let tampered = br#"{"id":"evt_2","event":"webhook.test"}"#;
        assert_eq!(
            verify(tampered, BODY_SIG_WHSEC_TEST, &["whsec_test"])
                .unwrap_err()
                .code(),
            "invalid_signature"
        );
        // A valid signature of another body.
        assert_eq!(
            verify(BODY, FOX_SIG_KEY, &["key"]).unwrap_err().code(),
            "invalid_signature"
        );
    }

    #[test]
    fn webhook_verify_missing_secret() {
        assert_eq!(
            verify(BODY, BODY_SIG_WHSEC_TEST, &[]),
            Err(WebhookError::MissingSecret)
        );
        assert_eq!(
            verify(BODY, BODY_SIG_WHSEC_TEST, &[""]),
            Err(WebhookError::MissingSecret)
        );
        assert_eq!(WebhookError::MissingSecret.code(), "missing_secret");
    }

    #[test]
    fn webhook_verify_secret_whitespace() {
        let err = verify(BODY, BODY_SIG_WHSEC_TEST, &["whsec_test\n"]).unwrap_err();
        assert_eq!(err, WebhookError::SecretWhitespace { index: 0 });
        assert_eq!(err.code(), "secret_whitespace");
        assert!(err.to_string().contains(
            "the webhook secret has leading or trailing whitespace (often a newline pasted into an env var)"
        ));
        let err = verify(BODY, BODY_SIG_WHSEC_TEST, &["whsec_test", " second"]).unwrap_err();
        assert_eq!(err, WebhookError::SecretWhitespace { index: 1 });
    }

    #[test]
    fn webhook_verify_malformed_signature() {
        for bad in [
            "zz",
            "not-hex-at-all",
            "abc",
            "abcd",
            &"0".repeat(66),
            &format!("{BODY_SIG_WHSEC_TEST}0"),
        ] {
            let err = verify(BODY, bad, &["whsec_test"]).unwrap_err();
            assert_eq!(err.code(), "malformed_signature", "{bad:?} -> {err}");
        }
        let err = verify(BODY, "t=1,v1=abc", &["whsec_test"]).unwrap_err();
        assert!(err.to_string().contains("64 hex characters"));
    }

    #[test]
    fn webhook_verify_empty_signature() {
        for empty in ["", "   ", "sha256=", "\n"] {
            let err = verify(BODY, empty, &["whsec_test"]).unwrap_err();
            assert_eq!(err, WebhookError::MissingSignature, "{empty:?}");
            assert_eq!(err.code(), "missing_header");
        }
    }

    #[test]
    fn webhook_verify_diagnoses_parsed_body() {
        let err = verify(b"[object Object]", BODY_SIG_WHSEC_TEST, &["whsec_test"]).unwrap_err();
        assert_eq!(err, WebhookError::BodyParsed);
        assert_eq!(err.code(), "body_parsed");
        assert!(err.to_string().contains("raw request body"));
        // A correct signature of that text is still accepted: the check only explains failures.
        let sig = sign(b"[object Object]", "whsec_test");
        assert_eq!(verify(b"[object Object]", &sig, &["whsec_test"]), Ok(0));
    }

    #[test]
    fn webhook_errors_never_contain_the_secret() {
        let secret = "super-secret-value-123";
        let cases = [
            verify(BODY, BODY_SIG_WHSEC_TEST, &[secret]).unwrap_err(),
            verify(BODY, "xyz", &[secret]).unwrap_err(),
            verify(BODY, "", &[secret]).unwrap_err(),
            verify(b"[object Object]", BODY_SIG_WHSEC_TEST, &[secret]).unwrap_err(),
            verify(BODY, BODY_SIG_WHSEC_TEST, &[&format!("{secret}\n")]).unwrap_err(),
        ];
        for err in cases {
            let text = format!("{err} {err:?}");
            assert!(!text.contains(secret), "{text}");
        }
    }

    #[test]
    fn webhook_check_secrets_ok() {
        assert_eq!(check_secrets(&["a", "b"]), Ok(()));
    }
}
