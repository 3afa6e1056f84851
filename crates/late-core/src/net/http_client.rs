//! The pooled HTTP client and the settings that shape it: trust, proxy, HTTP/2.
//!
//! - HTTP/2 is negotiated by ALPN on https (HTTP/1.1 when the server does not offer it); plain
//!   http stays HTTP/1.1. Flow-control windows are large (8 MiB per stream, 16 MiB per connection): with the 64 KB default a
//!   big list over a 40 ms round trip is several times slower than over HTTP/1.1.
//! - Trust: the platform's store plus the extra roots (see [`crate::net::tls`]).
//! - Proxy: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` from the environment by
//!   default (reqwest reads them when the client is built), an explicit proxy URL (which also
//!   honours `NO_PROXY`), or none.
//! - Redirects: at most 5; reqwest drops `Authorization` when a redirect leaves the origin.
//!
//! Bodies are decompressed by [`crate::wire::decode`], not by reqwest, so the transport sees the
//! bytes on the wire and caps the decoded size.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::CertificateDer;

use crate::base::error::{Error, Result};
use crate::net::connections::{Connections, SeeConnections};

/// How long an idle pooled connection is kept.
pub(crate) const POOL_IDLE: Duration = Duration::from_secs(30);

/// Which proxy to use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// From the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).
    #[default]
    Environment,
    /// No proxy, whatever the environment says.
    Disabled,
    /// This proxy URL (`http://user:pass@host:port`); `NO_PROXY` still applies.
    Url(String),
}

/// The settings that need a client (and pool) of their own. Two configurations with equal
/// settings can share one pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkSettings {
    /// Extra trusted roots, DER, added to the platform store.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// The proxy.
    pub proxy: ProxySetting,
    /// Whether HTTP/2 may be negotiated.
    pub http2: bool,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        Self {
            extra_roots: Vec::new(),
            proxy: ProxySetting::Environment,
            http2: true,
        }
    }
}

/// A pooled client and what it observes of its connections.
#[derive(Clone, Debug)]
pub(crate) struct HttpClient {
    /// The reqwest client (cheap to clone; clones share the pool).
    pub client: reqwest::Client,
    /// Connection counts and the cold-burst gate.
    pub connections: Arc<Connections>,
    /// The settings it was built with.
    pub settings: Arc<NetworkSettings>,
}

impl HttpClient {
    /// Builds a client for `settings`. `https` says whether the API origin is https (bursts are
    /// gated only where HTTP/2 can be negotiated).
    pub fn build(settings: NetworkSettings, https: bool) -> Result<Self> {
        let connections = Connections::new(https && settings.http2, POOL_IDLE);
        let tls = crate::net::tls::client_config(settings.extra_roots.clone(), settings.http2)?;
        let mut b = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(POOL_IDLE)
            .redirect(reqwest::redirect::Policy::limited(5))
            .connector_layer(SeeConnections(connections.clone()));
        b = if settings.http2 {
            // 64 KiB frames: a quarter of the frame headers of the 16 KiB default on a large
            // body, while a frame is still small enough to hand on as it streams in.
            b.http2_initial_stream_window_size(8 * 1024 * 1024)
                .http2_initial_connection_window_size(16 * 1024 * 1024)
                .http2_max_frame_size(64 * 1024)
        } else {
            b.http1_only()
        };
        b = match &settings.proxy {
            ProxySetting::Environment => b,
            ProxySetting::Disabled => b.no_proxy(),
            ProxySetting::Url(url) => {
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|_| {
                        Error::validation(
                            "proxy",
                            "must be an http(s) proxy URL such as http://proxy.example:3128",
                        )
                    })?
                    .no_proxy(reqwest::NoProxy::from_env());
                b.proxy(proxy)
            }
        };
        let client = b.build().map_err(|e| {
            Error::Internal(format!(
                "HTTP client setup failed: {}",
                crate::base::error::flatten(&e)
            ))
        })?;
        Ok(Self {
            client,
            connections,
            settings: Arc::new(settings),
        })
    }
}
