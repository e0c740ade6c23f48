//! What a call is told besides its request body: [`CallOptions`] per call,
//! [`ClientConfig`] per client, and [`Secret`], the one type every key,
//! token and credential travels in.
//!
//! This layer sits right above the types and errors: it reads nothing (no
//! environment, no files). `route` is where options meet the environment.

use std::fmt;
use std::time::Duration;

/// A key, token or credential. `Debug` and `Display` print `***`, so a
/// secret cannot reach a log line or an error message by formatting; the
/// value is read only through [`Secret::expose`], at the one place that
/// puts it on the wire.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The plain value, for the header or signature that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

/// Per-call settings that are not part of the OpenAI request body (LiteLLM's
/// keyword arguments of the same names). Provider-specific settings are
/// grouped by provider ([`AwsOptions`], [`VertexOptions`]).
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Base URL instead of the provider's (or its `*_API_BASE` variable).
    pub api_base: Option<String>,
    /// API key instead of the provider's key variable.
    pub api_key: Option<Secret>,
    /// Azure `api-version`.
    pub api_version: Option<String>,
    /// Extra HTTP headers sent upstream (values may hold tokens: `Debug`
    /// shows names only).
    pub headers: Headers,
    /// Whole-call timeout (to the first byte of a stream). Default 600 s, as LiteLLM.
    pub timeout: Option<Duration>,
    /// Longest silence between two events of a stream. Default 120 s.
    pub stream_idle_timeout: Option<Duration>,
    /// Retries after the first attempt. Default: the client's (2).
    pub num_retries: Option<u32>,
    /// First backoff between retries when the provider gives no `Retry-After`. Default 500 ms.
    pub retry_backoff: Option<Duration>,
    /// Drop parameters the provider does not support instead of failing.
    pub drop_params: Option<bool>,
    /// Answer with this text (or raise this LiteLLM exception name) without any network.
    pub mock_response: Option<String>,
    /// AWS Bedrock's credentials and region.
    pub aws: AwsOptions,
    /// Vertex AI's project, location and credentials.
    pub vertex: VertexOptions,
}

/// Extra HTTP headers: `(name, value)` pairs, sent in order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl fmt::Debug for Headers {
    // Values can be bearer tokens (Azure Entra ID, a proxy's key): names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

impl From<Vec<(String, String)>> for Headers {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Headers(pairs)
    }
}

/// Bedrock: LiteLLM's `aws_*` keyword arguments.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// AWS access key id (else `AWS_ACCESS_KEY_ID`, else the shared credentials file).
    pub access_key_id: Option<String>,
    /// AWS secret access key.
    pub secret_access_key: Option<Secret>,
    /// AWS session token for temporary credentials.
    pub session_token: Option<Secret>,
    /// AWS region (else from the model name, `AWS_REGION`, `AWS_DEFAULT_REGION`, `~/.aws/config`).
    pub region_name: Option<String>,
    /// Profile of the shared credentials file (else `AWS_PROFILE`, else `default`).
    pub profile_name: Option<String>,
}

/// Vertex AI: LiteLLM's `vertex_*` keyword arguments.
#[derive(Debug, Clone, Default)]
pub struct VertexOptions {
    /// GCP project (else `VERTEXAI_PROJECT`, else the credentials' project).
    pub project: Option<String>,
    /// Region such as `us-central1`, or `global` (else `VERTEXAI_LOCATION`, else `us-central1`).
    pub location: Option<String>,
    /// A service-account key, as JSON or the path of its file (else
    /// `VERTEXAI_CREDENTIALS`, else application default credentials). An
    /// `api_key` is used as a ready bearer token instead.
    pub credentials: Option<Secret>,
}

/// Defaults of a [`Client`](crate::Client), overridden per call by [`CallOptions`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Whole-call timeout.
    pub timeout: Duration,
    /// TCP connect timeout.
    pub connect_timeout: Duration,
    /// Longest silence between stream events.
    pub stream_idle_timeout: Duration,
    /// Retries after the first attempt.
    pub num_retries: u32,
    /// First retry backoff.
    pub retry_backoff: Duration,
    /// Drop unsupported parameters.
    pub drop_params: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(600),
            connect_timeout: Duration::from_secs(10),
            stream_idle_timeout: Duration::from_secs(120),
            num_retries: 2,
            retry_backoff: Duration::from_millis(500),
            drop_params: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_secret() {
        let options = CallOptions {
            api_key: Some(Secret::from("sk-live-123456")),
            headers: Headers(vec![("authorization".into(), "Bearer tok-987654".into())]),
            aws: AwsOptions {
                access_key_id: Some("AKID".into()),
                secret_access_key: Some("aws-secret-abcdef".into()),
                session_token: Some("aws-session-xyz".into()),
                ..AwsOptions::default()
            },
            vertex: VertexOptions {
                credentials: Some(r#"{"private_key":"-----BEGIN"}"#.into()),
                ..VertexOptions::default()
            },
            ..CallOptions::default()
        };
        let shown = format!("{options:?} {options:#?}");
        for secret in [
            "sk-live-123456",
            "tok-987654",
            "aws-secret-abcdef",
            "aws-session-xyz",
            "BEGIN",
        ] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("authorization"), "header names stay visible");
        assert_eq!(Secret::from("k").to_string(), "***");
        assert_eq!(Secret::from("k").expose(), "k");
    }
}
