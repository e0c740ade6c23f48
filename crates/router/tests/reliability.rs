#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Retries, cooldowns and every kind of fallback, against fake OpenAI
//! upstreams; cooldown expiry uses a clock the test moves, not sleeps.

mod common;

use std::time::Duration;

use common::{entry_id, request, router, router_with_clock, text};
use llmrelay::{CallOptions, Client, ErrorKind};
use llmrelay_router::{completion_with_fallbacks, Clock, Fallback, RouteOptions};
use llmrelay_testkit::{FakeOpenAi, Reply};
use serde_json::json;

fn none() -> RouteOptions {
    RouteOptions::default()
}

#[tokio::test]
async fn a_deployment_cools_down_after_allowed_fails_and_recovers_after_cooldown_time() {
    let flaky = FakeOpenAi::start().await.unwrap();
    let backup = FakeOpenAi::start().await.unwrap();
    flaky.set_default_reply(Reply::server_error());
    backup.set_default_reply(Reply::content("backup"));
    let (r, clock) = router_with_clock(json!({
        "model_list": [
            entry_id("gpt", "flaky", &flaky, json!({"order": 1})),
            entry_id("gpt", "backup", &backup, json!({"order": 2})),
        ],
        "num_retries": 0, "allowed_fails": 1, "cooldown_time": 30,
    }));
    // Two failures in the minute: the first is allowed, the second cools down.
    for _ in 0..2 {
        let e = r
            .completion(request("gpt", "x"), &none())
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::InternalServer);
    }
    let status = r.deployments();
    let flaky_status = status.iter().find(|d| d.id == "flaky").unwrap();
    assert!(!flaky_status.healthy);
    assert_eq!(flaky_status.failures_this_minute, 2);
    let until = flaky_status.cooldown_until_ms.unwrap();
    assert_eq!(until, clock.now_ms() + 30_000);
    // While it cools down, calls go to the backup without touching it.
    for _ in 0..3 {
        let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
        assert_eq!(
            (routed.deployment_id.as_str(), routed.attempted_retries),
            ("backup", 0)
        );
    }
    assert_eq!(flaky.request_count(), 2);
    // After cooldown_time it is healthy and first in order again.
    flaky.set_default_reply(Reply::content("recovered"));
    clock.advance(Duration::from_secs(31));
    assert!(r.deployments().iter().all(|d| d.healthy));
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(routed.deployment_id, "flaky");
    assert_eq!(text(&routed.value), "recovered");
}

#[tokio::test]
async fn rate_limits_cool_down_at_once_and_all_cooling_down_says_when_one_is_back() {
    let a = FakeOpenAi::start().await.unwrap();
    let b = FakeOpenAi::start().await.unwrap();
    a.set_default_reply(Reply::rate_limited());
    b.set_default_reply(Reply::invalid_api_key());
    let (r, clock) = router_with_clock(json!({
        "model_list": [entry_id("gpt", "a", &a, json!({})), entry_id("gpt", "b", &b, json!({}))],
        "num_retries": 3, "cooldown_time": 10,
    }));
    // 429 on one, 401 on the other: each cooled down at once, so the next
    // call finds nothing and says so.
    let e = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!((a.request_count(), b.request_count()), (1, 1));
    // The order is random; whichever failed last had no other deployment left.
    assert!(
        matches!(e.kind, ErrorKind::RateLimit | ErrorKind::Authentication),
        "{e}"
    );
    let e2 = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e2.kind, ErrorKind::RateLimit);
    assert!(e2.message.contains("all 2 are cooling down"), "{e2}");
    assert!(e2.message.contains("back in 10.0s"), "{e2}");
    assert_eq!(e2.retry_after, Some(Duration::from_secs(10)));
    assert_eq!(a.request_count() + b.request_count(), 2);
    clock.advance(Duration::from_secs(4));
    let e3 = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e3.retry_after, Some(Duration::from_secs(6)));
}

#[tokio::test]
async fn retries_honour_the_budget_and_skip_errors_about_the_request() {
    let up = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [entry_id("gpt", "only", &up, json!({}))],
        "num_retries": 2,
    }));
    up.push(Reply::server_error());
    up.push(Reply::rate_limited().with_retry_after_ms(20));
    up.push(Reply::content("third time"));
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(
        (text(&routed.value).as_str(), routed.attempted_retries),
        ("third time", 2)
    );
    // A bad request is not retried.
    up.push(Reply::error(llmrelay_testkit::ApiError::new(400, "bad")));
    let e = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert_eq!(up.request_count(), 4);
    // Out of budget: three 500s, the error comes back.
    for _ in 0..3 {
        up.push(Reply::server_error());
    }
    let e = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InternalServer);
    assert_eq!(up.request_count(), 7);
}

#[tokio::test]
async fn a_bad_key_is_retried_only_on_another_deployment() {
    let up = FakeOpenAi::start().await.unwrap();
    up.set_default_reply(Reply::invalid_api_key());
    let r = router(json!({
        "model_list": [entry_id("gpt", "only", &up, json!({}))],
        "num_retries": 3,
    }));
    let e = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Authentication);
    assert_eq!(up.request_count(), 1);
    // With a second deployment, the call moves there.
    let good = FakeOpenAi::start().await.unwrap();
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "bad", &up, json!({"order": 1})),
            entry_id("gpt", "good", &good, json!({"order": 2})),
        ],
        "num_retries": 3,
    }));
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(
        (routed.deployment_id.as_str(), routed.attempted_retries),
        ("good", 1)
    );
    assert!(
        !r.deployments()
            .iter()
            .find(|d| d.id == "bad")
            .unwrap()
            .healthy
    );
}

/// Two groups on two upstreams: `gpt` (scripted) and the fallback groups.
async fn fallback_setup(
    settings: serde_json::Value,
) -> (FakeOpenAi, FakeOpenAi, llmrelay_router::Router) {
    let primary = FakeOpenAi::start().await.unwrap();
    let spare = FakeOpenAi::start().await.unwrap();
    spare.set_default_reply(Reply::echo());
    let mut config = json!({
        "model_list": [
            entry_id("gpt", "gpt-1", &primary, json!({})),
            entry_id("general", "general-1", &spare, json!({})),
            entry_id("long", "long-1", &spare, json!({})),
            entry_id("safe", "safe-1", &spare, json!({})),
            entry_id("default", "default-1", &spare, json!({})),
        ],
        "num_retries": 0,
    });
    if let (Some(c), serde_json::Value::Object(s)) = (config.as_object_mut(), settings) {
        c.extend(s);
    }
    let r = router(config);
    (primary, spare, r)
}

#[tokio::test]
async fn each_fallback_kind_is_taken_for_its_error() {
    let (primary, _spare, r) = fallback_setup(json!({
        "fallbacks": [{"gpt": ["general"]}],
        "context_window_fallbacks": [{"gpt": ["long"]}],
        "content_policy_fallbacks": [{"gpt": ["safe"]}],
    }))
    .await;
    let cases = [
        (Reply::server_error(), "general"),
        (Reply::context_length_exceeded(100, 200), "long"),
        (Reply::content_filter(), "safe"),
        (Reply::rate_limited(), "general"),
    ];
    for (fault, group) in cases {
        primary.push(fault);
        let routed = r
            .completion(request("gpt", "echo me"), &none())
            .await
            .unwrap();
        assert_eq!(routed.model_group, group);
        assert_eq!(routed.deployment_id, format!("{group}-1"));
        assert_eq!(routed.attempted_fallbacks, 1);
        assert_eq!(text(&routed.value), "echo me");
    }
}

#[tokio::test]
async fn default_per_call_and_disabled_fallbacks() {
    let (primary, _spare, r) = fallback_setup(json!({
        "default_fallbacks": ["default"],
        "context_window_fallbacks": [{"other": ["long"]}],
    }))
    .await;
    primary.set_default_reply(Reply::server_error());
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(routed.model_group, "default");
    // A context-window error with no list for this group takes the general path.
    primary.push(Reply::context_length_exceeded(10, 20));
    assert_eq!(
        r.completion(request("gpt", "x"), &none())
            .await
            .unwrap()
            .model_group,
        "default"
    );
    // Fallbacks in the call replace the configured ones, in order.
    let per_call = RouteOptions {
        fallbacks: Some(vec!["safe".into(), "general".into()]),
        ..none()
    };
    assert_eq!(
        r.completion(request("gpt", "x"), &per_call)
            .await
            .unwrap()
            .model_group,
        "safe"
    );
    // disable_fallbacks: the original error.
    let disabled = RouteOptions {
        disable_fallbacks: true,
        ..none()
    };
    let e = r
        .completion(request("gpt", "x"), &disabled)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InternalServer);
}

#[tokio::test]
async fn fallbacks_go_in_order_up_to_max_fallbacks_and_the_original_error_is_kept() {
    let (primary, spare, r) = fallback_setup(json!({
        "fallbacks": [{"gpt": ["general", "long", "safe"]}],
        "max_fallbacks": 2,
    }))
    .await;
    primary.set_default_reply(Reply::context_length_exceeded(10, 20));
    spare.set_default_reply(Reply::server_error());
    let e = r
        .completion(request("gpt", "x"), &none())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ContextWindowExceeded);
    assert!(e.message.contains("fallbacks tried: general, long"), "{e}");
    assert_eq!(spare.request_count(), 2);
    // The second fallback answers when the first fails.
    spare.set_default_reply(Reply::content("second"));
    spare.push(Reply::server_error());
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(
        (routed.model_group.as_str(), routed.attempted_fallbacks),
        ("long", 2)
    );
}

#[tokio::test]
async fn plain_completion_with_fallbacks_uses_the_same_path() {
    let primary = FakeOpenAi::start().await.unwrap();
    let spare = FakeOpenAi::start().await.unwrap();
    primary.set_default_reply(Reply::service_unavailable());
    spare.set_default_reply(Reply::content("from the fallback"));
    let options = |up: &FakeOpenAi| CallOptions {
        api_base: Some(up.base_url()),
        api_key: Some(common::KEY.into()),
        num_retries: Some(0),
        ..CallOptions::default()
    };
    let fallbacks = [Fallback {
        model: "openai/gpt-4o-mini".into(),
        options: Some(options(&spare)),
    }];
    let routed = completion_with_fallbacks(
        &Client::new(),
        request("openai/gpt-4o", "x"),
        &options(&primary),
        &fallbacks,
    )
    .await
    .unwrap();
    assert_eq!(text(&routed.value), "from the fallback");
    assert_eq!(
        (routed.model_group.as_str(), routed.attempted_fallbacks),
        ("openai/gpt-4o-mini", 1)
    );
    assert_eq!(
        spare.last_request().unwrap().body.unwrap()["model"],
        "gpt-4o-mini"
    );
    // Without fallbacks, the primary's error.
    let e = completion_with_fallbacks(
        &Client::new(),
        request("openai/gpt-4o", "x"),
        &options(&primary),
        &[],
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ServiceUnavailable);
    let _ = Fallback::from("openai/gpt-4o");
    // A fallback to the primary's own model with other settings (another
    // key, another base) is tried too, as LiteLLM tries it.
    let same_model = [Fallback {
        model: "openai/gpt-4o".into(),
        options: Some(options(&spare)),
    }];
    let routed = completion_with_fallbacks(
        &Client::new(),
        request("openai/gpt-4o", "x"),
        &options(&primary),
        &same_model,
    )
    .await
    .unwrap();
    assert_eq!(text(&routed.value), "from the fallback");
    assert_eq!(
        (routed.model_group.as_str(), routed.attempted_fallbacks),
        ("openai/gpt-4o", 1)
    );
}

#[tokio::test]
async fn mock_responses_route_and_fall_back_without_any_network() {
    let r = router(json!({
        "model_list": [
            {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", "api_key": common::KEY,
             "mock_response": "litellm.InternalServerError"}},
            {"model_name": "claude", "litellm_params": {"model": "anthropic/claude-sonnet-4-5",
             "api_key": common::KEY, "mock_response": "from the mock"}},
        ],
        "fallbacks": [{"gpt": ["claude"]}],
        "num_retries": 1,
    }));
    let routed = r.completion(request("gpt", "x"), &none()).await.unwrap();
    assert_eq!(text(&routed.value), "from the mock");
    assert_eq!(
        (
            routed.model_group.as_str(),
            routed.attempted_retries,
            routed.attempted_fallbacks
        ),
        ("claude", 1, 1)
    );
    // A call's own mock_response replaces the deployment's.
    let mocked = RouteOptions {
        mock_response: Some("per call".into()),
        ..none()
    };
    assert_eq!(
        text(
            &r.completion(request("gpt", "x"), &mocked)
                .await
                .unwrap()
                .value
        ),
        "per call"
    );
    // The key never shows in the router's Debug output.
    assert!(!format!("{r:?}").contains(common::KEY));
}
