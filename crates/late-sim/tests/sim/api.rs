//! Auth, headers, profiles, accounts, posts, media and rate limiting.

use std::time::Duration;

use late_sim::{Fault, SimConfig};
use reqwest::Method;
use serde_json::json;

use crate::common::{call, client, default_profile_id, sim, sim_with, Api};

#[tokio::test]
async fn auth_errors_and_common_headers() {
    let sim = sim().await;
    let http = client();
    let url = format!("{}/v1/profiles", sim.base_url());

    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().get("x-request-id").is_some());
    assert_eq!(resp.headers()["x-ratelimit-limit"], "600");
    assert!(resp.headers().get("x-ratelimit-remaining").is_some());
    assert!(resp.headers().get("x-ratelimit-reset").is_some());
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["type"], "authentication_error");
    assert_eq!(v["code"], "missing_credentials");

    let (s, v) = call(http.get(&url).bearer_auth("sk_wrong")).await;
    assert_eq!(s, 401);
    assert_eq!(v["code"], "invalid_credentials");

    let resp = http
        .get(&url)
        .bearer_auth(sim.api_key())
        .header("x-request-id", "my-req-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-request-id"], "my-req-123");

    let api = Api::new(&sim);
    let (s, v) = call(api.get("/v1/auth/verify")).await;
    assert_eq!(s, 200);
    assert_eq!(v["valid"], true);
    assert_eq!(v["authType"], "api_key");
    assert!(v["userId"].as_str().unwrap().len() == 24);

    let (s, v) = call(api.get("/v1/nope")).await;
    assert_eq!((s, v["type"].as_str()), (404, Some("not_found")));

    // The request log redacts foreign credentials and keeps the simulator's own key.
    let log = sim.requests();
    let auths: Vec<_> = log
        .iter()
        .filter_map(|r| r.headers.get("authorization").cloned())
        .collect();
    assert!(auths.contains(&"[other]".to_string()));
    assert!(auths.contains(&format!("Bearer {}", sim.api_key())));
    assert!(log.iter().any(|r| r.status == Some(401)));
    sim.clear_requests();
    assert!(sim.requests().is_empty());
    sim.close().await;
}

#[tokio::test]
async fn profiles_crud_and_delete_refusal() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let (s, v) = call(api.get("/v1/profiles")).await;
    assert_eq!(s, 200);
    assert_eq!(v["profiles"].as_array().unwrap().len(), 1);
    assert_eq!(v["profiles"][0]["isDefault"], true);
    assert_eq!(v["profiles"][0]["name"], "Default");
    assert!(v.get("total").is_none());

    let (s, v) = call(api.post_json(
        "/v1/profiles",
        &json!({"name": "Brand", "color": "#123456"}),
    ))
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["message"], "Profile created successfully");
    let id = v["profile"]["_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 24);
    assert_eq!(v["profile"]["isDefault"], false);

    let (s, v) = call(api.post_json("/v1/profiles", &json!({"name": "Brand"}))).await;
    assert_eq!(s, 409);
    assert_eq!(v["code"], "profile_name_conflict");
    assert_eq!(v["details"]["existingProfileId"], id.as_str());

    let (s, v) = call(api.post_json("/v1/profiles", &json!({"color": "#fff"}))).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("name")));

    let (s, v) = call(api.get(&format!("/v1/profiles/{id}"))).await;
    assert_eq!((s, v["profile"]["name"].as_str()), (200, Some("Brand")));
    let (s, _) = call(api.get("/v1/profiles/000000000000000000000000")).await;
    assert_eq!(s, 404);

    let (s, v) = call(api.send_json(
        Method::PUT,
        &format!("/v1/profiles/{id}"),
        &json!({"name": "Brand 2", "description": "d"}),
    ))
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["message"], "Profile updated successfully");
    assert_eq!(v["profile"]["name"], "Brand 2");
    let (s, _) = call(api.send_json(Method::PUT, &format!("/v1/profiles/{id}"), &json!({}))).await;
    assert_eq!(s, 400);

    // Uniqueness on update: another profile's name or externalId is a 409; its own is fine.
    let path = format!("/v1/profiles/{id}");
    let (s, v) = call(api.send_json(Method::PUT, &path, &json!({"name": "Default"}))).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("profile_name_conflict"))
    );
    let (s, _) = call(api.send_json(
        Method::PUT,
        &path,
        &json!({"name": "Brand 2", "externalId": "ext-1"}),
    ))
    .await;
    assert_eq!(s, 200);
    let (s, v) = call(api.post_json(
        "/v1/profiles",
        &json!({"name": "Other", "externalId": "ext-1"}),
    ))
    .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("profile_external_id_conflict"))
    );
    assert_eq!(v["details"]["existingProfileId"], id.as_str());

    let (s, v) = call(api.get("/v1/profiles?limit=1&skip=1")).await;
    assert_eq!(s, 200);
    assert_eq!(v["total"], 2);
    assert_eq!(v["skip"], 1);
    assert_eq!(v["limit"], 1);
    assert_eq!(v["profiles"][0]["_id"], id.as_str());

    // An active account blocks deletion.
    sim.add_account(&json!({"platform": "instagram", "profileId": id}))
        .unwrap();
    let (s, v) = call(api.req(Method::DELETE, &format!("/v1/profiles/{id}"))).await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(v["type"], "invalid_request_error");
    let (_, accts) = call(api.get(&format!("/v1/accounts?profileId={id}"))).await;
    let acct = accts["accounts"][0]["_id"].as_str().unwrap().to_string();
    let (s, v) = call(api.req(Method::DELETE, &format!("/v1/accounts/{acct}"))).await;
    assert_eq!(
        (s, v["message"].as_str()),
        (200, Some("Account disconnected successfully"))
    );
    let (s, v) = call(api.req(Method::DELETE, &format!("/v1/profiles/{id}"))).await;
    assert_eq!(
        (s, v["message"].as_str()),
        (200, Some("Profile deleted successfully"))
    );
    sim.close().await;
}

#[tokio::test]
async fn profile_create_idempotency_key() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let body = json!({"name": "Idem"});
    let (s1, v1) = call(
        api.post_json("/v1/profiles", &body)
            .header("idempotency-key", "k1"),
    )
    .await;
    let (s2, v2) = call(
        api.post_json("/v1/profiles", &body)
            .header("idempotency-key", "k1"),
    )
    .await;
    assert_eq!((s1, s2), (201, 201));
    assert_eq!(v1["profile"]["_id"], v2["profile"]["_id"]);
    let (s3, v3) = call(
        api.post_json("/v1/profiles", &json!({"name": "Other"}))
            .header("idempotency-key", "k1"),
    )
    .await;
    assert_eq!(s3, 422, "{v3}");
    sim.close().await;
}

#[tokio::test]
async fn accounts_filters_and_both_pagination_styles() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let default = default_profile_id(&api).await;
    let (_, v) = call(api.post_json("/v1/profiles", &json!({"name": "Second"}))).await;
    let second = v["profile"]["_id"].as_str().unwrap().to_string();
    for (platform, profile) in [
        ("instagram", &default),
        ("twitter", &default),
        ("instagram", &second),
        ("tiktok", &second),
        ("linkedin", &default),
    ] {
        sim.add_account(&json!({"platform": platform, "profileId": profile}))
            .unwrap();
    }
    sim.add_account(
        &json!({"platform": "facebook", "profileId": default, "needsReconnection": true}),
    )
    .unwrap();

    let (s, v) = call(api.get("/v1/accounts")).await;
    assert_eq!(s, 200);
    assert_eq!(v["accounts"].as_array().unwrap().len(), 6);
    assert_eq!(v["hasAnalyticsAccess"], false);
    assert!(v.get("pagination").is_none());
    let a = &v["accounts"][0];
    assert!(a["_id"].is_string() && a["isActive"].is_boolean() && a["platform"].is_string());
    assert!(
        a["profileId"]["_id"].is_string(),
        "profileId is populated: {a}"
    );

    let (_, v) = call(api.get(&format!("/v1/accounts?profileId={second}"))).await;
    assert_eq!(v["accounts"].as_array().unwrap().len(), 2);
    let (_, v) = call(api.get(&format!(
        "/v1/accounts?profileId={default}&platform=instagram"
    )))
    .await;
    assert_eq!(v["accounts"].as_array().unwrap().len(), 1);
    let (_, v) = call(api.get("/v1/accounts?status=disconnected")).await;
    assert_eq!(v["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(v["accounts"][0]["platform"], "facebook");
    let (_, v) = call(api.get("/v1/accounts?status=connected")).await;
    assert_eq!(v["accounts"].as_array().unwrap().len(), 5);
    let (s, _) = call(api.get("/v1/accounts?status=weird")).await;
    assert_eq!(s, 400);
    let (s, _) = call(api.get("/v1/accounts?profileId=nope")).await;
    assert_eq!(s, 400);

    // Offset paging.
    let (_, v) = call(api.get("/v1/accounts?page=2&limit=4")).await;
    assert_eq!(
        v["pagination"],
        json!({"page": 2, "limit": 4, "total": 6, "pages": 2})
    );
    assert_eq!(v["accounts"].as_array().unwrap().len(), 2);
    let (s, _) = call(api.get("/v1/accounts?page=1")).await;
    assert_eq!(s, 400);
    let (s, _) = call(api.get("/v1/accounts?page=1&limit=501")).await;
    assert_eq!(s, 400);

    // Cursor paging visits every account exactly once.
    let mut seen = Vec::new();
    let mut path = "/v1/accounts?limit=4".to_string();
    loop {
        let (s, v) = call(api.get(&path)).await;
        assert_eq!(s, 200);
        assert_eq!(v["pagination"]["limit"], 4);
        for a in v["accounts"].as_array().unwrap() {
            seen.push(a["_id"].as_str().unwrap().to_string());
        }
        match v["pagination"]["nextCursor"].as_str() {
            Some(c) => path = format!("/v1/accounts?limit=4&cursor={c}"),
            None => {
                assert!(v["pagination"]["nextCursor"].is_null());
                break;
            }
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (6, 6));
    let (s, v) = call(api.get("/v1/accounts?cursor=garbage")).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("cursor")));

    // Update, move, disconnect.
    let id = seen[0].clone();
    let (s, v) = call(api.send_json(
        Method::PUT,
        &format!("/v1/accounts/{id}"),
        &json!({"displayName": "Shown"}),
    ))
    .await;
    assert_eq!((s, v["displayName"].as_str()), (200, Some("Shown")));
    let (s, v) = call(api.send_json(
        Method::PATCH,
        &format!("/v1/accounts/{id}"),
        &json!({"profileId": second}),
    ))
    .await;
    assert_eq!((s, v["profileId"].as_str()), (200, Some(second.as_str())));
    let (s, _) =
        call(api.send_json(Method::PATCH, &format!("/v1/accounts/{id}"), &json!({}))).await;
    assert_eq!(s, 400);
    let (s, _) = call(api.send_json(
        Method::PATCH,
        &format!("/v1/accounts/{id}"),
        &json!({"profileId": "000000000000000000000000"}),
    ))
    .await;
    assert_eq!(s, 404);
    let (s, _) = call(api.req(Method::DELETE, &format!("/v1/accounts/{id}"))).await;
    assert_eq!(s, 200);
    let (s, _) = call(api.req(Method::DELETE, &format!("/v1/accounts/{id}"))).await;
    assert_eq!(s, 404);
    sim.close().await;
}

#[tokio::test]
async fn accounts_cursor_default_page_size_is_configurable() {
    let sim = sim_with(SimConfig {
        accounts_page_default: Some(2),
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    for _ in 0..3 {
        sim.add_account(&json!({"platform": "threads"})).unwrap();
    }
    let (_, v) = call(api.get("/v1/accounts?limit=1")).await;
    let c = v["pagination"]["nextCursor"].as_str().unwrap().to_string();
    let (_, v) = call(api.get(&format!("/v1/accounts?cursor={c}"))).await;
    assert_eq!(v["pagination"]["limit"], 2);
    assert_eq!(v["accounts"].as_array().unwrap().len(), 2);
    assert!(v["pagination"]["nextCursor"].is_null());
    sim.close().await;
}

async fn account(sim: &late_sim::Simulator, platform: &str) -> String {
    sim.add_account(&json!({ "platform": platform })).unwrap()["_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn posts_create_list_get_update_delete() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let acc = account(&sim, "twitter").await;
    let body = json!({
        "content": "Hello from the simulator",
        "platforms": [{"platform": "twitter", "accountId": acc}],
        "scheduledFor": "2099-01-01T10:00:00Z",
        "tags": ["t1"],
    });
    let (s, v) = call(api.post_json("/v1/posts", &body)).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["post"]["status"], "scheduled");
    assert_eq!(v["post"]["platforms"][0]["accountId"]["_id"], acc.as_str());
    assert!(v["message"].is_string());
    let id = v["post"]["_id"].as_str().unwrap().to_string();

    let (s, v) = call(api.post_json(
        "/v1/posts",
        &json!({"content": "now", "publishNow": true, "platforms": [{"platform": "twitter", "accountId": acc}]}),
    ))
    .await;
    assert_eq!(s, 201);
    assert_eq!(v["post"]["status"], "published");
    assert!(v["post"]["platforms"][0]["platformPostUrl"].is_string());
    let published = v["post"]["_id"].as_str().unwrap().to_string();

    let (s, v) = call(api.post_json("/v1/posts", &json!({"content": "x"}))).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("platforms")));
    let (s, _) = call(api.post_json("/v1/posts", &json!({"content": "x", "platforms": [{"platform": "twitter", "accountId": "000000000000000000000000"}]}))).await;
    assert_eq!(s, 403);
    let (s, _) =
        call(api.post_json("/v1/posts", &json!({"content": "draft", "isDraft": true}))).await;
    assert_eq!(s, 201);

    let (s, v) = call(api.get("/v1/posts?limit=2&page=1")).await;
    assert_eq!(s, 200);
    assert_eq!(v["pagination"]["total"], 3);
    assert_eq!(v["pagination"]["pages"], 2);
    assert_eq!(v["posts"].as_array().unwrap().len(), 2);
    let c = v["pagination"]["nextCursor"].as_str().unwrap().to_string();
    let (_, v) = call(api.get(&format!("/v1/posts?limit=2&cursor={c}"))).await;
    assert_eq!(v["posts"].as_array().unwrap().len(), 1);
    assert!(v["pagination"]["nextCursor"].is_null());
    let (s, v) = call(api.get("/v1/posts?bogus=1")).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("bogus")));

    let (s, v) = call(api.get(&format!("/v1/posts/{id}"))).await;
    assert_eq!((s, v["post"]["_id"].as_str()), (200, Some(id.as_str())));
    let (s, v) = call(api.send_json(
        Method::PUT,
        &format!("/v1/posts/{id}"),
        &json!({"content": "edited"}),
    ))
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["post"]["content"], "edited");
    assert_eq!(v["message"], "Post updated successfully");
    let (s, _) = call(api.req(Method::DELETE, &format!("/v1/posts/{published}"))).await;
    assert_eq!(s, 400);
    let (s, v) = call(api.req(Method::DELETE, &format!("/v1/posts/{id}"))).await;
    assert_eq!(
        (s, v["message"].as_str()),
        (200, Some("Post deleted successfully"))
    );
    let (s, _) = call(api.get(&format!("/v1/posts/{id}"))).await;
    assert_eq!(s, 404);
    sim.close().await;
}

#[tokio::test]
async fn posts_idempotency_replay_mismatch_and_in_flight() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let acc = account(&sim, "instagram").await;
    let body = json!({"content": "idem", "publishNow": true, "platforms": [{"platform": "instagram", "accountId": acc}]});

    let (s1, v1) = call(
        api.post_json("/v1/posts", &body)
            .header("Idempotency-Key", "key-1"),
    )
    .await;
    assert_eq!(s1, 201);
    let (s2, v2) = call(
        api.post_json("/v1/posts", &body)
            .header("Idempotency-Key", "key-1"),
    )
    .await;
    assert_eq!(s2, 200, "{v2}");
    assert_eq!(v1["post"]["_id"], v2["post"]["_id"]);
    assert_eq!(v2["message"], "Post already exists (idempotent retry)");

    let other =
        json!({"content": "different", "platforms": [{"platform": "instagram", "accountId": acc}]});
    let (s3, _) = call(
        api.post_json("/v1/posts", &other)
            .header("Idempotency-Key", "key-1"),
    )
    .await;
    assert_eq!(s3, 422);

    // In flight: the delay fault holds the first request while its key is claimed.
    sim.inject_fault(Fault::delay("POST /v1/posts", 600));
    let slow = json!({"content": "slow", "platforms": [{"platform": "instagram", "accountId": acc}], "scheduledFor": "2099-01-01T00:00:00Z"});
    let first = tokio::spawn(call(
        api.post_json("/v1/posts", &slow)
            .header("Idempotency-Key", "key-2"),
    ));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let resp = api
        .post_json("/v1/posts", &slow)
        .header("Idempotency-Key", "key-2")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    assert!(resp.headers().get("retry-after").is_some());
    let v: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "idempotency_conflict");
    let (s, v) = first.await.unwrap();
    assert_eq!(s, 201, "{v}");
    let (s, again) = call(
        api.post_json("/v1/posts", &slow)
            .header("Idempotency-Key", "key-2"),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(again["post"]["_id"], v["post"]["_id"]);
    sim.close().await;
}

#[tokio::test]
async fn posts_duplicate_content_and_request_id_retry() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let acc = account(&sim, "linkedin").await;
    let body = json!({"content": "same words", "publishNow": true, "platforms": [{"platform": "linkedin", "accountId": acc}]});
    let (s, v) = call(
        api.post_json("/v1/posts", &body)
            .header("x-request-id", "11111111-2222-4333-8444-555555555555"),
    )
    .await;
    assert_eq!(s, 201);
    let id = v["post"]["_id"].as_str().unwrap().to_string();

    // Same x-request-id and fingerprint: the original post, 200.
    let (s, v) = call(
        api.post_json("/v1/posts", &body)
            .header("x-request-id", "11111111-2222-4333-8444-555555555555"),
    )
    .await;
    assert_eq!((s, v["post"]["_id"].as_str()), (200, Some(id.as_str())));

    // No key match: content-hash duplicate → 409 with details.
    let (s, v) = call(api.post_json("/v1/posts", &body)).await;
    assert_eq!(s, 409, "{v}");
    assert!(v["error"].is_string());
    assert_eq!(
        v["details"],
        json!({"accountId": acc, "platform": "linkedin", "existingPostId": id})
    );

    let changed = json!({"content": "other words", "publishNow": true, "platforms": [{"platform": "linkedin", "accountId": acc}]});
    let (s, _) = call(api.post_json("/v1/posts", &changed)).await;
    assert_eq!(s, 201);
    sim.close().await;
}

#[tokio::test]
async fn media_presign_upload_and_download() {
    let sim = sim().await;
    let api = Api::new(&sim);
    let (s, v) = call(api.post_json(
        "/v1/media/presign",
        &json!({"filename": "cat pic.png", "contentType": "image/png", "size": 4}),
    ))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["expiresIn"], 3600);
    let upload = v["uploadUrl"].as_str().unwrap().to_string();
    let public = v["publicUrl"].as_str().unwrap().to_string();
    assert!(v["key"].as_str().unwrap().starts_with("temp/"));
    assert!(upload.starts_with("http://127.0.0.1:"));

    let http = client();
    let r = http
        .put(&upload)
        .header("content-type", "image/jpeg")
        .body(vec![1u8, 2, 3, 4])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .put(&upload)
        .header("content-type", "image/png")
        .body(vec![1u8, 2, 3])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .put(&upload)
        .header("content-type", "image/png")
        .body(vec![1u8, 2, 3, 4])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http.get(&public).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &[1u8, 2, 3, 4]);

    let (s, v) = call(api.post_json(
        "/v1/media/presign",
        &json!({"filename": "x.bin", "contentType": "application/octet-stream"}),
    ))
    .await;
    assert_eq!((s, v["param"].as_str()), (400, Some("contentType")));
    let (s, v) =
        call(api.post_json("/v1/media/presign", &json!({"contentType": "image/png"}))).await;
    assert_eq!((s, v["param"].as_str()), (400, Some("filename")));
    let (s, _) = call(
        api.post_json(
            "/v1/media/presign",
            &json!({"filename": "a", "contentType": "image/png"}),
        )
        .body("{not json"),
    )
    .await;
    assert_eq!(s, 400);
    sim.close().await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sim = sim_with(SimConfig {
        rate_limit_per_minute: 3,
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    for i in 0..3 {
        let r = api.get("/v1/profiles").send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            (2 - i).to_string().as_str()
        );
    }
    let r = api.get("/v1/profiles").send().await.unwrap();
    assert_eq!(r.status(), 429);
    let ra: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&ra));
    assert_eq!(r.headers()["x-ratelimit-remaining"], "0");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["type"], "rate_limit_error");
    assert_eq!(v["code"], "rate_limited");
    sim.set_rate_limit(0);
    assert_eq!(api.get("/v1/profiles").send().await.unwrap().status(), 200);
    sim.close().await;
}

#[tokio::test]
async fn reset_and_state() {
    let sim = sim().await;
    let api = Api::new(&sim);
    call(api.post_json("/v1/profiles", &json!({"name": "Temp"}))).await;
    assert_eq!(sim.state()["profiles"].as_array().unwrap().len(), 2);
    let http = client();
    let r = http
        .post(format!("{}/__sim/reset", sim.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let st: serde_json::Value = http
        .get(format!("{}/__sim/state", sim.origin()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(st["profiles"].as_array().unwrap().len(), 1);
    assert!(sim.requests().is_empty());
    sim.close().await;
}
