//! The webhook event store in Redis: an event id is handled once across every instance.
//!
//! `claim` is `SET <prefix><id> <token> NX PX <ttl>` (one round trip, atomic); `release`
//! deletes the id again so that the sender's retry is handled (when the handler failed). A
//! Redis failure is an error here, unlike for pacing: handling an event twice, or dropping it,
//! would be worse than answering 5xx and letting the sender retry.

use std::time::Duration;

use redis::aio::ConnectionManager;
use tokio::sync::OnceCell;

use crate::base::error::{ConnectionKind, Error, Result};
use crate::fleet::redis_link::RedisTarget;

/// How long a handled event id is remembered by default, and how old an event the webhook
/// handler accepts: 72 hours, past Zernio's redelivery window (7 attempts over about 51 hours),
/// as the README promises. The one owner of the number: the JS facade reads it as
/// `EVENT_MEMORY_MS` (lib/webhook.js, lib/redis-store.js).
pub const DEFAULT_TTL: Duration = Duration::from_secs(72 * 60 * 60);
/// Longest wait for one Redis answer.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(2);

/// Ids of handled events, in Redis.
#[derive(Debug)]
pub struct RedisEventStore {
    target: RedisTarget,
    prefix: String,
    ttl: Duration,
    conn: OnceCell<ConnectionManager>,
}

impl RedisEventStore {
    /// A store at `target`; nothing is sent before the first call.
    pub fn new(target: RedisTarget, ttl: Duration, prefix: String) -> Result<Self> {
        if ttl < Duration::from_millis(1) {
            return Err(Error::validation(
                "ttlMs",
                "must be a positive number of milliseconds",
            ));
        }
        if prefix.is_empty() {
            return Err(Error::validation("keyPrefix", "must not be empty"));
        }
        Ok(Self {
            target,
            prefix,
            ttl,
            conn: OnceCell::new(),
        })
    }

    fn key(&self, id: &str) -> Result<String> {
        if id.is_empty() || id.len() > 1024 {
            return Err(Error::validation("eventId", "must be 1 to 1024 characters"));
        }
        Ok(format!("{}{id}", self.prefix))
    }

    fn failure(&self, what: &str, detail: String) -> Error {
        Error::connection(
            ConnectionKind::Other,
            format!(
                "the webhook event store (Redis at {}) {what}: {}",
                self.target.describe(),
                self.target.redact(&detail)
            ),
            true,
        )
        .with_attempts(1)
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd, what: &str) -> Result<T> {
        let conn = self
            .conn
            .get_or_try_init(|| async { self.target.connect_lazily(TIMEOUT) })
            .await?;
        let mut conn = conn.clone();
        match tokio::time::timeout(TIMEOUT, cmd.query_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.failure(what, e.to_string())),
            Err(_) => {
                Err(self.failure(what, format!("no answer within {} ms", TIMEOUT.as_millis())))
            }
        }
    }

    /// Records `id` and returns `true` if no instance recorded it within the TTL; `false` for a
    /// duplicate.
    pub async fn claim(&self, id: &str) -> Result<bool> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(id)?)
            .arg(crate::base::ids::random_id())
            .arg("NX")
            .arg("PX")
            .arg(self.ttl.as_millis().min(u64::MAX as u128) as u64);
        let set: Option<String> = self.run(cmd, "could not record the event id").await?;
        Ok(set.is_some())
    }

    /// Forgets `id`, so that a retry of the event is handled.
    pub async fn release(&self, id: &str) -> Result<()> {
        let mut cmd = redis::cmd("DEL");
        cmd.arg(self.key(id)?);
        self.run::<i64>(cmd, "could not release the event id")
            .await
            .map(|_| ())
    }
}
