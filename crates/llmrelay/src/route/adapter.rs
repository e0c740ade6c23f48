//! [`Adapter`]: which translation serves a catalog provider, and how that
//! translation wants its key. This is routing data, kept below the
//! providers so that the route needs none of their code; each variant's
//! behaviour is registered once, in `providers/mod.rs`.

use llmrelay_catalog::{ProviderApi, ProviderInfo};

use super::target::KeyPlacement;

/// Which translation a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Adapter {
    /// OpenAI and every OpenAI-compatible provider.
    OpenAi,
    /// Azure OpenAI: OpenAI's bodies at deployment URLs with `api-version`.
    Azure,
    /// AWS Bedrock Converse, SigV4-signed.
    Bedrock,
    /// Google AI Studio's Gemini API (`generateContent`).
    Gemini,
    /// Gemini on Vertex AI: Gemini's bodies, Vertex URLs, an OAuth2 token.
    VertexGemini,
    /// Anthropic's Messages bodies on Vertex AI (`rawPredict`).
    VertexAnthropic,
    /// Anthropic's Messages API.
    Anthropic,
    /// Cohere's v2 chat and embed.
    Cohere,
}

/// What a catalog provider resolves to.
pub(crate) enum Selection {
    Adapter(Adapter),
    /// A Vertex family served through Model Garden's own endpoints.
    VertexModelGarden,
    /// A provider with an API of its own that has no translation yet.
    NotCallable,
}

impl Adapter {
    /// The adapter that serves `model` of catalog `provider`.
    pub(crate) fn select(provider: &ProviderInfo, model: &str) -> Selection {
        let adapter = match provider.name {
            "azure" => Adapter::Azure,
            "bedrock" | "bedrock_converse" => Adapter::Bedrock,
            "gemini" => Adapter::Gemini,
            "anthropic" => Adapter::Anthropic,
            "cohere" | "cohere_chat" => Adapter::Cohere,
            name if name.starts_with("vertex_ai") => {
                return match vertex_adapter(name, model) {
                    Some(adapter) => Selection::Adapter(adapter),
                    None => Selection::VertexModelGarden,
                }
            }
            "openai" => Adapter::OpenAi,
            _ if provider.api == ProviderApi::OpenAiCompatible => Adapter::OpenAi,
            _ => return Selection::NotCallable,
        };
        Selection::Adapter(adapter)
    }

    /// Where a plain API key goes. Bedrock signs and Vertex uses OAuth
    /// tokens: for them an explicit `api_key` is a ready bearer token.
    pub(crate) fn key_placement(self) -> KeyPlacement {
        match self {
            Adapter::Azure => KeyPlacement::Header("api-key"),
            Adapter::Anthropic => KeyPlacement::Header("x-api-key"),
            Adapter::Gemini => KeyPlacement::Header("x-goog-api-key"),
            Adapter::OpenAi
            | Adapter::Cohere
            | Adapter::Bedrock
            | Adapter::VertexGemini
            | Adapter::VertexAnthropic => KeyPlacement::Bearer,
        }
    }
}

/// Which adapter serves `model` of Vertex family `family` (`vertex_ai`,
/// `vertex_ai-language-models`, `vertex_ai-anthropic_models`...); `None`
/// for the families Vertex serves through Model Garden's endpoints.
fn vertex_adapter(family: &str, model: &str) -> Option<Adapter> {
    let name = vertex_model(model).to_ascii_lowercase();
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
pub(crate) fn vertex_model(model: &str) -> &str {
    model.strip_prefix("vertex_ai/").unwrap_or(model)
}

/// `bedrock/us-west-2/<model>` and `bedrock/converse/<model>` name a region
/// or an API before the model id; returns (region, model id).
pub(crate) fn bedrock_model(model: &str) -> (Option<&str>, &str) {
    let model = model
        .strip_prefix("converse/")
        .or_else(|| model.strip_prefix("invoke/"))
        .unwrap_or(model);
    match model.split_once('/') {
        Some((first, rest)) if is_aws_region(first) => (Some(first), rest),
        _ => (None, model),
    }
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-3`...
fn is_aws_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_routes_are_split_from_a_bedrock_model_id() {
        assert_eq!(
            bedrock_model("us-west-2/anthropic.claude-3"),
            (Some("us-west-2"), "anthropic.claude-3")
        );
        assert_eq!(
            bedrock_model("us-gov-east-1/anthropic.claude-3"),
            (Some("us-gov-east-1"), "anthropic.claude-3")
        );
        assert_eq!(
            bedrock_model("converse/us.anthropic.claude-3"),
            (None, "us.anthropic.claude-3")
        );
        assert_eq!(
            bedrock_model("anthropic.claude-3-5-sonnet-20240620-v1:0"),
            (None, "anthropic.claude-3-5-sonnet-20240620-v1:0")
        );
    }

    #[test]
    fn vertex_families_pick_their_adapter() {
        assert_eq!(
            vertex_adapter("vertex_ai", "claude-3-5-sonnet@20240620"),
            Some(Adapter::VertexAnthropic)
        );
        assert_eq!(
            vertex_adapter("vertex_ai-language-models", "gemini-2.0-flash"),
            Some(Adapter::VertexGemini)
        );
        assert_eq!(vertex_adapter("vertex_ai", "meta/llama-3"), None);
        assert_eq!(
            vertex_adapter("vertex_ai-mistral_models", "mistral-large"),
            None
        );
        assert_eq!(vertex_adapter("vertex_ai", "gemma-3-27b-it"), None);
    }
}
