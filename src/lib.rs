#![deny(clippy::all)]
//! late-native: the thin napi-rs layer over `late-core` and `late-sim`.
//!
//! Rust moves bytes, JS builds objects: responses cross as JSON text and are parsed by the
//! facade (`index.js`). Errors cross as JS `Error` objects whose own properties are the error's
//! data (`errors`), and become typed classes there.
//!
//! The modules form no cycle (late-core's `tests/structure.rs` checks it); each uses only the
//! ones before it: `settle` (promises settled through one threadsafe function per env) →
//! `errors`, `text`, `cancel`, `millis` (helpers) → `body`, `upload`, `observe`, `pacing`, `attempt_hook` (one
//! option each, into late-core's types) → `options` → `list_stream` → `client`; `event_store`,
//! `webhook` and `sim` stand beside `client`.

mod attempt_hook;
mod body;
mod cancel;
mod client;
mod errors;
mod event_store;
mod list_stream;
mod millis;
mod observe;
mod options;
mod pacing;
mod settle;
mod sim;
mod text;
mod upload;
mod webhook;

/// How many certificates a PEM text holds; throws a validation error naming `source` (`ca`,
/// `NODE_EXTRA_CA_CERTS`) when it holds none or a bad one.
#[napi_derive::napi]
pub fn count_pem_certificates(env: &napi::Env, pem: String, source: String) -> napi::Result<u32> {
    late_core::parse_pem_roots(pem.as_bytes(), &source)
        .map(|c| c.len() as u32)
        .map_err(|e| errors::throw(env, e))
}

/// The header names a caller may not set (they frame the message or the connection), lower
/// case: `late_core::FRAMING_HEADERS`, the one owner; lib/validate.js refuses them with it.
#[cfg_attr(test, allow(dead_code))]
#[napi_derive::napi]
pub fn framing_headers() -> Vec<String> {
    late_core::FRAMING_HEADERS
        .iter()
        .map(|h| (*h).to_string())
        .collect()
}

/// Internal, for the package's own tests: panics inside the native runtime, to prove a panic
/// rejects the promise instead of crashing Node. Only in test builds (`--features test-hooks`),
/// never in the published `.node`.
#[cfg(feature = "test-hooks")]
#[napi_derive::napi(js_name = "__panicForTest")]
pub async fn panic_for_test() -> napi::Result<()> {
    let values: Vec<u32> = Vec::new();
    let index = values.len() + 1;
    // Indexing past the end panics at run time.
    let _ = values[index];
    Ok(())
}
