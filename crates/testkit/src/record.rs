//! What the fake upstream received, kept so tests can assert what a client sent.

use bytes::Bytes;
use serde_json::Value;

/// One request as the fake upstream received it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method, such as `"POST"`.
    pub method: String,
    /// Path without the query, such as `"/v1/chat/completions"`.
    pub path: String,
    /// Query string without the `?`, if any.
    pub query: Option<String>,
    /// Headers in arrival order, names lower-cased; values not valid UTF-8 are converted
    /// lossily.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON; `None` when empty or not JSON.
    pub body: Option<Value>,
    /// The body's bytes as received.
    pub raw_body: Bytes,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The token of an `Authorization: Bearer TOKEN` header.
    pub fn bearer_token(&self) -> Option<&str> {
        self.header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
    }

    /// The body field `key` (top level), if the body is a JSON object that has it.
    pub fn json_field(&self, key: &str) -> Option<&Value> {
        self.body.as_ref().and_then(|b| b.get(key))
    }
}
