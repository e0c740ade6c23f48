//! `simple-shuffle`: random, weighted by `weight`, else by `rpm`, else by
//! `tpm`, else uniform (LiteLLM's order of preference), decided per group at
//! construction (see [`Deployment::shuffle_weight`]).

use super::{StateView, Strategy};
use crate::deployment::Deployment;

/// LiteLLM's default strategy.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimpleShuffle;

impl Strategy for SimpleShuffle {
    fn pick(&self, candidates: &[&Deployment], _view: &StateView<'_>) -> Option<usize> {
        let total: f64 = candidates.iter().map(|d| d.hot.shuffle_weight).sum();
        if total <= 0.0 {
            return Some(fastrand::usize(..candidates.len()));
        }
        let mut point = fastrand::f64() * total;
        for (i, d) in candidates.iter().enumerate() {
            if point < d.hot.shuffle_weight {
                return Some(i);
            }
            point -= d.hot.shuffle_weight;
        }
        // Rounding left the point past the end: the last weighted candidate.
        candidates.iter().rposition(|d| d.hot.shuffle_weight > 0.0)
    }
}
