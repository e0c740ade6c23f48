//! `cost-based-routing`: the cheapest deployment per token (custom prices,
//! else the catalog's); unpriced deployments only when nothing is priced.

use super::{lowest, Candidates, StateView, Strategy};

/// Cheapest per token.
#[derive(Debug, Clone, Copy, Default)]
pub struct CostBased;

impl Strategy for CostBased {
    fn pick(&self, candidates: &Candidates<'_>, _view: &StateView<'_>) -> Option<usize> {
        // Unpriced deployments cost infinity: last, but still usable.
        lowest(candidates.iter().map(|d| Some(d.hot.cost)))
    }
}
