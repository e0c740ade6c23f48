//! Vertex AI: Gemini's bodies (`providers/gemini`) at
//! `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`,
//! text embeddings through `:predict`, and Anthropic's Messages bodies at
//! `publishers/anthropic/models/{model}:rawPredict` (`anthropic`), all with an
//! OAuth2 bearer token.
//!
//! The token is I/O (a service-account JWT exchange, or application default
//! credentials): `credentials::google` fetches it before the request is
//! built and leaves it in `Target::api_key`; nothing here does I/O.

pub(crate) mod anthropic;
pub(crate) mod embedding;

#[cfg(test)]
mod tests;

use std::fmt;

use llmrelay_catalog::{ModelInfo, ProviderInfo};

use super::gemini;
use super::target::ProviderSettings;
use super::{Adapter, HttpRequest, Method, Target};
use crate::client::CallOptions;
use crate::error::{Error, ErrorKind};
use crate::types::{ChatRequest, EmbeddingRequest};

/// Where on Vertex a call goes and how it authenticates.
#[derive(Clone, Default)]
pub(crate) struct VertexSettings {
    /// GCP project; filled from the credentials when the call names none.
    pub project: Option<String>,
    /// Region (`us-central1`) or `global`.
    pub location: String,
    /// A service-account JSON document, or the path of one.
    pub credentials: Option<String>,
}

impl fmt::Debug for VertexSettings {
    // Credentials hold a private key: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VertexSettings")
            .field("project", &self.project)
            .field("location", &self.location)
            .field("credentials", &self.credentials.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Vertex's default region, as LiteLLM's.
const DEFAULT_LOCATION: &str = "us-central1";

/// Which adapter serves `model` of catalog provider `family` (`vertex_ai`,
/// `vertex_ai-language-models`, `vertex_ai-anthropic_models`...); `None`
/// for the families Vertex serves through other APIs (Model Garden's
/// OpenAI-compatible endpoints), not callable yet.
pub(crate) fn adapter_for(family: &str, model: &str) -> Option<Adapter> {
    let name = upstream_model(model).to_ascii_lowercase();
    match family {
        "vertex_ai-anthropic_models" => Some(Adapter::VertexAnthropic),
        "vertex_ai-language-models" | "vertex_ai-embedding-models" => Some(Adapter::VertexGemini),
        "vertex_ai" if name.starts_with("claude") => Some(Adapter::VertexAnthropic),
        "vertex_ai" if name.starts_with("gemma") || name.contains('/') => None,
        "vertex_ai" => Some(Adapter::VertexGemini),
        _ => None,
    }
}

/// The model as Vertex names it (catalog keys carry a `vertex_ai/` prefix).
fn upstream_model(model: &str) -> &str {
    model.strip_prefix("vertex_ai/").unwrap_or(model)
}

/// A Vertex [`Target`]: location, project and credentials from the options,
/// then `VERTEXAI_LOCATION`/`VERTEX_LOCATION`, `VERTEXAI_PROJECT`,
/// `VERTEXAI_CREDENTIALS` (LiteLLM's names). An `api_key` is taken as a
/// ready bearer token, which skips OAuth.
pub(crate) fn target(
    adapter: Adapter,
    provider: &'static ProviderInfo,
    upstream: &str,
    info: Option<&'static ModelInfo>,
    model: &str,
    options: &CallOptions,
) -> Result<Target, Error> {
    let fail = |message: String| {
        Error::new(ErrorKind::BadRequest, message)
            .with_provider(provider.name)
            .with_model(model)
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let location = options
        .vertex_location
        .clone()
        .or_else(|| env("VERTEXAI_LOCATION"))
        .or_else(|| env("VERTEX_LOCATION"))
        .unwrap_or_else(|| DEFAULT_LOCATION.to_string());
    // The location becomes part of a host name.
    if location.is_empty()
        || !location
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(fail(format!(
            "vertex_location `{location}` is not a Google Cloud region"
        )));
    }
    let api_base = match &options.api_base {
        Some(base) => base.trim_end_matches('/').to_string(),
        None if location == "global" => String::from("https://aiplatform.googleapis.com"),
        None => format!("https://{location}-aiplatform.googleapis.com"),
    };
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(fail(String::from(
            "api_base must be an http:// or https:// URL",
        )));
    }
    Ok(Target {
        adapter,
        provider,
        model: upstream_model(upstream).to_string(),
        requested_model: model.to_string(),
        info,
        api_base,
        api_key: options.api_key.clone(),
        api_version: None,
        extra_headers: options.headers.clone(),
        drop_params: options.drop_params.unwrap_or(false),
        settings: ProviderSettings::Vertex(VertexSettings {
            project: options
                .vertex_project
                .clone()
                .or_else(|| env("VERTEXAI_PROJECT")),
            location,
            credentials: options
                .vertex_credentials
                .clone()
                .or_else(|| env("VERTEXAI_CREDENTIALS")),
        }),
    })
}

pub(crate) fn chat_request(target: &Target, request: &ChatRequest) -> Result<HttpRequest, Error> {
    let body = gemini::request::chat_body(target, request)?;
    let method = if request.is_stream() {
        "streamGenerateContent?alt=sse"
    } else {
        "generateContent"
    };
    Ok(http_request(target, url(target, "google", method)?, body))
}

pub(crate) fn embedding_request(
    target: &Target,
    request: &EmbeddingRequest,
) -> Result<HttpRequest, Error> {
    let body = embedding::predict_body(target, request)?;
    Ok(http_request(
        target,
        url(target, "google", "predict")?,
        body,
    ))
}

/// The model's URL for `method`. An `api_base` that is only an origin (or
/// an origin and `/v1`, `/v1beta1`) gets Vertex's path; any other names the
/// model's resource itself and gets `:{method}` (LiteLLM's rule).
pub(crate) fn url(target: &Target, publisher: &str, method: &str) -> Result<String, Error> {
    let settings = target.vertex();
    let project = settings.and_then(|s| s.project.as_deref()).ok_or_else(|| {
        target.error(
            ErrorKind::BadRequest,
            "no Vertex AI project: pass vertex_project, set VERTEXAI_PROJECT, or use credentials \
             that name one",
        )
    })?;
    let location = settings.map_or(DEFAULT_LOCATION, |s| s.location.as_str());
    let base = target.api_base.as_str();
    let path_start = base
        .find("://")
        .and_then(|scheme| base[scheme + 3..].find('/').map(|p| scheme + 3 + p))
        .unwrap_or(base.len());
    let (origin, path) = base.split_at(path_start);
    let version = match path {
        "" => "v1",
        "/v1" | "/v1beta1" => &path[1..],
        _ => return Ok(format!("{base}:{method}")),
    };
    Ok(format!(
        "{origin}/{version}/projects/{}/locations/{location}/publishers/{publisher}/models/{}:{method}",
        gemini::path_segment(project),
        gemini::path_segment(&target.model),
    ))
}

/// `POST url` with the bearer token and the call's extra headers (an
/// explicit `Authorization` header replaces the token).
pub(crate) fn http_request(target: &Target, url: String, body: bytes::Bytes) -> HttpRequest {
    let mut headers = Vec::with_capacity(2 + target.extra_headers.len());
    headers.push((
        String::from("content-type"),
        String::from("application/json"),
    ));
    let has_authorization = target
        .extra_headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("authorization"));
    if let (Some(token), false) = (&target.api_key, has_authorization) {
        headers.push((String::from("authorization"), format!("Bearer {token}")));
    }
    headers.extend(target.extra_headers.iter().cloned());
    HttpRequest {
        method: Method::Post,
        url,
        headers,
        body,
    }
}
