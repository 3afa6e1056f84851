//! Cancellation: a token the facade cancels from an `AbortSignal` listener.

use napi_derive::napi;
use tokio_util::sync::CancellationToken;

/// A cancellation handle for one call. The facade creates one per call that has a `signal`
/// and calls `cancel()` from the signal's `abort` listener (it never assigns `onabort`).
#[napi]
pub struct CancelToken {
    pub(crate) inner: CancellationToken,
}

#[napi]
impl CancelToken {
    /// A fresh, uncancelled token.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            inner: CancellationToken::new(),
        }
    }

    /// Cancels every call using this token: they reject at once with an abort error.
    #[napi]
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
}

/// The token to use for a call: the given one, or a fresh one that is never cancelled.
pub(crate) fn token_of(cancel: Option<&CancelToken>) -> CancellationToken {
    cancel.map(|c| c.inner.clone()).unwrap_or_default()
}
