//! Which encoding a model is counted with: LiteLLM 1.110.2's choice.
//!
//! LiteLLM counts a model with tiktoken's encoding for it when the name is an
//! OpenAI model's (the name itself, or its last `/` segment: `azure/gpt-4o`,
//! `openrouter/openai/o3`), and with `cl100k_base` otherwise. "An OpenAI
//! model's" means one of: tiktoken maps it to `o200k_base`; it is named like a
//! gpt-5-or-later or o-series release (`gpt-6.2`, `o5-mini`), in which case
//! tiktoken's own answer wins when it has one (`gpt-35-turbo` is
//! `cl100k_base`) and `o200k_base` otherwise; or LiteLLM's price list has it
//! as an OpenAI chat model that neither rule recognises (`gpt-audio`,
//! `computer-use-preview`), all of which count with `o200k_base`.

use crate::Encoding;

/// tiktoken 0.14's model table (`tiktoken.model.MODEL_TO_ENCODING`), reduced
/// to what decides LiteLLM's choice. `None` stands for an encoding LiteLLM
/// never selects (`o200k_harmony`, `p50k_edit`), which makes it fall back.
const TIKTOKEN_MODELS: &[(&str, Option<Encoding>)] = &[
    ("o1", Some(Encoding::O200kBase)),
    ("o3", Some(Encoding::O200kBase)),
    ("o4-mini", Some(Encoding::O200kBase)),
    ("gpt-5", Some(Encoding::O200kBase)),
    ("gpt-4.1", Some(Encoding::O200kBase)),
    ("gpt-4o", Some(Encoding::O200kBase)),
    ("gpt-4", Some(Encoding::Cl100kBase)),
    ("gpt-3.5-turbo", Some(Encoding::Cl100kBase)),
    ("gpt-3.5", Some(Encoding::Cl100kBase)),
    ("gpt-35-turbo", Some(Encoding::Cl100kBase)),
    ("davinci-002", Some(Encoding::Cl100kBase)),
    ("babbage-002", Some(Encoding::Cl100kBase)),
    ("text-embedding-ada-002", Some(Encoding::Cl100kBase)),
    ("text-embedding-3-small", Some(Encoding::Cl100kBase)),
    ("text-embedding-3-large", Some(Encoding::Cl100kBase)),
    ("text-davinci-003", Some(Encoding::P50kBase)),
    ("text-davinci-002", Some(Encoding::P50kBase)),
    ("code-davinci-002", Some(Encoding::P50kBase)),
    ("code-davinci-001", Some(Encoding::P50kBase)),
    ("code-cushman-002", Some(Encoding::P50kBase)),
    ("code-cushman-001", Some(Encoding::P50kBase)),
    ("davinci-codex", Some(Encoding::P50kBase)),
    ("cushman-codex", Some(Encoding::P50kBase)),
    ("text-davinci-edit-001", None),
    ("code-davinci-edit-001", None),
    ("text-davinci-001", Some(Encoding::R50kBase)),
    ("text-curie-001", Some(Encoding::R50kBase)),
    ("text-babbage-001", Some(Encoding::R50kBase)),
    ("text-ada-001", Some(Encoding::R50kBase)),
    ("davinci", Some(Encoding::R50kBase)),
    ("curie", Some(Encoding::R50kBase)),
    ("babbage", Some(Encoding::R50kBase)),
    ("ada", Some(Encoding::R50kBase)),
    ("gpt2", Some(Encoding::R50kBase)),
    ("gpt-2", Some(Encoding::R50kBase)),
];

/// tiktoken 0.14's prefix table (`MODEL_PREFIX_TO_ENCODING`), in its order:
/// the first prefix that matches wins (`ft:gpt-4o` before `ft:gpt-4`).
const TIKTOKEN_PREFIXES: &[(&str, Option<Encoding>)] = &[
    ("o1-", Some(Encoding::O200kBase)),
    ("o3-", Some(Encoding::O200kBase)),
    ("o4-mini-", Some(Encoding::O200kBase)),
    ("gpt-5", Some(Encoding::O200kBase)),
    ("gpt-4.5-", Some(Encoding::O200kBase)),
    ("gpt-4.1-", Some(Encoding::O200kBase)),
    ("chatgpt-4o-", Some(Encoding::O200kBase)),
    ("gpt-4o-", Some(Encoding::O200kBase)),
    ("gpt-4-", Some(Encoding::Cl100kBase)),
    ("gpt-3.5-turbo-", Some(Encoding::Cl100kBase)),
    ("gpt-35-turbo-", Some(Encoding::Cl100kBase)),
    ("gpt-oss-", None),
    ("ft:gpt-4o", Some(Encoding::O200kBase)),
    ("ft:gpt-4", Some(Encoding::Cl100kBase)),
    ("ft:gpt-3.5-turbo", Some(Encoding::Cl100kBase)),
    ("ft:davinci-002", Some(Encoding::Cl100kBase)),
    ("ft:babbage-002", Some(Encoding::Cl100kBase)),
];

/// Names LiteLLM 1.110.2's price list has as OpenAI (or Azure OpenAI) chat
/// models and that neither tiktoken nor the release-name pattern recognise;
/// LiteLLM counts them with `o200k_base`. Matched against the model and each
/// of its `/`-suffixes, so `azure/eu/codex-mini` is found; sorted.
const LISTED_OPENAI_CHAT: &[&str] = &[
    "chat-latest",
    "codex-mini",
    "computer-use-preview",
    "computer-use-preview-2025-03-11",
    "daybreak-blue-latest",
    "daybreak-red-latest",
    "gpt-astra-latest",
    "gpt-audio",
    "gpt-audio-1.5",
    "gpt-audio-1.5-2026-02-23",
    "gpt-audio-2025-08-28",
    "gpt-audio-mini",
    "gpt-audio-mini-2025-10-06",
    "gpt-audio-mini-2025-12-15",
    "gpt-chat-latest",
    "gpt-daybreak-blue-latest",
    "gpt-daybreak-red-latest",
    "gpt-luna-latest",
    "gpt-mini-latest",
    "gpt-rosalind-discovery",
    "gpt-rosalind-research",
    "gpt-sol-latest",
    "gpt-terra-latest",
    "openai/container",
];

/// The encoding LiteLLM 1.110.2's `token_counter` counts `model` with.
///
/// `provider` is the provider slug the model resolved to (`openai`, `azure`,
/// `groq`...) and `model` the name as the caller wrote it, with or without
/// that provider's prefix: the choice is LiteLLM's for `provider/model`, which
/// is the same as for the bare name except where LiteLLM lists only the
/// prefixed form (`openai/container`). An empty `provider` uses `model` as is.
///
/// Models LiteLLM counts with a Hugging Face tokenizer (Cohere Command R,
/// Llama 2 and 3 downloaded at run time; the Claude and DeepSeek tokenizers it
/// bundles) get `cl100k_base`, LiteLLM's own fallback when that tokenizer is
/// unavailable or `litellm.disable_hf_tokenizer_download` is set.
///
/// Fine-tuned models (`ft:<base>:<org>::<id>`) count like their base when it
/// is a `gpt-` model LiteLLM would count with `o200k_base`; LiteLLM itself
/// only does so when its Azure price list also carries that base, so for a
/// few bases Azure lacks (`gpt-5-search-api`, `gpt-6-cyber`) it says
/// `cl100k_base` where we say `o200k_base`, the encoding OpenAI's fine-tunes
/// of those bases use.
pub fn encoding_for(provider: &str, model: &str) -> Encoding {
    // LiteLLM sees `provider/model`; only its listing can tell the two apart.
    let needs_prefix = !provider.is_empty()
        && model
            .strip_prefix(provider)
            .is_none_or(|rest| !rest.starts_with('/'));
    if (needs_prefix && is_listed(&format!("{provider}/{model}"))) || is_listed(model) {
        return Encoding::O200kBase;
    }
    let name = model.rsplit('/').next().unwrap_or(model);
    if let Some(enc) = openai_name_encoding(name) {
        return enc;
    }
    if let Some(base) = name.strip_prefix("ft:") {
        let base = base.split(':').next().unwrap_or(base);
        if (base.starts_with("gpt-") || is_listed(base))
            && openai_name_encoding(base) == Some(Encoding::O200kBase)
        {
            return Encoding::O200kBase;
        }
    }
    Encoding::DEFAULT
}

/// Whether `model` or one of its `/`-suffixes is in [`LISTED_OPENAI_CHAT`].
fn is_listed(model: &str) -> bool {
    let mut rest = model;
    loop {
        if LISTED_OPENAI_CHAT.binary_search(&rest).is_ok() {
            return true;
        }
        match rest.split_once('/') {
            Some((_, tail)) => rest = tail,
            None => return false,
        }
    }
}

/// The encoding of a single model name LiteLLM takes for an OpenAI model's,
/// or `None` when it does not.
fn openai_name_encoding(name: &str) -> Option<Encoding> {
    let tiktoken = tiktoken_encoding(name);
    if tiktoken == Some(Some(Encoding::O200kBase)) {
        return Some(Encoding::O200kBase);
    }
    if is_release_name(name) {
        return Some(match tiktoken {
            Some(Some(enc)) => enc,
            // Named like a release but unknown to tiktoken: a newer model.
            None => Encoding::O200kBase,
            Some(None) => Encoding::DEFAULT,
        });
    }
    is_listed(name).then_some(Encoding::O200kBase)
}

/// tiktoken's `encoding_name_for_model`: `None` when it does not know the
/// name, `Some(None)` when it maps it to an encoding we do not model.
fn tiktoken_encoding(name: &str) -> Option<Option<Encoding>> {
    TIKTOKEN_MODELS
        .iter()
        .find(|(model, _)| *model == name)
        .or_else(|| {
            TIKTOKEN_PREFIXES
                .iter()
                .find(|(prefix, _)| name.starts_with(prefix))
        })
        .map(|(_, enc)| *enc)
}

/// Whether `name` starts like a gpt-5-or-later or o-series release:
/// `gpt-<5..9 or two digits or more>` or `o<number>`, followed by `.`, `-` or
/// the end (LiteLLM's `(?:gpt-(?:[5-9]|[1-9]\d+)|o[1-9]\d*)(?:[.-]|$)`).
fn is_release_name(name: &str) -> bool {
    let (rest, single_digit_min) = if let Some(rest) = name.strip_prefix("gpt-") {
        (rest, b'5')
    } else if let Some(rest) = name.strip_prefix('o') {
        (rest, b'1')
    } else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let version_ok = match rest.as_bytes() {
        [first, ..] if digits == 1 => *first >= single_digit_min,
        [first, ..] if digits > 1 => *first != b'0',
        _ => false,
    };
    let after = &rest[digits..];
    version_ok && (after.is_empty() || after.starts_with(['.', '-']))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn listed_table_is_sorted() {
        assert!(LISTED_OPENAI_CHAT.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn release_names() {
        for name in [
            "gpt-5",
            "gpt-5.1",
            "gpt-6-astra",
            "gpt-41",
            "gpt-10",
            "o1",
            "o5-mini",
            "o12.3",
        ] {
            assert!(is_release_name(name), "{name}");
        }
        for name in [
            "gpt-4", "gpt-4o", "gpt-50x", "gpt-05", "o0", "oa", "o1x", "gpt-", "o",
        ] {
            assert!(!is_release_name(name), "{name}");
        }
    }

    #[test]
    fn choices() {
        let o200k = Encoding::O200kBase;
        let cl100k = Encoding::Cl100kBase;
        for (provider, model, expected) in [
            ("openai", "gpt-4o", o200k),
            ("openai", "gpt-4", cl100k),
            ("openai", "gpt-3.5-turbo", cl100k),
            ("azure", "gpt-35-turbo", cl100k),
            ("azure", "azure/gpt-4.1-mini", o200k),
            ("openrouter", "openai/o3", o200k),
            ("openai", "container", o200k),
            ("", "container", cl100k),
            ("openai", "gpt-audio", o200k),
            ("openai", "text-davinci-003", cl100k),
            ("groq", "openai/gpt-oss-120b", cl100k),
            ("anthropic", "claude-sonnet-4-5", cl100k),
            ("openai", "ft:gpt-4o-mini-2024-07-18:org::abc", o200k),
            ("openai", "ft:gpt-4.1-2025-04-14:org::abc", o200k),
            ("openai", "ft:gpt-3.5-turbo-0125:org::abc", cl100k),
            ("openai", "ft:o4-mini-2025-04-16:org::abc", cl100k),
            ("", "GPT-4O", cl100k),
            ("", "", cl100k),
        ] {
            assert_eq!(
                encoding_for(provider, model),
                expected,
                "{provider} {model}"
            );
        }
    }
}
