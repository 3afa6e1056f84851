//! The default-profile cache: `GET /v1/profiles` looked up once per account and shared by a
//! client and its clones — with every caller bounded by its own options while it waits.
//!
//! One lookup runs at a time: the first caller that needs the id *leads* it, with its own
//! options and cancel token. A caller that needs the id meanwhile waits for that lookup, but
//! only as long as its own options allow: its cancel token, its deadline, and one attempt's
//! `timeout` (waiting for another call's request counts as one attempt of its own). When the
//! lookup it waited for fails, is cancelled, or outlasts that wait, it makes its own. Only a
//! success is cached, so a failed or aborted lookup never poisons the cache or the next caller.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::base::error::{Error, Result};
use crate::wire::request::CallOptions;

/// The cached id and the lookup in flight, if any.
#[derive(Debug, Default)]
pub(crate) struct DefaultProfile {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    id: Option<String>,
    /// Closed (its sender dropped) when the lookup in flight ends, however it ends.
    in_flight: Option<watch::Receiver<()>>,
}

/// What a caller does next.
enum Step<'a> {
    Ready(String),
    Lead(Leader<'a>),
    Join(watch::Receiver<()>),
}

/// The lookup a caller leads; dropping it (success, failure or cancellation) wakes the waiters.
struct Leader<'a> {
    owner: &'a DefaultProfile,
    done: Option<watch::Sender<()>>,
    mine: watch::Receiver<()>,
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        if let Ok(mut state) = self.owner.state.lock() {
            if state
                .in_flight
                .as_ref()
                .is_some_and(|rx| rx.same_channel(&self.mine))
            {
                state.in_flight = None;
            }
        }
        drop(self.done.take());
    }
}

impl DefaultProfile {
    fn next_step(&self) -> Step<'_> {
        let Ok(mut state) = self.state.lock() else {
            // A poisoned lock only means a panic elsewhere: look the id up without sharing.
            let (tx, rx) = watch::channel(());
            return Step::Lead(Leader {
                owner: self,
                done: Some(tx),
                mine: rx,
            });
        };
        if let Some(id) = &state.id {
            return Step::Ready(id.clone());
        }
        if let Some(rx) = &state.in_flight {
            return Step::Join(rx.clone());
        }
        let (tx, rx) = watch::channel(());
        state.in_flight = Some(rx.clone());
        Step::Lead(Leader {
            owner: self,
            done: Some(tx),
            mine: rx,
        })
    }

    fn store(&self, id: &str) {
        if let Ok(mut state) = self.state.lock() {
            state.id = Some(id.to_string());
        }
    }

    /// The default profile's id: cached, or from the lookup in flight, or from `lookup(opts)`
    /// run by this caller. `default_timeout` is the client's per-attempt timeout, used when
    /// `opts` has none. The options passed to `lookup` carry what is left of the deadline.
    pub(crate) async fn get<F, Fut>(
        &self,
        opts: &CallOptions,
        default_timeout: Duration,
        cancel: &CancellationToken,
        lookup: F,
    ) -> Result<String>
    where
        F: Fn(CallOptions) -> Fut,
        Fut: Future<Output = Result<String>>,
    {
        let started = Instant::now();
        let deadline = opts.deadline.map(|d| started + d);
        let wait_until = {
            let one_attempt = started + opts.timeout.unwrap_or(default_timeout);
            deadline.map_or(one_attempt, |d| d.min(one_attempt))
        };
        loop {
            if cancel.is_cancelled() {
                return Err(Error::aborted());
            }
            let mut done = match self.next_step() {
                Step::Ready(id) => return Ok(id),
                Step::Lead(leader) => {
                    let result = lookup(opts.left_since(started)?).await;
                    if let Ok(id) = &result {
                        self.store(id);
                    }
                    drop(leader);
                    return result;
                }
                Step::Join(rx) => rx,
            };
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(Error::aborted()),
                // Ended: the id is cached now, or that lookup failed and this caller leads or
                // joins the next one.
                _ = done.changed() => continue,
                _ = tokio::time::sleep_until(wait_until.into()) => {
                    let result = lookup(opts.left_since(started)?).await;
                    if let Ok(id) = &result {
                        self.store(id);
                    }
                    return result;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    fn opts(timeout_ms: u64, deadline_ms: Option<u64>) -> CallOptions {
        CallOptions {
            timeout: Some(Duration::from_millis(timeout_ms)),
            deadline: deadline_ms.map(Duration::from_millis),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_lookup_and_the_cache() {
        let cache = Arc::new(DefaultProfile::default());
        let calls = Arc::new(AtomicU32::new(0));
        let run = |cache: Arc<DefaultProfile>, calls: Arc<AtomicU32>| async move {
            cache
                .get(
                    &opts(5_000, None),
                    Duration::from_secs(60),
                    &CancellationToken::new(),
                    |_| {
                        let calls = calls.clone();
                        async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok("p_1".to_string())
                        }
                    },
                )
                .await
        };
        let (a, b, c) = tokio::join!(
            run(cache.clone(), calls.clone()),
            run(cache.clone(), calls.clone()),
            run(cache.clone(), calls.clone())
        );
        assert_eq!(
            (a.unwrap(), b.unwrap(), c.unwrap()),
            ("p_1".into(), "p_1".into(), "p_1".into())
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let again = run(cache.clone(), calls.clone()).await.unwrap();
        assert_eq!(again, "p_1");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "served from the cache");
    }

    #[tokio::test]
    async fn a_waiter_honours_its_own_cancel_and_deadline() {
        let cache = Arc::new(DefaultProfile::default());
        let slow = cache.clone();
        let leader = tokio::spawn(async move {
            slow.get(
                &opts(60_000, None),
                Duration::from_secs(60),
                &CancellationToken::new(),
                |_| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Ok("p_1".to_string())
                },
            )
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // Cancelled while waiting: rejects at once, not when the leader's lookup ends.
        let token = CancellationToken::new();
        let t = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            t.cancel();
        });
        let started = Instant::now();
        let err = cache
            .get(
                &opts(200, Some(300)),
                Duration::from_secs(60),
                &token,
                |_| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    Ok("never".to_string())
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Aborted { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        // Deadline while waiting, then its own lookup cut by what is left of the deadline.
        let started = Instant::now();
        let err = cache
            .get(
                &opts(200, Some(300)),
                Duration::from_secs(60),
                &CancellationToken::new(),
                |o| async move {
                    let left = o.deadline.expect("the deadline is passed on");
                    assert!(left <= Duration::from_millis(300));
                    tokio::time::sleep(left).await;
                    Err(Error::timeout(left.as_millis() as u64, 1))
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        leader.abort();
    }

    #[tokio::test]
    async fn a_failed_or_cancelled_lookup_does_not_poison_the_next_caller() {
        let cache = DefaultProfile::default();
        let err = cache
            .get(
                &opts(1_000, None),
                Duration::from_secs(60),
                &CancellationToken::new(),
                |_| async { Err(Error::validation("profileId", "no profile")) },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }));
        let cancelled = CancellationToken::new();
        cancelled.cancel();
        assert!(matches!(
            cache
                .get(
                    &opts(1_000, None),
                    Duration::from_secs(60),
                    &cancelled,
                    |_| async { Ok("x".to_string()) }
                )
                .await,
            Err(Error::Aborted { .. })
        ));
        let id = cache
            .get(
                &opts(1_000, None),
                Duration::from_secs(60),
                &CancellationToken::new(),
                |_| async { Ok("p_2".to_string()) },
            )
            .await
            .unwrap();
        assert_eq!(id, "p_2");
    }

    #[tokio::test]
    async fn waiters_take_over_when_the_leader_fails() {
        let cache = Arc::new(DefaultProfile::default());
        let first = cache.clone();
        let leader = tokio::spawn(async move {
            first
                .get(
                    &opts(5_000, None),
                    Duration::from_secs(60),
                    &CancellationToken::new(),
                    |_| async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(Error::validation("profileId", "boom"))
                    },
                )
                .await
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let id = cache
            .get(
                &opts(5_000, None),
                Duration::from_secs(60),
                &CancellationToken::new(),
                |_| async { Ok("p_3".to_string()) },
            )
            .await
            .unwrap();
        assert_eq!(id, "p_3");
        assert!(leader.await.unwrap().is_err());
    }
}
