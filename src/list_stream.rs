//! Streamed account lists to JS: a listener per client receives runs of whole accounts while a
//! large page downloads (see `lib/list-stream.js` and late-core's `wire/json_split.rs`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::text::BodyText;

/// `(callId, runJson | null, offset)`; `null` means "the attempt restarted".
pub type RunArgs = FnArgs<(u32, Option<BodyText>, f64)>;
/// The listener: weak (never keeps the process alive; the call's own promise does).
pub type RunsFn = ThreadsafeFunction<RunArgs, (), RunArgs, Status, false, true>;

/// The listener slot of a client, shared with its `withOptions` clones.
pub type RunsSlot = Arc<OnceLock<RunsFn>>;

/// A page streamed in runs: the page with its `accounts` emptied, and how many runs the
/// listener received for the attempt that succeeded.
#[napi(object, object_to_js = true, object_from_js = false)]
pub struct NativeListPage {
    /// The page's JSON with `accounts` emptied.
    #[napi(ts_type = "string")]
    pub body: BodyText,
    /// Runs sent to the listener for this call since its last restart.
    pub runs: u32,
}

/// Forwards one call's runs to the client's listener.
pub struct RunSink {
    slot: RunsSlot,
    call_id: u32,
    runs: AtomicU32,
}

impl RunSink {
    /// A sink for call `call_id`.
    pub fn new(slot: RunsSlot, call_id: u32) -> Self {
        Self {
            slot,
            call_id,
            runs: AtomicU32::new(0),
        }
    }

    /// Runs sent since the last restart.
    pub fn runs(&self) -> u32 {
        self.runs.load(Ordering::SeqCst)
    }

    fn send(&self, run: Option<BodyText>, offset: f64) {
        if let Some(f) = self.slot.get() {
            f.call(
                FnArgs::from((self.call_id, run, offset)),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }
}

impl late_core::ListSink for RunSink {
    fn field(&self) -> &str {
        "accounts"
    }

    fn reset(&self) {
        // Nothing to take back unless a previous attempt sent runs.
        if self.runs.swap(0, Ordering::SeqCst) > 0 {
            self.send(None, 0.0);
        }
    }

    fn run(&self, run: late_core::Run) {
        self.runs.fetch_add(1, Ordering::SeqCst);
        self.send(
            Some(crate::text::body(bytes::Bytes::from(run.json))),
            run.offset as f64,
        );
    }
}
