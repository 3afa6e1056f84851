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
mod webhook;
