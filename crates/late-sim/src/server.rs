//! The loopback HTTP/1.1 server: accept loop, per-connection tasks (so a fault can drop a
//! connection without answering) and graceful shutdown.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::app::{App, Shared};
use crate::config::SimConfig;
use crate::error::SimError;
use crate::faults::FaultSet;
use crate::ids::IdGen;
use crate::middleware::ConnCtx;
use crate::ratelimit::RateLimiter;
use crate::recorder::Recorder;
use crate::state::SimState;

/// Binds 127.0.0.1 and starts serving; returns the shared state.
pub(crate) async fn start(config: SimConfig) -> Result<Shared, SimError> {
    if config.api_key.trim().is_empty()
        || config
            .api_key
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(SimError::Config(
            "api_key must be a non-empty string without spaces".into(),
        ));
    }
    if let Some(u) = &config.webhook_url {
        if !crate::extract::is_http_url(u) {
            return Err(SimError::Config(format!(
                "webhook_url {u:?} is not an absolute http(s) URL"
            )));
        }
    }
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))
        .await
        .map_err(|source| SimError::Bind {
            port: config.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SimError::Bind {
        port: config.port,
        source,
    })?;
    let http = crate::webhook_delivery::http_client().map_err(SimError::HttpClient)?;
    let ids = IdGen::new();
    let state = SimState::new(&ids);
    let app: Shared = Arc::new(App {
        origin: format!("http://127.0.0.1:{}", addr.port()),
        ids,
        state: Mutex::new(state),
        faults: Mutex::new(FaultSet::default()),
        recorder: Mutex::new(Recorder::new(config.max_recorded_requests)),
        actions: Mutex::default(),
        limiter: Mutex::new(RateLimiter::new(
            config.rate_limit_per_minute,
            config.rate_limit_window,
        )),
        tracker: TaskTracker::new(),
        shutdown: CancellationToken::new(),
        http,
        config,
    });
    crate::routes::webhooks::register_default(&app);
    let router = crate::routes::router(app.clone());
    let accept_app = app.clone();
    app.tracker.spawn(accept_loop(accept_app, listener, router));
    Ok(app)
}

async fn accept_loop(app: Shared, listener: TcpListener, router: Router) {
    loop {
        let accepted = tokio::select! {
            _ = app.shutdown.cancelled() => break,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                app.tracker
                    .spawn(serve_connection(app.clone(), stream, router.clone()));
            }
            Err(_) => {
                // Transient accept errors (EMFILE, ECONNABORTED): back off briefly.
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    }
}

async fn serve_connection(app: Shared, stream: TcpStream, router: Router) {
    let ctx = ConnCtx {
        drop: CancellationToken::new(),
    };
    let drop_token = ctx.drop.clone();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ctx.clone());
        let router = router.clone();
        async move { router.oneshot(req.map(Body::new)).await }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        // Dropping `conn` closes the socket without writing a response.
        _ = drop_token.cancelled() => {}
        _ = app.shutdown.cancelled() => {
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = drop_token.cancelled() => {}
                _ = tokio::time::sleep(app.config.shutdown_grace) => {}
            }
        }
    }
}
