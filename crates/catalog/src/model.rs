//! The shape of one catalog entry as the API hands it out.
//!
//! Every string and slice is `'static`: entries are either built once from
//! the compiled tables' row the first time they are asked for (see
//! `compiled`) or were registered at run time, and both are kept for the
//! life of the process on purpose, so a lookup hands out `&'static ModelInfo`
//! without copying or reference counting.

/// What kind of endpoint a model serves, in LiteLLM's vocabulary (`mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Chat completions.
    Chat,
    /// Legacy text completions.
    Completion,
    /// Embeddings.
    Embedding,
    /// OpenAI Responses API only.
    Responses,
    /// Image generation.
    ImageGeneration,
    /// Image editing.
    ImageEdit,
    /// Speech to text.
    AudioTranscription,
    /// Text to speech.
    AudioSpeech,
    /// Realtime (websocket) sessions.
    Realtime,
    /// Video generation.
    VideoGeneration,
    /// Reranking.
    Rerank,
    /// Moderation.
    Moderation,
    /// Web search.
    Search,
    /// Document OCR.
    Ocr,
    /// Any other mode the manifest names; the string is kept verbatim.
    Other(&'static str),
}

impl Mode {
    /// Parses LiteLLM's `mode` string; unknown values are kept as [`Mode::Other`].
    pub fn from_name(name: &'static str) -> Mode {
        match name {
            "chat" => Mode::Chat,
            "completion" => Mode::Completion,
            "embedding" => Mode::Embedding,
            "responses" => Mode::Responses,
            "image_generation" => Mode::ImageGeneration,
            "image_edit" => Mode::ImageEdit,
            "audio_transcription" => Mode::AudioTranscription,
            "audio_speech" => Mode::AudioSpeech,
            "realtime" => Mode::Realtime,
            "video_generation" => Mode::VideoGeneration,
            "rerank" => Mode::Rerank,
            "moderation" => Mode::Moderation,
            "search" => Mode::Search,
            "ocr" => Mode::Ocr,
            other => Mode::Other(other),
        }
    }

    /// LiteLLM's name for this mode.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Chat => "chat",
            Mode::Completion => "completion",
            Mode::Embedding => "embedding",
            Mode::Responses => "responses",
            Mode::ImageGeneration => "image_generation",
            Mode::ImageEdit => "image_edit",
            Mode::AudioTranscription => "audio_transcription",
            Mode::AudioSpeech => "audio_speech",
            Mode::Realtime => "realtime",
            Mode::VideoGeneration => "video_generation",
            Mode::Rerank => "rerank",
            Mode::Moderation => "moderation",
            Mode::Search => "search",
            Mode::Ocr => "ocr",
            Mode::Other(name) => name,
        }
    }
}

/// One band of a `tiered_pricing` list: prices that apply while the prompt
/// size falls in `(start, end]` tokens (LiteLLM's comparison; a prompt past
/// the last band is priced by the last band).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceTier {
    /// The band starts above this many prompt tokens.
    pub start: f64,
    /// The band ends at this many prompt tokens (inclusive).
    pub end: f64,
    /// LiteLLM price keys (`input_cost_per_token`...) and their values, sorted by key.
    pub prices: &'static [(&'static str, f64)],
}

/// Everything the catalog knows about one model key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelInfo {
    /// The manifest key, exactly as LiteLLM spells it (`gpt-4o`, `bedrock/us.anthropic...`).
    pub key: &'static str,
    /// LiteLLM's provider slug (`litellm_provider`).
    pub provider: &'static str,
    /// The endpoint kind, when the manifest says.
    pub mode: Option<Mode>,
    /// Context window (prompt side).
    pub max_input_tokens: Option<u64>,
    /// Largest completion the model will produce.
    pub max_output_tokens: Option<u64>,
    /// Every price of the entry under its LiteLLM key, sorted by key, so
    /// `input_cost_per_token_above_200k_tokens_priority` and the rest keep
    /// LiteLLM's exact meaning. US dollars per token unless the key says otherwise.
    pub prices: &'static [(&'static str, f64)],
    /// `tiered_pricing` bands, in manifest order (empty for most models).
    pub tiers: &'static [PriceTier],
    /// Every `supports_*` flag the manifest states, without the `supports_`
    /// prefix (`vision`, `function_calling`), with its value, sorted by name.
    /// A flag that is absent is unknown, not false (LiteLLM returns `None` for it).
    pub capabilities: &'static [(&'static str, bool)],
    /// `YYYY-MM-DD` after which the provider retires the model.
    pub deprecation_date: Option<&'static str>,
    /// The key this entry stands for, when it is an alias (`claude-sonnet-latest`).
    pub alias_of: Option<&'static str>,
    /// The remaining manifest fields (metadata, supported endpoints, search prices...)
    /// as a JSON object in text, parsed only when someone asks for them.
    pub extra: &'static str,
}

impl ModelInfo {
    /// The price stored under a LiteLLM key such as `cache_read_input_token_cost`.
    pub fn price(&self, key: &str) -> Option<f64> {
        lookup(self.prices, key)
    }

    /// The `supports_*` flag stored under `key` (with or without the `supports_` prefix).
    pub fn capability(&self, key: &str) -> Option<bool> {
        lookup(
            self.capabilities,
            key.strip_prefix("supports_").unwrap_or(key),
        )
    }

    /// True when the manifest states the flag and it is set.
    pub fn supports(&self, key: &str) -> bool {
        self.capability(key).unwrap_or(false)
    }

    /// True when the catalog knows at least the input or output price.
    pub fn has_pricing(&self) -> bool {
        self.price("input_cost_per_token").is_some()
            || self.price("output_cost_per_token").is_some()
    }
}

pub(crate) fn lookup<T: Copy>(table: &[(&'static str, T)], key: &str) -> Option<T> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}
