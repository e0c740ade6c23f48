//! LiteLLM's duration strings (`duration`, `budget_duration`): "30s", "15m",
//! "1h", "7d", "1mo" (30 days, as LiteLLM counts it).

use crate::error::ValidationError;

/// Parses a LiteLLM duration string into milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<i64, ValidationError> {
    let bad = || ValidationError::BadDuration(text.to_owned());
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let unit_ms: i64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        "mo" => 30 * 86_400_000,
        _ => return Err(bad()),
    };
    if n <= 0 {
        return Err(bad());
    }
    n.checked_mul(unit_ms).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_litellm_units() {
        assert_eq!(parse_duration_ms("30s"), Ok(30_000));
        assert_eq!(parse_duration_ms("15m"), Ok(900_000));
        assert_eq!(parse_duration_ms("1h"), Ok(3_600_000));
        assert_eq!(parse_duration_ms("7d"), Ok(604_800_000));
        assert_eq!(parse_duration_ms("1mo"), Ok(2_592_000_000));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "d", "10", "10x", "0d", "-1d", "99999999999999999999d"] {
            assert!(parse_duration_ms(bad).is_err(), "{bad}");
        }
    }
}
