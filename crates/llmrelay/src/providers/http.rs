//! The HTTP side every translation shares: the request it hands the
//! transport, JSON bodies, the credential header, the caller's headers and
//! URL path encoding.

use bytes::Bytes;
use serde::Serialize;

use super::Target;
use crate::error::{Error, ErrorKind};

/// HTTP method of an upstream call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

/// An HTTP request ready for the transport. The body is `Bytes` so a retry
/// resends it without copying.
#[derive(Clone)]
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl std::fmt::Debug for HttpRequest {
    // Header values carry credentials: names only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl HttpRequest {
    /// A JSON request to `url` carrying the target's credential header and,
    /// after it, the caller's headers. A caller's header of the same name,
    /// or an `Authorization` header (an Entra ID or OAuth token), replaces
    /// the credential.
    pub(crate) fn json(target: &Target, method: Method, url: String, body: Bytes) -> Self {
        HttpRequest::with_type(target, method, url, "application/json".into(), body)
    }

    /// A request to `url` whose body is of `content_type`, with the
    /// credential and caller headers as [`HttpRequest::json`] adds them.
    pub(crate) fn with_type(
        target: &Target,
        method: Method,
        url: String,
        content_type: String,
        body: Bytes,
    ) -> Self {
        let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
        headers.push((String::from("content-type"), content_type));
        if let Some((name, value)) = target.auth.header() {
            let replaced = target.extra_headers.iter().any(|(given, _)| {
                given.eq_ignore_ascii_case(name) || given.eq_ignore_ascii_case("authorization")
            });
            if !replaced {
                headers.push((name.to_string(), value));
            }
        }
        headers.extend(target.extra_headers.iter().cloned());
        HttpRequest {
            method,
            url,
            headers,
            body,
        }
    }

    /// A JSON `POST` to `url`.
    pub(crate) fn post(target: &Target, url: String, body: Bytes) -> Self {
        HttpRequest::json(target, Method::Post, url, body)
    }
}

/// `value` as a JSON body, or a `BadRequest` naming why it cannot be one.
pub(crate) fn json_body<T: Serialize + ?Sized>(target: &Target, value: &T) -> Result<Bytes, Error> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })
}

/// A name made safe for one URL path segment: anything but unreserved
/// characters (and `@`, used by Vertex versions) is percent-encoded, so a
/// model name cannot reach another endpoint or smuggle a query.
pub(crate) fn path_segment(name: &str) -> String {
    encode(name, b"-._~@")
}

/// A model id as one path segment the way the AWS SDKs encode it (`:` and
/// `@` escaped too).
pub(crate) fn aws_path_segment(name: &str) -> String {
    encode(name, b"-._~")
}

fn encode(name: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape_their_segment() {
        assert_eq!(path_segment("gemini-2.0-flash"), "gemini-2.0-flash");
        assert_eq!(path_segment("claude@2024"), "claude@2024");
        assert_eq!(path_segment("../x?y=1"), "..%2Fx%3Fy%3D1");
        assert_eq!(
            aws_path_segment("anthropic.claude-v2:1"),
            "anthropic.claude-v2%3A1"
        );
    }
}
