//! Google's Gemini API, as AI Studio and Vertex AI serve it: routing, the validation
//! Google does before it answers (key or bearer token, the request's fields), Google's
//! error bodies, and an OAuth2 token endpoint for Vertex service accounts. The scripted
//! reply is played by [`crate::render::play`].

mod embed;
mod errors;
mod generate;
mod oauth;
mod test_key;
mod wire;

use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::watch;

use errors::error_response;
pub use oauth::DEFAULT_ACCESS_TOKEN;

pub(crate) use errors::{body_too_large, error_json};

use crate::api_error::ApiError;
use crate::render::{json_response, play, Renderer};
use crate::reply::Reply;
use crate::server::{FakeUpstream, FakeUpstreamBuilder, GeminiWire, Shared};

/// A fake Gemini API on a loopback port, scripted per request with [`Reply`]s, speaking
/// both of Google's URL shapes:
///
/// - AI Studio: `POST /v1beta/models/{model}:generateContent`,
///   `:streamGenerateContent?alt=sse`, `:embedContent`, `:batchEmbedContents`, with the
///   key in `x-goog-api-key` (or `?key=`);
/// - Vertex AI: `POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`,
///   `:streamGenerateContent?alt=sse` and `:predict` (text embeddings), with
///   `Authorization: Bearer TOKEN`;
/// - Vertex AI's Anthropic models: `.../publishers/anthropic/models/{model}:rawPredict` and
///   `:streamRawPredict`, answered as [`FakeAnthropic`](crate::FakeAnthropic) answers (the
///   body must name no `model` and carry `anthropic_version: "vertex-2023-10-16"`);
/// - `POST /token`: a service account's OAuth2 token endpoint (see
///   [`service_account_json`](FakeUpstream::service_account_json)).
///
/// Answers are Gemini's exact JSON: thoughts, text and `functionCall` parts, the finish
/// reason (`STOP`, `MAX_TOKENS`, `SAFETY`... an OpenAI-worded one is translated), and
/// `usageMetadata` with cached and thoughts tokens. Streams are `data:` events ending in
/// CRLF, with no end marker. [`Reply::content_filter`] is a prompt blocked by
/// `promptFeedback` (status 200, no candidate), as Gemini reports it; other errors come
/// in Google's envelope (`{"error": {"code", "message", "status"}}`), OpenAI's canned
/// wordings replaced by Google's. With [`require_api_key`](FakeUpstreamBuilder::require_api_key)
/// the key is checked on AI Studio routes, the bearer token on Vertex routes, and the
/// token endpoint issues that key as the access token.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use llmrelay_testkit::{FakeGemini, Reply, Usage};
///
/// let upstream = FakeGemini::start().await?;
/// upstream.push(Reply::content("Paris.").with_reasoning("France's capital...")
///     .with_usage(Usage::new(1200, 60).with_cached_tokens(1000).with_reasoning_tokens(20)));
/// upstream.push(Reply::content("").with_finish_reason("SAFETY"));
/// let key_file = upstream.service_account_json("my-project");
/// // ... point a client at upstream.base_url() ...
/// # let _ = key_file;
/// # Ok(()) }
/// ```
pub type FakeGemini = FakeUpstream<GeminiWire>;

/// Options for a [`FakeGemini`] before it starts.
pub type FakeGeminiBuilder = FakeUpstreamBuilder<GeminiWire>;

impl FakeUpstream<GeminiWire> {
    /// The OAuth2 token endpoint, such as `http://127.0.0.1:41234/token`.
    pub fn token_url(&self) -> String {
        format!("http://{}/token", self.addr())
    }

    /// A service-account key file's JSON for `project`, whose `token_uri` is this
    /// server's token endpoint; its private key is a throwaway test key.
    pub fn service_account_json(&self, project: &str) -> String {
        json!({
            "type": "service_account",
            "project_id": project,
            "private_key_id": "0123456789abcdef0123456789abcdef01234567",
            "private_key": test_key::TEST_PRIVATE_KEY_PEM,
            "client_email": format!("llmrelay-test@{project}.iam.gserviceaccount.com"),
            "client_id": "100000000000000000000",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_url(),
        })
        .to_string()
    }
}

/// Top-level fields of a `generateContent` request; Google rejects any other.
const KNOWN_FIELDS: &[&str] = &[
    "contents",
    "systemInstruction",
    "system_instruction",
    "tools",
    "toolConfig",
    "tool_config",
    "generationConfig",
    "generation_config",
    "safetySettings",
    "safety_settings",
    "cachedContent",
    "cached_content",
    "labels",
    "model",
];

/// Which API surface a request came through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    Studio,
    Vertex,
}

/// Answers one request as Google would, following the next scripted reply.
pub(crate) async fn respond(
    state: &Shared,
    parts: &Parts,
    body: Option<&Value>,
    raw: &[u8],
) -> Response {
    let path = parts.uri.path();
    if parts.method == "POST" && path == "/token" {
        return oauth::token(state, raw);
    }
    let Some((surface, publisher, model, method)) = route(path) else {
        return error_response(
            &ApiError::new(404, format!("Method not found: {path}")),
            "",
            Surface::Studio,
        );
    };
    if parts.method != "POST" {
        return error_response(&ApiError::new(405, "Method not allowed"), model, surface);
    }
    if let Err(error) = check_credentials(state, parts, surface) {
        return error_response(&error, model, surface);
    }
    if publisher == "anthropic" {
        return match method {
            "rawPredict" => crate::anthropic::respond_on_vertex(state, body, model, false).await,
            "streamRawPredict" => {
                crate::anthropic::respond_on_vertex(state, body, model, true).await
            }
            _ => error_response(
                &ApiError::new(404, format!("Method not found: {method}")),
                model,
                surface,
            ),
        };
    }
    let Some(body) = body.filter(|b| b.is_object()) else {
        let error = ApiError::new(400, "Invalid JSON payload received.");
        return error_response(&error, model, surface);
    };
    let kind = match (surface, method) {
        (_, "generateContent") => Call::Generate { sse: false },
        (_, "streamGenerateContent") => Call::Generate {
            sse: parts
                .uri
                .query()
                .is_some_and(|q| q.split('&').any(|p| p == "alt=sse")),
        },
        (Surface::Studio, "embedContent") => Call::EmbedContent,
        (Surface::Studio, "batchEmbedContents") => Call::BatchEmbedContents,
        (Surface::Vertex, "predict") => Call::Predict,
        _ => {
            let error = ApiError::new(404, format!("Method not found: {method}"));
            return error_response(&error, model, surface);
        }
    };
    if let Call::Generate { .. } = kind {
        if let Err(error) = validate_generate(body) {
            return error_response(&error, model, surface);
        }
    }
    let call = GeminiCall {
        body,
        model,
        surface,
        kind,
    };
    let stream = matches!(call.kind, Call::Generate { .. }) && method == "streamGenerateContent";
    play(state, stream, &call).await
}

/// `(surface, publisher, model, method)` of a model URL.
fn route(path: &str) -> Option<(Surface, &str, &str, &str)> {
    let studio = ["/v1beta/models/", "/v1/models/", "/v1alpha/models/"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix));
    if let Some(rest) = studio {
        let (model, method) = rest.rsplit_once(':')?;
        return Some((Surface::Studio, "google", model, method));
    }
    let rest = path
        .strip_prefix("/v1/projects/")
        .or_else(|| path.strip_prefix("/v1beta1/projects/"))?;
    // {project}/locations/{location}/publishers/{google|anthropic}/models/{model}:{method}
    let mut segments = rest.splitn(6, '/');
    let (_project, locations, _location, publishers, publisher, tail) = (
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
    );
    if locations != "locations"
        || publishers != "publishers"
        || !matches!(publisher, "google" | "anthropic")
    {
        return None;
    }
    let (model, method) = tail.strip_prefix("models/")?.rsplit_once(':')?;
    Some((Surface::Vertex, publisher, model, method))
}

/// AI Studio wants its key (header or `?key=`), Vertex a bearer token.
fn check_credentials(state: &Shared, parts: &Parts, surface: Surface) -> Result<(), ApiError> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    match surface {
        Surface::Studio => {
            let query_key = parts
                .uri
                .query()
                .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("key=")));
            let sent = header("x-goog-api-key").or(query_key);
            match (sent, &state.api_key) {
                (None, _) => Err(ApiError::new(
                    403,
                    "Method doesn't allow unregistered callers (callers without established \
                     identity). Please use API Key or other form of API consumer identity to call \
                     this API.",
                )),
                (Some(sent), Some(key)) if sent != key => Err(ApiError::invalid_api_key()),
                _ => Ok(()),
            }
        }
        Surface::Vertex => {
            let token = header("authorization").and_then(|v| v.strip_prefix("Bearer "));
            match (token, &state.api_key) {
                (None, _) => Err(ApiError::new(
                    401,
                    "Request is missing required authentication credential. Expected OAuth 2 \
                     access token, login cookie or other valid authentication credential.",
                )),
                (Some(sent), Some(key)) if sent != key => Err(ApiError::invalid_api_key()),
                _ => Ok(()),
            }
        }
    }
}

/// What Google checks in a `generateContent` body before generating.
fn validate_generate(body: &Value) -> Result<(), ApiError> {
    let invalid = |message: String| ApiError::new(400, message);
    for field in body.as_object().into_iter().flatten().map(|(k, _)| k) {
        if !KNOWN_FIELDS.contains(&field.as_str()) {
            return Err(invalid(format!(
                "Invalid JSON payload received. Unknown name \"{field}\": Cannot find field."
            )));
        }
    }
    let contents = body["contents"]
        .as_array()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            invalid(String::from(
                "* GenerateContentRequest.contents: contents is not specified",
            ))
        })?;
    for (i, content) in contents.iter().enumerate() {
        if !matches!(content["role"].as_str(), Some("user" | "model") | None) {
            return Err(invalid(format!(
                "* GenerateContentRequest.contents[{i}].role: Please use a valid role: user, model."
            )));
        }
        if content["parts"].as_array().is_none_or(Vec::is_empty) {
            return Err(invalid(format!(
                "* GenerateContentRequest.contents[{i}].parts: contents.parts must not be empty."
            )));
        }
    }
    Ok(())
}

/// The kinds of call a model URL takes.
#[derive(Clone, Copy)]
enum Call {
    Generate { sse: bool },
    EmbedContent,
    BatchEmbedContents,
    Predict,
}

/// One request that passed validation, and how to render its reply.
struct GeminiCall<'a> {
    body: &'a Value,
    model: &'a str,
    surface: Surface,
    kind: Call,
}

impl Renderer for GeminiCall<'_> {
    fn error(&self, error: &ApiError) -> Response {
        if generate::is_prompt_block(error) && matches!(self.kind, Call::Generate { .. }) {
            let reply = Reply::default();
            let answer = generate::Answer::new(&reply, self.body, self.model);
            return generate::blocked(&answer, matches!(self.kind, Call::Generate { sse: true }));
        }
        error_response(error, self.model, self.surface)
    }

    fn malformed(&self, stream: bool) -> Response {
        generate::malformed(stream)
    }

    fn body(&self, reply: &Reply) -> Response {
        let rendered = match self.kind {
            Call::Generate { .. } => Ok(generate::body(&generate::Answer::new(
                reply, self.body, self.model,
            ))),
            Call::EmbedContent => embed::embed_content(self.model, self.body),
            Call::BatchEmbedContents => embed::batch_embed_contents(self.model, self.body),
            Call::Predict => embed::predict(reply, self.model, self.body),
        };
        match rendered {
            Ok(body) => json_response(StatusCode::OK, body),
            Err(error) => error_response(&error, self.model, self.surface),
        }
    }

    fn stream(&self, reply: &Reply, signal: watch::Receiver<bool>) -> Response {
        let sse = matches!(self.kind, Call::Generate { sse: true });
        let answer = generate::Answer::new(reply, self.body, self.model);
        generate::stream(&answer, reply, sse, signal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_both_url_shapes() {
        assert!(matches!(
            route("/v1beta/models/gemini-2.5-pro:generateContent"),
            Some((
                Surface::Studio,
                "google",
                "gemini-2.5-pro",
                "generateContent"
            ))
        ));
        assert!(matches!(
            route("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent"),
            Some((Surface::Vertex, "google", "gemini-2.5-pro", "streamGenerateContent"))
        ));
        assert!(matches!(
            route("/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"),
            Some((Surface::Vertex, "anthropic", "claude-sonnet-4-5@20250929", "rawPredict"))
        ));
        assert!(route("/v1/projects/p/locations/l/publishers/meta/models/x:predict").is_none());
        assert!(route("/v1/chat/completions").is_none());
    }
}
