//! `least-busy`: the deployment with the fewest calls in flight.

use super::{lowest, StateView, Strategy};
use crate::deployment::Deployment;

/// Fewest calls in flight; ties shared at random.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeastBusy;

impl Strategy for LeastBusy {
    fn pick(&self, candidates: &[&Deployment], view: &StateView<'_>) -> Option<usize> {
        lowest(candidates.len(), |i| Some(view.in_flight(candidates[i])))
    }
}
