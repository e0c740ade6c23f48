//! AWS Bedrock: the Converse and ConverseStream APIs for chat, InvokeModel
//! for Titan and Cohere embeddings, every request signed with SigV4.
//!
//! Signing is a pure function of the request, the credentials and the clock
//! reading it is given; credentials are read from the environment and AWS's
//! files by `credentials::aws` when the target is resolved, never during a
//! translation.

pub(crate) mod embedding;
pub(crate) mod error;
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

use llmrelay_catalog::{ModelInfo, ProviderInfo};

use super::target::ProviderSettings;
use super::{Adapter, HttpRequest, Method, Target};
use crate::client::CallOptions;
use crate::credentials::aws::{AwsAuth, AwsAuthError};
use crate::error::{Error, ErrorKind};
use crate::types::ChatRequest;

/// SigV4 service name of the Bedrock runtime.
const SERVICE: &str = "bedrock";

/// `bedrock/us-west-2/<model>` and `bedrock/converse/<model>` name a region
/// or an API before the model id; returns (region, model id).
pub(crate) fn split_model(model: &str) -> (Option<&str>, &str) {
    let model = model
        .strip_prefix("converse/")
        .or_else(|| model.strip_prefix("invoke/"))
        .unwrap_or(model);
    match model.split_once('/') {
        Some((first, rest)) if is_region(first) => (Some(first), rest),
        _ => (None, model),
    }
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-3`...
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// The default endpoint of a region.
pub(crate) fn default_base(region: &str) -> String {
    format!("https://bedrock-runtime.{region}.amazonaws.com")
}

pub(crate) fn chat_request(target: &Target, request: &ChatRequest) -> Result<HttpRequest, Error> {
    let body = request::converse_body(target, request)?;
    let body = serde_json::to_vec(&body).map_err(|e| {
        target.error(
            ErrorKind::BadRequest,
            format!("request could not be serialised: {e}"),
        )
    })?;
    let action = if request.is_stream() {
        "converse-stream"
    } else {
        "converse"
    };
    signed(
        target,
        &format!("/model/{}/{action}", encode_model(&target.model)),
        Bytes::from(body),
    )
}

/// Bedrock: the region may sit in the model name, the key is AWS's
/// credential chain, the base URL the region's runtime endpoint.
///
/// `credentials` were read by `credentials::aws` (environment and AWS's files)
/// before this is called: the provider folder does no I/O.
pub(crate) fn target(
    provider: &'static ProviderInfo,
    upstream_model: &str,
    info: Option<&'static ModelInfo>,
    model: &str,
    options: &CallOptions,
    credentials: Result<AwsAuth, AwsAuthError>,
) -> Result<Target, Error> {
    let (_, model_id) = split_model(upstream_model);
    let fail = |kind, message: &str| {
        Err(Error::new(kind, message)
            .with_provider(provider.name)
            .with_model(model))
    };
    let auth = match credentials {
        Ok(auth) => auth,
        Err(AwsAuthError::NoCredentials) => {
            return fail(
                ErrorKind::Authentication,
                "no AWS credentials: pass aws_access_key_id and aws_secret_access_key, set AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY, or configure ~/.aws/credentials",
            )
        }
        Err(AwsAuthError::NoRegion) => {
            return fail(
                ErrorKind::BadRequest,
                "no AWS region: pass aws_region_name, name it in the model (bedrock/us-east-1/...), or set AWS_REGION",
            )
        }
    };
    let api_base = options
        .api_base
        .clone()
        .or_else(|| {
            std::env::var("AWS_BEDROCK_RUNTIME_ENDPOINT")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .unwrap_or_else(|| default_base(&auth.region));
    Ok(Target {
        adapter: Adapter::Bedrock,
        provider,
        model: model_id.to_string(),
        requested_model: model.to_string(),
        info,
        api_base: api_base.trim_end_matches('/').to_string(),
        // Not sent (SigV4 signs instead); kept so errors redact the secret.
        api_key: Some(auth.secret_access_key.clone()),
        api_version: None,
        extra_headers: options.headers.clone(),
        drop_params: options.drop_params.unwrap_or(false),
        settings: ProviderSettings::Aws(auth),
    })
}

/// A model id as one path segment (`:` and `/` escaped, as the AWS SDKs do).
fn encode_model(model: &str) -> String {
    model
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `POST {base}{path}` with JSON body, signed for `target`'s credentials now.
pub(crate) fn signed(target: &Target, path: &str, body: Bytes) -> Result<HttpRequest, Error> {
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
    for (name, value) in
        sign_headers(auth, &url, &headers, &body, SystemTime::now()).map_err(|e| {
            target.error(
                ErrorKind::BadRequest,
                format!("cannot sign the Bedrock request: {e}"),
            )
        })?
    {
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
        auth.secret_access_key.clone(),
        auth.session_token.clone(),
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
    fn regions_and_routes_are_split_from_the_model_id() {
        assert_eq!(
            split_model("us-west-2/anthropic.claude-3"),
            (Some("us-west-2"), "anthropic.claude-3")
        );
        assert_eq!(
            split_model("us-gov-east-1/anthropic.claude-3"),
            (Some("us-gov-east-1"), "anthropic.claude-3")
        );
        assert_eq!(
            split_model("converse/us.anthropic.claude-3"),
            (None, "us.anthropic.claude-3")
        );
        assert_eq!(
            split_model("anthropic.claude-3-5-sonnet-20240620-v1:0"),
            (None, "anthropic.claude-3-5-sonnet-20240620-v1:0")
        );
        assert_eq!(
            encode_model("anthropic.claude-v2:1"),
            "anthropic.claude-v2%3A1"
        );
    }

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
