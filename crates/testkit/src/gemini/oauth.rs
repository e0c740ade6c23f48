//! `POST /token`: Google's OAuth2 token endpoint for service accounts (the JWT-bearer
//! grant), so a client's Vertex AI authentication runs against loopback. Point a
//! service-account key's `token_uri` at [`FakeGemini::token_url`](super::FakeGemini).
//!
//! The fake checks the grant's form and the JWT's header and claims (issuer, audience,
//! the cloud-platform scope, expiry after issue), not its RSA signature: it has no
//! public key to check it with. It issues the key given to `require_api_key`, or
//! [`DEFAULT_ACCESS_TOKEN`], for an hour.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use serde_json::Value;

use super::wire;
use crate::render::{json_response, to_json};
use crate::server::Shared;

/// The access token issued when the server requires no particular one.
pub const DEFAULT_ACCESS_TOKEN: &str = "ya29.fake-vertex-access-token";

/// The scope a Vertex AI client asks for.
const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub(super) fn token(state: &Shared, form: &[u8]) -> Response {
    match check_grant(form) {
        Ok(()) => {
            let token = state.api_key.as_deref().unwrap_or(DEFAULT_ACCESS_TOKEN);
            json_response(
                StatusCode::OK,
                to_json(&wire::TokenResponse {
                    access_token: token,
                    expires_in: 3599,
                    token_type: "Bearer",
                }),
            )
        }
        Err(description) => json_response(
            StatusCode::BAD_REQUEST,
            to_json(&wire::TokenError {
                error: "invalid_grant",
                error_description: &description,
            }),
        ),
    }
}

fn check_grant(form: &[u8]) -> Result<(), String> {
    let form = String::from_utf8_lossy(form);
    let field = |name: &str| {
        form.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| percent_decode(v))
    };
    if field("grant_type").as_deref() != Some(JWT_BEARER) {
        return Err(String::from("Invalid grant_type"));
    }
    let assertion = field("assertion").ok_or("Missing assertion")?;
    let segments: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = segments.as_slice() else {
        return Err(String::from("Invalid JWT: expected three segments"));
    };
    let header = decode_json(header).ok_or("Invalid JWT header")?;
    if header["alg"] != "RS256" {
        return Err(String::from("Invalid JWT: alg must be RS256"));
    }
    let claims = decode_json(claims).ok_or("Invalid JWT claims")?;
    let text = |key: &str| claims[key].as_str().unwrap_or("");
    if text("iss").is_empty() || !text("aud").ends_with("/token") {
        return Err(String::from("Invalid JWT: iss and aud are required"));
    }
    if !text("scope").split(' ').any(|s| s == CLOUD_PLATFORM) {
        return Err(String::from(
            "Invalid JWT: the cloud-platform scope is required",
        ));
    }
    let (iat, exp) = (claims["iat"].as_i64(), claims["exp"].as_i64());
    if !matches!((iat, exp), (Some(iat), Some(exp)) if exp > iat && exp - iat <= 3600) {
        return Err(String::from(
            "Invalid JWT: Token must be a short-lived token (60 minutes)",
        ));
    }
    if signature.is_empty() {
        return Err(String::from("Invalid JWT Signature."));
    }
    Ok(())
}

fn decode_json(segment: &str) -> Option<Value> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `application/x-www-form-urlencoded` value decoding (`+` and `%XX`).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &Value) -> String {
        let enc = |v: &Value| base64::engine::general_purpose::URL_SAFE.encode(v.to_string());
        format!(
            "{}.{}.c2ln",
            enc(&serde_json::json!({"alg": "RS256", "typ": "JWT"})),
            enc(claims)
        )
    }

    #[test]
    fn checks_the_grant_and_the_claims() {
        let good = serde_json::json!({"iss": "sa@p.iam.gserviceaccount.com", "aud": "http://127.0.0.1:1/token",
            "scope": CLOUD_PLATFORM, "iat": 1000, "exp": 4595});
        let form = |assertion: &str| {
            format!(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={}",
                assertion.replace('=', "%3D")
            )
        };
        assert_eq!(check_grant(form(&jwt(&good)).as_bytes()), Ok(()));
        let mut no_scope = good.clone();
        no_scope["scope"] = "email".into();
        assert!(check_grant(form(&jwt(&no_scope)).as_bytes()).is_err());
        assert!(check_grant(form("a.b").as_bytes()).is_err());
        assert!(check_grant(b"grant_type=password").is_err());
        assert_eq!(percent_decode("a%3Db+c%2"), "a=b c%2");
    }
}
