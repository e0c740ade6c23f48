//! Virtual keys through the gateway's HTTP API: LiteLLM's management
//! endpoints, admin safety, budgets under concurrency, limits shared by two
//! instances, spend rows, and the database or Redis going away mid-run.
//! SQLite always; PostgreSQL and Redis when they answer (required in CI
//! through LLMRELAY_REQUIRE_SERVICES=1).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::{start_keyed, Harness, MASTER_KEY};
use llmrelay_control::{Clock, ManualClock, SystemClock};
use llmrelay_gateway::ControlSettings;
use serde_json::{json, Map, Value};
use sqlx::{Connection, Executor, PgConnection};

const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS_URL: &str = "redis://127.0.0.1:6379/";
/// LiteLLM's mock usage (10 prompt + 20 completion tokens) on gpt-4o.
const MOCK_COST: f64 = 10.0 * 2.5e-6 + 20.0 * 1e-5;

fn unique(tag: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{tag}_{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn required() -> bool {
    std::env::var("LLMRELAY_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

fn unavailable(service: &str, why: &str) {
    assert!(
        !required(),
        "{service} is required (LLMRELAY_REQUIRE_SERVICES=1) but unavailable: {why}"
    );
    eprintln!(
        "SKIPPED: {service} unavailable ({why}); LLMRELAY_REQUIRE_SERVICES=1 makes this fail"
    );
}

/// A temp folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(unique("llmrelay_gw_keys"));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sqlite_settings(dir: &TempDir) -> ControlSettings {
    ControlSettings::new(
        None,
        &Map::new(),
        dir.0.join("keys.db"),
        dir.0.join("spend.journal"),
    )
}

async fn postgres_url() -> Option<String> {
    let mut admin = match PgConnection::connect(PG_ADMIN).await {
        Ok(c) => c,
        Err(e) => {
            unavailable("PostgreSQL at 127.0.0.1:5432", &e.to_string());
            return None;
        }
    };
    let name = unique("llmrelay_gw");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    Some(format!("postgres://postgres@127.0.0.1:5432/{name}"))
}

async fn drop_postgres(url: &str) {
    let name = url.rsplit('/').next().unwrap_or_default();
    if let Ok(mut admin) = PgConnection::connect(PG_ADMIN).await {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

async fn redis_answers() -> bool {
    match tokio::net::TcpStream::connect("127.0.0.1:6379").await {
        Ok(_) => true,
        Err(e) => {
            unavailable("Redis at 127.0.0.1:6379", &e.to_string());
            false
        }
    }
}

fn system_clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// Sends `method path` with `key` and an optional JSON body; (status, body, headers).
async fn call(
    h: &Harness,
    key: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", h.base());
    let request = match method {
        "GET" => client.get(url),
        _ => client.post(url),
    };
    let request = request.bearer_auth(key);
    let request = match body {
        Some(b) => request.json(b),
        None => request,
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value, headers)
}

async fn admin(h: &Harness, path: &str, body: Value) -> Value {
    let (status, value, _) = call(h, MASTER_KEY, "POST", path, Some(&body)).await;
    assert_eq!(status, 200, "{path}: {value}");
    value
}

async fn new_key(h: &Harness, body: Value) -> String {
    admin(h, "/key/generate", body).await["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn mock_chat() -> Value {
    json!({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "mock_response": "hello"})
}

async fn chat_status(h: &Harness, key: &str) -> u16 {
    call(h, key, "POST", "/v1/chat/completions", Some(&mock_chat()))
        .await
        .0
}

/// Spend rows (after the gateway flushed its journal).
async fn spend_rows(h: &Harness) -> Vec<Value> {
    h.gateway
        .control()
        .unwrap()
        .drain(std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let (status, rows, _) = call(h, MASTER_KEY, "GET", "/spend/logs", None).await;
    assert_eq!(status, 200, "{rows}");
    rows.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_managed_with_litellms_endpoints_and_only_by_admins() {
    let dir = TempDir::new();
    let h = start_keyed("", sqlite_settings(&dir), system_clock()).await;

    let key = new_key(
        &h,
        json!({"models": ["gpt-4o"], "key_alias": "app", "metadata": {"team": "x"}}),
    )
    .await;
    let other = new_key(&h, json!({})).await;
    assert!(key.starts_with("sk-"));

    // A key calls what it may, and sees only those models.
    assert_eq!(chat_status(&h, &key).await, 200);
    let (status, listed, _) = call(&h, &key, "GET", "/v1/models", None).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["gpt-4o"]);
    let (status, body, _) = call(
        &h,
        &key,
        "POST",
        "/v1/embeddings",
        Some(&json!({"model": "text-embedding-3-small", "input": "x"})),
    )
    .await;
    assert_eq!(status, 403, "{body}");

    // Its own info, never another's; the plain key never comes back.
    let (status, info, _) = call(&h, &key, "GET", "/key/info", None).await;
    assert_eq!(status, 200);
    assert_eq!(info["info"]["key_alias"], "app");
    assert!(!info.to_string().contains(&key));
    let (status, _, _) = call(&h, &key, "GET", &format!("/key/info?key={other}"), None).await;
    assert_eq!(status, 403);
    let (status, _, _) = call(
        &h,
        MASTER_KEY,
        "GET",
        &format!("/key/info?key={other}"),
        None,
    )
    .await;
    assert_eq!(status, 200);

    // A key cannot manage: not its own budget, not new keys, not the spend of others.
    for (path, body) in [
        ("/key/update", json!({"key": key, "max_budget": 1000})),
        ("/key/generate", json!({})),
        ("/user/new", json!({})),
        ("/team/new", json!({})),
    ] {
        let (status, body, _) = call(&h, &key, "POST", path, Some(&body)).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, _, _) = call(
        &h,
        &key,
        "GET",
        &format!("/spend/logs?api_key={other}"),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = call(&h, &key, "GET", "/key/list", None).await;
    assert_eq!(status, 403);

    // Validation: a clear 400 naming the problem.
    for (path, body, says) in [
        ("/key/generate", json!({"max_budget": -1}), "max_budget"),
        ("/key/generate", json!({"duration": "soon"}), "duration"),
        ("/key/generate", json!({"rpm_limit": "many"}), "invalid"),
        ("/key/update", json!({"max_budget": 1}), "key"),
        ("/key/delete", json!({"keys": 5}), "keys"),
        ("/team/member_add", json!({"team_id": "t"}), "member"),
        (
            "/key/generate",
            json!({"team_id": "no-such-team"}),
            "no-such-team",
        ),
    ] {
        let (status, body, _) = call(&h, MASTER_KEY, "POST", path, Some(&body)).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{path}: {body}"
        );
    }
    let (status, _, _) = call(
        &h,
        MASTER_KEY,
        "GET",
        "/key/info?key=sk-unknown-key-123",
        None,
    )
    .await;
    assert_eq!(status, 404);

    // Block, unblock, regenerate, delete.
    admin(&h, "/key/block", json!({"key": key})).await;
    assert_eq!(chat_status(&h, &key).await, 403);
    admin(&h, "/key/unblock", json!({"key": key})).await;
    assert_eq!(chat_status(&h, &key).await, 200);
    let fresh = admin(&h, "/key/regenerate", json!({"key": key})).await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(chat_status(&h, &key).await, 401);
    assert_eq!(chat_status(&h, &fresh).await, 200);
    let listed = call(&h, MASTER_KEY, "GET", "/key/list", None).await.1;
    assert_eq!(listed["total_count"], 2);
    admin(&h, "/key/delete", json!({"keys": [fresh]})).await;
    assert_eq!(chat_status(&h, &fresh).await, 401);

    // Users and teams bound their keys.
    admin(
        &h,
        "/user/new",
        json!({"user_id": "ann", "user_email": "ann@example.com"}),
    )
    .await;
    admin(
        &h,
        "/team/new",
        json!({"team_id": "red", "models": ["claude"]}),
    )
    .await;
    admin(
        &h,
        "/team/member_add",
        json!({"team_id": "red", "member": {"user_id": "ann"}}),
    )
    .await;
    let teamed = new_key(&h, json!({"team_id": "red", "user_id": "ann"})).await;
    assert_eq!(
        chat_status(&h, &teamed).await,
        403,
        "the team allows only claude"
    );
    admin(&h, "/team/update", json!({"team_id": "red", "models": []})).await;
    assert_eq!(chat_status(&h, &teamed).await, 200);
    let (status, team, _) = call(&h, &teamed, "GET", "/team/info", None).await;
    assert_eq!(
        (status, team["team_info"]["members"].clone()),
        (200, json!(["ann"]))
    );
    let (status, user, _) = call(&h, &teamed, "GET", "/user/info", None).await;
    assert_eq!((status, user["user_id"].clone()), (200, json!("ann")));
    let users = call(&h, MASTER_KEY, "GET", "/user/list", None).await.1;
    assert_eq!(users["total"], 1);

    // Spend rows: one per successful call, LiteLLM's columns, hashed keys only.
    let rows = spend_rows(&h).await;
    assert_eq!(rows.len(), 4, "{rows:?}");
    let row = &rows[0];
    for column in [
        "request_id",
        "call_type",
        "api_key",
        "spend",
        "total_tokens",
        "startTime",
        "endTime",
        "model",
        "model_group",
        "model_id",
        "status",
    ] {
        assert!(row.get(column).is_some(), "missing {column}: {row}");
    }
    assert!(!Value::Array(rows.clone()).to_string().contains("sk-"));
    let (status, own, _) = call(&h, &teamed, "GET", "/spend/logs", None).await;
    assert_eq!((status, own.as_array().unwrap().len()), (200, 1));
    assert_eq!(own[0]["team_id"], "red");
    assert_eq!(own[0]["user_id"], "ann");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_never_overspend_a_budget() {
    let dir = TempDir::new();
    let h = Arc::new(start_keyed("", sqlite_settings(&dir), system_clock()).await);
    // Exactly 100 mock calls fit.
    let key = new_key(&h, json!({"max_budget": MOCK_COST * 100.0})).await;
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let (client, url, key) = (
            client.clone(),
            format!("{}/v1/chat/completions", h.base()),
            key.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(key)
                .json(&mock_chat())
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            (status, body)
        }));
    }
    let (mut ok, mut refused) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            (200, _) => ok += 1,
            (429, body) => {
                assert_eq!(body["error"]["type"], "budget_exceeded", "{body}");
                refused += 1;
            }
            (status, body) => panic!("unexpected {status}: {body}"),
        }
    }
    assert_eq!((ok, refused), (100, 900));
    let rows = spend_rows(&h).await;
    assert_eq!(rows.len(), 100);
    let (_, info, _) = call(&h, MASTER_KEY, "GET", &format!("/key/info?key={key}"), None).await;
    let spend = info["info"]["spend"].as_f64().unwrap();
    assert!((spend - MOCK_COST * 100.0).abs() < 1e-9, "spend {spend}");
    assert_eq!(info["info"]["reserved"].as_f64(), Some(0.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budgets_reset_on_schedule_and_keys_expire() {
    let dir = TempDir::new();
    let clock = Arc::new(ManualClock::new(1_700_000_000_000));
    let h = start_keyed("", sqlite_settings(&dir), clock.clone() as Arc<dyn Clock>).await;
    let key = new_key(
        &h,
        json!({"max_budget": MOCK_COST * 2.0, "budget_duration": "1h", "duration": "2h"}),
    )
    .await;
    assert_eq!(chat_status(&h, &key).await, 200);
    assert_eq!(chat_status(&h, &key).await, 200);
    h.gateway
        .control()
        .unwrap()
        .drain(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(chat_status(&h, &key).await, 429, "the budget is spent");
    clock.advance_ms(3_600_000 + 1);
    assert_eq!(chat_status(&h, &key).await, 200, "a new budget period");
    clock.advance_ms(3_600_000);
    // Past the key cache's freshness, the expiry is seen.
    assert_eq!(chat_status(&h, &key).await, 401, "expired after 2h");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_streams_and_embeddings_leave_spend_rows_and_headers() {
    let dir = TempDir::new();
    let h = start_keyed("", sqlite_settings(&dir), system_clock()).await;
    let key = new_key(
        &h,
        json!({"rpm_limit": 100, "tpm_limit": 100000, "max_budget": 10.0}),
    )
    .await;
    let mut body = common::chat("gpt-4o", true);
    body["mock_response"] = json!("streamed words");
    let response = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", h.base()))
        .bearer_auth(&key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    assert!(text.contains("[DONE]"));
    assert_eq!(headers["x-ratelimit-limit-requests"], "100");
    assert_eq!(headers["x-ratelimit-remaining-requests"], "99");
    assert_eq!(headers["x-ratelimit-limit-tokens"], "100000");
    assert!(headers.contains_key("x-litellm-key-spend"));
    let (status, _, headers) = call(
        &h,
        &key,
        "POST",
        "/v1/embeddings",
        Some(&json!({"model": "text-embedding-3-small", "input": "hello"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(headers["x-ratelimit-remaining-requests"], "98");
    let rows = spend_rows(&h).await;
    let kinds: Vec<&str> = rows
        .iter()
        .map(|r| r["call_type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"acompletion") && kinds.contains(&"aembedding"),
        "{kinds:?}"
    );
    let stream_row = rows
        .iter()
        .find(|r| r["call_type"] == "acompletion")
        .unwrap();
    assert!(stream_row["completionStartTime"].is_i64(), "{stream_row}");
    assert!(stream_row["spend"].as_f64().unwrap() > 0.0, "{stream_row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_rpm_limit_on_postgres_and_redis() {
    let Some(url) = postgres_url().await else {
        return;
    };
    if !redis_answers().await {
        return;
    }
    let dir = TempDir::new();
    // One clock for both: the test never straddles a rate-limit minute.
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(1_700_000_000_000));
    let prefix = unique("llmrelay_gw_rpm");
    let settings = |n: u32| {
        let mut s = ControlSettings::new(
            Some(&url),
            &Map::new(),
            dir.0.join("unused.db"),
            dir.0.join(format!("spend-{n}.journal")),
        );
        s.redis_url = Some(REDIS_URL.to_owned());
        s.redis_prefix = prefix.clone();
        s
    };
    let a = start_keyed("", settings(1), clock.clone()).await;
    let b = start_keyed("", settings(2), clock.clone()).await;
    let key = new_key(&a, json!({"rpm_limit": 60})).await;
    let (mut ok, mut limited) = (0, 0);
    for i in 0..120 {
        match chat_status(if i % 2 == 0 { &a } else { &b }, &key).await {
            200 => ok += 1,
            429 => limited += 1,
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(
        (ok, limited),
        (60, 60),
        "60 a minute in all, not 60 per instance"
    );
    drop((a, b));
    drop_postgres(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_going_away_keeps_known_keys_and_answers_503_for_unknown() {
    let Some(url) = postgres_url().await else {
        return;
    };
    let dir = TempDir::new();
    let settings = ControlSettings::new(
        Some(&url),
        &Map::new(),
        dir.0.join("unused.db"),
        dir.0.join("spend.journal"),
    );
    let h = start_keyed("", settings, system_clock()).await;
    let known = new_key(&h, json!({})).await;
    let unknown = new_key(&h, json!({})).await;
    assert_eq!(chat_status(&h, &known).await, 200);
    let (status, ready, _) = call(&h, "", "GET", "/health/readiness", None).await;
    assert_eq!((status, ready["db"].clone()), (200, json!("connected")));

    drop_postgres(&url).await;

    assert_eq!(
        chat_status(&h, &known).await,
        200,
        "a cached key keeps working"
    );
    let (status, body, _) = call(
        &h,
        &unknown,
        "POST",
        "/v1/chat/completions",
        Some(&mock_chat()),
    )
    .await;
    assert_eq!(
        status, 503,
        "never 401 for a key the database could not check: {body}"
    );
    let (status, ready, _) = call(&h, "", "GET", "/health/readiness", None).await;
    assert_eq!(
        (status, ready["db"].clone(), ready["status"].clone()),
        (200, json!("disconnected"), json!("degraded"))
    );
    let metrics = h.metrics().await;
    assert!(metrics.contains("llmrelay_database_up 0"), "{metrics}");
}

/// A TCP relay to Redis that can be cut mid-run (a Redis outage).
struct Relay {
    addr: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
    conns: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start() -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let conns: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let held = conns.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                held.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut upstream) = tokio::net::TcpStream::connect("127.0.0.1:6379").await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut upstream).await;
                    }
                }));
            }
        });
        Relay { addr, task, conns }
    }

    /// Redis "stops": the listener and every open connection go away.
    fn cut(&self) {
        self.task.abort();
        for c in self.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopping_mid_run_applies_the_declared_policy() {
    if !redis_answers().await {
        return;
    }
    for (policy, keyed_status, ready_status, state) in [
        (
            llmrelay_control::RedisDownPolicy::FailClosed,
            503,
            503,
            "redis_down_fail_closed",
        ),
        (
            llmrelay_control::RedisDownPolicy::LocalFallback,
            200,
            200,
            "redis_down_local_fallback",
        ),
    ] {
        let dir = TempDir::new();
        let relay = Relay::start().await;
        let mut settings = sqlite_settings(&dir);
        settings.redis_url = Some(format!("redis://{}/", relay.addr));
        settings.redis_prefix = unique("llmrelay_gw_down");
        settings.redis_down = policy;
        let h = start_keyed("", settings, system_clock()).await;
        let key = new_key(&h, json!({"rpm_limit": 1000})).await;
        assert_eq!(chat_status(&h, &key).await, 200);
        let (_, ready, _) = call(&h, "", "GET", "/health/readiness", None).await;
        assert_eq!(ready["rate_limiter"], "redis");

        relay.cut();

        assert_eq!(chat_status(&h, &key).await, keyed_status, "{policy:?}");
        let (status, ready, _) = call(&h, "", "GET", "/health/readiness", None).await;
        assert_eq!(
            (status, ready["rate_limiter"].as_str().unwrap()),
            (ready_status, state)
        );
        let metrics = h.metrics().await;
        assert!(
            metrics.contains(&format!(
                "llmrelay_rate_limiter_state{{state=\"{state}\"}} 1"
            )),
            "{metrics}"
        );
        // The master key is not rate limited: it keeps working either way.
        assert_eq!(chat_status(&h, MASTER_KEY).await, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_cut_mid_way_is_charged_for_what_it_streamed() {
    use llmrelay_testkit::{ApiError as UpstreamError, Reply};
    let dir = TempDir::new();
    let h = start_keyed("", sqlite_settings(&dir), system_clock()).await;
    let key = new_key(&h, json!({"max_budget": 10.0})).await;
    h.openai.push(
        Reply::content("one two three four five six seven eight nine ten")
            .split_into(10)
            .error_after(4, UpstreamError::server_error()),
    );
    let response = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", h.base()))
        .bearer_auth(&key)
        .json(&common::chat("gpt-4o", true))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("\"error\""), "{text}");
    let rows = spend_rows(&h).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["status"], "failure");
    assert!(rows[0]["spend"].as_f64().unwrap() > 0.0, "{}", rows[0]);
    let (_, info, _) = call(&h, MASTER_KEY, "GET", &format!("/key/info?key={key}"), None).await;
    assert_eq!(info["info"]["reserved"].as_f64(), Some(0.0), "{info}");
    assert!(info["info"]["spend"].as_f64().unwrap() > 0.0, "{info}");
}
