//! OpenAI's audio endpoints: `POST /audio/speech` (a JSON body in, the
//! audio bytes out) and `POST /audio/transcriptions` (a multipart form in,
//! JSON or plain text out, as `response_format` asks).

use bytes::Bytes;
use serde_json::Value;

use crate::error::Error;
use crate::providers::http::json_body;
use crate::providers::multipart::Form;
use crate::providers::upstream_error::unreadable;
use crate::providers::Target;
use crate::types::{SpeechRequest, TranscriptionRequest, TranscriptionResponse};

/// The speech body, naming the upstream model.
pub(crate) fn speech_body(target: &Target, request: &SpeechRequest) -> Result<Bytes, Error> {
    let upstream = SpeechRequest {
        model: target.model.clone(),
        ..request.clone()
    };
    json_body(target, &upstream)
}

/// The transcription form and its content type. Fields go in OpenAI's
/// order with the file last (Whisper's `response_format` defaults to
/// `verbose_json`); `timestamp_granularities[]` repeats per value,
/// as OpenAI's SDK sends it.
pub(crate) fn transcription_form(
    target: &Target,
    request: &TranscriptionRequest,
) -> (String, Bytes) {
    let mut fields: Vec<(String, String)> = vec![("model".into(), target.model.clone())];
    let mut push = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            fields.push((name.into(), value));
        }
    };
    push("language", request.language.clone());
    push("prompt", request.prompt.clone());
    // As LiteLLM does for Whisper: ask for `verbose_json` when the caller
    // did not choose, so the answer carries the `duration` it is billed on.
    let format = request.response_format.clone().or_else(|| {
        target
            .model
            .contains("whisper")
            .then(|| "verbose_json".to_owned())
    });
    push("response_format", format);
    push("temperature", request.temperature.map(|t| t.to_string()));
    for granularity in &request.timestamp_granularities {
        fields.push(("timestamp_granularities[]".into(), granularity.clone()));
    }
    for (name, value) in &request.extra {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        fields.push((name.clone(), text));
    }
    let mut contents: Vec<&[u8]> = fields.iter().map(|(_, v)| v.as_bytes()).collect();
    contents.push(&request.file.data);
    let mut form = Form::new(&contents);
    for (name, value) in &fields {
        form.text(name, value);
    }
    let content_type = request
        .file
        .content_type
        .clone()
        .unwrap_or_else(|| mime_of(&request.file.filename).to_owned());
    form.file(
        "file",
        &request.file.filename,
        &content_type,
        &request.file.data,
    );
    (form.content_type(), form.finish())
}

/// A transcription answer: JSON for `json` / `verbose_json`, else the body is the text.
pub(crate) fn parse_transcription(
    target: &Target,
    request: &TranscriptionRequest,
    body: &[u8],
) -> Result<TranscriptionResponse, Error> {
    if request.answers_json() {
        return serde_json::from_slice(body).map_err(|e| unreadable(target, "OpenAI-format", &e));
    }
    Ok(TranscriptionResponse {
        text: String::from_utf8_lossy(body).into_owned(),
        ..TranscriptionResponse::default()
    })
}

/// The MIME type of an audio file, from its extension.
fn mime_of(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("wav") => "audio/wav",
        Some("mp3" | "mpga" | "mpeg") => "audio/mpeg",
        Some("m4a" | "mp4") => "audio/mp4",
        Some("ogg" | "oga" | "opus") => "audio/ogg",
        Some("flac") => "audio/flac",
        Some("webm") => "audio/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::options::CallOptions;
    use crate::providers::resolve_target;
    use crate::types::AudioFile;

    fn target(model: &str) -> Target {
        let options = CallOptions {
            api_key: Some("sk-test".into()),
            ..CallOptions::default()
        };
        resolve_target(model, &options).unwrap()
    }

    #[test]
    fn the_form_carries_fields_then_the_file() {
        let target = target("openai/whisper-1");
        let mut request = TranscriptionRequest::new(
            "openai/whisper-1",
            AudioFile::new("talk.wav", &b"RIFF0000"[..]),
        );
        request.language = Some("en".into());
        request.temperature = Some(0.2);
        request.timestamp_granularities = vec!["word".into(), "segment".into()];
        request.extra.insert(
            "chunking_strategy".into(),
            serde_json::json!({"type": "auto"}),
        );
        let (content_type, body) = transcription_form(&target, &request);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        let names: Vec<&str> = text
            .split(&format!("--{boundary}"))
            .filter_map(|part| part.split("name=\"").nth(1)?.split('"').next())
            .collect();
        assert_eq!(
            names,
            [
                "model",
                "language",
                "response_format",
                "temperature",
                "timestamp_granularities[]",
                "timestamp_granularities[]",
                "chunking_strategy",
                "file"
            ]
        );
        assert!(text.contains("\r\n\r\nwhisper-1\r\n"));
        assert!(
            text.contains("\r\n\r\nverbose_json\r\n"),
            "Whisper's default format"
        );
        assert!(
            text.contains("filename=\"talk.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF0000\r\n")
        );
        assert!(text.contains("{\"type\":\"auto\"}"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn text_formats_are_the_text_itself() {
        let target = target("whisper-1");
        let mut request =
            TranscriptionRequest::new("whisper-1", AudioFile::new("a.mp3", Bytes::new()));
        request.response_format = Some("srt".into());
        let parsed =
            parse_transcription(&target, &request, b"1\n00:00:00,000 --> 00:00:01,000\nhi\n")
                .unwrap();
        assert!(parsed.text.ends_with("hi\n"));
        request.response_format = Some("verbose_json".into());
        let parsed = parse_transcription(
            &target,
            &request,
            br#"{"text": "hi", "duration": 2.5, "language": "english"}"#,
        )
        .unwrap();
        assert_eq!((parsed.text.as_str(), parsed.duration()), ("hi", Some(2.5)));
        assert!(parse_transcription(&target, &request, b"not json").is_err());
    }
}
