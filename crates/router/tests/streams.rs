#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Streams that fail over: an error, a first-token stall or a malformed first
//! event moves the call to the next deployment before anything reaches the
//! caller; a stall after content ends the stream with a typed Timeout.

mod common;

use common::{drain, entry_id, request, router};
use llmrelay::ErrorKind;
use llmrelay_router::{completion_stream_with_fallbacks, Fallback, RouteOptions, Router};
use llmrelay_testkit::{ApiError, FakeOpenAi, Reply};
use serde_json::json;

/// `first` (order 1, scripted per test) and `second` answering "from second".
async fn pair() -> (FakeOpenAi, FakeOpenAi, Router) {
    let first = FakeOpenAi::start().await.unwrap();
    let second = FakeOpenAi::start().await.unwrap();
    second.set_default_reply(Reply::content("from second").split_into(3));
    let r = router(json!({
        "model_list": [
            entry_id("gpt", "first", &first, json!({"order": 1, "stream_timeout": 0.5})),
            entry_id("gpt", "second", &second, json!({"order": 2, "stream_timeout": 0.5})),
        ],
        "num_retries": 1,
    }));
    (first, second, r)
}

async fn fails_over(fault: Reply) {
    let (first, second, r) = pair().await;
    first.push(fault);
    let routed = r
        .completion_stream(request("gpt", "x"), &RouteOptions::default())
        .await
        .unwrap();
    assert_eq!(routed.deployment_id, "second");
    assert_eq!(routed.attempted_retries, 1);
    let items = common::items(routed.value).await;
    let chunks: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    // Nothing of the first deployment's answer leaks into the stream: one
    // completion id, one role announcement, the second's text only.
    let ids: std::collections::HashSet<_> = chunks.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), 1, "{chunks:?}");
    let roles = chunks
        .iter()
        .filter(|c| c.choices.iter().any(|ch| ch.delta.role.is_some()))
        .count();
    assert_eq!(roles, 1);
    let out: String = chunks
        .iter()
        .flat_map(|c| c.choices.iter().filter_map(|ch| ch.delta.content.clone()))
        .collect();
    assert_eq!(out, "from second");
    assert_eq!((first.request_count(), second.request_count()), (1, 1));
    assert!(r.deployments().iter().all(|d| d.in_flight == 0));
}

#[tokio::test]
async fn a_stream_fails_over_on_an_http_error() {
    fails_over(Reply::server_error()).await;
}

#[tokio::test]
async fn a_stream_fails_over_on_an_error_event_before_content() {
    // The role chunk goes out, then an error event: the role must not leak.
    fails_over(Reply::content("partial answer").error_after(1, ApiError::server_error())).await;
}

#[tokio::test]
async fn a_stream_fails_over_on_a_first_token_stall() {
    // Headers and the role chunk arrive, then nothing: past stream_timeout, move on.
    fails_over(Reply::content("never sent").stall_after(1)).await;
}

#[tokio::test]
async fn a_stream_fails_over_when_no_headers_arrive() {
    fails_over(Reply::hang()).await;
}

#[tokio::test]
async fn a_stream_fails_over_on_a_malformed_first_event() {
    fails_over(Reply::malformed_json()).await;
}

#[tokio::test]
async fn a_stall_after_content_ends_the_stream_with_a_timeout() {
    let (first, _second, r) = pair().await;
    first.push(Reply::content("one two three").split_into(3).stall_after(2));
    let routed = r
        .completion_stream(request("gpt", "x"), &RouteOptions::default())
        .await
        .unwrap();
    assert_eq!(routed.deployment_id, "first");
    let (out, error) = drain(routed.value).await;
    assert!(
        !out.is_empty() && "one two three".starts_with(&out),
        "{out}"
    );
    assert_eq!(error.unwrap().kind, ErrorKind::Timeout);
    assert!(r.deployments().iter().all(|d| d.in_flight == 0));
}

#[tokio::test]
async fn streams_fall_back_to_other_groups_and_fold_through_completion() {
    let broken = FakeOpenAi::start().await.unwrap();
    let spare = FakeOpenAi::start().await.unwrap();
    broken.set_default_reply(Reply::malformed_json());
    spare.set_default_reply(Reply::echo());
    let r = router(json!({
        "model_list": [entry_id("gpt", "b", &broken, json!({})), entry_id("spare", "s", &spare, json!({}))],
        "fallbacks": [{"gpt": ["spare"]}],
        "num_retries": 0,
    }));
    let routed = r
        .completion_stream(request("gpt", "hello there"), &RouteOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (routed.model_group.as_str(), routed.attempted_fallbacks),
        ("spare", 1)
    );
    assert_eq!(drain(routed.value).await.0, "hello there");
    // `stream: true` through the plain call: the stream, folded.
    let mut req = request("gpt", "folded");
    req.stream = Some(true);
    let routed = r.completion(req, &RouteOptions::default()).await.unwrap();
    assert_eq!(common::text(&routed.value), "folded");

    // The plain fallback path streams the same way.
    let options = |up: &FakeOpenAi| llmrelay::CallOptions {
        api_base: Some(up.base_url()),
        api_key: Some(common::KEY.into()),
        num_retries: Some(0),
        ..llmrelay::CallOptions::default()
    };
    let routed = completion_stream_with_fallbacks(
        &llmrelay::Client::new(),
        request("openai/gpt-4o", "plain"),
        &options(&broken),
        &[Fallback {
            model: "openai/gpt-4o-mini".into(),
            options: Some(options(&spare)),
        }],
    )
    .await
    .unwrap();
    assert_eq!(drain(routed.value).await.0, "plain");
}

#[tokio::test]
async fn a_stream_stays_in_flight_until_drained_and_counts_its_usage() {
    let (first, _second, r) = pair().await;
    first.push(Reply::content("counted").with_usage(llmrelay_testkit::Usage::new(30, 12)));
    let mut req = request("gpt", "x");
    req.stream_options = Some(llmrelay::types::StreamOptions {
        include_usage: Some(true),
        ..Default::default()
    });
    let routed = r
        .completion_stream(req, &RouteOptions::default())
        .await
        .unwrap();
    let status = |id: &str| r.deployments().into_iter().find(|d| d.id == id).unwrap();
    assert_eq!(status("first").in_flight, 1);
    assert_eq!(drain(routed.value).await.0, "counted");
    let first_status = status("first");
    assert_eq!(first_status.in_flight, 0);
    assert_eq!(first_status.tokens_this_minute, 42);
    assert_eq!(first_status.requests_this_minute, 1);
}
