#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Text to speech and transcription against the testkit's fake OpenAI on
//! real sockets: the JSON and multipart bodies sent, the audio and text
//! read back, the per-character and per-second prices, Azure's deployment
//! URLs, scripted faults, and typed refusals of bad input and of providers
//! without the endpoints.

mod harness;

use llmrelay::types::AudioFile;
use llmrelay::{CallOptions, Client, ErrorKind, SpeechRequest, TranscriptionRequest};
use llmrelay_testkit::{wav, FakeOpenAi, Reply};
use serde_json::json;

const KEY: &str = "sk-audio-secret-123456";

async fn openai() -> FakeOpenAi {
    FakeOpenAi::builder()
        .require_api_key(KEY)
        .record_requests(true)
        .start()
        .await
        .unwrap()
}

fn options(base_url: String) -> CallOptions {
    harness::options(base_url, KEY)
}

#[tokio::test]
async fn speech_sends_json_and_returns_the_audio_priced_per_character() {
    let upstream = openai().await;
    let mut request = SpeechRequest::new("openai/tts-1", "Hello there, world", "alloy");
    request.speed = Some(1.25);
    let response = Client::new()
        .speech(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(&response.audio[..], b"ID3\x04fake-mp3:Hello there, world");
    assert_eq!(response.content_type, "audio/mpeg");
    // 16 characters once whitespace is dropped, at tts-1's $15 per million.
    let cost = response.cost.unwrap();
    assert!((cost - 16.0 * 0.000015).abs() < 1e-12, "{cost}");
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1/audio/speech");
    assert_eq!(sent.bearer_token(), Some(KEY));
    assert_eq!(
        sent.body.unwrap(),
        json!({"model": "tts-1", "input": "Hello there, world", "voice": "alloy", "speed": 1.25})
    );
}

#[tokio::test]
async fn speech_as_wav_is_a_real_wav_file() {
    let upstream = openai().await;
    let mut request = SpeechRequest::new("tts-1-hd", "abcd", "nova");
    request.response_format = Some("wav".into());
    let response = Client::new()
        .speech(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.content_type, "audio/wav");
    assert_eq!(&response.audio[..], wav(b"abcd").as_slice());
}

#[tokio::test]
async fn transcription_sends_a_multipart_form_and_prices_the_duration() {
    let upstream = openai().await;
    // Two seconds of 8 kHz 8-bit audio.
    let file = AudioFile::new("meeting.wav", wav(&[0u8; 16_000]));
    let mut request = TranscriptionRequest::new("whisper-1", file);
    request.language = Some("en".into());
    request.response_format = Some("verbose_json".into());
    request.prompt = Some("Acme Corp".into());
    let response = Client::new()
        .transcription(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.text, "meeting.wav: 16044 bytes");
    assert_eq!(response.duration(), Some(2.0));
    assert_eq!(response.extra["language"], json!("en"));
    assert_eq!(response.billed_seconds, Some(2.0));
    // whisper-1: $0.0001 per second.
    assert!((response.cost.unwrap() - 0.0002).abs() < 1e-12);
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/v1/audio/transcriptions");
    assert!(sent
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    assert_eq!(sent.bearer_token(), Some(KEY));
}

#[tokio::test]
async fn whisper_asks_for_verbose_json_unless_told_and_json_answers_bill_the_file() {
    let upstream = openai().await;
    // No format given: Whisper is asked for verbose_json, whose duration is billed.
    let mp3 = AudioFile::new("clip.mp3", vec![7u8; 40_000]);
    let response = Client::new()
        .transcription(
            TranscriptionRequest::new("whisper-1", mp3),
            &options(upstream.base_url()),
        )
        .await
        .unwrap();
    assert_eq!(response.duration(), Some(2.5));
    assert_eq!(response.billed_seconds, Some(2.5));
    let sent = upstream.last_request().unwrap();
    let form = String::from_utf8_lossy(&sent.raw_body).into_owned();
    assert!(form.contains("name=\"response_format\"\r\n\r\nverbose_json\r\n"));

    // Plain json has no duration: a WAV file's own length is billed...
    let file = AudioFile::new("note.wav", wav(&[0u8; 24_000]));
    let mut request = TranscriptionRequest::new("openai/whisper-1", file);
    request.response_format = Some("json".into());
    let response = Client::new()
        .transcription(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.text, "note.wav: 24044 bytes");
    assert_eq!(response.billed_seconds, Some(3.0));
    assert!((response.cost.unwrap() - 0.0003).abs() < 1e-12);

    // ...and without a header to read, OpenAI's usage seconds.
    let mp3 = AudioFile::new("clip.mp3", vec![7u8; 40_000]);
    let mut request = TranscriptionRequest::new("whisper-1", mp3);
    request.response_format = Some("json".into());
    let response = Client::new()
        .transcription(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert_eq!(response.billed_seconds, Some(3.0));
}

#[tokio::test]
async fn text_formats_come_back_as_the_text() {
    let upstream = openai().await;
    let mut request =
        TranscriptionRequest::new("whisper-1", AudioFile::new("a.mp3", vec![1u8; 10]));
    request.response_format = Some("srt".into());
    let response = Client::new()
        .transcription(request, &options(upstream.base_url()))
        .await
        .unwrap();
    assert!(response.text.starts_with("1\n00:00:00,000 --> "));
    assert!(response.text.contains("a.mp3: 10 bytes"));
}

#[tokio::test]
async fn azure_serves_audio_at_deployment_urls() {
    let upstream = openai().await;
    let opts = CallOptions {
        api_base: Some(upstream.base_url().trim_end_matches("/v1").to_string()),
        api_version: Some("2025-03-01-preview".into()),
        ..options(upstream.base_url())
    };
    let speech = Client::new()
        .speech(SpeechRequest::new("azure/my-tts", "hi", "echo"), &opts)
        .await
        .unwrap();
    assert_eq!(&speech.audio[..], b"ID3\x04fake-mp3:hi");
    let sent = upstream.last_request().unwrap();
    assert_eq!(sent.path, "/openai/deployments/my-tts/audio/speech");
    assert_eq!(sent.header("api-key"), Some(KEY));

    let file = AudioFile::new("a.wav", wav(&[0u8; 800]));
    let text = Client::new()
        .transcription(TranscriptionRequest::new("azure/my-whisper", file), &opts)
        .await
        .unwrap();
    assert_eq!(text.text, "a.wav: 844 bytes");
    let sent = upstream.last_request().unwrap();
    assert_eq!(
        sent.path,
        "/openai/deployments/my-whisper/audio/transcriptions"
    );
    assert_eq!(
        sent.query.as_deref(),
        Some("api-version=2025-03-01-preview")
    );
}

#[tokio::test]
async fn upstream_refusals_and_faults_are_typed_errors_without_the_key() {
    let upstream = openai().await;
    let opts = CallOptions {
        num_retries: Some(0),
        ..options(upstream.base_url())
    };
    // A voice OpenAI does not have: its 400, read as BadRequest.
    let err = Client::new()
        .speech(SpeechRequest::new("tts-1", "hi", "robot"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("voice"), "{}", err.message);

    upstream.push(Reply::rate_limited());
    let file = AudioFile::new("a.wav", wav(&[0u8; 80]));
    let err = Client::new()
        .transcription(TranscriptionRequest::new("whisper-1", file), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimit);
    assert!(!err.to_string().contains(KEY));
}

#[tokio::test]
async fn bad_input_and_missing_endpoints_are_bad_requests_before_any_io() {
    let client = Client::new();
    // Nothing listens here: a request that got this far would be a connection error.
    let opts = options("http://127.0.0.1:9".into());
    let mut bad_voice = SpeechRequest::new("tts-1", "hi", "alloy");
    bad_voice.voice = json!(42);
    let refusals = [
        client.speech(bad_voice, &opts).await.unwrap_err(),
        client
            .speech(SpeechRequest::new("tts-1", "", "alloy"), &opts)
            .await
            .unwrap_err(),
        client
            .transcription(
                TranscriptionRequest::new("whisper-1", AudioFile::new("a.wav", Vec::new())),
                &opts,
            )
            .await
            .unwrap_err(),
        client
            .speech(SpeechRequest::new("", "hi", "alloy"), &opts)
            .await
            .unwrap_err(),
    ];
    for err in refusals {
        assert_eq!(err.kind, ErrorKind::BadRequest, "{err}");
    }
    let unsupported = [
        client
            .speech(
                SpeechRequest::new("anthropic/claude-3-5-sonnet-20240620", "hi", "alloy"),
                &opts,
            )
            .await
            .unwrap_err(),
        client
            .transcription(
                TranscriptionRequest::new(
                    "cohere/command-r-08-2024",
                    AudioFile::new("a.wav", vec![1u8]),
                ),
                &opts,
            )
            .await
            .unwrap_err(),
    ];
    for err in unsupported {
        assert_eq!(err.kind, ErrorKind::BadRequest);
        assert!(err.message.contains("does not offer"), "{}", err.message);
    }
}
