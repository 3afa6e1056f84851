//! `NativeRedisEventStore`: the Redis store behind `createRedisEventStore` (lib/redis-store.js).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::errors::{promise, throw, Pending, Settled};

/// How long the webhook event stores remember a handled id by default, in ms, and how old an
/// event the handler accepts (72 h: `late_core::DEFAULT_EVENT_TTL`, the one owner).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub const EVENT_MEMORY_MS: u32 = late_core::DEFAULT_EVENT_TTL.as_millis() as u32;

/// Ids of handled webhook events in Redis (`SET NX PX`), shared by every instance.
#[napi]
pub struct NativeRedisEventStore {
    inner: Arc<late_core::RedisEventStore>,
}

#[napi]
impl NativeRedisEventStore {
    /// A store at `url` (`redis://` or `rediss://`, checked here: the facade checks only that it
    /// is a string); connects on first use; without `ttlMs`, `EVENT_MEMORY_MS`.
    #[napi(constructor)]
    pub fn new(env: Env, url: String, ttl_ms: Option<f64>, key_prefix: String) -> Result<Self> {
        let store = || {
            let target = late_core::RedisTarget::parse(&url, "url")?;
            let ttl =
                crate::millis::duration("ttlMs", ttl_ms)?.unwrap_or(late_core::DEFAULT_EVENT_TTL);
            late_core::RedisEventStore::new(target, ttl, key_prefix)
        };
        let inner = store().map_err(|e| throw(&env, e))?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// `true` if `id` was not handled yet (and is now recorded), `false` for a duplicate.
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn claim(&self, env: &Env, id: String) -> Result<Pending<Settled<bool>>> {
        let store = self.inner.clone();
        promise(env, async move { store.claim(&id).await })
    }

    /// Forgets `id`, so that a retry of the event is handled.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn release(&self, env: &Env, id: String) -> Result<Pending<Settled<()>>> {
        let store = self.inner.clone();
        promise(env, async move { store.release(&id).await })
    }
}
