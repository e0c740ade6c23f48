//! Azure OpenAI: OpenAI's bodies, sent to
//! `{api_base}/openai/deployments/{deployment}/{path}?api-version=...` with
//! the key in an `api-key` header (the route's `Auth::Header`), or a
//! bearer token passed as an `Authorization` header, which replaces it.

use super::http::path_segment;
use super::openai::{format, Endpoints};
use super::{Provider, Target};

/// Azure's deployment URLs.
pub(crate) struct Deployments;

impl Endpoints for Deployments {
    // Azure lists deployments in its management API, not here.
    const LISTS_MODELS: bool = false;

    fn url(target: &Target, endpoint: &str) -> String {
        let base = target.api_base.trim_end_matches("/openai");
        format!(
            "{base}/openai/deployments/{}/{endpoint}?api-version={}",
            path_segment(&target.model),
            target.api_version.as_deref().unwrap_or_default()
        )
    }
}

/// Azure OpenAI deployments.
pub(crate) const AZURE: Provider = format::<Deployments>();
