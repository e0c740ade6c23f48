//! LiteLLM's management endpoints over the control plane: `/key/*`,
//! `/user/*`, `/team/*` and `/spend/logs`. Only the master key (or a key
//! whose user is a `proxy_admin`) manages; a key may read its own info and
//! spend, never another's, and never change its own limits. Every body is
//! validated before the store sees it, with a 4xx naming what is wrong.

mod accounts;
mod keys;
mod spend;

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::body::read_json;
use super::Gateway;
use crate::api_error::{json_response, ApiError, Dialect};
use crate::auth::Caller;
use crate::control_plane::ControlPlane;

pub use accounts::{
    team_delete, team_info, team_list, team_member_add, team_member_delete, team_new, team_update,
    user_delete, user_info, user_list, user_new, user_update,
};
pub use keys::{
    key_block, key_delete, key_generate, key_info, key_list, key_regenerate,
    key_regenerate_by_path, key_unblock, key_update,
};
pub use spend::spend_logs;

/// An authenticated management request: the caller and the control plane.
struct Admin {
    caller: Caller,
    control: Arc<ControlPlane>,
}

impl Admin {
    /// Authenticates; 400 when the gateway has no key store.
    async fn new(gw: &Gateway, headers: &HeaderMap) -> Result<Admin, ApiError> {
        let caller = gw.auth.authenticate(headers).await?;
        let Some(control) = gw.auth.control() else {
            return Err(ApiError::bad_request(
                "virtual keys are off: set general_settings.master_key (keys, users and teams are \
                 stored in SQLite next to the config, or in general_settings.database_url)",
            ));
        };
        Ok(Admin {
            caller,
            control: Arc::clone(control),
        })
    }

    /// Authenticates and requires an admin.
    async fn admin(gw: &Gateway, headers: &HeaderMap) -> Result<Admin, ApiError> {
        let admin = Admin::new(gw, headers).await?;
        if !admin.caller.is_admin() {
            return Err(ApiError::forbidden(
                "only the master key or a proxy_admin user's key may call this endpoint",
            ));
        }
        Ok(admin)
    }
}

/// The id a read is for: any asked id for an admin; otherwise the caller's
/// own (`own`), which is also the default when none is asked. `what` names
/// the query parameter.
fn readable_id(
    caller: &Caller,
    asked: Option<String>,
    own: Option<String>,
    what: &str,
) -> Result<String, ApiError> {
    match (asked, own) {
        (Some(id), _) if caller.is_admin() => Ok(id),
        (Some(id), Some(own)) if id == own => Ok(id),
        (None, Some(own)) => Ok(own),
        (None, None) if caller.is_admin() => {
            Err(ApiError::bad_request(format!("`{what}` is required")).with_param(what))
        }
        _ => Err(ApiError::forbidden(format!(
            "a key may read only its own {}",
            what.trim_end_matches("_id")
        ))),
    }
}

/// Reads a management body as a JSON object.
async fn body_of(
    gw: &Gateway,
    headers: &HeaderMap,
    body: Body,
) -> Result<Map<String, Value>, ApiError> {
    read_json(
        headers,
        body,
        gw.settings.max_body_bytes,
        gw.settings.body_read_timeout,
    )
    .await
}

/// `body` as `T`, or a 400 that says which field is wrong.
fn parse<T: DeserializeOwned>(body: Map<String, Value>, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(body))
        .map_err(|e| ApiError::bad_request(format!("invalid {what} request: {e}")))
}

/// A required string field of `body`.
fn required(body: &Map<String, Value>, field: &str) -> Result<String, ApiError> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        _ => Err(
            ApiError::bad_request(format!("`{field}` is required (a non-empty string)"))
                .with_param(field),
        ),
    }
}

/// A list of strings under `field` (a single string counts as one).
fn string_list(body: &Map<String, Value>, field: &str) -> Result<Vec<String>, ApiError> {
    match body.get(field) {
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(format!("`{field}` must be a list of strings"))
                    .with_param(field)
            }),
        _ => Err(
            ApiError::bad_request(format!("`{field}` is required (a list of strings)"))
                .with_param(field),
        ),
    }
}

/// The stored token of a key given as LiteLLM accepts it: the plain key
/// (`sk-...`) or its hash.
fn token_of(key: &str) -> String {
    if key.starts_with("sk-") {
        llmrelay_control::hash_key(key)
    } else {
        key.to_owned()
    }
}

/// The query string's parameters, percent-decoded.
fn query(uri: &Uri) -> HashMap<String, String> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 200 with `body`, or the failure in OpenAI's shape.
fn answer(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(e) => e.into_response(Dialect::OpenAi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode() {
        let uri: Uri = "/key/info?key=sk-a%2Bb&x=1+2&flag"
            .parse()
            .unwrap_or_default();
        let q = query(&uri);
        assert_eq!(q.get("key").map(String::as_str), Some("sk-a+b"));
        assert_eq!(q.get("x").map(String::as_str), Some("1 2"));
        assert_eq!(q.get("flag").map(String::as_str), Some(""));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn keys_are_looked_up_by_hash() {
        assert_eq!(token_of("sk-abc"), llmrelay_control::hash_key("sk-abc"));
        assert_eq!(token_of("deadbeef"), "deadbeef");
    }
}
