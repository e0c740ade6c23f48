//! Vertex AI: Gemini's bodies (`providers/gemini`) at
//! `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`,
//! text embeddings through `:predict`, and Anthropic's Messages bodies at
//! `publishers/anthropic/models/{model}:rawPredict` (`anthropic`), all with an
//! OAuth2 bearer token.
//!
//! The token is I/O (a service-account JWT exchange, or application default
//! credentials): the client fetches it through `credentials::google` before
//! the request is built and leaves it in the target's `Auth::OAuthToken`; the
//! route decides project and location. Nothing here does I/O.

pub(crate) mod anthropic;
pub(crate) mod embedding;

#[cfg(test)]
mod tests;

use super::gemini;
use super::http::path_segment;
use super::{start, HttpRequest, Provider, Target};
use crate::error::{Error, ErrorKind};

/// Gemini on Vertex AI.
pub(crate) const VERTEX_GEMINI: Provider = Provider {
    chat_request: |target, request, _| {
        let body = gemini::request::chat_body(target, request)?;
        let url = url(target, "google", gemini::chat_method(request))?;
        Ok(HttpRequest::post(target, url, body))
    },
    parse_chat: gemini::response::parse_chat,
    events: start::<gemini::stream::StreamState>,
    map_error: gemini::error::map_error,
    embedding_request: |target, request, _| {
        let body = embedding::predict_body(target, request)?;
        let url = url(target, "google", "predict")?;
        Ok(HttpRequest::post(target, url, body))
    },
    parse_embedding: embedding::parse_predict,
    ..Provider::CHAT_ONLY
};

/// The model's URL for `method`. An `api_base` that is only an origin (or
/// an origin and `/v1`, `/v1beta1`) gets Vertex's path; any other names the
/// model's resource itself and gets `:{method}` (LiteLLM's rule).
pub(crate) fn url(target: &Target, publisher: &str, method: &str) -> Result<String, Error> {
    let settings = target.vertex.as_ref();
    let project = settings.and_then(|s| s.project.as_deref()).ok_or_else(|| {
        target.error(
            ErrorKind::BadRequest,
            "no Vertex AI project: pass vertex_project, set VERTEXAI_PROJECT, or use credentials \
             that name one",
        )
    })?;
    let location = settings.map_or("us-central1", |s| s.location.as_str());
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
        path_segment(project),
        path_segment(&target.model),
    ))
}
