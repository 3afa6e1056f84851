//! Helpers shared by the integration tests: an HTTP client and a loopback webhook receiver.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use late_sim::{SimConfig, Simulator};
use serde_json::Value;
use tokio::sync::mpsc;

pub async fn sim() -> Simulator {
    sim_with(SimConfig::default()).await
}

pub async fn sim_with(config: SimConfig) -> Simulator {
    late_sim::start(config).await.expect("simulator starts")
}

/// A reqwest client (rustls/ring, no proxy, no redirects).
pub fn client() -> reqwest::Client {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub key: String,
}

impl Api {
    pub fn new(sim: &Simulator) -> Self {
        Self {
            http: client(),
            base: sim.base_url(),
            key: sim.api_key(),
        }
    }

    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.key)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.req(reqwest::Method::GET, path)
    }

    pub fn post_json(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.req(reqwest::Method::POST, path)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    pub fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> reqwest::RequestBuilder {
        self.req(method, path)
            .header("content-type", "application/json")
            .body(body.to_string())
    }
}

/// Sends and returns (status, JSON body).
pub async fn call(rb: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = rb.send().await.expect("request succeeds");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v)
}

pub async fn default_profile_id(api: &Api) -> String {
    let (_, v) = call(api.get("/v1/profiles")).await;
    v["profiles"][0]["_id"].as_str().unwrap().to_string()
}

/// One request received by the webhook receiver.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Clone)]
struct RecvState {
    tx: mpsc::UnboundedSender<Delivery>,
    /// Statuses to answer with, in order; 200 once exhausted.
    statuses: Arc<Mutex<Vec<u16>>>,
}

async fn receive(State(s): State<RecvState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let _ = s.tx.send(Delivery { headers, body });
    let mut st = s.statuses.lock().unwrap();
    let code = if st.is_empty() { 200 } else { st.remove(0) };
    StatusCode::from_u16(code).unwrap()
}

/// A loopback HTTP server that records POSTs to `/hook`.
pub struct Receiver {
    pub url: String,
    pub rx: mpsc::UnboundedReceiver<Delivery>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Receiver {
    pub async fn start(statuses: Vec<u16>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let state = RecvState {
            tx,
            statuses: Arc::new(Mutex::new(statuses)),
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let (stx, srx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = srx.await;
                })
                .await;
        });
        Self {
            url,
            rx,
            shutdown: Some(stx),
        }
    }

    pub async fn next(&mut self) -> Delivery {
        tokio::time::timeout(Duration::from_secs(5), self.rx.recv())
            .await
            .expect("a webhook delivery within 5 s")
            .expect("receiver open")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
    }
}
