#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Which deployment a call goes to: strategies, order, tags, pre-call checks,
//! against fake OpenAI upstreams on loopback.

mod common;

use std::time::Duration;

use common::{entry_id, request, router, text};
use llmrelay::{EmbeddingRequest, ErrorKind};
use llmrelay_router::strategy::{Candidates, StateView, Strategy};
use llmrelay_router::{RouteOptions, Router, RouterConfig};
use llmrelay_testkit::{FakeOpenAi, Reply};
use serde_json::json;

fn count_picks(router: &Router, group: &str, n: usize) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for _ in 0..n {
        let d = router
            .get_available_deployment(group, &RouteOptions::default())
            .unwrap();
        *counts.entry(d.id().to_owned()).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn simple_shuffle_follows_weights_then_rpm_within_statistical_bounds() {
    let a = FakeOpenAi::start().await.unwrap();
    let b = FakeOpenAi::start().await.unwrap();
    let weighted = router(json!({"model_list": [
        entry_id("gpt", "a", &a, json!({"weight": 1, "rpm": 900})),
        entry_id("gpt", "b", &b, json!({"weight": 3, "rpm": 100})),
    ]}));
    // 8,000 picks at p = 0.25: sd = sqrt(8000 * 0.25 * 0.75) ~ 38.7; allow 5 sd.
    let counts = count_picks(&weighted, "gpt", 8000);
    let share_a = counts["a"] as f64;
    assert!((share_a - 2000.0).abs() < 5.0 * 38.7, "{counts:?}");

    // Without weights, rpm weighs: 900 vs 100.
    let by_rpm = router(json!({"model_list": [
        entry_id("gpt", "a", &a, json!({"rpm": 900})),
        entry_id("gpt", "b", &b, json!({"rpm": 100})),
    ]}));
    let counts = count_picks(&by_rpm, "gpt", 8000);
    // p = 0.1: sd ~ 26.8.
    assert!(
        (counts["b"] as f64 - 800.0).abs() < 5.0 * 26.8,
        "{counts:?}"
    );

    // Real calls land where the picks say: 200 calls, both upstreams used, none lost.
    for i in 0..200 {
        let r = weighted
            .completion(request("gpt", &format!("q{i}")), &RouteOptions::default())
            .await
            .unwrap();
        assert_eq!(text(&r.value), llmrelay_testkit::DEFAULT_CONTENT);
    }
    assert_eq!(a.request_count() + b.request_count(), 200);
    // p = 0.25 of 200: sd ~ 6.1; 5 sd either side.
    assert!(
        (a.request_count() as f64 - 50.0).abs() < 31.0,
        "{}",
        a.request_count()
    );
}

#[tokio::test]
async fn lower_order_is_used_first_and_higher_order_after_it_fails() {
    let first = FakeOpenAi::start().await.unwrap();
    let second = FakeOpenAi::start().await.unwrap();
    first.set_default_reply(Reply::content("from first"));
    second.set_default_reply(Reply::content("from second"));
    let r = router(json!({"model_list": [
        entry_id("gpt", "second", &second, json!({"order": 2, "weight": 100})),
        entry_id("gpt", "first", &first, json!({"order": 1, "weight": 1})),
    ]}));
    for _ in 0..20 {
        let routed = r
            .completion(request("gpt", "hi"), &RouteOptions::default())
            .await
            .unwrap();
        assert_eq!(routed.deployment_id, "first");
    }
    first.push(Reply::server_error());
    let routed = r
        .completion(request("gpt", "hi"), &RouteOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (routed.deployment_id.as_str(), routed.attempted_retries),
        ("second", 1)
    );
    assert_eq!(text(&routed.value), "from second");
}

#[tokio::test]
async fn tags_route_tagged_requests_and_default_takes_the_rest() {
    let paid = FakeOpenAi::start().await.unwrap();
    let free = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "paid", &paid, json!({"tags": ["paid"]})),
            entry_id("gpt", "free", &free, json!({"tags": ["free", "default"]})),
        ],
        "enable_tag_filtering": true,
    }));
    let tagged = RouteOptions {
        tags: vec!["paid".into()],
        ..RouteOptions::default()
    };
    for _ in 0..10 {
        assert_eq!(
            r.completion(request("gpt", "x"), &tagged)
                .await
                .unwrap()
                .deployment_id,
            "paid"
        );
        assert_eq!(
            r.completion(request("gpt", "x"), &RouteOptions::default())
                .await
                .unwrap()
                .deployment_id,
            "free"
        );
    }
    // Tags from the request's metadata count too.
    let mut req = request("gpt", "x");
    req.metadata = Some(json!({"tags": ["paid"]}));
    assert_eq!(
        r.completion(req, &RouteOptions::default())
            .await
            .unwrap()
            .deployment_id,
        "paid"
    );
    // An unknown tag goes to the default deployments.
    let other = RouteOptions {
        tags: vec!["gold".into()],
        ..RouteOptions::default()
    };
    assert_eq!(
        r.completion(request("gpt", "x"), &other)
            .await
            .unwrap()
            .deployment_id,
        "free"
    );
    assert_eq!(paid.request_count(), 11);

    // With no default deployment, an unmatched tag is a clear error.
    let strict = router(json!({
        "model_list": [entry_id("gpt", "paid", &paid, json!({"tags": ["paid"]}))],
        "enable_tag_filtering": true,
    }));
    let e = strict
        .completion(request("gpt", "x"), &other)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert!(e.message.contains("matches the tags"), "{e}");
}

#[tokio::test]
async fn pre_call_checks_skip_deployments_whose_context_window_is_too_small() {
    let small = FakeOpenAi::start().await.unwrap();
    let large = FakeOpenAi::start().await.unwrap();
    let mut small_entry = entry_id("gpt", "small", &small, json!({}));
    small_entry["model_info"]["max_input_tokens"] = json!(50);
    let r = router(json!({
        "model_list": [small_entry, entry_id("gpt", "large", &large, json!({}))],
        "enable_pre_call_checks": true,
    }));
    let long = "word ".repeat(400);
    for _ in 0..10 {
        let routed = r
            .completion(request("gpt", &long), &RouteOptions::default())
            .await
            .unwrap();
        assert_eq!(routed.deployment_id, "large");
    }
    assert_eq!(small.request_count(), 0);
    // Short prompts may use either.
    let mut seen_small = false;
    for _ in 0..40 {
        seen_small |= r
            .completion(request("gpt", "hi"), &RouteOptions::default())
            .await
            .unwrap()
            .deployment_id
            == "small";
    }
    assert!(seen_small);
    // Too long for every deployment: a context-window error before any call.
    let mut only_small = entry_id("tiny", "s", &small, json!({}));
    only_small["model_info"]["max_input_tokens"] = json!(50);
    let r = router(json!({"model_list": [only_small], "enable_pre_call_checks": true}));
    let before = small.request_count();
    let e = r
        .completion(request("tiny", &long), &RouteOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ContextWindowExceeded);
    assert_eq!(small.request_count(), before);
}

#[tokio::test]
async fn region_pre_call_check_keeps_calls_in_the_allowed_region() {
    let eu = FakeOpenAi::start().await.unwrap();
    let us = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "eu", &eu, json!({"region_name": "eu-west-1"})),
            entry_id("gpt", "us", &us, json!({"region_name": "us-east-1"})),
        ],
        "enable_pre_call_checks": true,
    }));
    let options = RouteOptions {
        allowed_region: Some("eu".into()),
        ..RouteOptions::default()
    };
    for _ in 0..10 {
        assert_eq!(
            r.completion(request("gpt", "x"), &options)
                .await
                .unwrap()
                .deployment_id,
            "eu"
        );
    }
}

#[tokio::test]
async fn least_busy_avoids_the_deployment_with_calls_in_flight() {
    let slow = FakeOpenAi::start().await.unwrap();
    let fast = FakeOpenAi::start().await.unwrap();
    slow.set_default_reply(Reply::content("slow").with_latency(Duration::from_millis(400)));
    let r = router(json!({
        "model_list": [entry_id("gpt", "slow", &slow, json!({})), entry_id("gpt", "fast", &fast, json!({}))],
        "routing_strategy": "least-busy",
    }));
    // Occupy `slow` (a tie at zero may pick either; retry until it is busy).
    let mut pending = Vec::new();
    while r
        .deployments()
        .iter()
        .all(|d| d.in_flight == 0 || d.id != "slow")
    {
        let rc = r.clone();
        pending.push(tokio::spawn(async move {
            rc.completion(request("gpt", "x"), &RouteOptions::default())
                .await
        }));
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for _ in 0..5 {
        let d = r
            .get_available_deployment("gpt", &RouteOptions::default())
            .unwrap();
        assert_eq!(d.id(), "fast");
    }
    for p in pending {
        p.await.unwrap().unwrap();
    }
    assert!(r.deployments().iter().all(|d| d.in_flight == 0));
}

#[tokio::test]
async fn latency_based_routing_prefers_the_faster_deployment() {
    let slow = FakeOpenAi::start().await.unwrap();
    let fast = FakeOpenAi::start().await.unwrap();
    slow.set_default_reply(Reply::content("slow").with_latency(Duration::from_millis(150)));
    let r = router(json!({
        "model_list": [entry_id("gpt", "slow", &slow, json!({})), entry_id("gpt", "fast", &fast, json!({}))],
        "routing_strategy": "latency-based-routing",
    }));
    // Unmeasured deployments go first, so both get measured within two calls.
    for _ in 0..2 {
        r.completion(request("gpt", "x"), &RouteOptions::default())
            .await
            .unwrap();
    }
    let status = r.deployments();
    assert!(status.iter().all(|d| d.latency.is_some()), "{status:?}");
    for _ in 0..10 {
        let routed = r
            .completion(request("gpt", "x"), &RouteOptions::default())
            .await
            .unwrap();
        assert_eq!(routed.deployment_id, "fast");
    }
    assert_eq!(slow.request_count(), 1);
}

#[tokio::test]
async fn usage_based_routing_skips_deployments_at_their_rpm() {
    let a = FakeOpenAi::start().await.unwrap();
    let b = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [entry_id("gpt", "a", &a, json!({"rpm": 3})), entry_id("gpt", "b", &b, json!({"rpm": 3}))],
        "routing_strategy": "usage-based-routing",
    }));
    for _ in 0..6 {
        r.completion(request("gpt", "x"), &RouteOptions::default())
            .await
            .unwrap();
    }
    assert_eq!((a.request_count(), b.request_count()), (3, 3));
    let e = r
        .completion(request("gpt", "x"), &RouteOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimit);
    assert!(e.message.contains("rpm/tpm limit"), "{e}");
}

#[tokio::test]
async fn cost_based_routing_takes_the_cheapest_and_custom_prices_price_the_answer() {
    let dear = FakeOpenAi::start().await.unwrap();
    let cheap = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "dear", &dear, json!({})),
            entry_id("gpt", "cheap", &cheap, json!({"input_cost_per_token": 1e-9, "output_cost_per_token": 2e-9})),
        ],
        "routing_strategy": "cost-based-routing",
    }));
    for _ in 0..5 {
        let routed = r
            .completion(request("gpt", "x"), &RouteOptions::default())
            .await
            .unwrap();
        assert_eq!(routed.deployment_id, "cheap");
        let usage = routed.value.usage.clone().unwrap();
        let expected = usage.prompt_tokens as f64 * 1e-9 + usage.completion_tokens as f64 * 2e-9;
        assert!((routed.value.cost.unwrap() - expected).abs() < 1e-15);
    }
    assert_eq!(dear.request_count(), 0);
}

/// Always the deployment with the longest id: a strategy plugged in from Rust.
#[derive(Debug)]
struct LongestId;
impl Strategy for LongestId {
    fn pick(&self, candidates: &Candidates<'_>, _view: &StateView<'_>) -> Option<usize> {
        (0..candidates.len()).max_by_key(|&i| candidates.get(i).map_or(0, |d| d.id().len()))
    }
}

#[tokio::test]
async fn a_custom_strategy_picks_and_embeddings_route_too() {
    let a = FakeOpenAi::start().await.unwrap();
    let b = FakeOpenAi::start().await.unwrap();
    let embed = |id: &str, up: &FakeOpenAi| {
        let mut e = entry_id("embed", id, up, json!({}));
        e["litellm_params"]["model"] = json!("openai/text-embedding-3-small");
        e
    };
    let (config, _) =
        RouterConfig::from_value(&json!({"model_list": [embed("a", &a), embed("bbbb", &b)]}))
            .unwrap();
    let r = Router::builder(config)
        .strategy(Box::new(LongestId))
        .build()
        .unwrap();
    for _ in 0..3 {
        let routed = r
            .embedding(
                EmbeddingRequest::new("embed", vec!["hello".into()]),
                &RouteOptions::default(),
            )
            .await
            .unwrap();
        assert_eq!(routed.deployment_id, "bbbb");
        assert_eq!(routed.model, "openai/text-embedding-3-small");
        assert_eq!(routed.api_base.as_deref(), Some(b.base_url().as_str()));
        assert_eq!(routed.value.data.len(), 1);
    }
    assert_eq!((a.request_count(), b.request_count()), (0, 3));
    let sent = b.last_request().unwrap();
    assert_eq!(sent.body.unwrap()["model"], "text-embedding-3-small");
}

#[tokio::test]
async fn wildcard_groups_pass_the_requested_model_through() {
    let up = FakeOpenAi::start().await.unwrap();
    let r = router(
        json!({"model_list": [{"model_name": "openai/*", "litellm_params": {
        "model": "openai/*", "api_base": up.base_url(), "api_key": common::KEY}}]}),
    );
    let routed = r
        .completion(request("openai/gpt-4o-mini", "x"), &RouteOptions::default())
        .await
        .unwrap();
    assert_eq!(routed.model, "openai/gpt-4o-mini");
    assert_eq!(
        up.last_request().unwrap().body.unwrap()["model"],
        "gpt-4o-mini"
    );
    let e = r
        .completion(request("anthropic/claude", "x"), &RouteOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert!(
        e.message
            .contains("no deployment serves model `anthropic/claude`"),
        "{e}"
    );
}
