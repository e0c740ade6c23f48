//! `latency-based-routing`: the lowest recent latency (samples younger than
//! `routing_strategy_args.ttl`), spread over every deployment within
//! `lowest_latency_buffer` of it. A deployment with no sample yet counts as
//! the fastest, so each one gets measured.

use super::{StateView, Strategy};
use crate::deployment::Deployment;

/// Lowest latency within a buffer.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatencyBased {
    /// Deployments within (1 + buffer) x the lowest latency share the traffic.
    pub buffer: f64,
}

impl Strategy for LatencyBased {
    fn pick(&self, candidates: &[&Deployment], view: &StateView<'_>) -> Option<usize> {
        let mut best = f64::INFINITY;
        for d in candidates {
            best = best.min(seconds(view, d));
        }
        let limit = best * (1.0 + self.buffer);
        let mut chosen = None;
        let mut seen = 0u32;
        for (i, d) in candidates.iter().enumerate() {
            if seconds(view, d) <= limit {
                seen += 1;
                if fastrand::u32(0..seen) == 0 {
                    chosen = Some(i);
                }
            }
        }
        chosen
    }
}

fn seconds(view: &StateView<'_>, d: &Deployment) -> f64 {
    view.latency(d).map_or(0.0, |l| l.as_secs_f64())
}
