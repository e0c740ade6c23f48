#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Choosing one deployment among 100 of a group, per strategy (targets:
//! simple-shuffle <= 1 us, the others <= 5 us). The whole pick is measured:
//! group lookup, cooldown and limit filters, order, then the strategy, with
//! state (latencies, usage, calls in flight) filled in for every deployment.
//! The last case has deployments cooling down, so every filter runs.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use llmrelay_router::{
    Clock, InMemoryState, RouteOptions, Router, RouterConfig, RouterState, SystemClock,
};
use serde_json::json;

const DEPLOYMENTS: usize = 100;

fn router(strategy: &str) -> Router {
    router_with(strategy, 0)
}

/// A router whose first `cooling` deployments are cooling down, which
/// takes the path that reads every deployment's state.
fn router_with(strategy: &str, cooling: usize) -> Router {
    let list: Vec<_> = (0..DEPLOYMENTS)
        .map(|i| {
            json!({"model_name": "gpt", "litellm_params": {
                "model": "openai/gpt-4o",
                "api_base": format!("http://127.0.0.1:{}/v1", 10_000 + i),
                "rpm": 1_000 + i, "tpm": 1_000_000,
                "input_cost_per_token": 1e-6 * (1.0 + (i % 7) as f64),
            }})
        })
        .collect();
    let (config, _) = RouterConfig::from_value(&json!({
        "model_list": list, "routing_strategy": strategy,
        "routing_strategy_args": {"lowest_latency_buffer": 0.1},
    }))
    .unwrap();
    let state = Arc::new(InMemoryState::new());
    let router = Router::builder(config)
        .state(state.clone())
        .build()
        .unwrap();
    let now = SystemClock.now_ms();
    for slot in 0..DEPLOYMENTS {
        let ms = 100 + (slot * 37 % 400) as u64;
        state.record_latency(
            slot,
            now,
            Duration::from_millis(ms),
            Duration::from_secs(3600),
        );
        for _ in 0..(slot % 5) {
            state.start_call(slot, now);
        }
        state.record_tokens(slot, now, (slot * 1_000) as u64);
        if slot < cooling {
            state.cool_down(slot, now + 3_600_000);
        }
    }
    router
}

fn select(c: &mut Criterion) {
    let options = RouteOptions::default();
    let mut group = c.benchmark_group("select_among_100");
    for strategy in [
        "simple-shuffle",
        "least-busy",
        "latency-based-routing",
        "usage-based-routing",
        "cost-based-routing",
    ] {
        let r = router(strategy);
        group.bench_function(strategy, |b| {
            b.iter(|| {
                let d = r
                    .get_available_deployment(black_box("gpt"), &options)
                    .unwrap();
                black_box(d.slot())
            })
        });
    }
    let r = router_with("simple-shuffle", 10);
    group.bench_function("simple-shuffle, 10 cooling down", |b| {
        b.iter(|| {
            let d = r
                .get_available_deployment(black_box("gpt"), &options)
                .unwrap();
            black_box(d.slot())
        })
    });
    group.finish();
}

criterion_group!(benches, select);
criterion_main!(benches);
