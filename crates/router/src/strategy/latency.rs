//! `latency-based-routing`: the lowest recent latency (samples younger than
//! `routing_strategy_args.ttl`), spread over every deployment within
//! `lowest_latency_buffer` of it. A deployment with no sample yet counts as
//! the fastest, so each one gets measured.

use super::{Candidates, StateView, Strategy};

/// Most candidates whose latencies are kept on the stack during a pick.
const ON_STACK: usize = 128;

/// Lowest latency within a buffer.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatencyBased {
    /// Deployments within (1 + buffer) x the lowest latency share the traffic.
    pub buffer: f64,
}

impl Strategy for LatencyBased {
    fn pick(&self, candidates: &Candidates<'_>, view: &StateView<'_>) -> Option<usize> {
        // Each latency is read once (a state read per deployment).
        let mut stack = [0f64; ON_STACK];
        let mut heap = Vec::new();
        let latencies: &mut [f64] = if candidates.len() <= ON_STACK {
            &mut stack[..candidates.len()]
        } else {
            heap.resize(candidates.len(), 0.0);
            &mut heap
        };
        let mut best = f64::INFINITY;
        for (slot, d) in latencies.iter_mut().zip(candidates.iter()) {
            *slot = view.latency(d).map_or(0.0, |l| l.as_secs_f64());
            best = best.min(*slot);
        }
        let limit = best * (1.0 + self.buffer);
        let mut chosen = None;
        let mut seen = 0u32;
        for (i, &latency) in latencies.iter().enumerate() {
            if latency <= limit {
                seen += 1;
                if fastrand::u32(0..seen) == 0 {
                    chosen = Some(i);
                }
            }
        }
        chosen
    }
}
