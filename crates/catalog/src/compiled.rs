//! The compiled catalog as `build.rs` writes it: pointer-free tables.
//!
//! Every string is a [`Str`] (offset and length into one text `BLOB`),
//! every list a [`Span`] into a side table of plain numbers, and the name
//! lookups are perfect hashes whose tables hold integers only. So the tables
//! need no relocation when the binary or the Python extension is loaded and
//! stay untouched (not resident) until a lookup reads them; a pointer-based
//! table of ~5,000 entries costs ~90,000 relocations and megabytes of dirty
//! memory at every start.
//!
//! The public API keeps handing out `&'static ModelInfo`: an entry is built
//! from its row the first time it is asked for and kept for the life of the
//! process (one [`OnceLock`] per row), so only the models a process uses are
//! ever materialised.

use std::sync::OnceLock;

use crate::model::{Mode, ModelInfo, PriceTier};
use crate::provider::{ProviderApi, ProviderInfo};

/// A string of `BLOB` (a `const &str`, so code reaches it by a relative
/// address and no data holds a pointer to it): byte offset and length. [`NONE`] stands for `None`.
#[derive(Clone, Copy)]
pub(crate) struct Str(pub(crate) u32, pub(crate) u32);

/// An absent optional string.
pub(crate) const NONE: Str = Str(u32::MAX, 0);

/// A run of rows of a side table: first row and row count.
#[derive(Clone, Copy)]
pub(crate) struct Span(pub(crate) u32, pub(crate) u32);

/// One model row.
pub(crate) struct ModelRow {
    pub(crate) key: Str,
    pub(crate) provider: Str,
    pub(crate) mode: Str,
    pub(crate) max_input_tokens: Option<u64>,
    pub(crate) max_output_tokens: Option<u64>,
    /// Rows of [`PRICES`].
    pub(crate) prices: Span,
    /// Rows of [`TIERS`].
    pub(crate) tiers: Span,
    /// Rows of [`CAPABILITIES`].
    pub(crate) capabilities: Span,
    pub(crate) deprecation_date: Str,
    pub(crate) alias_of: Str,
    pub(crate) extra: Str,
}

/// One `tiered_pricing` band; `prices` are rows of [`PRICES`].
pub(crate) struct TierRow(pub(crate) f64, pub(crate) f64, pub(crate) Span);

/// One provider row.
pub(crate) struct ProviderRow {
    pub(crate) name: Str,
    pub(crate) display_name: Str,
    pub(crate) api: ProviderApi,
    pub(crate) base_url: Str,
    pub(crate) api_key_env: Str,
    pub(crate) api_base_env: Str,
    /// Rows of [`PAIRS`].
    pub(crate) param_renames: Span,
    /// Rows of [`STRS`].
    pub(crate) unsupported_params: Span,
    pub(crate) content_as_string: bool,
    /// Rows of [`STRS`].
    pub(crate) endpoints: Span,
    pub(crate) extra: Str,
}

/// A perfect hash over names (phf's CHD scheme, integers only): `slots[i]`
/// is the row whose name hashes to slot `i`.
pub(crate) struct NameHash<const D: usize, const N: usize> {
    pub(crate) key: u64,
    pub(crate) disps: [(u32, u32); D],
    pub(crate) slots: [u32; N],
}

impl<const D: usize, const N: usize> NameHash<D, N> {
    /// The row that may hold `name`; the caller compares the row's name.
    fn candidate(&self, name: &str) -> Option<usize> {
        if N == 0 || D == 0 {
            return None;
        }
        let hashes = phf_shared::hash(name, &self.key);
        let slot = phf_shared::get_index(&hashes, &self.disps, N) as usize;
        self.slots.get(slot).map(|&row| row as usize)
    }
}

mod data {
    use super::{ModelRow, NameHash, ProviderApi, ProviderRow, Span, Str, TierRow, NONE};
    include!(concat!(env!("OUT_DIR"), "/catalog_tables.rs"));
}

pub(crate) use data::SUGGEST;
use data::{
    BLOB, CAPABILITIES, MODELS, MODEL_COUNT, MODEL_HASH, PAIRS, PRICES, PROVIDERS, PROVIDER_HASH,
    STRS, TIERS,
};

/// The text of `s`; `""` for [`NONE`] (never produced for a present string).
pub(crate) fn text(s: Str) -> &'static str {
    let (start, len) = (s.0 as usize, s.1 as usize);
    BLOB.get(start..start + len).unwrap_or("")
}

fn opt_text(s: Str) -> Option<&'static str> {
    (s.0 != u32::MAX).then(|| text(s))
}

fn rows<T>(table: &'static [T], span: Span) -> &'static [T] {
    let (start, len) = (span.0 as usize, span.1 as usize);
    table.get(start..start + len).unwrap_or(&[])
}

/// How many models are compiled in.
pub(crate) fn model_count() -> usize {
    MODELS.len()
}

/// The key of compiled model `row`, without materialising the entry.
pub(crate) fn model_key(row: usize) -> &'static str {
    text(MODELS[row].key)
}

/// The row of the compiled model called exactly `key`.
pub(crate) fn model_row(key: &str) -> Option<usize> {
    MODEL_HASH
        .candidate(key)
        .filter(|&row| MODELS.get(row).is_some_and(|m| text(m.key) == key))
}

/// Compiled model `row` as a [`ModelInfo`], built on first use.
pub(crate) fn model(row: usize) -> &'static ModelInfo {
    static BUILT: [OnceLock<&'static ModelInfo>; MODEL_COUNT] =
        [const { OnceLock::new() }; MODEL_COUNT];
    BUILT[row].get_or_init(|| Box::leak(Box::new(build_model(&MODELS[row]))))
}

fn prices(span: Span) -> &'static [(&'static str, f64)] {
    leak(rows(&PRICES, span).iter().map(|&(k, v)| (text(k), v)))
}

fn build_model(row: &ModelRow) -> ModelInfo {
    ModelInfo {
        key: text(row.key),
        provider: text(row.provider),
        mode: opt_text(row.mode).map(Mode::from_name),
        max_input_tokens: row.max_input_tokens,
        max_output_tokens: row.max_output_tokens,
        prices: prices(row.prices),
        tiers: leak(rows(&TIERS, row.tiers).iter().map(|t| PriceTier {
            start: t.0,
            end: t.1,
            prices: prices(t.2),
        })),
        capabilities: leak(
            rows(&CAPABILITIES, row.capabilities)
                .iter()
                .map(|&(k, v)| (text(k), v)),
        ),
        deprecation_date: opt_text(row.deprecation_date),
        alias_of: opt_text(row.alias_of),
        extra: text(row.extra),
    }
}

/// Every provider, built on first use (a few hundred rows, all at once since
/// [`crate::providers`] hands out the whole slice).
pub(crate) fn providers() -> &'static [ProviderInfo] {
    static BUILT: OnceLock<&'static [ProviderInfo]> = OnceLock::new();
    BUILT.get_or_init(|| leak(PROVIDERS.iter().map(build_provider)))
}

/// The row of the provider called exactly `name`.
pub(crate) fn provider_row(name: &str) -> Option<usize> {
    PROVIDER_HASH
        .candidate(name)
        .filter(|&row| PROVIDERS.get(row).is_some_and(|p| text(p.name) == name))
}

fn build_provider(row: &ProviderRow) -> ProviderInfo {
    let strs = |span| leak(rows(&STRS, span).iter().map(|&s| text(s)));
    ProviderInfo {
        name: text(row.name),
        display_name: opt_text(row.display_name),
        api: row.api,
        base_url: opt_text(row.base_url),
        api_key_env: opt_text(row.api_key_env),
        api_base_env: opt_text(row.api_base_env),
        param_renames: leak(
            rows(&PAIRS, row.param_renames)
                .iter()
                .map(|&(k, v)| (text(k), text(v))),
        ),
        unsupported_params: strs(row.unsupported_params),
        content_as_string: row.content_as_string,
        endpoints: strs(row.endpoints),
        extra: text(row.extra),
    }
}

/// Built entries live as long as the process, like the static tables they stand for.
fn leak<T>(items: impl Iterator<Item = T>) -> &'static [T] {
    Box::leak(items.collect::<Box<[T]>>())
}
