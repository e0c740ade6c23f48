//! Model group lookup: an exact `model_name` first, else the most specific
//! wildcard pattern (`openai/*` before `*`) that matches the requested name.

use std::collections::HashMap;

use crate::deployment::{set_shuffle_weights, Deployment};

/// The deployments (slots) of one model group.
#[derive(Debug, Default)]
pub(crate) struct Group {
    pub(crate) slots: Vec<usize>,
    /// One `order` for all and no `max_parallel_requests`: a first attempt
    /// with nothing cooling down needs no per-deployment filter.
    pub(crate) plain: bool,
    /// Running totals of the members' `simple-shuffle` weights, so a pick
    /// over the whole group is a binary search.
    pub(crate) cumulative_weights: Vec<f64>,
}

/// Which deployments serve which public names.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    exact: HashMap<String, Group>,
    /// (pattern, group), most specific (longest literal part) first.
    patterns: Vec<(String, Group)>,
}

impl Groups {
    /// Groups `deployments` by name and sets each one's shuffle weight.
    pub(crate) fn new(deployments: &mut [Deployment]) -> Self {
        let mut groups = Groups::default();
        for (slot, d) in deployments.iter().enumerate() {
            let name = d.model_name();
            let group = if name.contains('*') {
                match groups.patterns.iter().position(|(p, _)| p == name) {
                    Some(i) => &mut groups.patterns[i].1,
                    None => {
                        groups.patterns.push((name.to_owned(), Group::default()));
                        let last = groups.patterns.len() - 1;
                        &mut groups.patterns[last].1
                    }
                }
            } else {
                groups.exact.entry(name.to_owned()).or_default()
            };
            group.slots.push(slot);
        }
        groups
            .patterns
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let mut finish = |g: &mut Group| {
            set_shuffle_weights(deployments, &g.slots);
            let first = g.slots.first().map(|&s| deployments[s].hot.order);
            g.plain = g.slots.iter().all(|&s| {
                let hot = &deployments[s].hot;
                Some(hot.order) == first && hot.max_parallel == u64::MAX
            });
            let mut total = 0.0;
            g.cumulative_weights = g
                .slots
                .iter()
                .map(|&s| {
                    total += deployments[s].hot.shuffle_weight;
                    total
                })
                .collect();
        };
        groups.exact.values_mut().for_each(&mut finish);
        groups.patterns.iter_mut().for_each(|(_, g)| finish(g));
        groups
    }

    /// The group serving `model`, if any.
    pub(crate) fn lookup(&self, model: &str) -> Option<&Group> {
        if let Some(group) = self.exact.get(model) {
            return Some(group);
        }
        self.patterns
            .iter()
            .find(|(pattern, _)| captured(pattern, model).is_some())
            .map(|(_, group)| group)
    }

    /// Whether `name` is served (used to check fallback targets).
    pub(crate) fn serves(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }

    /// Every exact group name, then every pattern.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.exact
            .keys()
            .map(String::as_str)
            .chain(self.patterns.iter().map(|(p, _)| p.as_str()))
    }
}

/// What the `*` of `pattern` matches in `name` (`openai/*` and `openai/gpt-4o`
/// give `gpt-4o`), or `None` when it does not match.
pub(crate) fn captured<'n>(pattern: &str, name: &'n str) -> Option<&'n str> {
    let (head, tail) = pattern.split_once('*')?;
    let rest = name.strip_prefix(head)?;
    let matched = rest.strip_suffix(tail)?;
    (!matched.is_empty()).then_some(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_what_the_star_matches() {
        assert_eq!(captured("openai/*", "openai/gpt-4o"), Some("gpt-4o"));
        assert_eq!(captured("openai/*", "openai/"), None);
        assert_eq!(captured("*", "groq/llama"), Some("groq/llama"));
        assert_eq!(captured("claude-*-latest", "claude-3-latest"), Some("3"));
        assert_eq!(captured("claude-*-latest", "claude-3"), None);
    }
}
