//! Routing strategies: given the deployments that passed every filter
//! (cooldown, tags, pre-call checks, order), pick one. Each built-in strategy
//! is a module; a custom one implements [`Strategy`] and is given to
//! [`Router::with_strategy`](crate::Router::with_strategy).

mod cost;
mod latency;
mod least_busy;
mod shuffle;
mod usage;

use std::time::Duration;

use crate::config::{RouterSettings, RoutingStrategy};
use crate::deployment::Deployment;
use crate::state::{MinuteUsage, RouterState};

pub use cost::CostBased;
pub use latency::LatencyBased;
pub use least_busy::LeastBusy;
pub use shuffle::SimpleShuffle;
pub use usage::UsageBased;

/// Picks one deployment of a group.
pub trait Strategy: Send + Sync + std::fmt::Debug {
    /// The index in `candidates` (never empty) of the deployment to call, or
    /// `None` when none may take the call now (every one at its limit).
    fn pick(&self, candidates: &Candidates<'_>, view: &StateView<'_>) -> Option<usize>;
}

/// The deployments a strategy chooses among (a view of the router's list:
/// no copy is made for a pick).
#[derive(Debug, Clone, Copy)]
pub struct Candidates<'a> {
    pub(crate) deployments: &'a [Deployment],
    pub(crate) slots: &'a [usize],
    /// Running totals of the candidates' shuffle weights, when they are a
    /// whole group (precomputed at construction).
    pub(crate) cumulative_weights: Option<&'a [f64]>,
}

impl<'a> Candidates<'a> {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are none (never, when a strategy is asked).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Candidate `i`.
    pub fn get(&self, i: usize) -> Option<&'a Deployment> {
        self.slots.get(i).and_then(|&s| self.deployments.get(s))
    }

    /// Every candidate, in order (index `i` of the iteration is candidate `i`).
    pub fn iter(&self) -> impl Iterator<Item = &'a Deployment> + 'a {
        let deployments = self.deployments;
        // Slots come from the router's own groups: always in range.
        self.slots.iter().map(move |&s| &deployments[s])
    }
}

/// What a strategy may read about the candidates and the request.
#[derive(Debug, Clone, Copy)]
pub struct StateView<'a> {
    pub(crate) state: &'a dyn RouterState,
    pub(crate) now_ms: u64,
    pub(crate) input_tokens: Option<u64>,
}

impl StateView<'_> {
    /// Calls to `d` in flight.
    pub fn in_flight(&self, d: &Deployment) -> u64 {
        self.state.in_flight(d.slot())
    }

    /// `d`'s requests and tokens this minute.
    pub fn usage(&self, d: &Deployment) -> MinuteUsage {
        self.state.usage(d.slot(), self.now_ms)
    }

    /// `d`'s recent latency, when measured within the ttl.
    pub fn latency(&self, d: &Deployment) -> Option<Duration> {
        self.state.latency(d.slot(), self.now_ms)
    }

    /// The request's prompt tokens, when pre-call checks counted them.
    pub fn input_tokens(&self) -> Option<u64> {
        self.input_tokens
    }

    /// The router clock's reading.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }
}

/// The built-in strategy `kind`, configured from `settings`.
pub(crate) fn builtin(kind: RoutingStrategy, settings: &RouterSettings) -> Box<dyn Strategy> {
    match kind {
        RoutingStrategy::SimpleShuffle => Box::new(SimpleShuffle),
        RoutingStrategy::LeastBusy => Box::new(LeastBusy),
        RoutingStrategy::LatencyBased => Box::new(LatencyBased {
            buffer: settings.lowest_latency_buffer,
        }),
        RoutingStrategy::UsageBased => Box::new(UsageBased),
        RoutingStrategy::CostBased => Box::new(CostBased),
    }
}

/// The index of the lowest score (ties broken at random, so equal
/// deployments share the traffic); `None` scores are skipped.
pub(crate) fn lowest<T: PartialOrd + Copy>(
    scores: impl Iterator<Item = Option<T>>,
) -> Option<usize> {
    let mut best: Option<(T, usize)> = None;
    let mut ties = 0u32;
    for (i, score) in scores.enumerate() {
        let Some(s) = score else { continue };
        match best {
            Some((b, _)) if s > b => {}
            Some((b, _)) if s == b => {
                // Reservoir sampling over the tied ones.
                ties += 1;
                if fastrand::u32(0..=ties) == 0 {
                    best = Some((s, i));
                }
            }
            _ => {
                best = Some((s, i));
                ties = 0;
            }
        }
    }
    best.map(|(_, i)| i)
}
