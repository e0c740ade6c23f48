//! `simple-shuffle`: random, weighted by `weight`, else by `rpm`, else by
//! `tpm`, else uniform (LiteLLM's order of preference), decided per group at
//! construction (see [`Deployment::shuffle_weight`]).

use super::{Candidates, StateView, Strategy};

/// LiteLLM's default strategy.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimpleShuffle;

impl Strategy for SimpleShuffle {
    fn pick(&self, candidates: &Candidates<'_>, _view: &StateView<'_>) -> Option<usize> {
        if let Some(cumulative) = candidates.cumulative_weights {
            // The whole group: a binary search over the precomputed totals.
            let total = cumulative.last().copied().unwrap_or(0.0);
            if total > 0.0 {
                let point = fastrand::f64() * total;
                let i = cumulative.partition_point(|&c| c <= point);
                return Some(i.min(candidates.len().saturating_sub(1)));
            }
        }
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
        candidates
            .iter()
            .enumerate()
            .filter(|(_, d)| d.hot.shuffle_weight > 0.0)
            .last()
            .map(|(i, _)| i)
    }
}
