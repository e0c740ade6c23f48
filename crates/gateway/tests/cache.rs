//! The response cache (`litellm_settings.cache`): a repeated non-streamed
//! chat or embeddings request is answered without reaching the fake
//! upstream, per-request `cache` controls, two instances sharing a Redis
//! cache (127.0.0.1:6379; skipped when absent unless
//! LLMRELAY_REQUIRE_SERVICES=1), a dead Redis never failing a request, and
//! a virtual key's hit settled at cost 0.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{start, start_keyed, Harness, MASTER_KEY};
use llmrelay_control::SystemClock;
use llmrelay_gateway::ControlSettings;
use serde_json::{json, Map, Value};

fn chat_body(content: &str) -> Value {
    json!({"model": "gpt-4o", "messages": [{"role": "user", "content": content}], "temperature": 0.2})
}

async fn post(h: &Harness, path: &str, body: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
    let response = h.post(path, body).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.json().await.unwrap(), headers)
}

fn upstream_calls(h: &Harness) -> usize {
    h.openai.requests().len()
}

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{tag}-{}-{}", std::process::id(), nanos % 1_000_000_000_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_request_is_answered_from_the_cache() {
    let h = start("litellm_settings:\n  cache: true\n").await;
    let body = chat_body("cache me");
    let (status, first, headers) = post(&h, "/v1/chat/completions", &body).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(upstream_calls(&h), 1);
    let key = headers["x-litellm-cache-key"].to_str().unwrap().to_string();
    // LiteLLM's key of this body (crates/cache checks the key material).
    let args = llmrelay_cache::CallArgs::from_json(body.as_object().unwrap());
    assert_eq!(key, llmrelay_cache::cache_key(&args, None));
    assert_eq!(key.len(), 64);

    let (status, second, headers) = post(&h, "/v1/chat/completions", &body).await;
    assert_eq!(status, 200);
    assert_eq!(upstream_calls(&h), 1, "a hit never reaches the upstream");
    assert_eq!(second, first);
    assert_eq!(headers["x-litellm-cache-key"], key.as_str());
    assert_eq!(headers["x-litellm-response-cost"], "0.0");
    assert!(headers.contains_key("x-litellm-call-id"));

    // Another parameter is another key; a stream is never served from the cache.
    post(
        &h,
        "/v1/chat/completions",
        &json!({"model": "gpt-4o", "messages": body["messages"], "temperature": 0.9}),
    )
    .await;
    assert_eq!(upstream_calls(&h), 2);
    let mut streamed = body.clone();
    streamed["stream"] = json!(true);
    for _ in 0..2 {
        let r = h.post("/v1/chat/completions", &streamed).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("[DONE]"));
    }
    assert_eq!(upstream_calls(&h), 4);

    let metrics = h.metrics().await;
    assert!(
        metrics.contains("llmrelay_cache_hits_total{route=\"chat_completions\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("llmrelay_cache_misses_total{route=\"chat_completions\"} 2"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_request_controls_are_read_as_litellm_reads_them() {
    let h = start("litellm_settings:\n  cache: true\n  cache_params:\n    type: local\n").await;
    let body = chat_body("controls");
    post(&h, "/v1/chat/completions", &body).await;
    let mut no_cache = body.clone();
    no_cache["cache"] = json!({"no-cache": true});
    post(&h, "/v1/chat/completions", &no_cache).await;
    assert_eq!(upstream_calls(&h), 2, "no-cache skips the read");

    let mut no_store = chat_body("not stored");
    no_store["cache"] = json!({"no-store": true});
    post(&h, "/v1/chat/completions", &no_store).await;
    post(&h, "/v1/chat/completions", &chat_body("not stored")).await;
    assert_eq!(upstream_calls(&h), 4, "no-store skips the write");

    let mut short = chat_body("short-lived");
    short["cache"] = json!({"ttl": 0.2});
    post(&h, "/v1/chat/completions", &short).await;
    post(&h, "/v1/chat/completions", &short).await;
    assert_eq!(upstream_calls(&h), 5, "a hit within the ttl");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    post(&h, "/v1/chat/completions", &short).await;
    assert_eq!(upstream_calls(&h), 6, "expired after the ttl");

    let mut bad = chat_body("bad");
    bad["cache"] = json!({"ttl": "soon"});
    let (status, error, _) = post(&h, "/v1/chat/completions", &bad).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["param"], "cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embeddings_are_cached_too() {
    let h = start("litellm_settings:\n  cache: true\n").await;
    let body = json!({"model": "text-embedding-3-small", "input": ["a", "b"]});
    let (s1, first, _) = post(&h, "/v1/embeddings", &body).await;
    let (s2, second, headers) = post(&h, "/v1/embeddings", &body).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(first, second);
    assert_eq!(upstream_calls(&h), 1);
    assert_eq!(headers["x-litellm-response-cost"], "0.0");
    let metrics = h.metrics().await;
    assert!(
        metrics.contains("llmrelay_cache_hits_total{route=\"embeddings\"} 1"),
        "{metrics}"
    );
}

async fn redis_answers() -> bool {
    let probe = tokio::net::TcpStream::connect("127.0.0.1:6379").await;
    match probe {
        Ok(_) => true,
        Err(e) => {
            assert!(
                std::env::var("LLMRELAY_REQUIRE_SERVICES").as_deref() != Ok("1"),
                "Redis is required (LLMRELAY_REQUIRE_SERVICES=1) but unavailable: {e}"
            );
            eprintln!(
                "SKIPPED: Redis unavailable ({e}); LLMRELAY_REQUIRE_SERVICES=1 makes this fail"
            );
            false
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_redis_cache() {
    if !redis_answers().await {
        return;
    }
    let ns = unique("llmrelay-gw-cache");
    let extra = format!(
        "litellm_settings:\n  cache: true\n  cache_params:\n    type: redis\n    host: 127.0.0.1\n    port: 6379\n    namespace: {ns}\n    ttl: 60\n"
    );
    let a = start(&extra).await;
    let b = start(&extra).await;
    let body = chat_body("shared");
    let (_, first, headers) = post(&a, "/v1/chat/completions", &body).await;
    let key = headers["x-litellm-cache-key"].to_str().unwrap().to_string();
    assert!(key.starts_with(&format!("{ns}:")), "{key}");
    // The write runs off the request path: wait for it to land.
    let mut hit = None;
    for _ in 0..50 {
        let (_, answer, headers) = post(&b, "/v1/chat/completions", &body).await;
        if headers["x-litellm-response-cost"] == "0.0" {
            hit = Some(answer);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(hit, Some(first), "instance b answers from a's entry");
    // The entry is LiteLLM's shape, with the Redis TTL set by SET EX.
    let client = redis::Client::open("redis://127.0.0.1:6379/").unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let stored: String = redis::cmd("GET")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert!(stored["timestamp"].as_f64().unwrap() > 0.0 && stored["response"]["id"].is_string());
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!((1..=60).contains(&ttl), "ttl {ttl}");
    let _: () = redis::cmd("DEL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_redis_never_fails_a_request() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let extra = format!(
        "litellm_settings:\n  cache: true\n  cache_params:\n    type: redis\n    host: 127.0.0.1\n    port: {port}\n    password: pw-never-logged\n"
    );
    let h = start(&extra).await;
    for _ in 0..2 {
        let (status, answer, _) = post(&h, "/v1/chat/completions", &chat_body("no redis")).await;
        assert_eq!(status, 200, "{answer}");
    }
    assert_eq!(upstream_calls(&h), 2);
    let mut metrics = String::new();
    for _ in 0..50 {
        metrics = h.metrics().await;
        if metrics.contains("op=\"write\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        metrics.contains("llmrelay_cache_errors_total{route=\"chat_completions\",op=\"read\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("op=\"write\""), "{metrics}");
    assert!(!metrics.contains("pw-never-logged"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_virtual_keys_hit_is_settled_at_cost_zero() {
    let dir = std::env::temp_dir().join(unique("llmrelay_gw_cache_keys"));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = ControlSettings::new(
        None,
        &Map::new(),
        dir.join("keys.db"),
        dir.join("spend.journal"),
    );
    let h = start_keyed(
        "litellm_settings:\n  cache: true\n",
        settings,
        Arc::new(SystemClock),
    )
    .await;
    let (status, key, _) = post(&h, "/key/generate", &json!({"max_budget": 10.0})).await;
    assert_eq!(status, 200, "{key}");
    let key = key["key"].as_str().unwrap().to_string();
    let client = reqwest::Client::new();
    let mut costs = Vec::new();
    for _ in 0..2 {
        let r = client
            .post(format!("{}/v1/chat/completions", h.base()))
            .bearer_auth(&key)
            .json(&chat_body("keyed"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers().contains_key("x-litellm-key-spend"));
        costs.push(
            r.headers()["x-litellm-response-cost"]
                .to_str()
                .unwrap()
                .parse::<f64>()
                .unwrap(),
        );
    }
    assert!(costs[0] > 0.0 && costs[1] == 0.0, "{costs:?}");
    assert_eq!(upstream_calls(&h), 1);
    h.gateway
        .control()
        .unwrap()
        .drain(std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let rows = reqwest::Client::new()
        .get(format!("{}/spend/logs", h.base()))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let mut spends: Vec<f64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["spend"].as_f64().unwrap())
        .collect();
    spends.sort_by(f64::total_cmp);
    assert_eq!(spends.len(), 2, "{rows}");
    assert_eq!(spends[0], 0.0);
    assert!((spends[1] - costs[0]).abs() < 1e-12, "{spends:?} {costs:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
