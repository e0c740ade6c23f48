#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! 1,000 concurrent calls through one router: every call gets its own answer,
//! none is lost or duplicated, and the in-flight counters return to zero.

mod common;

use std::collections::HashSet;

use common::{entry_id, request, router, text};
use llmrelay_router::RouteOptions;
use llmrelay_testkit::{FakeOpenAi, Reply};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_each_get_their_own_answer() {
    let mut upstreams = Vec::new();
    for _ in 0..3 {
        let up = FakeOpenAi::builder()
            .default_reply(Reply::echo())
            .record_requests(false)
            .start()
            .await
            .unwrap();
        upstreams.push(up);
    }
    // One flaky upstream: its failures are retried elsewhere, never lost.
    for _ in 0..50 {
        upstreams[2].push(Reply::server_error());
    }
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "a", &upstreams[0], json!({})),
            entry_id("gpt", "b", &upstreams[1], json!({})),
            entry_id("gpt", "c", &upstreams[2], json!({})),
        ],
        "routing_strategy": "least-busy",
        "num_retries": 3,
        "allowed_fails": 1000,
    }));
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let r = r.clone();
            tokio::spawn(async move {
                let asked = format!("question {i}");
                let routed = r
                    .completion(request("gpt", &asked), &RouteOptions::default())
                    .await;
                (asked, routed)
            })
        })
        .collect();
    let mut answers = HashSet::new();
    for task in tasks {
        let (asked, routed) = task.await.unwrap();
        let routed = routed.unwrap();
        assert_eq!(text(&routed.value), asked);
        assert!(answers.insert(text(&routed.value)), "duplicate answer");
    }
    assert_eq!(answers.len(), 1000);
    let served: u64 = upstreams.iter().map(FakeOpenAi::request_count).sum();
    // Every call answered once, plus one request per scripted failure.
    assert_eq!(served, 1050);
    assert!(upstreams.iter().all(|u| u.request_count() > 0));
    assert!(r.deployments().iter().all(|d| d.in_flight == 0));
}
