//! Dependencies failing mid-run: the database (cached keys keep working,
//! unknown keys get 503) and Redis (the configured policy, reported).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use llmrelay_control::{
    AuthError, CachePolicy, Clock, GenerateKey, KeyAuthorizer, LimiterHealth, Limits, RateLimiter,
    RedisDownPolicy, Store,
};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_down_mid_run_keeps_cached_keys_and_refuses_unknown_with_503() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let clock = manual_clock(1_700_000_000_000);
    let store = Store::open(&url, clock.clone() as Arc<dyn Clock>)
        .await
        .unwrap();
    let known = store.generate_key(GenerateKey::default()).await.unwrap();
    let other = store.generate_key(GenerateKey::default()).await.unwrap();
    let auth = KeyAuthorizer::new(
        store.clone(),
        CachePolicy {
            fresh_for_ms: 1_000,
            usable_for_ms: 60_000,
        },
    );
    assert!(auth.authorize(&known.key, None).await.is_ok());

    // The database goes away: its connections are killed and it is gone.
    drop_postgres(&url).await;
    assert!(!store.ping().await);

    // Past the freshness window the cache is still usable (the refresh fails).
    clock.advance_ms(5_000);
    let cached = auth.authorize(&known.key, None).await.unwrap();
    assert_eq!(cached.key.token, known.record.token);
    // A key that exists but was never cached: 503, not 401.
    let unknown = auth.authorize(&other.key, None).await.unwrap_err();
    assert!(matches!(unknown, AuthError::Unavailable(_)), "{unknown:?}");
    assert_eq!(unknown.http_status(), 503);
    // Reservations need the database: also 503.
    let err = store
        .reserve(&known.record.token, None, None, 1.0)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), 503);
    // Staleness is bounded: beyond usable_for the cached key is refused too.
    clock.advance_ms(60_000);
    assert!(matches!(
        auth.authorize(&known.key, None).await,
        Err(AuthError::Unavailable(_))
    ));
}

async fn one_key(dir: &TempDir, rpm: i64) -> (Store, Arc<llmrelay_control::Authorized>) {
    let store = sqlite(dir, system_clock()).await;
    let key = store
        .generate_key(GenerateKey {
            limits: Limits {
                rpm_limit: Some(rpm),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let auth = KeyAuthorizer::new(store.clone(), CachePolicy::default());
    let a = auth.authorize(&key.key, None).await.unwrap();
    (store, a)
}

// Port 1 on loopback refuses connections: a Redis that is down.
const DEAD_REDIS: &str = "redis://127.0.0.1:1/";

#[tokio::test]
async fn redis_down_fails_closed_by_default_and_says_so() {
    let dir = TempDir::new();
    let (_store, a) = one_key(&dir, 5).await;
    let limiter = RateLimiter::new(
        Some(DEAD_REDIS),
        &unique("t"),
        RedisDownPolicy::default(),
        system_clock(),
    )
    .unwrap();
    assert_eq!(limiter.health(), LimiterHealth::Redis);
    let err = limiter.acquire(&a).await.unwrap_err();
    assert!(matches!(err, AuthError::Unavailable(_)), "{err:?}");
    assert_eq!(err.http_status(), 503);
    assert_eq!(limiter.health(), LimiterHealth::RedisDownFailClosed);
}

#[tokio::test]
async fn redis_down_with_local_fallback_limits_per_instance_and_says_so() {
    let dir = TempDir::new();
    let (_store, a) = one_key(&dir, 5).await;
    let limiter = RateLimiter::new(
        Some(DEAD_REDIS),
        &unique("t"),
        RedisDownPolicy::LocalFallback,
        // At the start of a minute, so the fixed window cannot roll over mid-test.
        manual_clock(1_700_000_040_000) as Arc<dyn Clock>,
    )
    .unwrap();
    let mut admitted = 0;
    let mut refused = 0;
    for _ in 0..8 {
        match limiter.acquire(&a).await {
            Ok(p) => {
                admitted += 1;
                limiter.release(p, 10).await;
            }
            Err(AuthError::RateLimited { limit: 5, .. }) => refused += 1,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((admitted, refused), (5, 3));
    assert_eq!(limiter.health(), LimiterHealth::RedisDownLocalFallback);
}

#[tokio::test]
async fn redis_stopping_mid_run_switches_to_the_policy() {
    if !redis_available().await {
        return;
    }
    // A private Redis we can stop: a TCP proxy to the shared one that we close.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let pipes = Arc::new(std::sync::Mutex::new(Vec::new()));
    let proxy_pipes = pipes.clone();
    let proxy = tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let pipe = tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect("127.0.0.1:6379").await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
            proxy_pipes.lock().unwrap().push(pipe);
        }
    });
    let dir = TempDir::new();
    let (_store, a) = one_key(&dir, 100).await;
    let limiter = RateLimiter::new(
        Some(&format!("redis://127.0.0.1:{port}/")),
        &unique("t"),
        RedisDownPolicy::FailClosed,
        system_clock(),
    )
    .unwrap();
    let p = limiter.acquire(&a).await.unwrap();
    limiter.release(p, 1).await;
    assert_eq!(limiter.health(), LimiterHealth::Redis);
    // Stop "Redis": the listener and every open connection go away.
    proxy.abort();
    let _ = proxy.await;
    for pipe in pipes.lock().unwrap().drain(..) {
        pipe.abort();
    }
    let mut refused = false;
    for _ in 0..50 {
        match limiter.acquire(&a).await {
            Err(AuthError::Unavailable(_)) => {
                refused = true;
                break;
            }
            Ok(p) => limiter.release(p, 1).await,
            Err(e) => panic!("{e:?}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "requests kept being admitted with redis gone");
    assert_eq!(limiter.health(), LimiterHealth::RedisDownFailClosed);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let limiter = RateLimiter::new(
        Some("redis://:hunter2-redis@127.0.0.1:1/"),
        "p",
        RedisDownPolicy::FailClosed,
        system_clock(),
    )
    .unwrap();
    assert!(!format!("{limiter:?}").contains("hunter2"));
    let Some(url) = postgres_url().await else {
        return;
    };
    // Trust authentication ignores the password, so it can be a marker.
    let with_password = url.replacen("postgres@", "postgres:hunter2-pg@", 1);
    let store = Store::open(&with_password, system_clock()).await.unwrap();
    let shown = format!("{store:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    store.close().await;
    drop_postgres(&url).await;
}
