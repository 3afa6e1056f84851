//! Pacer behaviour without a server: what it learns, when it waits, pauses, refuses and falls
//! back. The Redis side is tested against a real Redis in `__test__/fleet*.test.mjs`.

use super::*;

fn key() -> ApiKey {
    ApiKey::new("sk_test_pacing_0001")
}

fn config(window_ms: u64, limit: Option<u32>) -> PacingConfig {
    PacingConfig {
        window: Duration::from_millis(window_ms),
        limit,
        ..PacingConfig::default()
    }
}

fn budget(max_wait_ms: u64) -> Budget {
    Budget {
        max_wait: Duration::from_millis(max_wait_ms),
        deadline: None,
        deadline_total: None,
        attempts: 0,
        rate_limit: None,
    }
}

fn ok_with(limit: u64, remaining: u64) -> Seen {
    Seen {
        status: Some(200),
        rate_limit: Some(RateLimit {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_at: None,
        }),
        team_pause: None,
    }
}

fn none() -> CancellationToken {
    CancellationToken::new()
}

#[tokio::test]
async fn off_never_waits() {
    let p = Pacer::new(
        &PacingConfig {
            enabled: false,
            ..PacingConfig::default()
        },
        &key(),
        None,
    );
    for _ in 0..3 {
        let permit = p.acquire(&budget(0), &none()).await.unwrap();
        assert_eq!(permit.waited(), Duration::ZERO);
        permit.complete(Seen::default());
    }
    assert_eq!(p.stats().mode, "off");
}

/// `UNKNOWN_BURST` calls granted at once while the limit is unknown.
async fn cold_burst(p: &Pacer) -> Vec<Permit> {
    let mut burst = Vec::new();
    for _ in 0..UNKNOWN_BURST {
        let permit = p.acquire(&budget(60_000), &none()).await.unwrap();
        assert_eq!(
            permit.waited(),
            Duration::ZERO,
            "the cold burst goes at once"
        );
        burst.push(permit);
    }
    burst
}

#[tokio::test(start_paused = true)]
async fn a_cold_burst_goes_at_once_then_the_others_wait_for_the_limit() {
    let p = Pacer::new(&config(1000, None), &key(), None);
    let burst = cold_burst(&p).await;
    let p2 = p.clone();
    let next = tokio::spawn(async move { p2.acquire(&budget(60_000), &none()).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!next.is_finished(), "waits for the first answer");
    assert_eq!(p.stats().queued, 1);
    let mut burst = burst.into_iter();
    if let Some(first) = burst.next() {
        first.complete(ok_with(100, 99));
    }
    let next = next.await.unwrap().unwrap();
    assert_eq!(p.stats().limit, Some(100));
    next.complete(ok_with(100, 79));
    for permit in burst {
        permit.complete(ok_with(100, 79));
    }
}

#[tokio::test(start_paused = true)]
async fn once_the_limit_is_known_calls_are_paced_by_it() {
    let p = Pacer::new(&config(1000, None), &key(), None);
    let first = p.acquire(&budget(60_000), &none()).await.unwrap();
    first.complete(ok_with(2, 1));
    assert_eq!(p.stats().limit, Some(2));
    let second = p.acquire(&budget(60_000), &none()).await.unwrap();
    second.complete(ok_with(2, 0));
    // Two in the window (the first one absorbed from Remaining): the third waits a span.
    let t0 = Instant::now();
    let third = p.acquire(&budget(60_000), &none()).await.unwrap();
    assert!(
        t0.elapsed() >= Duration::from_millis(1000),
        "{:?}",
        t0.elapsed()
    );
    third.complete(ok_with(2, 1));
}

#[tokio::test(start_paused = true)]
async fn a_first_call_cancelled_in_flight_lets_the_next_one_learn() {
    let p = Pacer::new(&config(1000, None), &key(), None);
    let first = p.acquire(&budget(60_000), &none()).await.unwrap();
    drop(first);
    let second = p.acquire(&budget(60_000), &none()).await.unwrap();
    second.complete(ok_with(10, 9));
    assert_eq!(p.stats().limit, Some(10));
}

#[tokio::test(start_paused = true)]
async fn a_server_without_headers_is_not_paced() {
    let p = Pacer::new(&config(1000, None), &key(), None);
    p.acquire(&budget(0), &none())
        .await
        .unwrap()
        .complete(Seen {
            status: Some(200),
            ..Seen::default()
        });
    for _ in 0..100 {
        let permit = p.acquire(&budget(0), &none()).await.unwrap();
        assert_eq!(permit.waited(), Duration::ZERO);
    }
}

#[tokio::test(start_paused = true)]
async fn a_burst_is_spread_over_windows_and_never_exceeds_the_limit() {
    let p = Pacer::new(&config(1000, Some(100)), &key(), None);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..250 {
        let p = p.clone();
        tasks.push(tokio::spawn(async move {
            let permit = p.acquire(&budget(60_000), &none()).await.unwrap();
            let at = Instant::now();
            permit.complete(Seen::default());
            at
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.push(t.await.unwrap() - start);
    }
    times.sort();
    let span = config(1000, None).span();
    for (i, t) in times.iter().enumerate() {
        let in_span = times[i..].iter().take_while(|u| **u < *t + span).count();
        assert!(
            in_span <= 100,
            "{in_span} calls within one window from {t:?}"
        );
    }
    assert!(times[249] >= Duration::from_millis(2000));
    let s = p.stats();
    assert_eq!((s.calls, s.delayed), (250, 150));
}

#[tokio::test(start_paused = true)]
async fn a_wait_past_max_retry_wait_fails_at_once_with_retry_after() {
    let p = Pacer::new(&config(60_000, Some(1)), &key(), None);
    p.acquire(&budget(60_000), &none()).await.unwrap();
    let err = p.acquire(&budget(5_000), &none()).await.unwrap_err();
    let Error::Api(e) = err else {
        panic!("expected a 429, got {err:?}")
    };
    assert_eq!(e.status, 429);
    assert_eq!(e.code.as_deref(), Some("rate_limited"));
    let wait = e.retry_after_ms.unwrap();
    assert!((60_000..=61_000).contains(&wait), "{wait}");
    assert!(e.message.contains("nothing was sent"));
    assert_eq!(p.stats().refused, 1);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_shorter_than_the_wait_fails_at_once() {
    let p = Pacer::new(&config(10_000, Some(1)), &key(), None);
    p.acquire(&budget(60_000), &none()).await.unwrap();
    let mut b = budget(60_000);
    b.deadline = Some(std::time::Instant::now() + Duration::from_secs(2));
    let err = p.acquire(&b, &none()).await.unwrap_err();
    assert!(err.to_string().contains("deadline"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_queued_call_is_cancellable_and_gives_its_slot_back() {
    let p = Pacer::new(&config(1000, Some(1)), &key(), None);
    p.acquire(&budget(60_000), &none()).await.unwrap();
    let cancel = CancellationToken::new();
    let (p2, c2) = (p.clone(), cancel.clone());
    let queued = tokio::spawn(async move { p2.acquire(&budget(60_000), &c2).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    cancel.cancel();
    assert!(matches!(queued.await.unwrap(), Err(Error::Aborted { .. })));
    // The cancelled booking is gone: the next call waits for the first slot only.
    let t0 = Instant::now();
    p.acquire(&budget(60_000), &none()).await.unwrap();
    assert!(
        t0.elapsed() < Duration::from_millis(1000),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(p.stats().queued, 0);
}

#[tokio::test(start_paused = true)]
async fn a_429_from_the_team_limit_pauses_every_call_but_a_platform_quota_does_not() {
    let p = Pacer::new(&config(60_000, Some(100)), &key(), None);
    let platform_429 = Seen {
        status: Some(429),
        rate_limit: None,
        team_pause: None,
    };
    p.acquire(&budget(60_000), &none())
        .await
        .unwrap()
        .complete(platform_429);
    assert_eq!(
        p.acquire(&budget(0), &none()).await.unwrap().waited(),
        Duration::ZERO
    );
    let team_429 = Seen {
        status: Some(429),
        rate_limit: None,
        team_pause: Some(Duration::from_secs(3)),
    };
    p.acquire(&budget(60_000), &none())
        .await
        .unwrap()
        .complete(team_429);
    let clone = p.clone();
    let t0 = Instant::now();
    let permit = clone.acquire(&budget(60_000), &none()).await.unwrap();
    assert!(permit.waited() >= Duration::from_secs(3));
    assert!(t0.elapsed() >= Duration::from_secs(3));
    // A pause longer than the cap fails at once.
    p.acquire(&budget(60_000), &none())
        .await
        .unwrap()
        .complete(team_429);
    assert!(p.acquire(&budget(1_000), &none()).await.is_err());
    assert_eq!(p.stats().pauses, 2);
}

#[test]
fn team_limit_429s_are_told_from_quota_429s() {
    assert!(is_team_limit(
        r#"{"error":"Rate limit exceeded","code":"rate_limited"}"#
    ));
    assert!(is_team_limit("<html>slow down</html>"));
    assert!(!is_team_limit(
        r#"{"error":"quota","code":"rate_limited","platform":"google"}"#
    ));
    assert!(!is_team_limit(
        r#"{"error":"hourly","details":{"scope":"inbox_comments"}}"#
    ));
}

#[test]
fn the_redis_name_of_a_team_is_a_hash_of_the_key() {
    let h = key_hash(&key());
    assert_eq!(h.len(), 32);
    assert!(!h.contains("sk_test"));
    assert_ne!(h, key_hash(&ApiKey::new("sk_test_pacing_0002")));
}

/// A TCP server that accepts connections and never answers: a Redis that hangs.
async fn silent_server() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    (addr, task)
}

fn with_redis(url: &str) -> PacingConfig {
    PacingConfig {
        window: Duration::from_millis(1000),
        limit: Some(50),
        redis: Some(RedisTarget::parse(url, "rateLimit.redis").unwrap()),
        ..PacingConfig::default()
    }
}

#[tokio::test]
async fn redis_unreachable_or_silent_never_fails_a_call() {
    // Nothing listens on a port that was just freed.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("redis://127.0.0.1:{}", free.local_addr().unwrap().port());
    drop(free);
    let (silent, task) = silent_server().await;
    for url in [refused, format!("redis://{silent}")] {
        let p = Pacer::new(&with_redis(&url), &key(), None);
        let started = std::time::Instant::now();
        for _ in 0..20 {
            p.acquire(&budget(60_000), &none())
                .await
                .unwrap()
                .complete(Seen::default());
        }
        let s = p.stats();
        assert_eq!(s.mode, "fallback", "{url}");
        assert_eq!(s.fallbacks, 1);
        assert!(s.redis_errors >= 1);
        // One try per retry delay, each bounded by the Redis timeout: no call hangs.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_first_call_that_hangs_holds_the_others_back_half_a_second_at_most() {
    let p = Pacer::new(&config(1000, None), &key(), None);
    let _hung = cold_burst(&p).await;
    let t0 = Instant::now();
    let second = p.acquire(&budget(60_000), &none()).await.unwrap();
    assert_eq!(t0.elapsed(), FIRST_ANSWER_PATIENCE);
    // It went alone too; its answer teaches the limit to everyone.
    second.complete(ok_with(10, 9));
    assert_eq!(p.stats().limit, Some(10));
    // A deadline shorter than the patience is a timeout, not a 429.
    let q = Pacer::new(&config(1000, None), &key(), None);
    let _hung = cold_burst(&q).await;
    let mut b = budget(60_000);
    b.deadline = Some(std::time::Instant::now() + Duration::from_millis(100));
    b.deadline_total = Some(Duration::from_millis(100));
    let err = q.acquire(&b, &none()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                timeout_ms: 100,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn the_option_is_checked_here_naming_the_parameter() {
    let param = |r: Result<PacingConfig>| match r {
        Err(Error::Validation { param, .. }) => param,
        other => panic!("expected a validation error, got {other:?}"),
    };
    for ms in [0.0, -1.0, 0.5, f64::NAN, f64::INFINITY, 86_400_001.0] {
        assert_eq!(
            param(PacingConfig::from_option(true, Some(ms), None, None)),
            "rateLimit.windowMs",
            "{ms}"
        );
    }
    for l in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 5e9] {
        assert_eq!(
            param(PacingConfig::from_option(true, None, Some(l), None)),
            "rateLimit.limit",
            "{l}"
        );
    }
    for url in ["", "http://x", "redis://", "not a url"] {
        assert_eq!(
            param(PacingConfig::from_option(true, None, None, Some(url))),
            "rateLimit.redis",
            "{url}"
        );
    }
    let c = PacingConfig::from_option(
        true,
        Some(2000.0),
        Some(120.0),
        Some("redis://127.0.0.1:6379"),
    )
    .expect("valid");
    assert_eq!(c.window, Duration::from_millis(2000));
    assert_eq!(c.limit, Some(120));
    assert!(c.redis.is_some());
    let off = PacingConfig::from_option(false, None, None, None).expect("off");
    assert!(!off.enabled);
    assert_eq!(off.window, DEFAULT_WINDOW);
}
