//! An in-memory simulator of the Late / Zernio social-media API, served on 127.0.0.1.
//!
//! It follows the vendor's OpenAPI spec for the core routes (profiles, accounts, connect with a
//! consent page, posts with `Idempotency-Key`, media presign + upload, webhook settings with
//! signed deliveries, auth verify), sends rate-limit headers, and can inject faults (status
//! codes with `Retry-After`, delays, dropped connections, malformed bodies) for tests.
//!
//! ```no_run
//! # async fn demo() -> Result<(), late_sim::SimError> {
//! let sim = late_sim::start(late_sim::SimConfig::default()).await?;
//! println!("{} {}", sim.base_url(), sim.api_key());
//! sim.inject_fault(late_sim::Fault::status("GET /v1/accounts", 503).retry_after(1));
//! sim.close().await;
//! # Ok(()) }
//! ```
//!
//! Admin routes (no auth): `GET|POST|DELETE /__sim/faults`, `GET|DELETE /__sim/requests`,
//! `GET /__sim/state`, `GET /__sim/ratelimit`, `POST /__sim/reset`, `POST /__sim/accounts`.
//!
//! The modules form no cycle (late-core's `tests/structure.rs` checks it); each uses only the
//! ones before it: the data (`time`, `ids`, `error`, `config`, `faults`, `recorder`,
//! `ratelimit`, `actions`, `state`, `multipart`, `consent_page`) → `app` (the shared state) →
//! `extract`, `middleware`, `idempotency`, `webhook_delivery` → `routes/` (a file per area of the
//! API, `routes/mod.rs` the router) → `server` → `simulator`.

#![deny(missing_docs)]

mod actions;
mod app;
mod config;
mod consent_page;
mod error;
mod extract;
mod faults;
mod idempotency;
mod ids;
mod middleware;
mod multipart;
mod ratelimit;
mod recorder;
mod routes;
mod server;
mod simulator;
mod state;
mod time;
mod webhook_delivery;

pub use config::{SimConfig, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET};
pub use error::SimError;
pub use faults::{Fault, FaultAction};
pub use ratelimit::{parse_limit as parse_rate_limit, DEFAULT_WINDOW as DEFAULT_RATE_LIMIT_WINDOW};
pub use recorder::RecordedRequest;
pub use routes::connect::{ConsentOutcome, CONNECT_PLATFORMS};
pub use simulator::Simulator;
pub use webhook_delivery::sign as sign_webhook;

/// Starts a simulator on `127.0.0.1:config.port` (`0` = a free port) and returns once it
/// accepts connections. Must be called inside a tokio runtime.
pub async fn start(config: SimConfig) -> Result<Simulator, SimError> {
    server::start(config).await.map(Simulator::new)
}
