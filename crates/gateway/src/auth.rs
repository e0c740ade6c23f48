//! Who is calling. Today: the master key (`general_settings.master_key`,
//! sent as `Authorization: Bearer <key>` or `x-api-key: <key>`), or nobody
//! when no key is configured. Virtual keys (issue 11) become another
//! [`Authenticator`] variant returning a [`Caller::VirtualKey`]-style
//! principal; handlers only ever see a [`Caller`].

use axum::http::HeaderMap;

use crate::api_error::ApiError;

/// The authenticated principal of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The master key: every model, every endpoint.
    Admin,
    /// No key is configured: the gateway is open (loopback, or
    /// `--allow-unauthenticated`).
    Anonymous,
}

/// How requests are authenticated. The seam for virtual keys: issue 11 adds
/// a variant backed by the key store (hashed keys, budgets, limits).
#[derive(Clone)]
pub enum Authenticator {
    /// No key required.
    Open,
    /// Only the master key is accepted.
    MasterKey(String),
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Authenticator::Open => f.write_str("Open"),
            Authenticator::MasterKey(_) => f.write_str("MasterKey(***)"),
        }
    }
}

impl Authenticator {
    /// The caller behind `headers`, or a 401 that never quotes what was sent.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, ApiError> {
        match self {
            Authenticator::Open => Ok(Caller::Anonymous),
            Authenticator::MasterKey(master) => match presented_key(headers) {
                None => Err(ApiError::unauthorized(
                    "Authentication Error: no API key passed in. Send `Authorization: Bearer <key>` or `x-api-key: <key>`",
                )),
                Some(key) if constant_time_eq(key.as_bytes(), master.as_bytes()) => {
                    Ok(Caller::Admin)
                }
                Some(_) => Err(ApiError::unauthorized(
                    "Authentication Error: invalid API key",
                )),
            },
        }
    }

    /// Whether a key is required at all.
    pub fn is_open(&self) -> bool {
        matches!(self, Authenticator::Open)
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

    #[test]
    fn master_key_by_bearer_or_x_api_key() {
        let auth = Authenticator::MasterKey("sk-master".into());
        assert_eq!(
            auth.authenticate(&headers(&[("authorization", "Bearer sk-master")])),
            Ok(Caller::Admin)
        );
        assert_eq!(
            auth.authenticate(&headers(&[("x-api-key", "sk-master")])),
            Ok(Caller::Admin)
        );
    }

    #[test]
    fn a_wrong_or_missing_key_is_401_without_echo() {
        let auth = Authenticator::MasterKey("sk-master".into());
        let wrong = auth
            .authenticate(&headers(&[("authorization", "Bearer sk-guess")]))
            .unwrap_err();
        assert_eq!(wrong.status, 401);
        assert!(!wrong.message.contains("sk-guess"));
        assert_eq!(
            auth.authenticate(&HeaderMap::new()).unwrap_err().status,
            401
        );
    }

    #[test]
    fn open_gateway_accepts_anyone() {
        assert_eq!(
            Authenticator::Open.authenticate(&HeaderMap::new()),
            Ok(Caller::Anonymous)
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let auth = Authenticator::MasterKey("sk-master".into());
        assert!(!format!("{auth:?}").contains("sk-master"));
    }
}
