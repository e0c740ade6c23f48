//! [`Target`]: everything a provider's translation needs to know about where
//! a call goes, resolved once by [`route`](super) and read-only after.

use std::fmt;

use llmrelay_catalog::{ModelInfo, ProviderInfo};

use super::Adapter;
use crate::credentials::aws::AwsAuth;
use crate::error::{Error, ErrorKind};
use crate::options::Secret;

/// The resolved destination of one call.
pub(crate) struct Target {
    pub adapter: Adapter,
    pub provider: &'static ProviderInfo,
    /// The name the provider knows the model by.
    pub model: String,
    /// The name the caller used (for errors and responses).
    pub requested_model: String,
    pub info: Option<&'static ModelInfo>,
    /// Base URL without a trailing slash.
    pub api_base: String,
    /// How the call proves who it is.
    pub auth: Auth,
    /// Azure's `api-version`.
    pub api_version: Option<String>,
    /// The caller's extra headers, sent after the provider's own.
    pub extra_headers: Vec<(String, String)>,
    /// Drop parameters the provider does not take instead of failing.
    pub drop_params: bool,
    /// Vertex AI's project and location (the only provider that needs more
    /// than a base URL and credentials).
    pub vertex: Option<VertexSettings>,
}

/// How a call authenticates. Each variant says where its secret goes; a
/// provider's translation only places it.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    /// No credential (local servers).
    None,
    /// `Authorization: Bearer <key>` (OpenAI and its family, Cohere).
    Bearer(Secret),
    /// The key in a header of its own (`api-key`, `x-api-key`, `x-goog-api-key`).
    Header { name: &'static str, value: Secret },
    /// AWS Signature V4 over the whole request (Bedrock).
    SigV4(AwsAuth),
    /// A Google OAuth2 access token (Vertex AI), fetched before the request
    /// is built; `credentials` is the service account it comes from
    /// (`None`: application default credentials).
    OAuthToken {
        credentials: Option<Secret>,
        token: Option<Secret>,
    },
}

/// Where a provider wants a plain API key (data the route reads from
/// [`Adapter::key_placement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyPlacement {
    Bearer,
    Header(&'static str),
}

impl Auth {
    /// The header that carries the credential, for every scheme but SigV4
    /// (which signs the finished request) and a token not yet fetched.
    pub(crate) fn header(&self) -> Option<(&'static str, String)> {
        match self {
            Auth::Bearer(key)
            | Auth::OAuthToken {
                token: Some(key), ..
            } => Some(("authorization", format!("Bearer {}", key.expose()))),
            Auth::Header { name, value } => Some((name, value.expose().to_string())),
            Auth::None | Auth::SigV4(_) | Auth::OAuthToken { token: None, .. } => None,
        }
    }

    /// Every secret this credential holds: what errors are redacted of.
    fn secrets(&self) -> Vec<&str> {
        match self {
            Auth::None => Vec::new(),
            Auth::Bearer(key) | Auth::Header { value: key, .. } => vec![key.expose()],
            Auth::SigV4(aws) => {
                let mut out = vec![aws.secret_access_key.expose()];
                out.extend(aws.session_token.as_ref().map(Secret::expose));
                out
            }
            Auth::OAuthToken { credentials, token } => credentials
                .iter()
                .chain(token.iter())
                .map(Secret::expose)
                .collect(),
        }
    }
}

/// Where on Vertex a call goes.
#[derive(Debug, Clone, Default)]
pub(crate) struct VertexSettings {
    /// GCP project; filled from the credentials when the call names none.
    pub project: Option<String>,
    /// Region (`us-central1`) or `global`.
    pub location: String,
}

impl fmt::Debug for Target {
    // Credentials print as `***` (they are `Secret`s); headers by name only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("adapter", &self.adapter)
            .field("provider", &self.provider.name)
            .field("model", &self.model)
            .field("api_base", &self.api_base)
            .field("auth", &self.auth)
            .field(
                "extra_headers",
                &self
                    .extra_headers
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Target {
    /// An error of `kind` about this call's provider and model.
    pub(crate) fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::new(kind, message)
            .with_provider(self.provider.name)
            .with_model(self.requested_model.clone())
    }

    /// Every secret of this call: its credential and the values of the
    /// caller's credential-like headers (an Entra ID token, a proxy's key).
    /// Errors are redacted of exactly these.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let mut out = self.auth.secrets();
        for (name, value) in &self.extra_headers {
            if is_credential_header(name) {
                // `Bearer <token>`: the token alone is what could be echoed.
                out.push(value.strip_prefix("Bearer ").unwrap_or(value));
            }
        }
        out
    }

    /// Bedrock's credentials, when this target signs with SigV4.
    pub(crate) fn aws(&self) -> Option<&AwsAuth> {
        match &self.auth {
            Auth::SigV4(auth) => Some(auth),
            _ => None,
        }
    }
}

/// Header names whose values are credentials.
fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "authorization"
        || name == "cookie"
        || ["key", "token", "secret"].iter().any(|w| name.contains(w))
}
