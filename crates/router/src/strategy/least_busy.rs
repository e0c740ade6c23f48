//! `least-busy`: the deployment with the fewest calls in flight.

use super::{lowest, Candidates, StateView, Strategy};

/// Fewest calls in flight; ties shared at random.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeastBusy;

impl Strategy for LeastBusy {
    fn pick(&self, candidates: &Candidates<'_>, view: &StateView<'_>) -> Option<usize> {
        lowest(candidates.iter().map(|d| Some(view.in_flight(d))))
    }
}
