//! The checks every wire format must pass, run over each provider against
//! its fake upstream on a real socket: each fault is its error kind, a
//! streamed answer folds into the unstreamed one, stream faults end the
//! stream with a typed error, and the key never appears in an error, its
//! `Debug` output or the upstream body it keeps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::time::Duration;

use futures_util::StreamExt;
use llmrelay::{CallOptions, Client, ErrorKind};
use llmrelay_testkit::{
    ApiError, FakeAnthropic, FakeBedrock, FakeCohere, FakeGemini, FakeOpenAi, RecordedRequest,
    Reply, Usage,
};

/// One provider's fake upstream, whichever wire it speaks.
enum Fake {
    OpenAi(FakeOpenAi),
    Anthropic(FakeAnthropic),
    Gemini(FakeGemini),
    Bedrock(FakeBedrock),
    Cohere(FakeCohere),
}

impl Fake {
    fn push(&self, reply: Reply) {
        match self {
            Fake::OpenAi(f) => f.push(reply),
            Fake::Anthropic(f) => f.push(reply),
            Fake::Gemini(f) => f.push(reply),
            Fake::Bedrock(f) => f.push(reply),
            Fake::Cohere(f) => f.push(reply),
        }
    }

    fn base_url(&self) -> String {
        match self {
            Fake::OpenAi(f) => f.base_url(),
            Fake::Anthropic(f) => f.base_url(),
            Fake::Gemini(f) => f.base_url(),
            Fake::Bedrock(f) => f.base_url(),
            Fake::Cohere(f) => f.base_url(),
        }
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        match self {
            Fake::OpenAi(f) => f.requests(),
            Fake::Anthropic(f) => f.requests(),
            Fake::Gemini(f) => f.requests(),
            Fake::Bedrock(f) => f.requests(),
            Fake::Cohere(f) => f.requests(),
        }
    }
}

/// A provider under test: a model it serves, its fake, and options whose
/// secret is `SECRET`.
struct Case {
    name: &'static str,
    model: &'static str,
    fake: Fake,
    options: CallOptions,
}

/// The one secret every case authenticates with; it must never leak.
const SECRET: &str = "conformance-secret-7c1f9a";

async fn cases() -> Vec<Case> {
    let case = |name, model, fake: Fake, options: Option<CallOptions>| Case {
        name,
        model,
        options: options.unwrap_or_else(|| harness::options(fake.base_url(), SECRET)),
        fake,
    };
    let openai = || async { Fake::OpenAi(FakeOpenAi::start().await.unwrap()) };
    let gemini = || async { Fake::Gemini(FakeGemini::start().await.unwrap()) };
    let mut out = vec![
        case("openai", "openai/gpt-4o", openai().await, None),
        case(
            "anthropic",
            "anthropic/claude-sonnet-4-5",
            Fake::Anthropic(FakeAnthropic::start().await.unwrap()),
            None,
        ),
        case(
            "cohere",
            "cohere_chat/command-r-08-2024",
            Fake::Cohere(FakeCohere::start().await.unwrap()),
            None,
        ),
        case("gemini", "gemini/gemini-2.5-pro", gemini().await, None),
    ];
    // Azure's deployment URLs hang off the origin, not `/v1`.
    let fake = openai().await;
    let base = fake.base_url().trim_end_matches("/v1").to_string();
    out.push(case(
        "azure",
        "azure/my-gpt4o",
        fake,
        Some(harness::options(base, SECRET)),
    ));
    for (name, model) in [
        ("vertex-gemini", "vertex_ai/gemini-2.5-pro"),
        ("vertex-anthropic", "vertex_ai/claude-sonnet-4-5"),
    ] {
        let fake = gemini().await;
        let mut options = harness::options(fake.base_url(), SECRET);
        options.vertex.project = Some("conformance".into());
        options.vertex.location = Some("us-east5".into());
        out.push(case(name, model, fake, Some(options)));
    }
    // Bedrock signs with the secret; the fake checks the signature.
    let fake = FakeBedrock::builder().require_api_key(SECRET).start().await;
    let fake = Fake::Bedrock(fake.unwrap());
    let mut options = harness::options(fake.base_url(), SECRET);
    options.api_key = None;
    options.aws.access_key_id = Some("AKIDCONFORMANCE".into());
    options.aws.secret_access_key = Some(SECRET.into());
    options.aws.region_name = Some("us-east-1".into());
    let model = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0";
    out.push(case("bedrock", model, fake, Some(options)));
    out
}

/// The key must not appear anywhere a caller or a log could see it.
fn assert_no_secret(case: &str, err: &llmrelay::Error) {
    let shown = format!("{err} {err:?} {}", err.upstream_body().unwrap_or(""));
    assert!(!shown.contains(SECRET), "{case}: the key leaked: {shown}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        assert!(
            !cause.to_string().contains(SECRET),
            "{case}: leaked by a cause"
        );
        source = cause.source();
    }
}

#[tokio::test]
async fn every_fault_is_its_error_kind_on_every_wire() {
    let faults = || {
        [
            (Reply::rate_limited(), ErrorKind::RateLimit, 2),
            (Reply::server_error(), ErrorKind::InternalServer, 2),
            (
                Reply::service_unavailable(),
                ErrorKind::ServiceUnavailable,
                2,
            ),
            (Reply::model_not_found(), ErrorKind::NotFound, 1),
            (
                Reply::context_length_exceeded(8_192, 9_000),
                ErrorKind::ContextWindowExceeded,
                1,
            ),
            (
                Reply::error(ApiError::new(400, "a plainly bad request")),
                ErrorKind::BadRequest,
                1,
            ),
            (Reply::malformed_json(), ErrorKind::InternalServer, 1),
            (Reply::disconnect(), ErrorKind::ApiConnection, 2),
            (Reply::hang(), ErrorKind::Timeout, 2),
        ]
    };
    for case in cases().await {
        let options = CallOptions {
            num_retries: Some(1),
            timeout: Some(Duration::from_millis(300)),
            ..case.options.clone()
        };
        for (reply, kind, attempts) in faults() {
            let before = case.fake.requests().len();
            case.fake.push(reply.clone());
            if attempts > 1 {
                case.fake.push(reply);
            }
            let err = Client::new()
                .completion(harness::request(case.model), &options)
                .await
                .unwrap_err();
            assert_eq!(err.kind, kind, "{}: {err}", case.name);
            let sent = case.fake.requests().len() - before;
            assert_eq!(sent, attempts, "{}: attempts for {kind:?}", case.name);
            assert!(
                err.provider.is_some(),
                "{}: no provider on {err}",
                case.name
            );
            assert_no_secret(case.name, &err);
        }
    }
}

#[tokio::test]
async fn an_upstream_that_echoes_the_key_never_leaks_it() {
    for case in cases().await {
        case.fake.push(Reply::error(ApiError::new(
            401,
            format!("Incorrect API key provided: {SECRET}."),
        )));
        let err = Client::new()
            .completion(harness::request(case.model), &case.options)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Authentication, "{}: {err}", case.name);
        assert!(
            err.upstream_body().is_some_and(|b| b.contains("***")),
            "{}: the upstream body is kept, redacted: {:?}",
            case.name,
            err.upstream_body()
        );
        assert_no_secret(case.name, &err);
        assert!(
            !format!("{:?}", case.options).contains(SECRET),
            "{}",
            case.name
        );
    }
    // A connection that cannot be made names the base URL, never the key.
    for case in cases().await {
        let options = CallOptions {
            api_base: Some("http://127.0.0.1:9".into()),
            num_retries: Some(0),
            ..case.options.clone()
        };
        let err = Client::new()
            .completion(harness::request(case.model), &options)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::ApiConnection, "{}: {err}", case.name);
        assert!(
            std::error::Error::source(&err).is_some(),
            "{}: the I/O cause is kept",
            case.name
        );
        assert_no_secret(case.name, &err);
    }
}

#[tokio::test]
async fn streamed_answers_fold_into_the_unstreamed_one_on_every_wire() {
    for case in cases().await {
        let reply =
            || Reply::content("Paris is the capital of France.").with_usage(Usage::new(40, 8));
        case.fake.push(reply());
        case.fake.push(reply().split_into(4));
        let (plain, folded) =
            harness::plain_and_streamed(&case.options, harness::request(case.model)).await;
        let text = |r: &llmrelay::ChatResponse| r.choices[0].message.content.clone();
        assert_eq!(text(&plain), text(&folded), "{}", case.name);
        assert_eq!(
            text(&plain).as_deref(),
            Some("Paris is the capital of France."),
            "{}",
            case.name
        );
        let tokens = |r: &llmrelay::ChatResponse| {
            r.usage
                .as_ref()
                .map(|u| (u.prompt_tokens, u.completion_tokens))
        };
        assert_eq!(tokens(&plain), Some((40, 8)), "{}", case.name);
        assert_eq!(tokens(&plain), tokens(&folded), "{}", case.name);
        assert_eq!(
            plain.choices[0].finish_reason, folded.choices[0].finish_reason,
            "{}",
            case.name
        );
        assert_eq!(
            plain.cost, folded.cost,
            "{}: one price either way",
            case.name
        );
    }
}

#[tokio::test]
async fn stream_faults_end_the_stream_with_a_typed_error_on_every_wire() {
    for case in cases().await {
        let options = CallOptions {
            stream_idle_timeout: Some(Duration::from_millis(200)),
            ..case.options.clone()
        };
        let faults = [
            (
                Reply::content("one two three four")
                    .split_into(4)
                    .close_after(2),
                ErrorKind::ApiConnection,
            ),
            (
                Reply::content("one two three").split_into(3).stall_after(2),
                ErrorKind::Timeout,
            ),
            (
                Reply::content("one two")
                    .split_into(2)
                    .error_after(2, ApiError::server_error()),
                ErrorKind::InternalServer,
            ),
            (
                Reply::content("one two").error_after(2, ApiError::rate_limited()),
                ErrorKind::RateLimit,
            ),
            // Status 200 and a stream cut inside an event: unreadable JSON in
            // SSE; in AWS's binary framing, a frame whose checksum fails,
            // which is damage in transit.
            (
                Reply::malformed_json(),
                if case.name == "bedrock" {
                    ErrorKind::ApiConnection
                } else {
                    ErrorKind::InternalServer
                },
            ),
        ];
        for (reply, kind) in faults {
            case.fake.push(reply);
            let items: Vec<_> = Client::new()
                .completion_stream(harness::request(case.model), &options)
                .await
                .unwrap()
                .collect()
                .await;
            let (last, before) = items.split_last().unwrap();
            assert!(before.iter().all(Result::is_ok), "{}", case.name);
            let err = last.as_ref().unwrap_err();
            assert_eq!(err.kind, kind, "{}: {err}", case.name);
            assert_no_secret(case.name, err);
        }
    }
}
