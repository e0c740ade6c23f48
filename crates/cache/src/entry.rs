//! What a cache entry holds: LiteLLM's `{"timestamp": <unix seconds>,
//! "response": <the answer>}` as JSON text, so LiteLLM reads llmrelay's
//! entries in a shared Redis and llmrelay reads the JSON ones LiteLLM writes
//! (its async path; its sync Redis path writes a Python repr, which reads
//! here as a miss).

use serde_json::{json, Value};

use crate::error::CacheError;

/// One stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// When it was stored, Unix seconds (None: written without one).
    pub timestamp: Option<f64>,
    /// The answer, as the API returned it (an OpenAI-shaped JSON object).
    pub response: Value,
}

impl Entry {
    /// An entry for `response` stored at `timestamp`.
    pub fn new(response: Value, timestamp: f64) -> Self {
        Entry {
            timestamp: Some(timestamp),
            response,
        }
    }

    /// The JSON text stored.
    pub fn encode(&self) -> String {
        json!({"timestamp": self.timestamp, "response": self.response}).to_string()
    }

    /// Reads stored text. LiteLLM stores a pydantic answer as its JSON
    /// text inside the entry: that is parsed too.
    pub fn decode(text: &str) -> Result<Entry, CacheError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| CacheError::Corrupt(e.to_string()))?;
        match value {
            Value::Object(mut map) if map.contains_key("timestamp") => {
                let timestamp = map.get("timestamp").and_then(Value::as_f64);
                let response = match map.remove("response").unwrap_or(Value::Null) {
                    // LiteLLM's pydantic answers; a plain string stays one.
                    Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
                    other => other,
                };
                Ok(Entry {
                    timestamp,
                    response,
                })
            }
            other => Ok(Entry {
                timestamp: None,
                response: other,
            }),
        }
    }

    /// Whether the entry may answer a call that refuses entries older than
    /// `max_age` seconds, at Unix time `now`.
    pub fn fresh(&self, max_age: Option<f64>, now: f64) -> bool {
        match (max_age, self.timestamp) {
            (Some(max), Some(at)) => now - at <= max,
            _ => true,
        }
    }
}

/// The current Unix time in seconds.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn entries_round_trip_and_read_litellm_text() {
        let e = Entry::new(json!({"id": "x"}), 100.0);
        assert_eq!(Entry::decode(&e.encode()).unwrap(), e);
        let litellm = r#"{"timestamp": 50.5, "response": "{\"id\": \"y\"}"}"#;
        assert_eq!(Entry::decode(litellm).unwrap().response, json!({"id": "y"}));
        assert!(Entry::decode("{'timestamp': 1}").is_err());
        assert!(e.fresh(Some(10.0), 105.0) && !e.fresh(Some(1.0), 105.0) && e.fresh(None, 1e9));
    }
}
