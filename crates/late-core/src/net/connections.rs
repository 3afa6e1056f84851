//! What the pool's connections do: a connector layer that sees each new connection (and whether
//! ALPN chose HTTP/2), and the gate that keeps a cold burst of calls on one connection.
//!
//! hyper opens a connection per waiting request while it does not yet know that the origin
//! speaks HTTP/2 (ALPN is only known after the TLS handshake), so 20 calls made at once on a cold
//! client would open 20 TCP + TLS connections and then throw 19 away. The gate lets one call
//! (the leader) connect first; the others wait until its connection is up (or its response is
//! in, or it failed), then go: over HTTP/2 they multiplex on that one connection, over HTTP/1.1
//! they open their own as before. Waiting happens inside each call's own attempt timeout and
//! cancellation. After the pool has been idle long enough to have closed its connections, the
//! next burst is gated again.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::client::legacy::connect::Connection;
use tokio::sync::Notify;

/// How long a leader may hold the others back before they go anyway.
const PROBE_LIMIT: Duration = Duration::from_secs(10);
/// After the leader's connection negotiated HTTP/2, how long the others give hyper to finish
/// the HTTP/2 handshake and pool the connection (local work, microseconds, no round trip) before
/// they look for it: released at once, a waiter on another thread can find the pool still empty
/// and open a connection of its own. Missing it costs a spare connection, never latency (the
/// waiter's request still goes out on the first connection pooled), so this stays short: it is
/// added once to a cold burst.
const SETTLE: Duration = Duration::from_millis(8);

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Nothing known: the next call leads.
    Unknown,
    /// A leader is connecting.
    Probing(Instant),
    /// The leader's connection is up (HTTP/2 when `h2`) since `at`; known until `until`.
    Connected {
        at: Instant,
        h2: bool,
        until: Instant,
    },
    /// The origin's protocol is known and a connection is probably pooled, until the instant.
    Known(Instant),
}

/// Shared by every clone of a client that uses the same pool.
#[derive(Debug)]
pub(crate) struct Connections {
    phase: Mutex<Phase>,
    changed: Notify,
    idle: Duration,
    opened: AtomicU64,
    gated: bool,
}

/// Held by the leader of a gated burst; releases the others when dropped without a verdict
/// (the leader was cancelled or timed out).
#[derive(Debug)]
pub(crate) struct Lead {
    conns: Option<Arc<Connections>>,
}

impl Lead {
    /// Not a leader (the gate was open).
    pub fn none() -> Self {
        Self { conns: None }
    }

    /// The leader got a response: the origin's connection is up.
    pub fn done(mut self) {
        if let Some(c) = self.conns.take() {
            c.mark_known();
        }
    }
}

impl Drop for Lead {
    fn drop(&mut self) {
        if let Some(c) = self.conns.take() {
            c.reset_probe();
        }
    }
}

impl Connections {
    /// `gated`: whether bursts wait for the first connection (https with HTTP/2 allowed).
    /// `idle`: the pool's idle timeout, after which the protocol is considered unknown again.
    pub fn new(gated: bool, idle: Duration) -> Arc<Self> {
        Arc::new(Self {
            phase: Mutex::new(Phase::Unknown),
            changed: Notify::new(),
            idle,
            opened: AtomicU64::new(0),
            gated,
        })
    }

    /// Connections opened so far.
    pub fn opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    fn with_phase<R>(&self, f: impl FnOnce(&mut Phase) -> R) -> R {
        let mut g = match self.phase.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }

    fn mark_known(&self) {
        self.with_phase(|p| *p = Phase::Known(Instant::now() + self.idle));
        self.changed.notify_waiters();
    }

    fn reset_probe(&self) {
        let changed = self.with_phase(|p| match p {
            Phase::Probing(_) => {
                *p = Phase::Unknown;
                true
            }
            _ => false,
        });
        if changed {
            self.changed.notify_waiters();
        }
    }

    /// A response arrived: keep the protocol known for another idle period.
    pub fn touch(&self) {
        if self.gated {
            self.with_phase(|p| {
                if let Phase::Known(_) | Phase::Connected { .. } = p {
                    *p = Phase::Known(Instant::now() + self.idle);
                }
            });
        }
    }

    /// Waits until this call may connect: at once when the gate is open or the protocol is
    /// known; as the leader when nobody is connecting; else until the leader's connection is up.
    pub async fn enter(self: &Arc<Self>) -> Lead {
        if !self.gated {
            return Lead::none();
        }
        loop {
            let notified = self.changed.notified();
            let lead = self.with_phase(|p| {
                let now = Instant::now();
                match *p {
                    Phase::Known(until) if now < until => Some(false),
                    Phase::Connected { until, .. } if now < until => Some(false),
                    Phase::Probing(since) if now.duration_since(since) < PROBE_LIMIT => None,
                    _ => {
                        *p = Phase::Probing(now);
                        Some(true)
                    }
                }
            });
            match lead {
                Some(true) => {
                    return Lead {
                        conns: Some(self.clone()),
                    }
                }
                Some(false) => {
                    let settle = self.with_phase(|p| match *p {
                        Phase::Connected { at, h2: true, .. } => Some(at + SETTLE),
                        _ => None,
                    });
                    if let Some(at) = settle {
                        tokio::time::sleep_until(at.into()).await;
                    }
                    return Lead::none();
                }
                None => {
                    // Bounded, so that a leader stuck in a slow connect cannot hold the others
                    // past PROBE_LIMIT even if no notification comes.
                    let _ = tokio::time::timeout(PROBE_LIMIT, notified).await;
                }
            }
        }
    }

    fn on_connected(&self, h2: bool) {
        self.opened.fetch_add(1, Ordering::Relaxed);
        if self.gated {
            let now = Instant::now();
            let released = self.with_phase(|p| match p {
                Phase::Probing(_) => {
                    *p = Phase::Connected {
                        at: now,
                        h2,
                        until: now + self.idle,
                    };
                    true
                }
                _ => false,
            });
            if released {
                self.changed.notify_waiters();
            }
        }
    }
}

/// The connector layer: wraps reqwest's connector to see each connection it opens.
#[derive(Clone, Debug)]
pub(crate) struct SeeConnections(pub Arc<Connections>);

impl<S> tower_layer::Layer<S> for SeeConnections {
    type Service = Seen<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Seen {
            inner,
            conns: self.0.clone(),
        }
    }
}

/// The connector wrapped by [`SeeConnections`].
#[derive(Clone, Debug)]
pub(crate) struct Seen<S> {
    inner: S,
    conns: Arc<Connections>,
}

impl<S, R> tower_service::Service<R> for Seen<S>
where
    S: tower_service::Service<R>,
    S::Response: Connection,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        let fut = self.inner.call(req);
        let conns = self.conns.clone();
        Box::pin(async move {
            let conn = fut.await?;
            conns.on_connected(conn.connected().is_negotiated_h2());
            Ok(conn)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_leader_then_the_others_go_when_it_connects() {
        let c = Connections::new(true, Duration::from_secs(30));
        let lead = c.enter().await;
        assert!(lead.conns.is_some(), "the first call leads");
        let c2 = c.clone();
        let waiter = tokio::spawn(async move { c2.enter().await.conns.is_none() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiter.is_finished(), "the second waits for the leader");
        c.on_connected(true);
        assert!(waiter.await.unwrap(), "released, not a leader");
        assert_eq!(c.opened(), 1);
        drop(lead);
        assert!(c.enter().await.conns.is_none(), "known: no more gating");
    }

    #[tokio::test]
    async fn a_leader_dropped_without_a_connection_hands_over() {
        let c = Connections::new(true, Duration::from_secs(30));
        let lead = c.enter().await;
        let c2 = c.clone();
        let waiter = tokio::spawn(async move { c2.enter().await.conns.is_some() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(lead);
        assert!(waiter.await.unwrap(), "the waiter becomes the next leader");
    }

    #[tokio::test]
    async fn ungated_never_waits() {
        let c = Connections::new(false, Duration::from_secs(30));
        let a = c.enter().await;
        let b = c.enter().await;
        assert!(a.conns.is_none() && b.conns.is_none());
    }
}
