//! Azure OpenAI: OpenAI's bodies, sent to
//! `{api_base}/openai/deployments/{deployment}/{path}?api-version=...` with
//! the key in an `api-key` header (or a bearer token passed as a header).

use bytes::Bytes;

use super::{HttpRequest, Method, Target};

pub(crate) fn http_request(target: &Target, path: &str, body: Bytes) -> HttpRequest {
    let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    // An explicit Authorization header (Entra ID token) replaces the key.
    let has_bearer = target
        .extra_headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("authorization"));
    if let (Some(key), false) = (&target.api_key, has_bearer) {
        headers.push((String::from("api-key"), key.clone()));
    }
    headers.extend(target.extra_headers.iter().cloned());
    let base = target.api_base.trim_end_matches("/openai");
    HttpRequest {
        method: Method::Post,
        url: format!(
            "{base}/openai/deployments/{}/{path}?api-version={}",
            target.model,
            target.api_version.as_deref().unwrap_or_default()
        ),
        headers,
        body,
    }
}
