#![deny(clippy::all)]
//! late-native: the thin napi-rs layer over `late-core` and `late-sim`.
//!
//! Rust moves bytes, JS builds objects: responses cross as JSON text and are parsed by the
//! facade (`index.js`). Errors cross as structured JSON in the rejection message and become
//! typed classes there.

mod cancel;
mod client;
mod errors;
mod options;
mod sim;
mod text;
mod upload;
mod webhook;

/// Internal, for the package's own tests: panics inside the native runtime, to prove a panic
/// rejects the promise instead of crashing Node. Not part of the public API.
#[napi_derive::napi(js_name = "__panicForTest")]
pub async fn panic_for_test() -> napi::Result<()> {
    let values: Vec<u32> = Vec::new();
    let index = values.len() + 1;
    // Indexing past the end panics at run time.
    let _ = values[index];
    Ok(())
}
