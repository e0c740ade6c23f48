//! AWS Bedrock: the Converse and ConverseStream APIs for chat, InvokeModel
//! for Titan and Cohere embeddings, every request signed with SigV4.
//!
//! Signing is a pure function of the request, the credentials and the clock
//! reading it is given; credentials are read from the environment and AWS's
//! files by `credentials::aws` when the target is resolved, never during a
//! translation.

pub(crate) mod embedding;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod stream;
pub(crate) mod wire;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use bytes::Bytes;

use super::http::aws_path_segment;
use super::{start, Framing, HttpRequest, Method, Provider, Target};
use crate::credentials::aws::AwsAuth;
use crate::error::{Error, ErrorKind};
use crate::types::ChatRequest;

/// SigV4 service name of the Bedrock runtime.
const SERVICE: &str = "bedrock";

/// AWS Bedrock's runtime.
pub(crate) const BEDROCK: Provider = Provider {
    framing: Framing::AwsEventStream,
    chat_request,
    parse_chat: response::parse_chat,
    events: start::<stream::StreamState>,
    embedding_request: embedding::embedding_request,
    parse_embedding: embedding::parse_embedding,
    ..Provider::CHAT_ONLY
};

fn chat_request(
    target: &Target,
    request: &ChatRequest,
    now: SystemTime,
) -> Result<HttpRequest, Error> {
    let body = request::converse_body(target, request)?;
    let body = super::http::json_body(target, &body)?;
    let action = if request.is_stream() {
        "converse-stream"
    } else {
        "converse"
    };
    signed(
        target,
        &format!("/model/{}/{action}", aws_path_segment(&target.model)),
        body,
        now,
    )
}

/// `POST {base}{path}` with JSON body, signed for `target`'s credentials now.
pub(crate) fn signed(
    target: &Target,
    path: &str,
    body: Bytes,
    now: SystemTime,
) -> Result<HttpRequest, Error> {
    let auth = target
        .aws()
        .ok_or_else(|| target.error(ErrorKind::Authentication, "no AWS credentials for Bedrock"))?;
    let url = format!("{}{path}", target.api_base);
    let mut headers = vec![
        (
            String::from("content-type"),
            String::from("application/json"),
        ),
        (String::from("accept"), String::from("application/json")),
    ];
    headers.extend(target.extra_headers.iter().cloned());
    for (name, value) in sign_headers(auth, &url, &headers, &body, now).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("cannot sign the Bedrock request: {e}"),
        )
    })? {
        headers.push((name, value));
    }
    Ok(HttpRequest {
        method: Method::Post,
        url,
        headers,
        body,
    })
}

/// The SigV4 headers (`authorization`, `x-amz-date`, `x-amz-security-token`...)
/// for a POST of `body` to `url` with `headers` at `time`.
pub(crate) fn sign_headers(
    auth: &AwsAuth,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    let identity = Credentials::new(
        auth.access_key_id.clone(),
        auth.secret_access_key.expose().to_string(),
        auth.session_token.as_ref().map(|t| t.expose().to_string()),
        None,
        "llmrelay",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&auth.region)
        .name(SERVICE)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

#[cfg(test)]
mod signing_tests {
    use super::*;

    #[test]
    fn signing_is_deterministic_for_a_given_time() {
        let auth = AwsAuth {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            region: "us-east-1".into(),
        };
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let headers = vec![("content-type".to_string(), "application/json".to_string())];
        let a = sign_headers(
            &auth,
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse",
            &headers,
            b"{}",
            time,
        );
        let b = sign_headers(
            &auth,
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse",
            &headers,
            b"{}",
            time,
        );
        assert_eq!(a, b);
        let a = a.unwrap_or_default();
        let authz = a
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        assert!(
            authz.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/bedrock/aws4_request"
            ),
            "{authz}"
        );
        let other = sign_headers(
            &auth,
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse",
            &headers,
            b"{ }",
            time,
        );
        assert_ne!(Some(a), other.ok(), "the body is signed");
    }
}
