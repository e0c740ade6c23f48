//! Audio requests and responses in OpenAI's shapes: text to speech
//! (`POST /audio/speech`, JSON in, audio bytes out) and transcription
//! (`POST /audio/transcriptions`, a multipart form in, JSON or text out).

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

/// A text-to-speech request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeechRequest {
    /// Model name, with or without a `provider/` prefix (`tts-1`, `azure/my-tts`).
    pub model: String,
    /// The text to speak.
    pub input: String,
    /// A voice name (`alloy`), or `{"id": ...}` for a custom voice.
    #[serde(default)]
    pub voice: Value,
    /// `mp3` (OpenAI's default), `opus`, `aac`, `flac`, `wav` or `pcm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// Playback speed, 0.25 to 4.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// How to speak (models that take instructions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SpeechRequest {
    /// A request speaking `input` with `model` in `voice`.
    pub fn new(
        model: impl Into<String>,
        input: impl Into<String>,
        voice: impl Into<String>,
    ) -> Self {
        SpeechRequest {
            model: model.into(),
            input: input.into(),
            voice: Value::String(voice.into()),
            response_format: None,
            speed: None,
            instructions: None,
            extra: Extra::new(),
        }
    }

    /// Why the voice cannot be sent: it must be a non-empty name or an
    /// object with a string `id`.
    pub fn voice_problem(&self) -> Option<String> {
        match &self.voice {
            Value::String(name) if !name.trim().is_empty() => None,
            Value::Object(map) if map.get("id").is_some_and(Value::is_string) => None,
            Value::Null => Some("`voice` is required".into()),
            other => Some(format!(
                "`voice` must be a voice name or {{\"id\": ...}}, not {}",
                json_kind(other)
            )),
        }
    }

    /// The MIME type of the audio this request asks for.
    pub fn content_type(&self) -> &'static str {
        match self.response_format.as_deref().unwrap_or("mp3") {
            "opus" => "audio/ogg",
            "aac" => "audio/aac",
            "flac" => "audio/flac",
            "wav" => "audio/wav",
            "pcm" => "audio/pcm",
            _ => "audio/mpeg",
        }
    }

    /// The characters LiteLLM bills a speech call for: the input without
    /// its whitespace.
    pub fn billed_characters(&self) -> u64 {
        self.input.chars().filter(|c| !c.is_whitespace()).count() as u64
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "an empty string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object without a string `id`",
    }
}

/// Spoken audio: the provider's bytes as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeechResponse {
    /// The audio file's bytes.
    pub audio: Bytes,
    /// Its MIME type (from the requested format).
    pub content_type: String,
    /// USD, from the catalog's `input_cost_per_character`; `None` when unpriced.
    pub cost: Option<f64>,
}

/// An audio file to transcribe.
#[derive(Clone, PartialEq)]
pub struct AudioFile {
    /// The file name sent in the form (providers read the format from its extension).
    pub filename: String,
    /// Its MIME type, when known.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub data: Bytes,
}

impl std::fmt::Debug for AudioFile {
    // The bytes are the caller's audio: their length is enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioFile")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

impl AudioFile {
    /// A file named `filename` holding `data`.
    pub fn new(filename: impl Into<String>, data: impl Into<Bytes>) -> Self {
        AudioFile {
            filename: filename.into(),
            content_type: None,
            data: data.into(),
        }
    }

    /// The length in seconds of a PCM WAV file, read from its header; `None`
    /// for anything else (LiteLLM measures files with `soundfile` when it is
    /// installed, and WAV is the format it always reads).
    pub fn wav_seconds(&self) -> Option<f64> {
        let data = self.data.as_ref();
        if data.len() < 12 || &data[0..4] != b"RIFF" || &data[8..12] != b"WAVE" {
            return None;
        }
        let le32 = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
        };
        let (mut at, mut byte_rate) = (12usize, None);
        while at + 8 <= data.len() {
            let id = &data[at..at + 4];
            let size = le32(at + 4)? as usize;
            let body = at + 8;
            if id == b"fmt " {
                byte_rate = le32(body + 8).filter(|r| *r > 0);
            } else if id == b"data" {
                // A streamed WAV may leave the size at 0 or past the end.
                let available = data.len() - body;
                let len = if size == 0 || size > available {
                    available
                } else {
                    size
                };
                return byte_rate.map(|rate| len as f64 / f64::from(rate));
            }
            at = body.checked_add(size)?.checked_add(size & 1)?;
        }
        None
    }
}

/// A transcription request.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptionRequest {
    /// Model name, with or without a `provider/` prefix (`whisper-1`, `groq/whisper-large-v3`).
    pub model: String,
    /// The audio.
    pub file: AudioFile,
    /// The spoken language, ISO-639-1 (`en`).
    pub language: Option<String>,
    /// Text to guide the model's style or continue a previous segment.
    pub prompt: Option<String>,
    /// `json` (the default), `text`, `srt`, `verbose_json` or `vtt`.
    pub response_format: Option<String>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// `word` and/or `segment` (with `verbose_json`).
    pub timestamp_granularities: Vec<String>,
    /// Any other form field, sent as text (strings as they are, other values as JSON).
    pub extra: Extra,
}

impl TranscriptionRequest {
    /// A request transcribing `file` with `model`.
    pub fn new(model: impl Into<String>, file: AudioFile) -> Self {
        TranscriptionRequest {
            model: model.into(),
            file,
            language: None,
            prompt: None,
            response_format: None,
            temperature: None,
            timestamp_granularities: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// Whether the answer is JSON (`json`, `verbose_json`) rather than text
    /// (`text`, `srt`, `vtt`).
    pub fn answers_json(&self) -> bool {
        matches!(
            self.response_format.as_deref(),
            None | Some("json") | Some("verbose_json") | Some("diarized_json")
        )
    }
}

/// A transcription: `text`, and with `verbose_json` the `language`,
/// `duration`, `segments` and `words` (kept in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TranscriptionResponse {
    /// The transcribed text (the whole body for `text`, `srt` and `vtt`).
    #[serde(default)]
    pub text: String,
    /// Any other field (`language`, `duration`, `segments`, `words`, `usage`).
    #[serde(flatten)]
    pub extra: Extra,
    /// The seconds billed: the answer's `duration`, else the file's own
    /// length when it can be read, else the provider's usage seconds.
    #[serde(skip)]
    pub billed_seconds: Option<f64>,
    /// USD, at the model's per-second price; `None` when unpriced.
    #[serde(skip)]
    pub cost: Option<f64>,
}

impl TranscriptionResponse {
    /// The `duration` the answer reports (`verbose_json`).
    pub fn duration(&self) -> Option<f64> {
        self.extra.get("duration").and_then(Value::as_f64)
    }

    /// The seconds of OpenAI's `usage: {"type": "duration", "seconds": n}`.
    pub fn usage_seconds(&self) -> Option<f64> {
        let usage = self.extra.get("usage")?;
        (usage.get("type")?.as_str()? == "duration")
            .then(|| usage.get("seconds")?.as_f64())
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn wav(seconds: u32, rate: u32) -> Vec<u8> {
        let data_len = seconds * rate * 2;
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data_len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes()); // PCM
        out.extend_from_slice(&1u16.to_le_bytes()); // mono
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&(rate * 2).to_le_bytes()); // byte rate
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        out.resize(out.len() + data_len as usize, 0);
        out
    }

    #[test]
    fn a_wav_header_gives_the_length() {
        let file = AudioFile::new("a.wav", wav(3, 8000));
        assert_eq!(file.wav_seconds(), Some(3.0));
        assert_eq!(
            AudioFile::new("a.mp3", b"ID3...".to_vec()).wav_seconds(),
            None
        );
        let mut cut = wav(2, 8000);
        cut.truncate(100);
        assert!(AudioFile::new("a.wav", cut).wav_seconds().unwrap() < 0.01);
    }

    #[test]
    fn voices_are_names_or_ids() {
        let mut request = SpeechRequest::new("tts-1", "hi there", "alloy");
        assert_eq!(request.voice_problem(), None);
        request.voice = serde_json::json!({"id": "voice_123"});
        assert_eq!(request.voice_problem(), None);
        request.voice = serde_json::json!(5);
        assert!(request.voice_problem().unwrap().contains("a number"));
        request.voice = Value::Null;
        assert_eq!(request.voice_problem().unwrap(), "`voice` is required");
        assert_eq!(request.billed_characters(), 7);
        assert_eq!(request.content_type(), "audio/mpeg");
    }

    #[test]
    fn usage_seconds_come_from_a_duration_usage() {
        let response: TranscriptionResponse = serde_json::from_value(serde_json::json!({
            "text": "hi", "usage": {"type": "duration", "seconds": 4}}))
        .unwrap();
        assert_eq!(response.usage_seconds(), Some(4.0));
        assert_eq!(response.duration(), None);
    }
}
