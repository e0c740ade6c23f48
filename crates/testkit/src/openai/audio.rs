//! `POST /v1/audio/speech` and `POST /v1/audio/transcriptions`.
//!
//! Speech answers with a small audio file whose bytes carry the input, so a
//! test can check what was spoken: `ID3` + the text for mp3, a real PCM WAV
//! (8 kHz, 8-bit mono, the text as its samples) for `wav`.
//!
//! Transcriptions parse the `multipart/form-data` body as OpenAI does and
//! echo what arrived: `text` is `"<filename>: <size> bytes"`, `verbose_json`
//! adds the language and the duration (a WAV file's own length, else one
//! second per 16,000 bytes), and `text`/`srt`/`vtt` answer in plain text.

use axum::body::Body;
use axum::http::header::{HeaderValue, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::api_error::ApiError;

const VOICES: &[&str] = &[
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
];

/// OpenAI's speech checks: an `input` of 1 to 4096 characters and a known voice (or `{"id"}`).
pub(super) fn validate_speech(body: &Value) -> Result<(), ApiError> {
    let input = body["input"].as_str().ok_or_else(|| missing("input"))?;
    if input.is_empty() || input.chars().count() > 4096 {
        return Err(ApiError::new(
            400,
            "[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most 4096 characters'}]",
        )
        .with_param(Some("input")));
    }
    match &body["voice"] {
        Value::String(v) if VOICES.contains(&v.as_str()) => Ok(()),
        Value::Object(o) if o.get("id").is_some_and(Value::is_string) => Ok(()),
        Value::Null => Err(missing("voice")),
        other => Err(ApiError::new(
            400,
            format!("Invalid value for 'voice': {other}. Supported values are: {VOICES:?}."),
        )
        .with_param(Some("voice"))
        .with_code(Some("invalid_value"))),
    }
}

/// The audio for a valid speech `body`.
pub(super) fn speech(body: &Value) -> Response {
    let input = body["input"].as_str().unwrap_or_default().as_bytes();
    let (content_type, audio) = match body["response_format"].as_str().unwrap_or("mp3") {
        "wav" => ("audio/wav", wav(input)),
        "opus" => ("audio/ogg", [b"OggS".as_slice(), input].concat()),
        "flac" => ("audio/flac", [b"fLaC".as_slice(), input].concat()),
        "aac" => ("audio/aac", [b"\xff\xf1".as_slice(), input].concat()),
        "pcm" => ("audio/pcm", input.to_vec()),
        _ => (
            "audio/mpeg",
            [b"ID3\x04fake-mp3:".as_slice(), input].concat(),
        ),
    };
    binary(content_type, audio)
}

/// A PCM WAV file: 8 kHz, 8-bit mono, `samples` as its data.
pub fn wav(samples: &[u8]) -> Vec<u8> {
    let len = samples.len() as u32;
    let mut out = Vec::with_capacity(44 + samples.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&8000u32.to_le_bytes()); // sample rate
    out.extend_from_slice(&8000u32.to_le_bytes()); // byte rate
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(samples);
    out
}

/// One part of a form.
#[derive(Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    data: Bytes,
}

/// A transcription request's form, once it passed OpenAI's checks.
#[derive(Debug)]
pub(super) struct Transcription {
    pub(super) model: String,
    filename: String,
    file: Bytes,
    fields: Vec<(String, String)>,
}

impl Transcription {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a `multipart/form-data` body with `content_type`'s boundary and
/// checks it as OpenAI does: a `model`, a non-empty `file` with a name, a
/// known `response_format`.
pub(super) fn parse_transcription(
    content_type: Option<&str>,
    body: &Bytes,
) -> Result<Transcription, ApiError> {
    let boundary = content_type
        .filter(|t| t.starts_with("multipart/form-data"))
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"'))
        .ok_or_else(|| {
            ApiError::new(
                400,
                "Expected a multipart/form-data body with a boundary for /v1/audio/transcriptions.",
            )
        })?;
    let parts = parse_parts(boundary, body)
        .ok_or_else(|| ApiError::new(400, "The multipart body could not be parsed."))?;
    let mut fields = Vec::new();
    let mut file = None;
    for part in parts {
        match (part.name.as_str(), part.filename) {
            ("file", Some(filename)) => file = Some((filename, part.data)),
            (name, _) => fields.push((
                name.to_owned(),
                String::from_utf8_lossy(&part.data).into_owned(),
            )),
        }
    }
    let model = fields
        .iter()
        .find(|(n, _)| n == "model")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| missing("model"))?;
    let (filename, file) = file.ok_or_else(|| missing("file"))?;
    if file.is_empty() {
        return Err(ApiError::new(
            400,
            "The audio file could not be decoded or its format is not supported.",
        )
        .with_param(Some("file")));
    }
    let request = Transcription {
        model,
        filename,
        file,
        fields,
    };
    let format = request.field("response_format").unwrap_or("json");
    if !["json", "text", "srt", "verbose_json", "vtt"].contains(&format) {
        return Err(ApiError::new(
            400,
            format!("Invalid value: '{format}'. Supported values are: 'json', 'text', 'srt', 'verbose_json', and 'vtt'."),
        )
        .with_param(Some("response_format")));
    }
    Ok(request)
}

/// The answer to a transcription, in its `response_format`.
pub(super) fn transcription(request: &Transcription) -> Response {
    let text = format!("{}: {} bytes", request.filename, request.file.len());
    let seconds = wav_seconds(&request.file).unwrap_or(request.file.len() as f64 / 16_000.0);
    match request.field("response_format").unwrap_or("json") {
        "text" => plain(format!("{text}\n")),
        "srt" => plain(format!("1\n00:00:00,000 --> 00:00:01,000\n{text}\n\n")),
        "vtt" => plain(format!(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n{text}\n\n"
        )),
        "verbose_json" => {
            let mut answer = json!({
                "task": "transcribe",
                "language": request.field("language").unwrap_or("english"),
                "duration": seconds,
                "text": text,
                "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": seconds, "text": text,
                              "tokens": [50364], "temperature": 0.0, "avg_logprob": -0.2,
                              "compression_ratio": 1.0, "no_speech_prob": 0.01}],
            });
            if let Some(prompt) = request.field("prompt") {
                answer["prompt"] = json!(prompt);
            }
            json_body(&answer)
        }
        _ => json_body(
            &json!({"text": text, "usage": {"type": "duration", "seconds": seconds.ceil() as u64}}),
        ),
    }
}

/// A WAV file's length from its header.
fn wav_seconds(data: &[u8]) -> Option<f64> {
    if data.len() < 44 || &data[0..4] != b"RIFF" || &data[8..12] != b"WAVE" {
        return None;
    }
    let byte_rate = u32::from_le_bytes(data.get(28..32)?.try_into().ok()?);
    let len = u32::from_le_bytes(data.get(40..44)?.try_into().ok()?);
    (byte_rate > 0).then(|| f64::from(len) / f64::from(byte_rate))
}

/// The parts between `--boundary` lines; `None` when the framing is broken.
fn parse_parts(boundary: &str, body: &Bytes) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        at += 2; // CRLF after the delimiter
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = String::from_utf8_lossy(body.get(at..head_end)?).into_owned();
        let data_start = head_end + 4;
        let next = find(body, delimiter, data_start)?;
        let data = body.slice(data_start..next.checked_sub(2)?);
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
        parts.push(Part {
            name: parameter(disposition, "name")?,
            filename: parameter(disposition, "filename"),
            data,
        });
        at = next + delimiter.len();
    }
}

/// `key="value"` in a header line (the `filename` check skips `name=` inside it).
fn parameter(line: &str, key: &str) -> Option<String> {
    line.split(';').map(str::trim).find_map(|item| {
        let (k, v) = item.split_once('=')?;
        (k == key).then(|| v.trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn missing(name: &str) -> ApiError {
    ApiError::new(400, format!("Missing required parameter: '{name}'."))
        .with_param(Some(name))
        .with_code(Some("missing_required_parameter"))
}

fn binary(content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn plain(text: String) -> Response {
    binary("text/plain; charset=utf-8", text.into_bytes())
}

fn json_body(value: &Value) -> Response {
    crate::render::json_response(StatusCode::OK, value.to_string().into_bytes())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_form_parses_into_fields_and_the_file() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n\
              --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\nab\r\ncd\r\n\
              --XyZ--\r\n",
        );
        let form = parse_transcription(Some("multipart/form-data; boundary=XyZ"), &body).unwrap();
        assert_eq!(form.model, "whisper-1");
        assert_eq!(
            (form.filename.as_str(), form.file.as_ref()),
            ("a.wav", &b"ab\r\ncd"[..])
        );
        assert!(parse_transcription(Some("application/json"), &body).is_err());
    }

    #[test]
    fn wav_files_know_their_length() {
        assert_eq!(wav_seconds(&wav(&[0; 16_000])), Some(2.0));
        assert_eq!(wav_seconds(b"ID3"), None);
    }
}
