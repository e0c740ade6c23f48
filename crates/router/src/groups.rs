//! Model group lookup: an exact `model_name` first, else the most specific
//! wildcard pattern (`openai/*` before `*`) that matches the requested name.

use std::collections::HashMap;

/// Which deployments (slots) serve which public names.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    exact: HashMap<String, Vec<usize>>,
    /// (pattern, slots), most specific (longest literal part) first.
    patterns: Vec<(String, Vec<usize>)>,
}

impl Groups {
    pub(crate) fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut groups = Groups::default();
        for (slot, name) in names.enumerate() {
            if name.contains('*') {
                match groups.patterns.iter_mut().find(|(p, _)| p == name) {
                    Some((_, slots)) => slots.push(slot),
                    None => groups.patterns.push((name.to_owned(), vec![slot])),
                }
            } else {
                groups.exact.entry(name.to_owned()).or_default().push(slot);
            }
        }
        groups
            .patterns
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        groups
    }

    /// The slots serving `model`, if any.
    pub(crate) fn lookup(&self, model: &str) -> Option<&[usize]> {
        if let Some(slots) = self.exact.get(model) {
            return Some(slots);
        }
        self.patterns
            .iter()
            .find(|(pattern, _)| captured(pattern, model).is_some())
            .map(|(_, slots)| slots.as_slice())
    }

    /// Whether `name` is served (used to check fallback targets).
    pub(crate) fn serves(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }

    /// The slots of every group and pattern.
    pub(crate) fn all(&self) -> impl Iterator<Item = &[usize]> {
        self.exact
            .values()
            .map(Vec::as_slice)
            .chain(self.patterns.iter().map(|(_, slots)| slots.as_slice()))
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
    fn exact_beats_specific_pattern_beats_star() {
        let g = Groups::new(["gpt-4o", "*", "openai/*", "gpt-4o"].into_iter());
        assert_eq!(g.lookup("gpt-4o"), Some(&[0, 3][..]));
        assert_eq!(g.lookup("openai/o3"), Some(&[2][..]));
        assert_eq!(g.lookup("anthropic/claude"), Some(&[1][..]));
        assert_eq!(captured("openai/*", "openai/"), None);
        assert_eq!(captured("claude-*-latest", "claude-3-latest"), Some("3"));
    }
}
