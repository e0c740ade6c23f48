//! Aligned plain-text tables for the human output of every command.

/// Rows of cells printed with each column padded to its widest cell.
#[derive(Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first row is `header`.
    pub fn with_header(header: &[&str]) -> Self {
        Table {
            rows: vec![header.iter().map(|h| h.to_string()).collect()],
        }
    }

    /// Appends a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, two spaces between columns, no trailing spaces.
    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                let pad = widths[c].saturating_sub(cell.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A per-token price as dollars per million tokens (`2.5`, `0.075`), or `-`.
pub fn per_million(price: Option<f64>) -> String {
    match price {
        Some(p) => trim_float(p * 1e6),
        None => String::from("-"),
    }
}

/// Dollars with enough digits to show sub-cent amounts.
pub fn dollars(amount: f64) -> String {
    format!("${}", trim_float(amount))
}

/// A float printed with up to 10 decimals and no trailing zeros.
fn trim_float(x: f64) -> String {
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        String::from("0")
    } else {
        s.to_string()
    }
}

/// A count with thousands separators (`128,000`), or `-`.
pub fn count(n: Option<u64>) -> String {
    let Some(n) = n else {
        return String::from("-");
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_numbers_read_well() {
        let mut t = Table::with_header(&["A", "LONGER"]);
        t.row(vec!["wide cell".into(), "x".into()]);
        assert_eq!(t.render(), "A          LONGER\nwide cell  x\n");
        assert_eq!(count(Some(128_000)), "128,000");
        assert_eq!(count(Some(999)), "999");
        assert_eq!(per_million(Some(2.5e-6)), "2.5");
        assert_eq!(per_million(None), "-");
        assert_eq!(dollars(0.0125), "$0.0125");
    }
}
