//! `NativeRedisEventStore`: the Redis store behind `createRedisEventStore` (lib/redis-store.js).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::errors::{promise, throw, Pending, Settled};

/// Ids of handled webhook events in Redis (`SET NX PX`), shared by every instance.
#[napi]
pub struct NativeRedisEventStore {
    inner: Arc<late_core::RedisEventStore>,
}

#[napi]
impl NativeRedisEventStore {
    /// A store at `url` (`redis://` or `rediss://`); connects on first use.
    #[napi(constructor)]
    pub fn new(env: Env, url: String, ttl_ms: f64, key_prefix: String) -> Result<Self> {
        let store = || {
            let target = late_core::RedisTarget::parse(&url, "url")?;
            let ttl = crate::millis::duration("ttlMs", Some(ttl_ms))?
                .unwrap_or(late_core::DEFAULT_EVENT_TTL);
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
