//! `simple-shuffle`: random, weighted by `weight`, else by `rpm`, else by
//! `tpm`, else uniform (LiteLLM's order of preference).

use super::{StateView, Strategy};
use crate::deployment::Deployment;

/// LiteLLM's default strategy.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimpleShuffle;

impl Strategy for SimpleShuffle {
    fn pick(&self, candidates: &[&Deployment], _view: &StateView<'_>) -> Option<usize> {
        let weigh: [fn(&Deployment) -> Option<f64>; 3] = [
            Deployment::weight,
            |d| d.rpm().map(|n| n as f64),
            |d| d.tpm().map(|n| n as f64),
        ];
        for weight in weigh {
            if candidates.iter().any(|d| weight(d).is_some()) {
                let total: f64 = candidates.iter().map(|d| weight(d).unwrap_or(0.0)).sum();
                if total > 0.0 {
                    return Some(weighted(candidates, total, weight));
                }
            }
        }
        Some(fastrand::usize(..candidates.len()))
    }
}

/// A pick with probability weight / total.
fn weighted(candidates: &[&Deployment], total: f64, weight: fn(&Deployment) -> Option<f64>) -> usize {
    let mut point = fastrand::f64() * total;
    for (i, d) in candidates.iter().enumerate() {
        let w = weight(d).unwrap_or(0.0);
        if point < w {
            return i;
        }
        point -= w;
    }
    // Rounding left the point past the end: the last weighted candidate.
    candidates
        .iter()
        .rposition(|d| weight(d).unwrap_or(0.0) > 0.0)
        .unwrap_or(0)
}
