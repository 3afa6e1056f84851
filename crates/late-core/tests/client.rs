//! The core client against a scripted loopback HTTP/1.1 server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use late_core::{
    Attempt, AttemptHeaders, AttemptHook, AttemptStart, CallOptions, Client, ClientConfig,
    ConnectParams, Error, ListAccountsParams,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// What the server does for one request.
#[derive(Clone)]
enum Reply {
    Json(u16, &'static str, &'static str),
    Hang,
}

struct Server {
    base_url: String,
    seen: Arc<Mutex<Vec<String>>>,
    /// Each request's whole head (request line and headers).
    heads: Arc<Mutex<Vec<String>>>,
}

/// Serves `script` in order (the last entry repeats), recording each request line.
async fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let heads2 = heads.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let seen = seen2.clone();
            let heads = heads2.clone();
            let reply = script[n.min(script.len() - 1)].clone();
            n += 1;
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut len = 0;
                while !buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf[len..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => len += k,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..len]).to_string();
                seen.lock()
                    .expect("lock")
                    .push(head.lines().next().unwrap_or("").to_string());
                heads.lock().expect("lock").push(head.to_lowercase());
                match reply {
                    Reply::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
                    Reply::Json(status, extra, body) => {
                        let resp = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: r1\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = sock.write_all(resp.as_bytes()).await;
                    }
                }
            });
        }
    });
    Server {
        base_url: format!("http://127.0.0.1:{port}/api"),
        seen,
        heads,
    }
}

fn client(base: &str) -> Client {
    let mut c = ClientConfig::new("sk_test_core");
    c.base_url = base.to_string();
    c.max_retry_wait = Duration::from_millis(50);
    Client::new(c).expect("client")
}

const PROFILES: &str = r#"{"profiles":[{"_id":"pd","isDefault":true}]}"#;

#[tokio::test]
async fn connect_resolves_the_default_profile_then_maps_auth_url() {
    let s = serve(vec![
        Reply::Json(200, "", PROFILES),
        Reply::Json(
            200,
            "",
            r#"{"authUrl":"https://auth.example/x","state":"s1"}"#,
        ),
    ])
    .await;
    let c = client(&s.base_url);
    let params = ConnectParams {
        redirect_url: Some("https://app.example/cb".into()),
        ..Default::default()
    };
    let out = c
        .connect(
            "instagram",
            &params,
            &CallOptions::default(),
            &CancellationToken::new(),
        )
        .await
        .expect("connect");
    assert_eq!(
        out.json,
        r#"{"connectUrl":"https://auth.example/x","state":"s1"}"#
    );
    let seen = s.seen.lock().expect("lock").clone();
    assert_eq!(seen[0], "GET /api/v1/profiles HTTP/1.1");
    assert_eq!(seen[1], "GET /api/v1/connect/instagram?profileId=pd&redirect_url=https%3A%2F%2Fapp.example%2Fcb HTTP/1.1");
}

#[tokio::test]
async fn validation_happens_before_any_request() {
    let s = serve(vec![Reply::Json(200, "", PROFILES)]).await;
    let c = client(&s.base_url);
    let err = c
        .connect(
            "myspace",
            &ConnectParams::default(),
            &CallOptions::default(),
            &CancellationToken::new(),
        )
        .await;
    assert!(matches!(err, Err(Error::Validation { ref param, .. }) if param == "platform"));
    assert!(s.seen.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_surface_with_attempts() {
    let s = serve(vec![Reply::Json(
        503,
        "retry-after: 0\r\n",
        r#"{"error":"busy","code":"x"}"#,
    )])
    .await;
    let c = client(&s.base_url);
    let err = c
        .accounts_page(
            &ListAccountsParams {
                profile_id: Some("p".into()),
                ..Default::default()
            },
            None,
            &CallOptions::default(),
            &CancellationToken::new(),
        )
        .await
        .expect_err("503");
    match err {
        Error::Api(e) => {
            assert_eq!(e.status, 503);
            assert_eq!(e.attempts, 3);
            assert_eq!(e.request_id.as_deref(), Some("r1"));
            assert_eq!(e.message, "busy");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(s.seen.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn timeout_fires_per_attempt() {
    let s = serve(vec![Reply::Hang]).await;
    let c = client(&s.base_url);
    let opts = CallOptions {
        timeout: Some(Duration::from_millis(100)),
        max_retries: Some(1),
        ..Default::default()
    };
    let err = c
        .default_profile_id(&opts, &CancellationToken::new())
        .await
        .expect_err("timeout");
    assert!(
        matches!(
            err,
            Error::Timeout {
                timeout_ms: 100,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn cancellation_stops_an_in_flight_call() {
    let s = serve(vec![Reply::Hang]).await;
    let c = client(&s.base_url);
    let token = CancellationToken::new();
    let t2 = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        t2.cancel();
    });
    let err = c
        .default_profile_id(&CallOptions::default(), &token)
        .await
        .expect_err("aborted");
    assert!(matches!(err, Error::Aborted { .. }));
    let pre = CancellationToken::new();
    pre.cancel();
    let err = c
        .default_profile_id(&CallOptions::default(), &pre)
        .await
        .expect_err("aborted");
    assert!(matches!(err, Error::Aborted { .. }));
    assert_eq!(
        s.seen.lock().expect("lock").len(),
        1,
        "a cancelled token sends nothing"
    );
}

#[tokio::test]
async fn connection_refused_is_classified() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let c = client(&format!("http://127.0.0.1:{port}/api"));
    let opts = CallOptions {
        max_retries: Some(0),
        ..Default::default()
    };
    let err = c
        .default_profile_id(&opts, &CancellationToken::new())
        .await
        .expect_err("refused");
    match err {
        Error::Connection {
            kind,
            message,
            attempts,
            sent,
            ..
        } => {
            assert_eq!(kind, late_core::ConnectionKind::Refused);
            assert!(!sent, "a refused connection proves nothing was sent");
            assert!(message.to_lowercase().contains("refused"), "{message}");
            assert_eq!(attempts, 1);
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// Records what it is told (`start N` / `end N status`) and gives each attempt its own
/// `traceparent` (and headers the transport must leave out).
#[derive(Debug, Default)]
struct Hook(Mutex<Vec<String>>, Mutex<Vec<AttemptStart>>);

impl AttemptHook for Hook {
    fn after_attempt(
        &self,
        record: Attempt,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
        self.0.lock().expect("lock").push(format!(
            "end {} {:?} {}",
            record.attempt,
            record.status,
            record.retry_in.is_some()
        ));
        Box::pin(async {})
    }

    fn before_attempt(
        &self,
        start: AttemptStart,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = AttemptHeaders> + Send + 'static>> {
        let n = start.attempt;
        self.0.lock().expect("lock").push(format!("start {n}"));
        self.1.lock().expect("lock").push(start);
        Box::pin(async move {
            vec![
                (
                    "traceparent".into(),
                    format!("00-0af7651916cd43dd8448eb211c80319c-00000000000000a{n}-01"),
                ),
                ("authorization".into(), "Bearer stolen".into()),
                ("transfer-encoding".into(), "chunked".into()),
            ]
        })
    }
}

#[tokio::test]
async fn the_attempt_hook_is_asked_before_each_attempt_and_its_headers_go_with_that_attempt_alone()
{
    let s = serve(vec![
        Reply::Json(503, "retry-after: 0\r\n", r#"{"error":"busy","code":"x"}"#),
        Reply::Json(200, "", PROFILES),
    ])
    .await;
    let c = client(&s.base_url);
    let hook = Arc::new(Hook::default());
    let opts = CallOptions {
        attempt_hook: Some(hook.clone()),
        ..Default::default()
    };
    let id = c
        .default_profile_id(&opts, &CancellationToken::new())
        .await
        .expect("profile");
    assert_eq!(id, "pd");
    let events = hook.0.lock().expect("lock").clone();
    assert_eq!(
        events,
        [
            "start 1",
            "end 1 Some(503) true",
            "start 2",
            "end 2 Some(200) false"
        ]
    );
    let starts = hook.1.lock().expect("lock").clone();
    assert_eq!(starts[0].method, "GET");
    assert_eq!(starts[0].path, "/v1/profiles");
    assert_eq!(starts[0].operation, Some("listProfiles"));
    let heads = s.heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 2);
    for (i, head) in heads.iter().enumerate() {
        let tp = format!(
            "traceparent: 00-0af7651916cd43dd8448eb211c80319c-00000000000000a{}-01",
            i + 1
        );
        assert!(
            head.contains(&tp),
            "attempt {} carries its own traceparent: {head}",
            i + 1
        );
        assert_eq!(head.matches("traceparent:").count(), 1);
        assert!(
            head.contains("authorization: bearer sk_test_core"),
            "the hook cannot replace the key"
        );
        assert!(!head.contains("stolen") && !head.contains("transfer-encoding"));
    }
}
