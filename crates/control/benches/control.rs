//! The per-request cost of control on SQLite: a cached key lookup
//! (`KeyAuthorizer::authorize`), and a budget `reserve` + `settle`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use llmrelay_control::{CachePolicy, GenerateKey, KeyAuthorizer, Limits, Store, SystemClock};

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("llmrelay_control_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bench.db").to_string_lossy().into_owned();
    let (store, key) = rt.block_on(async {
        let store = Store::open(&db, Arc::new(SystemClock)).await.unwrap();
        let key = store
            .generate_key(GenerateKey {
                limits: Limits {
                    max_budget: Some(1e12),
                    models: vec!["gpt-4o".into()],
                    ..Limits::default()
                },
                ..GenerateKey::default()
            })
            .await
            .unwrap();
        (store, key)
    });
    let auth = KeyAuthorizer::new(
        store.clone(),
        CachePolicy {
            fresh_for_ms: i64::MAX / 2,
            usable_for_ms: i64::MAX / 2,
        },
    );
    rt.block_on(auth.authorize(&key.key, Some("gpt-4o")))
        .unwrap();

    c.bench_function("authorize_cached_key", |b| {
        b.to_async(&rt)
            .iter(|| async { auth.authorize(&key.key, Some("gpt-4o")).await.unwrap() })
    });
    let token = key.record.token.clone();
    c.bench_function("reserve_settle_sqlite", |b| {
        b.to_async(&rt).iter(|| async {
            let r = store.reserve(&token, None, None, 0.01).await.unwrap();
            store.settle(r, 0.005).await.unwrap();
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
