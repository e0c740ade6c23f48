//! Two instances (two `Store`s on one PostgreSQL, two limiters on one Redis)
//! share one rpm limit: 60 in all, not 120.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;

use llmrelay_control::{
    AuthError, CachePolicy, Clock, GenerateKey, KeyAuthorizer, LimitKind, Limits, RateLimiter,
    RedisDownPolicy, Store,
};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_rpm_limit() {
    let Some(url) = postgres_url().await else {
        return;
    };
    if !redis_available().await {
        drop_postgres(&url).await;
        return;
    }
    let prefix = unique("llmrelay_test");
    // Both instances at the start of the same minute (their clocks agree).
    let clock: Arc<dyn Clock> = manual_clock(1_700_000_040_000);
    let mut instances = Vec::new();
    for _ in 0..2 {
        let store = Store::open(&url, clock.clone()).await.unwrap();
        let auth = KeyAuthorizer::new(store.clone(), CachePolicy::default());
        let limiter = RateLimiter::new(
            Some(REDIS_URL),
            &prefix,
            RedisDownPolicy::FailClosed,
            clock.clone(),
        )
        .unwrap();
        instances.push(Arc::new((store, auth, limiter)));
    }
    let key = instances[0]
        .0
        .generate_key(GenerateKey {
            limits: Limits {
                rpm_limit: Some(60),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let inst = instances[i % 2].clone();
        let plain = key.key.clone();
        tasks.push(tokio::spawn(async move {
            let a = inst.1.authorize(&plain, None).await.unwrap();
            match inst.2.acquire(&a).await {
                Ok(p) => {
                    inst.2.release(p, 1).await;
                    true
                }
                Err(AuthError::RateLimited {
                    kind: LimitKind::Rpm,
                    limit: 60,
                    ..
                }) => false,
                Err(e) => panic!("{e:?}"),
            }
        }));
    }
    let mut admitted = 0;
    for t in tasks {
        admitted += usize::from(t.await.unwrap());
    }
    assert_eq!(admitted, 60);
    for inst in &instances {
        inst.0.close().await;
    }
    drop_postgres(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_and_tpm_limits_through_redis() {
    if !redis_available().await {
        return;
    }
    let dir = TempDir::new();
    let clock: Arc<dyn Clock> = manual_clock(1_700_000_040_000);
    let store = sqlite(&dir, clock.clone()).await;
    let key = store
        .generate_key(GenerateKey {
            limits: Limits {
                max_parallel_requests: Some(2),
                tpm_limit: Some(100),
                ..Limits::default()
            },
            ..GenerateKey::default()
        })
        .await
        .unwrap();
    let auth = KeyAuthorizer::new(store.clone(), CachePolicy::default());
    let a = auth.authorize(&key.key, None).await.unwrap();
    let limiter = RateLimiter::new(
        Some(REDIS_URL),
        &unique("llmrelay_test"),
        RedisDownPolicy::FailClosed,
        clock,
    )
    .unwrap();
    let first = limiter.acquire(&a).await.unwrap();
    let second = limiter.acquire(&a).await.unwrap();
    let third = limiter.acquire(&a).await.unwrap_err();
    assert!(
        matches!(
            third,
            AuthError::RateLimited {
                kind: LimitKind::Parallel,
                limit: 2,
                ..
            }
        ),
        "{third:?}"
    );
    // Releasing frees a slot and counts the tokens; 100 tokens use up the tpm.
    limiter.release(first, 60).await;
    let again = limiter.acquire(&a).await.unwrap();
    limiter.release(second, 40).await;
    limiter.release(again, 0).await;
    let err = limiter.acquire(&a).await.unwrap_err();
    assert!(
        matches!(
            err,
            AuthError::RateLimited {
                kind: LimitKind::Tpm,
                limit: 100,
                ..
            }
        ),
        "{err:?}"
    );
}
