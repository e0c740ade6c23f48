//! Where a call goes. The one place that reads the call's options, the
//! environment, AWS's files and the catalog, and builds the [`Target`] a
//! provider's translation sees (one constructor, at the end of [`resolve`]).
//! Google OAuth tokens, which need network I/O, are fetched by the client
//! after this and placed in the target's [`Auth::OAuthToken`].

mod adapter;
mod target;

pub(crate) use adapter::Adapter;
pub(crate) use target::{Auth, KeyPlacement, Target, VertexSettings};

use adapter::{bedrock_model, vertex_model, Selection};

use crate::credentials::aws::{self, AwsAuthError};
use crate::error::{Error, ErrorKind};
use crate::options::{CallOptions, Secret};

/// Azure's API version when neither the call nor `AZURE_API_VERSION` gives one.
const AZURE_DEFAULT_API_VERSION: &str = "2024-10-21";

/// Vertex's default region, as LiteLLM's.
const VERTEX_DEFAULT_LOCATION: &str = "us-central1";

/// A non-empty environment variable.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Resolves `model` and `options` into a [`Target`]. `drop_params` is the
/// client's default, which the options may override.
pub(crate) fn resolve(
    model: &str,
    options: &CallOptions,
    drop_params: bool,
) -> Result<Target, Error> {
    let resolved = crate::get_llm_provider(model)?;
    let provider = llmrelay_catalog::provider(resolved.provider).ok_or_else(|| {
        Error::new(
            ErrorKind::BadRequest,
            format!("provider `{}` is not in the catalog", resolved.provider),
        )
        .with_model(model)
    })?;
    let fail = |kind: ErrorKind, message: String| {
        Error::new(kind, message)
            .with_provider(provider.name)
            .with_model(model)
    };
    let adapter = match Adapter::select(provider, resolved.model) {
        Selection::Adapter(adapter) => adapter,
        Selection::VertexModelGarden => {
            return Err(fail(
                ErrorKind::BadRequest,
                format!(
                    "`{model}` is served by Vertex AI's Model Garden, which is not callable yet; \
                     Gemini and Anthropic models on Vertex are"
                ),
            ))
        }
        Selection::NotCallable => {
            return Err(fail(
                ErrorKind::BadRequest,
                format!(
                    "provider `{}` is not callable yet; use an OpenAI-compatible provider, \
                     or `openai/<model>` with `api_base` for any OpenAI-format server",
                    provider.name
                ),
            ))
        }
    };
    let explicit_key = options.api_key.clone();
    let mut upstream = resolved.model.to_string();
    let mut vertex = None;
    let mut api_version = None;
    let (api_base, auth) = match adapter {
        Adapter::Bedrock => {
            let (region_hint, model_id) = bedrock_model(resolved.model);
            upstream = model_id.to_string();
            let credentials = match aws::resolve(&options.aws, region_hint) {
                Ok(credentials) => credentials,
                Err(AwsAuthError::NoCredentials) => return Err(fail(
                    ErrorKind::Authentication,
                    "no AWS credentials: pass aws_access_key_id and aws_secret_access_key, set \
                     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure ~/.aws/credentials"
                        .into(),
                )),
                Err(AwsAuthError::NoRegion) => {
                    return Err(fail(
                        ErrorKind::BadRequest,
                        "no AWS region: pass aws_region_name, name it in the model \
                     (bedrock/us-east-1/...), or set AWS_REGION"
                            .into(),
                    ))
                }
            };
            let base = options
                .api_base
                .clone()
                .or_else(|| env("AWS_BEDROCK_RUNTIME_ENDPOINT"))
                .unwrap_or_else(|| {
                    format!(
                        "https://bedrock-runtime.{}.amazonaws.com",
                        credentials.region
                    )
                });
            (base, Auth::SigV4(credentials))
        }
        Adapter::VertexGemini | Adapter::VertexAnthropic => {
            upstream = vertex_model(resolved.model).to_string();
            let location = options
                .vertex
                .location
                .clone()
                .or_else(|| env("VERTEXAI_LOCATION"))
                .or_else(|| env("VERTEX_LOCATION"))
                .unwrap_or_else(|| VERTEX_DEFAULT_LOCATION.to_string());
            // The location becomes part of a host name.
            if location.is_empty()
                || !location
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(fail(
                    ErrorKind::BadRequest,
                    format!("vertex_location `{location}` is not a Google Cloud region"),
                ));
            }
            let base = match &options.api_base {
                Some(base) => base.clone(),
                None if location == "global" => String::from("https://aiplatform.googleapis.com"),
                None => format!("https://{location}-aiplatform.googleapis.com"),
            };
            vertex = Some(VertexSettings {
                project: options
                    .vertex
                    .project
                    .clone()
                    .or_else(|| env("VERTEXAI_PROJECT")),
                location,
            });
            // An explicit api_key is a ready bearer token: no OAuth.
            let auth = Auth::OAuthToken {
                credentials: options
                    .vertex
                    .credentials
                    .clone()
                    .or_else(|| env("VERTEXAI_CREDENTIALS").map(Secret::from)),
                token: explicit_key,
            };
            (base, auth)
        }
        _ => {
            let base = options
                .api_base
                .clone()
                .or_else(|| provider.api_base_env.and_then(env))
                .or_else(|| provider.base_url.map(str::to_string))
                .ok_or_else(|| {
                    fail(
                        ErrorKind::BadRequest,
                        format!(
                            "no API base for provider `{}`: pass api_base{}",
                            provider.name,
                            provider
                                .api_base_env
                                .map(|v| format!(" or set {v}"))
                                .unwrap_or_default()
                        ),
                    )
                })?;
            let key = explicit_key
                .or_else(|| provider.api_key_env.and_then(env).map(Secret::from))
                // LiteLLM's second name for the Gemini key.
                .or_else(|| {
                    (adapter == Adapter::Gemini)
                        .then(|| env("GOOGLE_API_KEY"))
                        .flatten()
                        .map(Secret::from)
                });
            if key.is_none() && provider.api_key_env.is_some() && !is_loopback(&base) {
                return Err(fail(
                    ErrorKind::Authentication,
                    format!(
                        "no API key for provider `{}`: pass api_key or set {}",
                        provider.name,
                        provider.api_key_env.unwrap_or("its key variable")
                    ),
                ));
            }
            if adapter == Adapter::Azure {
                api_version = Some(
                    options
                        .api_version
                        .clone()
                        .or_else(|| env("AZURE_API_VERSION"))
                        .unwrap_or_else(|| AZURE_DEFAULT_API_VERSION.to_string()),
                );
            }
            let auth = match (key, adapter.key_placement()) {
                (None, _) => Auth::None,
                (Some(key), KeyPlacement::Bearer) => Auth::Bearer(key),
                (Some(key), KeyPlacement::Header(name)) => Auth::Header { name, value: key },
            };
            (base, auth)
        }
    };
    let api_base = api_base.trim_end_matches('/').to_string();
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(fail(
            ErrorKind::BadRequest,
            "api_base must be an http:// or https:// URL".into(),
        ));
    }
    Ok(Target {
        adapter,
        provider,
        model: upstream,
        requested_model: model.to_string(),
        info: resolved.info,
        api_base,
        auth,
        api_version,
        extra_headers: options.headers.0.clone(),
        drop_params: options.drop_params.unwrap_or(drop_params),
        vertex,
    })
}

/// Local servers (Ollama, vLLM, LM Studio, the test kit) need no key.
fn is_loopback(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    host == "localhost" || host.starts_with("127.") || url.contains("://[::1]")
}
