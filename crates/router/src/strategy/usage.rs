//! `usage-based-routing`: the deployment with the most headroom this minute.
//! A deployment whose `rpm` is reached, or whose `tpm` this request would
//! exceed, is skipped; among the rest the fewest tokens used wins.

use super::{lowest, Candidates, StateView, Strategy};

/// Most rpm/tpm headroom.
#[derive(Debug, Clone, Copy, Default)]
pub struct UsageBased;

impl Strategy for UsageBased {
    fn pick(&self, candidates: &Candidates<'_>, view: &StateView<'_>) -> Option<usize> {
        let incoming = view.input_tokens().unwrap_or(0);
        lowest(candidates.iter().map(|d| {
            let used = view.usage(d);
            // Unset limits are u64::MAX, which no count reaches.
            let rpm_full = used.requests >= d.hot.rpm;
            let tpm_full = used.tokens.saturating_add(incoming) > d.hot.tpm;
            (!rpm_full && !tpm_full).then_some(used.tokens)
        }))
    }
}
