//! One JSON line per request on stdout: call id, route, model group,
//! deployment, status, latency, tokens, cost, error kind. Nothing from the
//! request's headers or body is written, so no key can reach a log line.

use std::io::Write;
use std::time::SystemTime;

use serde::Serialize;

/// What a log line says about one request.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord<'a> {
    /// Unix time of the line, in seconds with milliseconds.
    pub ts: f64,
    /// `x-litellm-call-id`.
    pub call_id: &'a str,
    /// The route (`chat_completions`, `messages`...).
    pub route: &'a str,
    /// The model group asked for, when it got that far.
    pub model_group: Option<&'a str>,
    /// The deployment that answered.
    pub deployment: Option<&'a str>,
    /// HTTP status (200 for a stream that started, whatever happened after).
    pub status: u16,
    /// Milliseconds from request to last byte.
    pub latency_ms: f64,
    /// Prompt tokens.
    pub prompt_tokens: Option<u64>,
    /// Completion tokens.
    pub completion_tokens: Option<u64>,
    /// Dollars.
    pub cost: Option<f64>,
    /// LiteLLM's exception name, for a failure.
    pub error: Option<&'a str>,
    /// `completed`, `failed`, or `cancelled` (a client that left mid-stream).
    pub outcome: &'a str,
}

/// Where request lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestLog {
    /// Nowhere (benchmarks, tests that read stdout).
    Off,
    /// Standard output, one JSON object per line.
    Stdout,
}

impl RequestLog {
    /// Writes one line for `record`.
    pub fn write(self, record: &RequestRecord<'_>) {
        if self == RequestLog::Off {
            return;
        }
        if let Ok(mut line) = serde_json::to_vec(record) {
            line.push(b'\n');
            // A closed stdout must not fail a request.
            let _ = std::io::stdout().lock().write_all(&line);
        }
    }
}

/// Now, as Unix seconds.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
