//! Each fault kind, the admin fault routes, and prompt shutdown.

use std::time::{Duration, Instant};

use late_sim::Fault;
use serde_json::json;

use crate::common::{call, client, sim, Api};

#[tokio::test]
async fn status_fault_with_retry_after_and_body() {
    let sim = sim().await;
    let api = Api::new(&sim);
    sim.inject_fault(
        Fault::status("GET /v1/accounts", 503)
            .retry_after(2)
            .times(2),
    );
    for _ in 0..2 {
        let r = api.get("/v1/accounts").send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "2");
        assert!(r.headers().get("x-request-id").is_some());
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["type"], "api_error");
    }
    assert_eq!(api.get("/v1/accounts").send().await.unwrap().status(), 200);

    // Template routes match concrete paths; custom bodies replace the default.
    sim.inject_fault(
        Fault::status("GET /v1/profiles/{profileId}", 404).body(json!({"error": "gone"})),
    );
    let (s, v) = call(api.get("/v1/profiles/abc")).await;
    assert_eq!((s, v), (404, json!({"error": "gone"})));
    // Faults apply before auth.
    sim.inject_fault(Fault::status("*", 500));
    let r = client()
        .get(format!("{}/v1/profiles", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert!(sim.faults().is_empty());
    sim.close().await;
}

#[tokio::test]
async fn delay_fault() {
    let sim = sim().await;
    let api = Api::new(&sim);
    sim.inject_fault(Fault::delay("GET /v1/profiles", 300));
    let t = Instant::now();
    let r = api.get("/v1/profiles").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    // A client timeout shorter than the delay fires.
    sim.inject_fault(Fault::delay("GET /v1/profiles", 2000));
    let e = api
        .get("/v1/profiles")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(e.is_timeout());
    sim.close().await;
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let sim = sim().await;
    let api = Api::new(&sim);
    sim.inject_fault(Fault::drop_connection("GET /v1/accounts"));
    let t = Instant::now();
    let e = api.get("/v1/accounts").send().await.unwrap_err();
    assert!(!e.is_timeout(), "{e:?}");
    assert!(e.status().is_none());
    assert!(t.elapsed() < Duration::from_secs(2));
    let log = sim.requests();
    assert_eq!(log.last().unwrap().status, None);
    // The next request works (on a new connection).
    assert_eq!(api.get("/v1/accounts").send().await.unwrap().status(), 200);

    // Also at the raw TCP level: EOF without a single byte.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    sim.inject_fault(Fault::drop_connection("GET /v1/profiles"));
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", sim.port()))
        .await
        .unwrap();
    s.write_all(b"GET /api/v1/profiles HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let n = tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut buf)).await;
    match n {
        Ok(Ok(n)) => assert_eq!(n, 0),
        Ok(Err(e)) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        Err(_) => panic!("connection was not closed"),
    }
    sim.close().await;
}

#[tokio::test]
async fn malformed_fault() {
    let sim = sim().await;
    let api = Api::new(&sim);
    sim.inject_fault(Fault::malformed("GET /v1/profiles"));
    let r = api.get("/v1/profiles").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let text = r.text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    sim.close().await;
}

#[tokio::test]
async fn admin_fault_routes() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let http = client();
    let url = format!("{}/__sim/faults", sim.origin());
    let r = http
        .post(&url)
        .header("content-type", "application/json")
        .body(json!([{"route": "POST /v1/posts", "status": 429, "retryAfter": 1}, {"route": "GET /v1/auth/verify", "delayMs": 10}]).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["faults"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["faults"][0],
        json!({"route": "POST /v1/posts", "status": 429, "retryAfter": 1, "times": 1})
    );

    let r = http
        .post(&url)
        .body(json!({"route": "GET /v1/x", "status": "500"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["error"].as_str().unwrap().contains("status"));

    let r = http.delete(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(sim.faults().is_empty());
    assert_eq!(
        api.get("/v1/auth/verify").send().await.unwrap().status(),
        200
    );

    // Admin requests are not recorded; API requests are.
    let r: serde_json::Value = http
        .get(format!("{}/__sim/requests", sim.origin()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths: Vec<&str> = r["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["/api/v1/auth/verify"]);
    sim.close().await;
}

#[tokio::test]
async fn close_is_prompt_with_idle_and_busy_connections() {
    let sim = sim().await;
    let api = Api::new(&sim);
    // An idle keep-alive connection in the client pool.
    assert_eq!(api.get("/v1/profiles").send().await.unwrap().status(), 200);
    // A request stuck in a long delay.
    sim.inject_fault(Fault::delay("GET /v1/accounts", 30_000));
    let pending = tokio::spawn(api.get("/v1/accounts").send());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    sim.close().await;
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "close took {:?}",
        t.elapsed()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), pending)
        .await
        .expect("pending request ends");
    assert!(sim.is_closed());
    // The port no longer accepts.
    assert!(client()
        .get(format!("{}/v1/profiles", sim.base_url()))
        .send()
        .await
        .is_err());
}
