//! Model name -> provider and catalog entry, with LiteLLM's `get_llm_provider`
//! semantics: an exact manifest key wins; otherwise `provider/model` names a
//! provider, and the rest is looked up under that provider; an unknown model of
//! a known provider still resolves (the call can go through) without pricing.

use crate::model::ModelInfo;
use crate::{get, provider, suggest};

/// Longest model name accepted, in bytes. Real names are under 100 bytes;
/// the limit keeps a hostile 10,000-character name from reaching the
/// suggestion scan or an upstream URL.
pub const MAX_MODEL_NAME: usize = 512;

/// How many "did you mean" names an error carries.
const SUGGESTIONS: usize = 3;

/// Names LiteLLM's `get_model_info` reads as another entry before anything
/// else (its `azure_llms` and `azure_embedding_models`): Azure's own spellings
/// of OpenAI models, and Azure deployments named after a newer model.
const AZURE_SPELLINGS: &[(&str, &str)] = &[
    ("ada", "azure/ada"),
    ("azure/gpt-41", "gpt-4.1"),
    ("azure/gpt-41-mini", "gpt-4.1-mini"),
    ("azure/gpt-41-nano", "gpt-4.1-nano"),
    ("gpt-35-turbo", "azure/gpt-35-turbo"),
    ("gpt-35-turbo-instruct", "azure/gpt-35-turbo-instruct"),
];

/// The catch-all model name LiteLLM routes to OpenAI (a proxy's `*` route).
const CATCH_ALL: &str = "*";

/// The provider slug of a LiteLLM proxy.
const PROXY: &str = "litellm_proxy";

/// Provider route segments LiteLLM accepts between the provider and the model
/// (`bedrock/converse/<model>`); they choose an API, not a model.
const ROUTE_SEGMENTS: &[(&str, &[&str])] = &[("bedrock", &["converse/", "invoke/"])];

/// The outcome of resolving a model name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'a> {
    /// The provider slug that serves the call.
    pub provider: &'static str,
    /// The model name to send to the provider (no `provider/` prefix; an
    /// alias already replaced by its target).
    pub model: &'a str,
    /// The catalog entry, or `None` when the provider is known but the model
    /// is not (the call may go through; no pricing is known).
    pub info: Option<&'static ModelInfo>,
}

/// Why a model name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// Empty or whitespace only.
    #[error("model name is empty")]
    Empty,
    /// Longer than [`MAX_MODEL_NAME`].
    #[error("model name is {len} bytes long; the limit is {MAX_MODEL_NAME}")]
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// Holds a control character (newline, NUL...).
    #[error("model name `{shown}` contains control characters")]
    ControlCharacters {
        /// The name, escaped for display.
        shown: String,
    },
    /// No provider prefix and no manifest entry.
    #[error("unknown model `{model}`{}", did_you_mean(suggestions))]
    UnknownModel {
        /// The name asked for (shortened for display).
        model: String,
        /// Up to three close names from the catalog.
        suggestions: Vec<&'static str>,
    },
    /// The part before the first `/` is no provider the catalog knows.
    #[error(
        "unknown provider `{provider}` in model `{model}`{}",
        did_you_mean(suggestions)
    )]
    UnknownProvider {
        /// The unrecognised prefix.
        provider: String,
        /// The name asked for (shortened for display).
        model: String,
        /// Close model keys or provider-prefixed names.
        suggestions: Vec<String>,
    },
    /// `provider/` with nothing after it.
    #[error("model name `{model}` names provider `{provider}` but no model")]
    MissingModel {
        /// The provider named.
        provider: &'static str,
        /// The name asked for.
        model: String,
    },
}

impl ResolveError {
    /// The "did you mean" names this error offers, best first.
    pub fn suggestions(&self) -> Vec<String> {
        match self {
            ResolveError::UnknownModel { suggestions, .. } => {
                suggestions.iter().map(|s| s.to_string()).collect()
            }
            ResolveError::UnknownProvider { suggestions, .. } => suggestions.clone(),
            _ => Vec::new(),
        }
    }
}

fn did_you_mean<S: AsRef<str>>(suggestions: &[S]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean `{}`?", one.as_ref()),
        many => {
            let names: Vec<String> = many.iter().map(|s| format!("`{}`", s.as_ref())).collect();
            format!("; did you mean one of {}?", names.join(", "))
        }
    }
}

/// Resolves `model` to its provider and catalog entry. Allocation-free on success.
pub fn resolve(model: &str) -> Result<Resolved<'_>, ResolveError> {
    let name = model.trim();
    if name.is_empty() {
        return Err(ResolveError::Empty);
    }
    if name.len() > MAX_MODEL_NAME {
        return Err(ResolveError::TooLong { len: name.len() });
    }
    if name.chars().any(char::is_control) {
        return Err(ResolveError::ControlCharacters {
            shown: shorten(&name.escape_default().to_string()),
        });
    }
    if let Some(info) = get(name) {
        return Ok(resolved_entry(info));
    }
    if let Some(resolved) = azure_spelling(name).or_else(|| fine_tuned(name)) {
        return Ok(resolved);
    }
    let Some((prefix, rest)) = name.split_once('/') else {
        if name == CATCH_ALL {
            return Ok(Resolved {
                provider: "openai",
                model: name,
                info: None,
            });
        }
        return Err(ResolveError::UnknownModel {
            model: shorten(name),
            suggestions: suggest(name, SUGGESTIONS),
        });
    };
    let Some(provider) = provider(prefix) else {
        return Err(unknown_provider(name, prefix, rest));
    };
    if rest.is_empty() {
        return Err(ResolveError::MissingModel {
            provider: provider.name,
            model: shorten(name),
        });
    }
    if let Some(info) = lookup_under(provider.name, rest) {
        return Ok(resolved_entry(info));
    }
    // A LiteLLM proxy serves other providers' models under their own names:
    // LiteLLM describes and prices `litellm_proxy/gpt-4o` as `gpt-4o`.
    let info = match provider.name {
        PROXY if !rest.starts_with(PROXY) => resolve(rest).ok().and_then(|r| r.info),
        _ => None,
    };
    Ok(Resolved {
        provider: provider.name,
        model: rest,
        info,
    })
}

/// An Azure spelling (`gpt-35-turbo`, `ada`, `azure/gpt-41`): served by Azure
/// under the name given, described and priced by the entry LiteLLM maps it to.
fn azure_spelling(name: &str) -> Option<Resolved<'_>> {
    let target = AZURE_SPELLINGS
        .binary_search_by(|(spelling, _)| (*spelling).cmp(name))
        .ok()
        .map(|i| AZURE_SPELLINGS[i].1)?;
    let info = get(target).map(follow_alias)?;
    Some(Resolved {
        provider: "azure",
        model: name.strip_prefix("azure/").unwrap_or(name),
        info: Some(info),
    })
}

/// An OpenAI fine-tuned model (`ft:gpt-4o-mini-2024-07-18:org:suffix:id`,
/// optionally `openai/`-prefixed): described and priced as its base model's
/// fine-tuning entry (`ft:gpt-4o-mini-2024-07-18`), as LiteLLM strips the
/// name to find it; the full name is what the provider is sent.
fn fine_tuned(name: &str) -> Option<Resolved<'_>> {
    let model = name.strip_prefix("openai/").unwrap_or(name);
    let base = model.strip_prefix("ft:")?.split(':').next()?;
    let key_len = "ft:".len() + base.len();
    if base.is_empty() || key_len == model.len() {
        return None;
    }
    let info = get(&model[..key_len]).map(follow_alias)?;
    Some(Resolved {
        provider: info.provider,
        model,
        info: Some(info),
    })
}

/// `rest` looked up as a key of `provider` (or of one of its families, such
/// as `vertex_ai-anthropic_models` under `vertex_ai`), route segments removed.
fn lookup_under(provider: &str, rest: &str) -> Option<&'static ModelInfo> {
    let routes = ROUTE_SEGMENTS
        .iter()
        .find(|(p, _)| *p == provider)
        .map_or(&[][..], |(_, r)| *r);
    let stripped = routes.iter().find_map(|r| rest.strip_prefix(r));
    [Some(rest), stripped]
        .into_iter()
        .flatten()
        .filter_map(get)
        .find(|info| belongs_to(follow_alias(info).provider, provider))
}

fn belongs_to(entry_provider: &str, provider: &str) -> bool {
    entry_provider == provider
        || entry_provider
            .strip_prefix(provider)
            .is_some_and(|tail| tail.starts_with('-') || tail.starts_with('_'))
        || entry_provider.strip_prefix("text-completion-") == Some(provider)
}

fn follow_alias(info: &'static ModelInfo) -> &'static ModelInfo {
    info.alias_of.and_then(get).unwrap_or(info)
}

fn resolved_entry(entry: &'static ModelInfo) -> Resolved<'static> {
    let info = follow_alias(entry);
    let model = info
        .key
        .strip_prefix(info.provider)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(info.key);
    Resolved {
        provider: info.provider,
        model,
        info: Some(info),
    }
}

fn unknown_provider(name: &str, prefix: &str, rest: &str) -> ResolveError {
    let mut suggestions: Vec<String> = suggest(name, SUGGESTIONS)
        .into_iter()
        .map(str::to_string)
        .collect();
    if suggestions.is_empty() {
        let names = crate::providers().iter().map(|p| p.name);
        suggestions = suggest::closest(prefix, names, SUGGESTIONS)
            .into_iter()
            .map(|p| format!("{p}/{}", shorten(rest)))
            .collect();
    }
    ResolveError::UnknownProvider {
        provider: shorten(prefix),
        model: shorten(name),
        suggestions,
    }
}

/// Cuts a name for display in an error message.
fn shorten(s: &str) -> String {
    const SHOWN: usize = 80;
    match s.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}
