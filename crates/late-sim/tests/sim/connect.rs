//! Connect, the consent page, and signed webhook deliveries with retries.

use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::common::{call, client, default_profile_id, sim, Api, Receiver};

fn query_map(url: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

#[tokio::test]
async fn connect_validation() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let pid = default_profile_id(&api).await;
    let (s, v) = call(api.get("/v1/connect/instagram")).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("profileId")));
    let (s, v) = call(api.get("/v1/connect/instagram?profileId=000000000000000000000000")).await;
    assert_eq!((s, v["type"].as_str()), (404, Some("not_found")));
    let (s, v) = call(api.get(&format!(
        "/v1/connect/instagram?profileId={pid}&redirect_url=/relative"
    )))
    .await;
    assert_eq!((s, v["code"].as_str()), (400, Some("INVALID_REDIRECT_URL")));
    let (s, v) = call(api.get(&format!("/v1/connect/myspace?profileId={pid}"))).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("platform")));
    let (s, _) = call(api.get(&format!(
        "/v1/connect/instagram?profileId={pid}&loginMethod=magic"
    )))
    .await;
    assert_eq!(s, 400);
    for p in late_sim::CONNECT_PLATFORMS {
        let (s, v) =
            call(api.get(&format!("/v1/connect/{p}?profileId={pid}&headless=false"))).await;
        assert_eq!(s, 200, "{p}: {v}");
        assert!(v["authUrl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/__sim/consent/", sim.origin())));
        assert!(v["state"].is_string());
    }
    sim.close().await;
}

#[tokio::test]
async fn consent_page_allow_and_deny_redirect() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let http = client();
    let pid = default_profile_id(&api).await;
    let redirect = "http://localhost:3000/connected?from=test";
    let (_, v) = call(api.get(&format!(
        "/v1/connect/instagram?profileId={pid}&redirect_url={}",
        url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
    )))
    .await;
    let auth_url = v["authUrl"].as_str().unwrap().to_string();

    let page = http.get(&auth_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    for needle in [
        "id=\"allow\"",
        "id=\"deny\"",
        "id=\"username\"",
        "Instagram",
        "Default",
        "method=\"post\"",
    ] {
        assert!(html.contains(needle), "page lacks {needle}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );

    let r = http
        .post(&auth_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("decision=allow&username=acme_ig")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with("http://localhost:3000/connected?"));
    let q = query_map(&loc);
    assert_eq!(q["from"], "test");
    assert_eq!(q["connected"], "instagram");
    assert_eq!(q["profileId"], pid);
    assert_eq!(q["username"], "acme_ig");
    let account_id = q["accountId"].clone();

    let (_, v) = call(api.get(&format!("/v1/accounts?profileId={pid}&platform=instagram"))).await;
    assert_eq!(v["accounts"][0]["_id"], account_id.as_str());
    assert_eq!(v["accounts"][0]["username"], "acme_ig");

    // A used state cannot be reused.
    let r = http
        .post(&auth_url)
        .form(&[("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let q = query_map(r.headers()["location"].to_str().unwrap());
    assert_eq!(q["error"], "invalid_state");

    // Deny.
    let (_, v) = call(api.get(&format!(
        "/v1/connect/twitter?profileId={pid}&redirect_url=https%3A%2F%2Fapp.example%2Fcb"
    )))
    .await;
    let auth_url = v["authUrl"].as_str().unwrap();
    let r = http
        .post(auth_url)
        .form(&[("decision", "deny")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let q = query_map(r.headers()["location"].to_str().unwrap());
    assert_eq!(
        (q["error"].as_str(), q["platform"].as_str()),
        ("oauth_denied", "twitter")
    );
    assert!(!q.contains_key("accountId"));

    // No redirect_url: an HTML result page; generated username.
    let (_, v) = call(api.get(&format!("/v1/connect/tiktok?profileId={pid}"))).await;
    let r = http
        .post(v["authUrl"].as_str().unwrap())
        .form(&[("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("data-result=\"connected\"") && html.contains("sim_tiktok_"));

    let r = http
        .get(format!("{}/__sim/consent/unknown", sim.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sim.close().await;
}

#[tokio::test]
async fn grant_consent_without_browser() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let pid = default_profile_id(&api).await;
    let (_, v) = call(api.get(&format!(
        "/v1/connect/youtube?profileId={pid}&redirect_url=http%3A%2F%2F127.0.0.1%3A9%2Fcb"
    )))
    .await;
    let out = sim
        .grant_consent(v["authUrl"].as_str().unwrap(), true, Some("@chan"))
        .unwrap();
    assert!(out.connected);
    assert_eq!(out.username.as_deref(), Some("chan"));
    assert!(out.redirect_url.unwrap().contains("connected=youtube"));
    assert!(sim
        .grant_consent("http://127.0.0.1:1/__sim/consent/nope", true, None)
        .is_err());
    sim.close().await;
}

fn sig(secret: &str, body: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

#[tokio::test]
async fn account_connected_webhook_is_signed_and_retried() {
    let sim = sim().await;
    let api = Api::new(&sim);
    // The receiver fails the first attempt; the simulator retries.
    let mut rx = Receiver::start(vec![500]).await;
    let (s, v) = call(api.post_json(
        "/v1/webhooks/settings",
        &json!({"name": "app", "url": rx.url, "events": ["account.connected"], "secret": "s3cret"}),
    ))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["success"], true);
    let hook_id = v["webhook"]["_id"].as_str().unwrap().to_string();

    let pid = default_profile_id(&api).await;
    let (_, v) = call(api.get(&format!("/v1/connect/instagram?profileId={pid}"))).await;
    let out = sim
        .grant_consent(v["authUrl"].as_str().unwrap(), true, Some("hooked"))
        .unwrap();

    let first = rx.next().await;
    let second = rx.next().await;
    for d in [&first, &second] {
        let h = &d.headers;
        assert_eq!(h["x-zernio-event"], "account.connected");
        assert_eq!(h["x-late-event"], "account.connected");
        assert_eq!(h["content-type"], "application/json");
        let expected = sig("s3cret", &d.body);
        assert_eq!(h["x-zernio-signature"].to_str().unwrap(), expected);
        assert_eq!(h["x-late-signature"].to_str().unwrap(), expected);
    }
    assert_eq!(first.body, second.body, "retries resend the same bytes");
    assert_eq!(
        first.headers["x-zernio-event-id"],
        second.headers["x-zernio-event-id"]
    );
    let payload: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(payload["event"], "account.connected");
    assert_eq!(
        payload["id"].as_str(),
        first.headers["x-zernio-event-id"].to_str().ok()
    );
    assert_eq!(
        payload["account"]["accountId"],
        out.account_id.unwrap().as_str()
    );
    assert_eq!(payload["account"]["profileId"], pid.as_str());
    assert_eq!(payload["account"]["platform"], "instagram");
    assert_eq!(payload["account"]["username"], "hooked");
    assert!(payload["timestamp"].is_string());

    // The delivery log shows both attempts.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (s, v) = call(api.get(&format!("/v1/webhooks/logs?webhookId={hook_id}"))).await;
    assert_eq!(s, 200);
    let logs = v["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 2, "{v}");
    assert_eq!(logs[0]["status"], "success");
    assert_eq!(logs[0]["attemptNumber"], 2);
    assert_eq!(logs[1]["status"], "failed");
    assert_eq!(logs[1]["statusCode"], 500);
    assert_eq!(v["pagination"]["total"], 2);
    sim.close().await;
}

#[tokio::test]
async fn webhook_settings_crud_test_and_unsigned() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let mut rx = Receiver::start(vec![]).await;
    // Without `secret` the simulator's default secret signs deliveries.
    let (_, v) = call(api.post_json(
        "/v1/webhooks/settings",
        &json!({"name": "a", "url": rx.url, "events": ["post.published"]}),
    ))
    .await;
    let id = v["webhook"]["_id"].as_str().unwrap().to_string();
    assert_eq!(v["webhook"]["secret"], sim.webhook_secret().as_str());
    let (s, v) = call(api.post_json("/v1/webhooks/test", &json!({"webhookId": id}))).await;
    assert_eq!((s, v["success"].as_bool()), (200, Some(true)));
    let d = rx.next().await;
    assert_eq!(d.headers["x-zernio-event"], "webhook.test");
    assert_eq!(
        d.headers["x-zernio-signature"].to_str().unwrap(),
        sig(&sim.webhook_secret(), &d.body)
    );

    // `secret: ""` → unsigned.
    let (s, v) = call(api.send_json(
        Method::PUT,
        "/v1/webhooks/settings",
        &json!({"webhookId": id, "secret": "", "name": "renamed"}),
    ))
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["webhook"]["name"], "renamed");
    assert!(v["webhook"].get("secret").is_none());
    call(api.post_json(
        "/v1/webhooks/test",
        &json!({"webhookId": id, "event": "account.connected"}),
    ))
    .await;
    let d = rx.next().await;
    assert!(d.headers.get("x-zernio-signature").is_none());
    let payload: Value = serde_json::from_slice(&d.body).unwrap();
    assert_eq!(payload["test"], true);

    let (_, v) = call(api.get("/v1/webhooks/settings")).await;
    assert_eq!(v["webhooks"].as_array().unwrap().len(), 1);
    let (s, _) = call(api.post_json(
        "/v1/webhooks/settings",
        &json!({"name": "b", "url": "notaurl", "events": ["x.y"]}),
    ))
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(api.req(Method::DELETE, "/v1/webhooks/settings")).await;
    assert_eq!(s, 400);
    let (s, v) = call(api.req(
        Method::DELETE,
        &format!("/v1/webhooks/settings?webhookId={id}"),
    ))
    .await;
    assert_eq!((s, v["success"].as_bool()), (200, Some(true)));
    let (s, _) = call(api.post_json("/v1/webhooks/test", &json!({"webhookId": id}))).await;
    assert_eq!(s, 404);

    // A receiver that is down: the test call reports failure with 500.
    let dead = Receiver::start(vec![503]).await;
    let (_, v) = call(api.post_json(
        "/v1/webhooks/settings",
        &json!({"name": "c", "url": dead.url, "events": ["post.published"]}),
    ))
    .await;
    let (s, v) = call(api.post_json(
        "/v1/webhooks/test",
        &json!({"webhookId": v["webhook"]["_id"]}),
    ))
    .await;
    assert_eq!((s, v["success"].as_bool()), (500, Some(false)));
    sim.close().await;
}
