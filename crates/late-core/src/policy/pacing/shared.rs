//! The team's window shared through Redis by every process on the key.
//!
//! One script call books a slot (`acquire.lua`): one round trip per attempt. Keys hold a hash
//! of the API key, never the key: `late-native:rl:{<hash>}:w` (bookings), `:p` (pause until),
//! `:m` (processes seen lately, to split the limit when Redis is away), `:l` (the limit, so a
//! process that starts does not need a call of its own to learn it). Redis failing or
//! answering slower than [`REDIS_TIMEOUT`] never fails a call: the pacer books locally
//! meanwhile and tries Redis again after a short, growing delay.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::Script;
use tokio::time::Instant;

use super::report::{Counters, PacingEvent};
use crate::fleet::redis_link::RedisTarget;

/// Longest wait for one Redis answer before pacing locally instead.
pub(crate) const REDIS_TIMEOUT: Duration = Duration::from_millis(500);
/// First delay before trying Redis again after a failure; doubles up to [`MAX_RETRY_DELAY`].
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(250);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(2);

/// What the shared window answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Booking {
    /// Booked: send after `wait`. `pause` is what is left of a fleet-wide pause; `limit` the
    /// limit the fleet knows (0: none yet).
    Booked {
        wait: Duration,
        pause: Duration,
        limit: u32,
    },
    /// The wait would be longer than allowed; nothing booked.
    TooLong { wait: Duration, limit: u32 },
}

/// Whether to ask Redis for this call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// Redis is up.
    Redis,
    /// Redis was down and a new try is due: replay local bookings first.
    Rejoin,
    /// Redis is down: book locally.
    Local,
}

#[derive(Debug)]
enum Link {
    Up,
    Down {
        since: Instant,
        retry_at: Instant,
        delay: Duration,
    },
}

/// The Redis side of one pacer.
pub(crate) struct SharedWindow {
    target: RedisTarget,
    window_key: String,
    pause_key: String,
    members_key: String,
    limit_key: String,
    process: String,
    conn: Mutex<Option<ConnectionManager>>,
    link: Mutex<Link>,
    processes: AtomicU32,
    acquire: Script,
    pause: Script,
    replay: Script,
    done: Script,
    /// Late answers waiting to be written (`done.lua`), in one call every few ms.
    late: Mutex<Vec<(String, Instant)>>,
    flushing: AtomicBool,
}

impl std::fmt::Debug for SharedWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedWindow")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn ms(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

impl SharedWindow {
    /// The shared window of the key whose hash is `key_hash`.
    pub fn new(target: RedisTarget, key_hash: &str) -> Self {
        let base = format!("late-native:rl:{{{key_hash}}}");
        Self {
            target,
            window_key: format!("{base}:w"),
            pause_key: format!("{base}:p"),
            members_key: format!("{base}:m"),
            limit_key: format!("{base}:l"),
            process: crate::base::ids::random_id(),
            conn: Mutex::new(None),
            link: Mutex::new(Link::Up),
            processes: AtomicU32::new(1),
            acquire: Script::new(include_str!("acquire.lua")),
            pause: Script::new(include_str!("pause.lua")),
            replay: Script::new(include_str!("replay.lua")),
            done: Script::new(include_str!("done.lua")),
            late: Mutex::new(Vec::new()),
            flushing: AtomicBool::new(false),
        }
    }

    /// The booking's name in Redis.
    pub fn member(&self, id: u64) -> String {
        format!("{}:{id}", self.process)
    }

    /// Processes that used the window lately (at least 1).
    pub fn processes(&self) -> u32 {
        self.processes.load(Ordering::Relaxed).max(1)
    }

    /// Whether Redis is in use (not falling back).
    pub fn is_up(&self) -> bool {
        matches!(*lock(&self.link), Link::Up)
    }

    /// Where this call books. While Redis is down, one call per retry delay tries it again.
    pub fn route(&self, now: Instant) -> Route {
        let mut link = lock(&self.link);
        match &mut *link {
            Link::Up => Route::Redis,
            Link::Down {
                retry_at, delay, ..
            } => {
                if now < *retry_at {
                    return Route::Local;
                }
                // Claim the try; the others stay local until it settles.
                *delay = (*delay * 2).min(MAX_RETRY_DELAY);
                *retry_at = now + *delay;
                Route::Rejoin
            }
        }
    }

    fn connection(&self) -> Result<ConnectionManager, String> {
        let mut conn = lock(&self.conn);
        if let Some(c) = &*conn {
            return Ok(c.clone());
        }
        let c = self
            .target
            .connect_lazily(REDIS_TIMEOUT)
            .map_err(|e| e.to_string())?;
        *conn = Some(c.clone());
        Ok(c)
    }

    /// Runs one script call within [`REDIS_TIMEOUT`]; the error text is redacted.
    async fn call<T: redis::FromRedisValue>(
        &self,
        counters: &Counters,
        inv: redis::ScriptInvocation<'_>,
    ) -> Result<T, String> {
        let mut conn = self.connection()?;
        Counters::add(&counters.redis_calls, 1);
        let r = match tokio::time::timeout(REDIS_TIMEOUT, inv.invoke_async::<T>(&mut conn)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.target.redact(&e.to_string())),
            Err(_) => Err(format!("no answer within {} ms", ms(REDIS_TIMEOUT))),
        };
        if r.is_err() {
            Counters::add(&counters.redis_errors, 1);
        }
        r
    }

    /// Books a slot for `member` (dropping `replaces` first, a booking a pause made stale);
    /// `limit` 0: not known to this process.
    pub async fn book(
        &self,
        counters: &Counters,
        limit: u32,
        span: Duration,
        max_wait: Duration,
        member: &str,
        replaces: Option<&str>,
    ) -> Result<Booking, String> {
        let mut inv = self.acquire.prepare_invoke();
        inv.key(&self.window_key)
            .key(&self.pause_key)
            .key(&self.members_key)
            .key(&self.limit_key)
            .arg(limit)
            .arg(ms(span))
            .arg(ms(max_wait))
            .arg(member)
            .arg(&self.process)
            .arg(replaces.unwrap_or(""));
        let (booked, wait, pause, processes, limit): (i64, i64, i64, i64, i64) =
            self.call(counters, inv).await?;
        let limit = limit.clamp(0, u32::MAX as i64) as u32;
        self.processes.store(
            processes.clamp(1, u32::MAX as i64) as u32,
            Ordering::Relaxed,
        );
        let wait = Duration::from_millis(wait.max(0) as u64);
        Ok(if booked == 1 {
            Booking::Booked {
                wait,
                pause: Duration::from_millis(pause.max(0) as u64),
                limit,
            }
        } else {
            Booking::TooLong { wait, limit }
        })
    }

    /// Adds local bookings (`(id, age in ms)`, negative ages still to come) to the shared window.
    pub async fn replay(
        &self,
        counters: &Counters,
        span: Duration,
        bookings: &[(u64, i64)],
    ) -> Result<(), String> {
        if bookings.is_empty() {
            return Ok(());
        }
        let mut inv = self.replay.prepare_invoke();
        inv.key(&self.window_key).arg(ms(span));
        for (id, age) in bookings {
            inv.arg(self.member(*id)).arg(*age);
        }
        self.call::<i64>(counters, inv).await.map(|_| ())
    }

    /// Records a failure; returns the event when this starts a fallback.
    pub fn failed(&self, reason: String, local_limit: u32) -> Option<PacingEvent> {
        let mut link = lock(&self.link);
        if let Link::Down { .. } = *link {
            return None;
        }
        let now = Instant::now();
        *link = Link::Down {
            since: now,
            retry_at: now + FIRST_RETRY_DELAY,
            delay: FIRST_RETRY_DELAY,
        };
        Some(PacingEvent::RedisFallback {
            target: self.target.describe().to_string(),
            reason,
            local_limit,
        })
    }

    /// Records a success; returns the event when this ends a fallback.
    pub fn succeeded(&self) -> Option<PacingEvent> {
        let mut link = lock(&self.link);
        let Link::Down { since, .. } = *link else {
            return None;
        };
        *link = Link::Up;
        Some(PacingEvent::RedisRejoined {
            target: self.target.describe().to_string(),
            after: since.elapsed(),
        })
    }

    /// Pauses every process on the key for `wait` (a 429's `Retry-After`); in the background.
    pub fn pause_fleet(self: &Arc<Self>, counters: Arc<Counters>, wait: Duration) {
        let this = self.clone();
        spawn(async move {
            let mut inv = this.pause.prepare_invoke();
            inv.key(&this.pause_key).arg(ms(wait).max(1));
            let _ = this.call::<i64>(&counters, inv).await;
        });
    }

    /// Records that the answer to booking `member` came at `at`, later than its margin covers
    /// (a burst on new connections, a loaded machine): written a few ms later, with the other
    /// late answers of the moment, in one call.
    pub fn answered_late(
        self: &Arc<Self>,
        counters: Arc<Counters>,
        member: String,
        at: Instant,
        span: Duration,
    ) {
        lock(&self.late).push((member, at));
        if self.flushing.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            this.flushing.store(false, Ordering::Release);
            let late = std::mem::take(&mut *lock(&this.late));
            if late.is_empty() {
                return;
            }
            let now = Instant::now();
            let mut inv = this.done.prepare_invoke();
            inv.key(&this.window_key).arg(ms(span));
            for (member, at) in &late {
                inv.arg(member).arg(ms(now.saturating_duration_since(*at)));
            }
            let _ = this.call::<i64>(&counters, inv).await;
        });
    }

    /// Gives back a booking a cancelled call no longer needs; in the background.
    pub fn release(self: &Arc<Self>, counters: Arc<Counters>, member: String) {
        let this = self.clone();
        spawn(async move {
            let Ok(mut conn) = this.connection() else {
                return;
            };
            Counters::add(&counters.redis_calls, 1);
            let mut zrem = redis::cmd("ZREM");
            zrem.arg(&this.window_key).arg(&member);
            let _ = tokio::time::timeout(REDIS_TIMEOUT, zrem.exec_async(&mut conn)).await;
        });
    }
}

/// Runs `fut` in the background on the current runtime (none: dropped; a call made outside a
/// runtime cannot be one that needs it).
fn spawn(fut: impl std::future::Future<Output = ()> + Send + 'static) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(fut);
    }
}
