//! Pacing: keeping a client (or a fleet of processes on one key) under the team's rate limit
//! instead of drawing 429s.
//!
//! The API allows `limit` requests per sliding window (a minute) to each team and says so in
//! `X-RateLimit-Limit/Remaining/Reset`. Before every attempt the transport asks
//! [`Pacer::acquire`] for a slot and reports what came back through [`Permit::complete`]:
//!
//! - The limit is learned from the first answer (one call goes out alone until then, the others
//!   waiting for it [`FIRST_ANSWER_PATIENCE`] at most; the `limit` option, or a Redis where
//!   another process stored it, skips that); `Remaining` accounts for requests the client did
//!   not send.
//! - A burst books consecutive slots ([`window::Window`]): calls wait their turn instead of
//!   failing, stay cancellable, and a wait longer than `maxQueueWaitMs` (default five minutes,
//!   so a burst over a per-minute limit completes) or the call's deadline fails at once, before
//!   anything is sent, with a 429 `RateLimitError` whose `retryAfterMs` says how long.
//! - A 429 from the team's limit pauses every call of the client (and its clones) until its
//!   `Retry-After`; the refused call waits out the pause here too, and is sent again (the
//!   limiter refused it before doing anything).
//! - With Redis, every process on the key books from one window ([`shared`]), and a 429 seen by
//!   any of them pauses all. Redis failing is never an API failure: the pacer books locally with
//!   its share of the limit, says so once ([`report`]), and rejoins when Redis answers again.
//!
//! Slots are freed `window + margin` after their booking: the server counts a request when it
//! arrives, a little after it was booked.

mod report;
mod shared;
mod window;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::base::error::{ApiError, Error, Result};
use crate::base::observe::NoteSink;
use crate::base::rate_limit::RateLimit;
use crate::base::secret::ApiKey;
use crate::fleet::redis_link::RedisTarget;
use crate::wire::response::Response;
use report::Counters;
pub(crate) use report::PacingEvent;
use shared::{Booking, Route, SharedWindow};
use window::{Check, Holder, Window};

/// The API's window.
pub(crate) const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

/// While the limit is unknown, how long a call waits for the first call's answer before it goes
/// too: a first call that hangs (or fails without an answer) holds the others back this long at
/// most.
pub(crate) const FIRST_ANSWER_PATIENCE: Duration = Duration::from_millis(500);

/// While the limit is unknown, how many calls may be in flight before the others wait for the
/// first answer. A third of the API's smallest limit (60 a minute): a cold burst of up to 20
/// calls goes out at once (one round trip, not two) and cannot overrun any plan by itself.
pub(crate) const UNKNOWN_BURST: u32 = 20;

/// The `rateLimit` client option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacingConfig {
    /// `false`: no pacing (429s are retried as any retryable error).
    pub enabled: bool,
    /// The team's window: 60 s on the API; shorter for tests (`X-RateLimit-Reset` is in whole
    /// seconds, too coarse to learn a short window from).
    pub window: Duration,
    /// Requests per window, instead of what `X-RateLimit-Limit` says.
    pub limit: Option<u32>,
    /// Share one window with every process on the key through this Redis.
    pub redis: Option<RedisTarget>,
}

impl Default for PacingConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window: DEFAULT_WINDOW,
            limit: None,
            redis: None,
        }
    }
}

/// The longest window the `rateLimit` option takes: a day.
const MAX_WINDOW: Duration = Duration::from_secs(86_400);

fn window_error() -> Error {
    Error::validation(
        "rateLimit.windowMs",
        "expected a number of milliseconds from 1 to 86400000 (a day)",
    )
}

fn limit_error() -> Error {
    Error::validation(
        "rateLimit.limit",
        "expected a positive integer (requests per window)",
    )
}

impl PacingConfig {
    /// The `rateLimit` option as it comes from JS (`false` → `enabled: false`; numbers as
    /// JS numbers, `redis` as the URL text), checked: the one checker of the option, naming
    /// the parameter at fault (`rateLimit.windowMs`, `rateLimit.limit`, `rateLimit.redis`).
    pub fn from_option(
        enabled: bool,
        window_ms: Option<f64>,
        limit: Option<f64>,
        redis: Option<&str>,
    ) -> Result<Self> {
        let mut c = Self {
            enabled,
            ..Self::default()
        };
        if let Some(ms) = window_ms {
            if !(ms.is_finite() && ms > 0.0 && ms <= MAX_WINDOW.as_millis() as f64) {
                return Err(window_error());
            }
            c.window = Duration::from_secs_f64(ms / 1000.0);
        }
        if let Some(l) = limit {
            if !(l.is_finite() && l.fract() == 0.0 && l >= 1.0 && l <= f64::from(u32::MAX)) {
                return Err(limit_error());
            }
            c.limit = Some(l as u32);
        }
        if let Some(url) = redis {
            c.redis = Some(RedisTarget::parse(url, "rateLimit.redis")?);
        }
        c.validate()?;
        Ok(c)
    }

    /// Checks the numbers of a configuration built in Rust, naming the option (the same
    /// rules and messages as [`PacingConfig::from_option`]).
    pub fn validate(&self) -> Result<()> {
        if self.window < Duration::from_millis(1) || self.window > MAX_WINDOW {
            return Err(window_error());
        }
        if self.limit == Some(0) {
            return Err(limit_error());
        }
        Ok(())
    }

    /// How long after its booking a slot is free again: the window, plus a margin for the time
    /// between booking and arrival at the server (1 %, between 10 ms and 1 s).
    pub fn span(&self) -> Duration {
        self.window + (self.window / 100).clamp(Duration::from_millis(10), Duration::from_secs(1))
    }
}

/// What an attempt's answer says about the limit.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Seen {
    /// HTTP status, if an answer came.
    pub status: Option<u16>,
    /// `X-RateLimit-*`.
    pub rate_limit: Option<RateLimit>,
    /// The wait a 429 from the team's limit asked for (not one of a platform's or an hourly
    /// group's quota, which carry `platform` or `details.scope`).
    pub team_pause: Option<Duration>,
}

impl Seen {
    /// Reads an attempt's outcome as the transport has it.
    pub fn of(outcome: &std::result::Result<Response, (Error, Option<Duration>)>) -> Self {
        match outcome {
            Ok(r) => Self {
                status: Some(r.status),
                rate_limit: r.rate_limit,
                team_pause: None,
            },
            Err((Error::Api(e), wait)) => Self {
                status: Some(e.status),
                rate_limit: e.rate_limit,
                team_pause: (e.status == 429 && is_team_limit(&e.body))
                    .then_some(*wait)
                    .flatten(),
            },
            Err(_) => Self::default(),
        }
    }
}

/// Whether a 429 body is the team's limit rather than an upstream platform's quota (those name
/// the `platform`) or an hourly read group's cap (`details.scope` / `quotaScope`).
fn is_team_limit(body: &str) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return true;
    };
    let present = |x: Option<&serde_json::Value>| x.is_some_and(|x| !x.is_null());
    let details = v.get("details");
    !(present(v.get("platform"))
        || present(details.and_then(|d| d.get("scope")))
        || present(details.and_then(|d| d.get("quotaScope"))))
}

/// Limits of one `acquire`: the call's `maxQueueWaitMs` and deadline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    /// Longest wait for a slot (`maxQueueWaitMs`).
    pub max_wait: Duration,
    /// The call's deadline.
    pub deadline: Option<std::time::Instant>,
    /// The whole `deadlineMs` (for the timeout error).
    pub deadline_total: Option<Duration>,
    /// Attempts already made (for the error).
    pub attempts: u32,
    /// The latest rate-limit headers (for the error).
    pub rate_limit: Option<RateLimit>,
}

impl Budget {
    /// The longest wait allowed now, and whether the deadline is what limits it.
    fn allowed(&self, now: Instant) -> (Duration, bool) {
        match self.deadline {
            Some(d) => {
                let left = tokio::time::Instant::from_std(d).saturating_duration_since(now);
                if left < self.max_wait {
                    (left, true)
                } else {
                    (self.max_wait, false)
                }
            }
            None => (self.max_wait, false),
        }
    }

    /// The call's deadline passed while it waited.
    fn deadline_passed(&self) -> Error {
        Error::timeout(
            self.deadline_total
                .map_or(0, |d| d.as_millis().min(u64::MAX as u128) as u64),
            self.attempts,
        )
    }

    /// The 429 for a wait the call cannot afford: nothing more is sent.
    fn too_long(&self, wait: Option<Duration>, by_deadline: bool) -> Error {
        let cap = if by_deadline {
            "the call's deadline (deadlineMs)"
        } else {
            "maxQueueWaitMs"
        };
        let sent = if self.attempts == 0 {
            "nothing was sent"
        } else {
            "no further attempt was made"
        };
        let message = match wait {
            Some(w) => format!(
                "rate limit: the next free slot is in {} ms, later than {cap} allows; {sent} (retry after retryAfterMs)",
                w.as_millis()
            ),
            None => format!(
                "rate limit: the calls ahead of this one did not end within {cap}; {sent}"
            ),
        };
        Error::Api(Box::new(ApiError {
            status: 429,
            message,
            code: Some("rate_limited".into()),
            error_type: Some("rate_limit_error".into()),
            retry_after_ms: wait.map(|w| w.as_millis().min(u64::MAX as u128) as u64),
            rate_limit: self.rate_limit,
            attempts: self.attempts,
            ..Default::default()
        }))
    }
}

/// A snapshot of a pacer: how it runs and what it did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacingStats {
    /// `off`, `local` (this client alone), `redis` (the shared window) or `fallback` (Redis
    /// configured but away: local, with this process's share).
    pub mode: &'static str,
    /// The limit in use (learned or configured); `None` until known.
    pub limit: Option<u32>,
    /// The window in ms.
    pub window_ms: u64,
    /// Processes seen on the shared window lately (1 without Redis).
    pub processes: u32,
    /// Calls waiting for a slot now.
    pub queued: u64,
    /// Slots granted.
    pub calls: u64,
    /// Slots granted after a wait.
    pub delayed: u64,
    /// Total wait of those, in ms.
    pub waited_ms: u64,
    /// Calls failed at once because the wait was longer than allowed.
    pub refused: u64,
    /// 429s that paused every call.
    pub pauses: u64,
    /// Times Redis failed and pacing went local.
    pub fallbacks: u64,
    /// Times it came back.
    pub rejoins: u64,
    /// Redis round trips.
    pub redis_calls: u64,
    /// Redis calls that failed or timed out.
    pub redis_errors: u64,
    /// Requests the server counted that this client did not send (from `Remaining`).
    pub absorbed: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Learned {
    /// No answer yet: one call goes out alone.
    Unknown,
    /// The limit (from the headers, or configured).
    Limit(u32),
    /// The server sends no rate-limit headers: no pacing but 429 pauses.
    NoHeaders,
}

#[derive(Debug)]
struct State {
    learned: Learned,
    /// Lone first calls in flight, and when the latest went.
    probes: u32,
    probe_started: Option<Instant>,
    window: Window,
    paused_until: Option<Instant>,
    queued: u64,
}

struct Inner {
    config: PacingConfig,
    span: Duration,
    state: Mutex<State>,
    /// Bumped when the limit becomes known or the lone first call ends.
    changed: watch::Sender<u64>,
    /// Bumped when an attempt ends (a slot may free a span later).
    ended: watch::Sender<u64>,
    shared: Option<Arc<SharedWindow>>,
    counters: Arc<Counters>,
    next_id: AtomicU64,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The pacer of one client and its clones. Cheap to clone; clones share the window.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pacer(Option<Arc<Inner>>);

/// Hex SHA-256 of the key (first 128 bits): how Redis names a team. Never the key.
fn key_hash(key: &ApiKey) -> String {
    let d = ring::digest::digest(
        &ring::digest::SHA256,
        format!("late-native/rate-limit\n{}", key.expose()).as_bytes(),
    );
    hex::encode(&d.as_ref()[..16])
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A slot for one attempt. Report the answer with [`Permit::complete`]; dropping it unreported
/// (the call was cancelled in flight) lets the next call learn the limit instead.
#[derive(Debug)]
pub(crate) struct Permit {
    inner: Option<Arc<Inner>>,
    probe: bool,
    /// The call's booking in the local window, marked done when the attempt ends.
    booking: Option<u64>,
    waited: Duration,
}

impl Permit {
    /// How long the call waited for this slot.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// Learns from the attempt's answer: the limit, the remaining count, a 429's pause.
    pub fn complete(mut self, seen: Seen) {
        let probe = std::mem::take(&mut self.probe);
        if let Some(inner) = self.inner.take() {
            inner.finished(self.booking.take());
            inner.learn(seen, probe);
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            inner.finished(self.booking.take());
            if self.probe {
                inner.learn(Seen::default(), true);
            }
        }
    }
}

/// Counts a waiting call while it waits.
struct QueueGuard<'a>(&'a Inner);

impl<'a> QueueGuard<'a> {
    fn new(inner: &'a Inner) -> Self {
        lock(&inner.state).queued += 1;
        Self(inner)
    }
}

impl Drop for QueueGuard<'_> {
    fn drop(&mut self) {
        let mut st = lock(&self.0.state);
        st.queued = st.queued.saturating_sub(1);
    }
}

enum Plan {
    Go,
    Probe,
    /// Wait for the first answer until then, at most.
    AwaitProbe(Instant),
    Sleep(Instant),
    Book(u32),
}

/// When a call may go, and whether it goes alone to learn the limit.
struct Slot {
    at: Instant,
    probe: bool,
    /// Booked in the local window: recorded there (`booked`), and checked against the answers
    /// known when its time comes with this limit (`checked`, local bookings only).
    booked: bool,
    checked: Option<u32>,
}

impl Pacer {
    /// A pacer for `config` (`enabled: false` gives one that never waits) on the key `key`;
    /// its log lines go to `notes` (stderr when `None`).
    pub fn new(config: &PacingConfig, key: &ApiKey, notes: Option<Arc<dyn NoteSink>>) -> Self {
        if !config.enabled {
            return Self(None);
        }
        let shared = config
            .redis
            .clone()
            .map(|target| Arc::new(SharedWindow::new(target, &key_hash(key))));
        let learned = config.limit.map_or(Learned::Unknown, Learned::Limit);
        Self(Some(Arc::new(Inner {
            span: config.span(),
            config: config.clone(),
            state: Mutex::new(State {
                learned,
                probes: 0,
                probe_started: None,
                window: Window::default(),
                paused_until: None,
                queued: 0,
            }),
            changed: watch::channel(0).0,
            ended: watch::channel(0).0,
            shared,
            counters: Arc::new(Counters {
                notes,
                ..Counters::default()
            }),
            next_id: AtomicU64::new(1),
        })))
    }

    /// Whether the pacer paces at all (`rateLimit` is not `false`).
    pub fn is_active(&self) -> bool {
        self.0.is_some()
    }

    /// Whether this pacer was built for `config` (a clone with the same settings shares it).
    pub fn is_for(&self, config: &PacingConfig) -> bool {
        match &self.0 {
            None => !config.enabled,
            Some(inner) => inner.config == *config,
        }
    }

    /// Waits for a slot for one attempt. Fails with a 429 `RateLimitError` when the wait would
    /// exceed `budget`, or `Aborted` when `cancel` fires while waiting.
    pub async fn acquire(&self, budget: &Budget, cancel: &CancellationToken) -> Result<Permit> {
        match &self.0 {
            None => Ok(Permit {
                inner: None,
                probe: false,
                booking: None,
                waited: Duration::ZERO,
            }),
            Some(inner) => inner.acquire(budget, cancel).await,
        }
    }

    /// What the pacer is doing and did.
    pub fn stats(&self) -> PacingStats {
        let Some(inner) = &self.0 else {
            return PacingStats {
                mode: "off",
                processes: 1,
                ..Default::default()
            };
        };
        let c = &inner.counters;
        let st = lock(&inner.state);
        let (mode, processes) = match &inner.shared {
            None => ("local", 1),
            Some(s) if s.is_up() => ("redis", s.processes()),
            Some(s) => ("fallback", s.processes()),
        };
        PacingStats {
            mode,
            limit: match st.learned {
                Learned::Limit(l) => Some(l),
                _ => None,
            },
            window_ms: inner.config.window.as_millis() as u64,
            processes,
            queued: st.queued,
            calls: Counters::get(&c.calls),
            delayed: Counters::get(&c.delayed),
            waited_ms: Counters::get(&c.waited_ms),
            refused: Counters::get(&c.refused),
            pauses: Counters::get(&c.pauses),
            fallbacks: Counters::get(&c.fallbacks),
            rejoins: Counters::get(&c.rejoins),
            redis_calls: Counters::get(&c.redis_calls),
            redis_errors: Counters::get(&c.redis_errors),
            absorbed: Counters::get(&c.absorbed),
        }
    }
}

/// Sleeps until `at` unless `cancel` fires first (then `false`).
async fn sleep_until(at: Instant, cancel: &CancellationToken) -> bool {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => false,
        _ = tokio::time::sleep_until(at) => true,
    }
}

impl Inner {
    /// What to do now; `impatient`: this call waited for a first answer long enough.
    fn plan(&self, now: Instant, impatient: bool) -> Plan {
        let mut st = lock(&self.state);
        if let Some(p) = st.paused_until.filter(|p| *p > now) {
            return Plan::Sleep(p);
        }
        match st.learned {
            Learned::Limit(l) => Plan::Book(l),
            Learned::NoHeaders => Plan::Go,
            Learned::Unknown => match st.probe_started {
                Some(t)
                    if st.probes >= UNKNOWN_BURST
                        && !impatient
                        && now < t + FIRST_ANSWER_PATIENCE =>
                {
                    Plan::AwaitProbe(t + FIRST_ANSWER_PATIENCE)
                }
                _ => {
                    st.probes += 1;
                    st.probe_started = Some(now);
                    Plan::Probe
                }
            },
        }
    }

    fn granted(
        &self,
        start: Instant,
        probe: bool,
        booking: Option<u64>,
        this: &Arc<Inner>,
    ) -> Permit {
        let waited = start.elapsed();
        Counters::add(&self.counters.calls, 1);
        if waited >= Duration::from_millis(1) {
            Counters::add(&self.counters.delayed, 1);
            Counters::add(&self.counters.waited_ms, waited.as_millis() as u64);
        }
        Permit {
            inner: Some(this.clone()),
            probe,
            booking,
            waited,
        }
    }

    async fn acquire(
        self: &Arc<Self>,
        budget: &Budget,
        cancel: &CancellationToken,
    ) -> Result<Permit> {
        let start = Instant::now();
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let _queued = QueueGuard::new(self);
        // A shared booking made stale by a pause, dropped when booking again.
        let mut stale: Option<String> = None;
        // Since when this call waits for a first answer (the limit still unknown).
        let mut awaiting: Option<Instant> = None;
        let refuse = |wait: Option<Duration>, by_deadline: bool| {
            Counters::add(&self.counters.refused, 1);
            budget.too_long(wait, by_deadline)
        };
        loop {
            if cancel.is_cancelled() {
                return Err(Error::aborted());
            }
            let now = Instant::now();
            let (allowed, by_deadline) = budget.allowed(now);
            let mut changed = self.changed.subscribe();
            let impatient = awaiting.is_some_and(|t| now >= t + FIRST_ANSWER_PATIENCE);
            let limit = match self.plan(now, impatient) {
                Plan::Go => return Ok(self.granted(start, false, None, self)),
                Plan::Probe => None,
                Plan::Book(limit) => Some(limit),
                Plan::AwaitProbe(patience) => {
                    let patience =
                        patience.min(*awaiting.get_or_insert(now) + FIRST_ANSWER_PATIENCE);
                    let deadline = now + allowed;
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return Err(Error::aborted()),
                        _ = changed.changed() => {}
                        _ = tokio::time::sleep_until(patience) => {}
                        _ = tokio::time::sleep_until(deadline), if by_deadline => {
                            return Err(budget.deadline_passed());
                        }
                    }
                    continue;
                }
                Plan::Sleep(until) => {
                    let wait = until - now;
                    if wait > allowed {
                        return Err(refuse(Some(wait), by_deadline));
                    }
                    if !sleep_until(until, cancel).await {
                        return Err(Error::aborted());
                    }
                    continue;
                }
            };
            let slot = self.book(limit, allowed, id, &mut stale, cancel).await;
            let slot = match slot {
                Ok(Ok(slot)) => slot,
                Ok(Err(wait)) => {
                    self.end_probe(limit.is_none());
                    return Err(refuse(Some(wait), by_deadline));
                }
                Err(e) => {
                    self.end_probe(limit.is_none());
                    return Err(e);
                }
            };
            if !slot.probe {
                // The fleet knew the limit: no lone first call needed.
                self.end_probe(limit.is_none());
            }
            let ready = match slot.checked {
                None => sleep_until(slot.at, cancel).await,
                Some(limit) => {
                    self.wait_checked(id, slot.at, limit, budget, cancel)
                        .await?
                }
            };
            if !ready {
                self.release(id);
                self.end_probe(slot.probe);
                return Err(Error::aborted());
            }
            // A 429 while this call waited: book again after the pause.
            let paused = lock(&self.state)
                .paused_until
                .is_some_and(|p| p > Instant::now());
            if !paused {
                let booking = slot.booked.then_some(id);
                return Ok(self.granted(start, slot.probe, booking, self));
            }
            self.end_probe(slot.probe);
            lock(&self.state).window.remove(id);
            stale = self.shared.as_ref().map(|s| s.member(id));
        }
    }

    /// Waits until `at`, then until fewer than `limit` requests booked before this one may
    /// still count at the server (see [`Window::check`]). `false`: cancelled.
    async fn wait_checked(
        &self,
        id: u64,
        at: Instant,
        limit: u32,
        budget: &Budget,
        cancel: &CancellationToken,
    ) -> Result<bool> {
        if !sleep_until(at, cancel).await {
            return Ok(false);
        }
        // The calls ahead are given `maxQueueWaitMs` (or what is left of the deadline) to end.
        let mut give_up: Option<Instant> = None;
        loop {
            let mut ended = self.ended.subscribe();
            let now = Instant::now();
            let check = lock(&self.state).window.check(id, now, limit, self.span);
            let Check::Wait(until) = check else {
                return Ok(true);
            };
            let (allowed, by_deadline) = budget.allowed(now);
            let give_up = *give_up.get_or_insert(now + allowed);
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Ok(false),
                _ = ended.changed() => {}
                _ = tokio::time::sleep_until(until.unwrap_or(give_up)), if until.is_some() => {}
                _ = tokio::time::sleep_until(give_up) => {
                    self.release(id);
                    if by_deadline {
                        return Err(budget.deadline_passed());
                    }
                    Counters::add(&self.counters.refused, 1);
                    return Err(budget.too_long(until.map(|t| t.saturating_duration_since(now)), false));
                }
            }
        }
    }

    /// An attempt ended: its slot frees a span from now. An answer later than the margin
    /// covers is written to the shared window too.
    fn finished(&self, booking: Option<u64>) {
        let Some(id) = booking else {
            return;
        };
        let now = Instant::now();
        let booked = lock(&self.state).window.done(id, now);
        self.ended.send_modify(|g| *g = g.wrapping_add(1));
        if let (Some(shared), Some(at)) = (&self.shared, booked) {
            if now.saturating_duration_since(at) > self.span - self.config.window && shared.is_up()
            {
                shared.answered_late(self.counters.clone(), shared.member(id), now, self.span);
            }
        }
    }

    /// Ends a lone first call that will not be sent after all.
    fn end_probe(&self, probe: bool) {
        if probe {
            let mut st = lock(&self.state);
            st.probes = st.probes.saturating_sub(1);
            drop(st);
            self.changed.send_modify(|g| *g = g.wrapping_add(1));
        }
    }

    /// Sets the limit the fleet learned, unless this client has its own.
    fn learn_limit(&self, limit: u32) {
        if self.config.limit.is_some() || limit == 0 {
            return;
        }
        let mut st = lock(&self.state);
        if st.learned != Learned::Limit(limit) {
            st.learned = Learned::Limit(limit);
            drop(st);
            self.changed.send_modify(|g| *g = g.wrapping_add(1));
        }
    }

    /// Books a slot (`limit` `None`: not known yet): in the shared window when Redis is up,
    /// else locally (with this process's share of the limit while Redis is away). `Ok(Err(wait))`:
    /// longer than `allowed`.
    async fn book(
        &self,
        limit: Option<u32>,
        allowed: Duration,
        id: u64,
        stale: &mut Option<String>,
        cancel: &CancellationToken,
    ) -> Result<std::result::Result<Slot, Duration>> {
        let mut local_limit = limit;
        if let Some(shared) = &self.shared {
            let route = shared.route(Instant::now());
            let mut use_redis = route != Route::Local;
            if route == Route::Rejoin {
                let bookings = lock(&self.state).window.calls(Instant::now(), self.span);
                use_redis = tokio::select! {
                    biased;
                    _ = cancel.cancelled() => return Err(Error::aborted()),
                    r = shared.replay(&self.counters, self.span, &bookings) => r.is_ok(),
                };
            }
            if use_redis {
                let member = shared.member(id);
                let answer = tokio::select! {
                    biased;
                    _ = cancel.cancelled() => return Err(Error::aborted()),
                    r = shared.book(&self.counters, limit.unwrap_or(0), self.span, allowed, &member, stale.as_deref()) => r,
                };
                match answer {
                    Ok(booking) => {
                        *stale = None;
                        if let Some(e) = shared.succeeded() {
                            self.counters.report(e);
                        }
                        return Ok(self.booked(booking, limit.is_none(), id));
                    }
                    Err(reason) => {
                        let share = (limit.unwrap_or(0) / shared.processes()).max(1);
                        if let Some(e) = shared.failed(reason, share) {
                            self.counters.report(e);
                        }
                    }
                }
            }
            local_limit = limit.map(|l| l / shared.processes());
        }
        let now = Instant::now();
        Ok(match local_limit {
            // A call of the cold burst: booked now, so that once an answer teaches the limit the
            // burst counts against it (and against what the server says was used).
            None => {
                lock(&self.state).window.insert(now, Holder::Call(id));
                Ok(Slot {
                    at: now,
                    probe: true,
                    booked: true,
                    checked: None,
                })
            }
            Some(l) => lock(&self.state)
                .window
                .book(now, l.max(1), self.span, allowed, id)
                .map(|at| Slot {
                    at,
                    probe: false,
                    booked: true,
                    checked: Some(l.max(1)),
                }),
        })
    }

    /// Records what the shared window answered.
    fn booked(
        &self,
        booking: Booking,
        unknown: bool,
        id: u64,
    ) -> std::result::Result<Slot, Duration> {
        let now = Instant::now();
        match booking {
            Booking::TooLong { wait, limit } => {
                self.learn_limit(limit);
                Err(wait)
            }
            Booking::Booked { wait, pause, limit } => {
                self.learn_limit(limit);
                let at = now + wait;
                let mut st = lock(&self.state);
                st.window.insert(at, Holder::Call(id));
                if !pause.is_zero() {
                    let until = now + pause;
                    st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
                }
                // Checked against this process's own answers when its time comes: exact when
                // it is alone on the key, and never wrong with others.
                Ok(Slot {
                    at,
                    probe: unknown && limit == 0,
                    booked: true,
                    checked: (limit > 0).then_some(limit),
                })
            }
        }
    }

    /// Gives back the slot of a call cancelled while it waited.
    fn release(&self, id: u64) {
        lock(&self.state).window.remove(id);
        if let Some(shared) = &self.shared {
            if shared.is_up() {
                shared.release(self.counters.clone(), shared.member(id));
            }
        }
    }

    /// Learns from an answer (or from a lone first call that ended without one).
    fn learn(&self, seen: Seen, probe: bool) {
        let now = Instant::now();
        let mut notify = probe;
        let mut pause = None;
        {
            let mut st = lock(&self.state);
            if probe {
                st.probes = st.probes.saturating_sub(1);
            }
            let server_limit = seen.rate_limit.and_then(|r| r.limit).filter(|l| *l > 0);
            if self.config.limit.is_none() {
                if let Some(l) = server_limit {
                    let l = l.min(u32::MAX as u64) as u32;
                    if st.learned != Learned::Limit(l) {
                        st.learned = Learned::Limit(l);
                        notify = true;
                    }
                } else if st.learned == Learned::Unknown
                    && seen.status.is_some()
                    && seen.rate_limit.is_none()
                {
                    // An answer without the headers (the API sends them on every answer): no
                    // pacing until some answer has them.
                    st.learned = Learned::NoHeaders;
                    notify = true;
                }
            }
            // Alone on the key (no Redis), the server's count is the only news of other users.
            if self.shared.is_none() {
                if let (Some(l), Some(rem)) =
                    (server_limit, seen.rate_limit.and_then(|r| r.remaining))
                {
                    let used = l.saturating_sub(rem).min(u32::MAX as u64) as u32;
                    let first_free = seen
                        .rate_limit
                        .and_then(|r| r.reset_at)
                        .map(|s| at_unix(s, now));
                    let n = st
                        .window
                        .absorb(now, used, self.config.window, self.span, first_free);
                    Counters::add(&self.counters.absorbed, n as u64);
                }
            }
            if let Some(wait) = seen.team_pause.filter(|w| !w.is_zero()) {
                let until = now + wait;
                st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
                pause = Some(wait);
            }
        }
        if let Some(wait) = pause {
            self.counters.report(PacingEvent::Paused { wait });
            if let Some(shared) = &self.shared {
                if shared.is_up() {
                    shared.pause_fleet(self.counters.clone(), wait);
                }
            }
        }
        if notify {
            self.changed.send_modify(|g| *g = g.wrapping_add(1));
        }
    }
}

/// The instant of Unix time `secs` (the server's `X-RateLimit-Reset`).
fn at_unix(secs: u64, now: Instant) -> Instant {
    let unix_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let at = Duration::from_secs(secs);
    if at <= unix_now {
        now
    } else {
        now + (at - unix_now).min(Duration::from_secs(86_400))
    }
}

#[cfg(test)]
mod tests;
