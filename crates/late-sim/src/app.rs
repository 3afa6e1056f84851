//! The shared state behind every route: configuration, data, faults, request log, limiter
//! and the task tracker used for a clean shutdown.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::actions::Actions;
use crate::config::SimConfig;
use crate::faults::FaultSet;
use crate::ids::IdGen;
use crate::ratelimit::RateLimiter;
use crate::recorder::Recorder;
use crate::state::SimState;

/// Everything a running simulator shares between its tasks.
pub(crate) struct App {
    pub config: SimConfig,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    pub ids: IdGen,
    pub state: Mutex<SimState>,
    pub faults: Mutex<FaultSet>,
    pub recorder: Mutex<Recorder>,
    /// Every action done, to find a call done twice.
    pub actions: Mutex<Actions>,
    pub limiter: Mutex<RateLimiter>,
    pub tracker: TaskTracker,
    pub shutdown: CancellationToken,
    pub http: reqwest::Client,
}

pub(crate) type Shared = Arc<App>;

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    /// The data lock.
    pub fn state(&self) -> MutexGuard<'_, SimState> {
        lock(&self.state)
    }

    /// `http://127.0.0.1:PORT/api`
    pub fn base_url(&self) -> String {
        format!("{}/api", self.origin)
    }

    /// Whether `header` is exactly `Bearer <configured key>`.
    pub fn is_own_authorization(&self, header: &str) -> bool {
        header
            .strip_prefix("Bearer ")
            .is_some_and(|k| k == self.config.api_key)
    }

    /// Spawns a task that is awaited on shutdown.
    pub fn spawn<F>(&self, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.tracker.spawn(fut);
    }
}
