//! "Did you mean ...?": the closest catalog names to a string nobody knows.
//!
//! The score is an edit distance that also accepts a *prefix* of the
//! candidate, so `claud-3-5-sonet` finds `claude-3-5-sonnet-20241022`
//! although the date suffix alone is nine edits away; and a name is also
//! matched by each tail after a `/` or `.` (one edit dearer), so a bare
//! `claude-3-5-sonet` finds `anthropic.claude-3-5-sonnet-20240620-v1:0`.
//!
//! Speed comes from three things. Candidates are scanned in sorted order and
//! the dynamic-programming table is kept column by column, so a prefix shared
//! with the previous candidate is never recomputed (a trie walk without the
//! trie). Only the diagonal band `|i - j| <= bound` is computed (Ukkonen).
//! And once a column has no cell within the bound, every later candidate
//! sharing that prefix is skipped at once. A scan of the whole catalog (the
//! ~10,000 names and tails `build.rs` lists) stays well under a millisecond.

/// Queries are cut to this many bytes before scoring: a 10,000-character
/// name must not cost 10,000 x key-length steps per candidate.
const MAX_QUERY: usize = 96;

/// Longest candidate scored; keys are far shorter (76 bytes today).
const MAX_CANDIDATE: usize = 160;

/// Beyond this many edits a name is no longer a useful suggestion; the cap
/// also keeps the band, and so the work per candidate, small.
const MAX_EDITS: u32 = 6;

/// One string to match, with what names the model to offer when it matches
/// (the name itself, or a row of the compiled tables) and the extra edits a
/// match costs (0 for a whole name, 1 for a tail).
pub(crate) type Candidate<'t, O> = (&'t str, O, u8);

/// Returns up to `limit` names from `candidates` closest to `query`, best first.
/// Names further away than about a third of the query's length (at most
/// six edits) are not offered.
pub fn closest<'a, I>(query: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let owned: Vec<(String, &'a str, u8)> = candidates
        .into_iter()
        .flat_map(|name| {
            let tails = name
                .char_indices()
                .filter(|(_, c)| *c == '/' || *c == '.')
                .map(move |(i, _)| (name[i + 1..].to_ascii_lowercase(), name, 1));
            std::iter::once((name.to_ascii_lowercase(), name, 0)).chain(tails)
        })
        .collect();
    let mut sorted: Vec<Candidate<'_, &'a str>> = owned
        .iter()
        .map(|(s, name, p)| (s.as_str(), *name, *p))
        .collect();
    sorted.sort_unstable();
    closest_sorted(query, sorted, |name| name, limit)
}

/// [`closest`] over candidates already lower-cased and sorted by match
/// string; `name_of` gives the name to offer, asked only for the few
/// candidates that come within reach.
pub(crate) fn closest_sorted<'t, 'a, O: Copy>(
    query: &str,
    sorted: impl IntoIterator<Item = Candidate<'t, O>>,
    name_of: impl Fn(O) -> &'a str,
    limit: usize,
) -> Vec<&'a str> {
    let query = truncate(query.trim(), MAX_QUERY).to_ascii_lowercase();
    let query = query.as_bytes();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut ranking = Ranking {
        limit,
        max_score: ((query.len() / 3) as u32).clamp(2, MAX_EDITS),
        best: Vec::with_capacity(limit + 1),
    };
    let mut table = Columns::new(query);
    let mut prev: &[u8] = b"";
    let mut valid = 0; // columns 0..=valid hold prev[..valid]
    let mut dead_at = usize::MAX; // prev's prefix of this length is out of reach
    for (text, offer, penalty) in sorted {
        let s = &text.as_bytes()[..text.len().min(MAX_CANDIDATE)];
        let lcp = common_prefix(prev, s);
        if lcp >= dead_at {
            // Same hopeless prefix as the previous candidate: it can only tie
            // with it, and ties go to the earlier name.
            continue;
        }
        let bound = ranking.bound();
        let mut j = lcp.min(valid);
        let mut died = false;
        while j < s.len() {
            j += 1;
            if table.push(j, s[j - 1], bound) > bound {
                died = true;
                break;
            }
        }
        prev = s;
        valid = j;
        dead_at = if died { j } else { usize::MAX };
        let prefix = table.prefix_min[j];
        let full = if died { bound + 1 } else { table.last(j) };
        let score = if full == prefix { full } else { prefix + 1 };
        let penalty = u32::from(penalty);
        if score + penalty <= bound {
            ranking.offer(score + penalty, full + penalty, name_of(offer));
        }
    }
    ranking.best.into_iter().map(|(_, _, name)| name).collect()
}

/// The best names so far, sorted by (score, full distance, name).
struct Ranking<'a> {
    limit: usize,
    max_score: u32,
    best: Vec<(u32, u32, &'a str)>,
}

impl<'a> Ranking<'a> {
    /// The worst score still worth computing.
    fn bound(&self) -> u32 {
        match self.best.get(self.limit - 1) {
            Some(worst) => worst.0,
            None => self.max_score,
        }
    }

    fn offer(&mut self, score: u32, full: u32, name: &'a str) {
        if let Some(i) = self.best.iter().position(|b| b.2 == name) {
            if (score, full) >= (self.best[i].0, self.best[i].1) {
                return;
            }
            self.best.remove(i);
        }
        let entry = (score, full, name);
        let pos = self.best.partition_point(|b| *b <= entry);
        if pos < self.limit {
            self.best.insert(pos, entry);
            self.best.truncate(self.limit);
        }
    }
}

/// The edit-distance table between the query (rows) and the current
/// candidate (columns), one column per candidate byte.
struct Columns<'q> {
    query: &'q [u8],
    /// Column `j` lives at `cells[j * (n + 1)..][..n + 1]`.
    cells: Vec<u32>,
    /// `prefix_min[j]`: least distance from the query to any prefix of the
    /// candidate of length `<= j`.
    prefix_min: Vec<u32>,
}

impl<'q> Columns<'q> {
    fn new(query: &'q [u8]) -> Self {
        let n = query.len();
        let mut cells = vec![0u32; (MAX_CANDIDATE + 1) * (n + 1)];
        for (i, cell) in cells.iter_mut().enumerate().take(n + 1) {
            *cell = i as u32;
        }
        let mut prefix_min = vec![0u32; MAX_CANDIDATE + 1];
        prefix_min[0] = n as u32;
        Columns {
            query,
            cells,
            prefix_min,
        }
    }

    /// Distance from the whole query to the candidate's first `j` bytes.
    fn last(&self, j: usize) -> u32 {
        let n = self.query.len();
        self.cells[j * (n + 1) + n]
    }

    /// Computes column `j` for candidate byte `c` within the band of `bound`;
    /// returns the column's least value (more than `bound` means out of reach).
    fn push(&mut self, j: usize, c: u8, bound: u32) -> u32 {
        let n = self.query.len();
        let b = bound as usize;
        let inf = bound + 1;
        let (before, after) = self.cells.split_at_mut(j * (n + 1));
        let prev = &before[(j - 1) * (n + 1)..];
        let cur = &mut after[..n + 1];
        let lo = j.saturating_sub(b);
        let hi = (j + b).min(n);
        let mut column_min = inf;
        if lo <= hi {
            for i in lo..=hi {
                let value = if i == 0 {
                    (j as u32).min(inf)
                } else {
                    let diag = prev[i - 1] + u32::from(self.query[i - 1] != c);
                    let left = if i < j + b { prev[i] + 1 } else { inf };
                    let up = if i > lo { cur[i - 1] + 1 } else { inf };
                    diag.min(left).min(up).min(inf)
                };
                cur[i] = value;
                column_min = column_min.min(value);
            }
        }
        let last = if hi == n && lo <= hi { cur[n] } else { inf };
        if hi < n || lo > hi {
            cur[n] = inf;
        }
        self.prefix_min[j] = self.prefix_min[j - 1].min(last);
        column_min
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const NAMES: &[&str] = &[
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-4",
        "claude-3-5-sonnet-20241022",
        "claude-3-haiku-20240307",
        "gemini/gemini-2.5-pro",
        "anthropic.claude-3-opus-20240229-v1:0",
    ];

    fn brute_force(query: &str, name: &str) -> u32 {
        // Plain full edit distance, for cross-checking the banded table.
        let (q, c) = (query.as_bytes(), name.as_bytes());
        let mut row: Vec<u32> = (0..=c.len() as u32).collect();
        for (i, &qc) in q.iter().enumerate() {
            let mut diag = row[0];
            row[0] = i as u32 + 1;
            for j in 1..=c.len() {
                let up = row[j];
                row[j] = (diag + u32::from(qc != c[j - 1]))
                    .min(up + 1)
                    .min(row[j - 1] + 1);
                diag = up;
            }
        }
        row[c.len()]
    }

    #[test]
    fn finds_typos_and_missing_suffixes() {
        assert_eq!(closest("gpt4o", NAMES.iter().copied(), 3)[0], "gpt-4o");
        assert_eq!(
            closest("claud-3-5-sonet", NAMES.iter().copied(), 1),
            ["claude-3-5-sonnet-20241022"]
        );
        assert_eq!(closest("GPT-4O", NAMES.iter().copied(), 1), ["gpt-4o"]);
        assert_eq!(
            closest("gemini-2.5-pr", NAMES.iter().copied(), 1),
            ["gemini/gemini-2.5-pro"]
        );
        assert_eq!(
            closest("claude-3-opus", NAMES.iter().copied(), 1),
            ["anthropic.claude-3-opus-20240229-v1:0"]
        );
    }

    #[test]
    fn banded_distance_matches_the_plain_one_within_the_bound() {
        let words = [
            "gpt-4o",
            "gpt4o",
            "gpt-4o-mini",
            "kitten",
            "sitting",
            "abc",
            "",
            "x",
            "claude-3",
        ];
        for a in words {
            for b in words {
                if a.is_empty() {
                    continue;
                }
                let exact = brute_force(a, b);
                let got = closest(a, [b], 1);
                let max = ((a.len() / 3) as u32).clamp(2, MAX_EDITS);
                if exact <= max {
                    assert_eq!(got, [b], "{a} vs {b}: distance {exact} within {max}");
                }
            }
        }
    }

    #[test]
    fn offers_nothing_for_unrelated_names() {
        assert!(closest("zzzzzzzzzzzz", NAMES.iter().copied(), 3).is_empty());
        assert!(closest("", NAMES.iter().copied(), 3).is_empty());
    }

    #[test]
    fn long_and_unicode_queries_are_safe() {
        let long = "é".repeat(10_000);
        assert!(closest(&long, NAMES.iter().copied(), 3).is_empty());
        assert!(closest("////", NAMES.iter().copied(), 3).len() <= 3);
        let long_name = "a".repeat(500);
        assert!(closest("aaaa", [long_name.as_str()], 1).len() == 1);
    }
}
