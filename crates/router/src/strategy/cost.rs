//! `cost-based-routing`: the cheapest deployment per token (custom prices,
//! else the catalog's); unpriced deployments only when nothing is priced.

use super::{lowest, StateView, Strategy};
use crate::deployment::Deployment;

/// Cheapest per token.
#[derive(Debug, Clone, Copy, Default)]
pub struct CostBased;

impl Strategy for CostBased {
    fn pick(&self, candidates: &[&Deployment], _view: &StateView<'_>) -> Option<usize> {
        lowest(candidates.len(), |i| {
            Some(candidates[i].hot.cost)
        })
    }
}
