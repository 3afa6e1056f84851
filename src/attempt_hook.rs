//! The trace hook of a call: before each attempt the core asks JS (the facade's telemetry,
//! `lib/telemetry/`) for that attempt's headers, so that the attempt's span starts when it is
//! sent and its `traceparent` goes with it; when the attempt ends, JS hears of it (and is waited
//! for) before the call settles. One listener per client (its clones share it); a call that
//! wants the hook names itself with `trace` in its options.

use std::sync::{Arc, OnceLock};

use napi::threadsafe_function::ThreadsafeFunction;
use napi::Status;
use napi_derive::napi;

use crate::observe::NativeAttempt;

/// An attempt about to be sent (`end` absent) or ended (`end` its record), as the trace
/// listener sees it. No header value and no query string, so no secret.
#[napi(object, object_to_js = true, object_from_js = false)]
pub struct NativeAttemptEvent {
    /// The `trace` id the call was made with.
    pub call_id: u32,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path below the base URL, without the query.
    pub path: String,
    /// The spec's operationId of the route, when the spec has it.
    pub operation: Option<String>,
    /// The attempt's record, once it ended: its status or error, duration and wait.
    pub end: Option<NativeAttempt>,
}

/// The listener: returns `[name, value, name, value, …]` for an attempt about to be sent, or
/// nothing. Weak: it never keeps the process alive (the call's own promise does).
pub type StartFn = ThreadsafeFunction<
    NativeAttemptEvent,
    Option<Vec<String>>,
    NativeAttemptEvent,
    Status,
    false,
    true,
>;

/// The listener slot of a client, shared with its `withOptions` clones.
pub type StartSlot = Arc<OnceLock<StartFn>>;

/// The core's hook for one traced call.
pub struct JsAttemptHook {
    slot: StartSlot,
    call_id: u32,
}

impl JsAttemptHook {
    /// The hook of call `call_id`, when the client has a listener.
    pub fn for_call(slot: &StartSlot, call_id: u32) -> Option<Arc<dyn late_core::AttemptHook>> {
        slot.get()?;
        Some(Arc::new(Self {
            slot: slot.clone(),
            call_id,
        }))
    }
}

impl std::fmt::Debug for JsAttemptHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsAttemptHook")
            .field("call_id", &self.call_id)
            .finish()
    }
}

/// Tells the listener of `event` and waits for its answer: the headers it returned, or none
/// (a listener that threw, an environment closing: telemetry never fails a call).
async fn tell(slot: StartSlot, event: NativeAttemptEvent) -> Vec<String> {
    let Some(listener) = slot.get() else {
        return Vec::new();
    };
    listener
        .call_async_catch(event)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

impl late_core::AttemptHook for JsAttemptHook {
    fn before_attempt(
        &self,
        start: late_core::AttemptStart,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = late_core::AttemptHeaders> + Send>>
    {
        let event = NativeAttemptEvent {
            call_id: self.call_id,
            attempt: start.attempt,
            method: start.method.to_string(),
            path: start.path,
            operation: start.operation.map(str::to_string),
            end: None,
        };
        let slot = self.slot.clone();
        Box::pin(async move {
            tell(slot, event)
                .await
                .chunks_exact(2)
                .map(|p| (p[0].clone(), p[1].clone()))
                .collect()
        })
    }

    fn after_attempt(
        &self,
        record: late_core::Attempt,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        let event = NativeAttemptEvent {
            call_id: self.call_id,
            attempt: record.attempt,
            method: record.method.to_string(),
            path: record.path.clone(),
            operation: record.operation.map(str::to_string),
            end: Some(record.into()),
        };
        let slot = self.slot.clone();
        Box::pin(async move {
            tell(slot, event).await;
        })
    }
}
