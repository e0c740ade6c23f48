//! Who is calling: the master key (`general_settings.master_key`, sent as
//! `Authorization: Bearer <key>`, `x-api-key: <key>` or `api-key: <key>`), a
//! virtual key from the control plane's store, or nobody when no key is
//! configured. Handlers only ever see a [`Caller`].

use std::sync::Arc;

use axum::http::HeaderMap;
use llmrelay_control::Authorized;

use crate::api_error::ApiError;
use crate::control_plane::ControlPlane;

/// The authenticated principal of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Caller {
    /// The master key: every model, every endpoint.
    Admin,
    /// No key is configured: the gateway is open (loopback, or
    /// `--allow-unauthenticated`).
    Anonymous,
    /// A virtual key, with the team and user records that bound it.
    Key(Arc<Authorized>),
}

impl Caller {
    /// Whether the caller may manage keys, users and teams: the master key,
    /// or a key whose user has LiteLLM's `proxy_admin` role.
    pub fn is_admin(&self) -> bool {
        match self {
            Caller::Admin => true,
            Caller::Anonymous => false,
            Caller::Key(auth) => auth.is_admin(),
        }
    }

    /// The virtual key, when the caller is one.
    pub fn key(&self) -> Option<&Arc<Authorized>> {
        match self {
            Caller::Key(auth) => Some(auth),
            _ => None,
        }
    }
}

/// How requests are authenticated.
#[derive(Clone)]
pub enum Authenticator {
    /// No key required.
    Open,
    /// Only the master key is accepted.
    MasterKey(String),
    /// The master key, or a virtual key the control plane knows.
    VirtualKeys {
        /// The master key.
        master: String,
        /// The key store.
        control: Arc<ControlPlane>,
    },
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Authenticator::Open => f.write_str("Open"),
            Authenticator::MasterKey(_) => f.write_str("MasterKey(***)"),
            Authenticator::VirtualKeys { .. } => f.write_str("VirtualKeys(***)"),
        }
    }
}

const NO_KEY: &str = "Authentication Error: no API key passed in. Send `Authorization: Bearer <key>` or `x-api-key: <key>`";

impl Authenticator {
    /// The caller behind `headers`, or a 401 that never quotes what was sent
    /// (503 when the key store cannot decide, never a 401 for a valid key).
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, ApiError> {
        let master = match self {
            Authenticator::Open => return Ok(Caller::Anonymous),
            Authenticator::MasterKey(master) | Authenticator::VirtualKeys { master, .. } => master,
        };
        let Some(key) = presented_key(headers) else {
            return Err(ApiError::unauthorized(NO_KEY));
        };
        if constant_time_eq(key.as_bytes(), master.as_bytes()) {
            return Ok(Caller::Admin);
        }
        match self {
            Authenticator::VirtualKeys { control, .. } => control
                .keys
                .authorize(key, None)
                .await
                .map(Caller::Key)
                .map_err(ApiError::from),
            _ => Err(ApiError::unauthorized(
                "Authentication Error: invalid API key",
            )),
        }
    }

    /// Whether a key is required at all.
    pub fn is_open(&self) -> bool {
        matches!(self, Authenticator::Open)
    }

    /// The control plane, when virtual keys are on.
    pub fn control(&self) -> Option<&Arc<ControlPlane>> {
        match self {
            Authenticator::VirtualKeys { control, .. } => Some(control),
            _ => None,
        }
    }
}

/// The key a client sent: a bearer token, else `x-api-key` (Anthropic's
/// SDK), else `api-key` (Azure OpenAI clients).
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value)
            .trim();
        if !token.is_empty() {
            return Some(token);
        }
    }
    ["x-api-key", "api-key"]
        .iter()
        .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .find(|v| !v.is_empty())
}

/// Compares without an early exit, so the time taken does not tell an
/// attacker how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[tokio::test]
    async fn master_key_by_bearer_or_x_api_key() {
        let auth = Authenticator::MasterKey("sk-master".into());
        assert_eq!(
            auth.authenticate(&headers(&[("authorization", "Bearer sk-master")]))
                .await,
            Ok(Caller::Admin)
        );
        assert_eq!(
            auth.authenticate(&headers(&[("x-api-key", "sk-master")]))
                .await,
            Ok(Caller::Admin)
        );
    }

    #[tokio::test]
    async fn a_wrong_or_missing_key_is_401_without_echo() {
        let auth = Authenticator::MasterKey("sk-master".into());
        let wrong = auth
            .authenticate(&headers(&[("authorization", "Bearer sk-guess")]))
            .await
            .unwrap_err();
        assert_eq!(wrong.status, 401);
        assert!(!wrong.message.contains("sk-guess"));
        assert_eq!(
            auth.authenticate(&HeaderMap::new())
                .await
                .unwrap_err()
                .status,
            401
        );
    }

    #[tokio::test]
    async fn open_gateway_accepts_anyone() {
        assert_eq!(
            Authenticator::Open.authenticate(&HeaderMap::new()).await,
            Ok(Caller::Anonymous)
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let auth = Authenticator::MasterKey("sk-master".into());
        assert!(!format!("{auth:?}").contains("sk-master"));
    }
}
