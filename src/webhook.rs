//! Webhook signing and verification exposed to JavaScript.
//!
//! A thin layer over [`late_core::verify_webhook`] and [`late_core::sign_webhook`];
//! `lib/webhook.js` builds the user-facing `verifyWebhook` (header lookup, body normalisation,
//! JSON parsing, typed errors) on top.

// napi-derive compiles the registration of `#[napi]` functions out of `cfg(test)` builds, so
// under `cargo test` / `clippy --all-targets` these exports look unused.
#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::*;
use napi_derive::napi;

use late_core::{sign_webhook, verify_webhook, WebhookError};

/// Turns a verification failure into a JS `Error` with the message and the fields
/// `kind: "webhook"` and `reason: "<code>"`; the JS facade turns it into a
/// `WebhookVerificationError`. Never contains a secret.
fn to_napi_error(env: &Env, err: WebhookError) -> napi::Error {
    let data = serde_json::json!({
        "kind": "webhook",
        "reason": err.code(),
        "message": err.to_string(),
    });
    crate::errors::throw_data(env, &data)
}

/// Verifies a Zernio / Late webhook signature (`X-Zernio-Signature` or `X-Late-Signature`).
///
/// `body` must be the raw request body bytes exactly as received; `signature` is the header value
/// (surrounding whitespace and a `sha256=` prefix are tolerated); `secrets` is one or more
/// webhook secrets, tried in order (rotation). Comparison is constant-time.
///
/// Returns the index in `secrets` of the secret that matched. On failure throws an `Error`
/// with the fields `kind: "webhook"` and `reason`, one of `missing_secret`, `secret_whitespace`, `missing_header`,
/// `malformed_signature`, `body_parsed`, `invalid_signature`.
#[napi]
pub fn verify_webhook_signature(
    env: &Env,
    body: Buffer,
    signature: String,
    secrets: Vec<String>,
) -> napi::Result<u32> {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let index = verify_webhook(&body, &signature, &secrets).map_err(|e| to_napi_error(env, e))?;
    // The list comes from JS, so its length always fits in a u32.
    Ok(u32::try_from(index).unwrap_or(u32::MAX))
}

/// Signs a webhook body the way Zernio does: the lowercase hex HMAC-SHA256 of the raw bytes,
/// keyed by `secret`. For tests that send webhooks to an application.
#[napi]
pub fn sign_webhook_payload(body: Buffer, secret: String) -> String {
    sign_webhook(&body, &secret)
}
