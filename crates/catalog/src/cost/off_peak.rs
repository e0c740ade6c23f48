//! Time-dependent prices: a manifest entry's `off_peak_pricing` block
//! (DeepSeek's and Tencent's discounts outside their busy hours), applied the
//! way LiteLLM 1.110.2 applies it.
//!
//! The block lists UTC windows (`"HH:MM-HH:MM"`, start inclusive, end
//! exclusive, wrapping past midnight, a window whose start equals its end
//! covering the whole day) either in a flat `hours_utc` that holds every day or
//! in `windows` rules limited to ISO weekdays (1 = Monday). The weekdays are
//! read on the calendar of `weekday_timezone` (UTC by default). While a window
//! is open, each rate the block states replaces the one that would otherwise
//! apply; a rate it leaves out keeps the standard one.
//!
//! The block lives in the entry's `extra` JSON, parsed only for the few
//! entries that have one.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::model::ModelInfo;

/// The rates of an `off_peak_pricing` block whose window is open.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct OffPeakRates {
    pub input: Option<f64>,
    pub output: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    pub reasoning: Option<f64>,
}

/// Seconds since the Unix epoch of `at`, negative before it.
pub(super) fn unix_seconds(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// The off-peak rates of `info` at `at`, when it has a block and one of its
/// windows is open then.
pub(super) fn open_rates(info: &ModelInfo, at: SystemTime) -> Option<OffPeakRates> {
    if !info.extra.contains("\"off_peak_pricing\"") {
        return None;
    }
    let extra: Value = serde_json::from_str(info.extra).ok()?;
    let block = extra.get("off_peak_pricing")?.as_object()?;
    if !is_off_peak(block, unix_seconds(at)) {
        return None;
    }
    let rate = |key: &str| block.get(key).and_then(parse_rate);
    Some(OffPeakRates {
        input: rate("input_cost_per_token"),
        output: rate("output_cost_per_token"),
        cache_read: rate("cache_read_input_token_cost"),
        cache_write: rate("cache_creation_input_token_cost"),
        reasoning: rate("output_cost_per_reasoning_token"),
    })
}

/// LiteLLM's `_parse_off_peak_rate`: numbers and numeric strings; booleans are not rates.
fn parse_rate(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// LiteLLM's `_is_off_peak`: a flat window, or a weekday rule's window, is open.
fn is_off_peak(block: &serde_json::Map<String, Value>, unix: i64) -> bool {
    let minute_of_day = unix.rem_euclid(86_400) / 60;
    if within_any(block.get("hours_utc"), minute_of_day) {
        return true;
    }
    let Some(Value::Array(rules)) = block.get("windows") else {
        return false;
    };
    let weekday = weekday_in(unix, block.get("weekday_timezone"));
    rules.iter().filter_map(Value::as_object).any(|rule| {
        !window_strings(rule.get("hours_utc")).is_empty()
            && matches_weekday(rule.get("weekdays"), weekday)
            && within_any(rule.get("hours_utc"), minute_of_day)
    })
}

fn window_strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `minute` (of the UTC day) falls in any of the windows; malformed
/// windows are ignored.
fn within_any(value: Option<&Value>, minute: i64) -> bool {
    window_strings(value).into_iter().any(|w| {
        let Some((start, end)) = parse_window(w) else {
            return false;
        };
        if start < end {
            start <= minute && minute < end
        } else {
            minute >= start || minute < end
        }
    })
}

/// `"HH:MM-HH:MM"` as minutes of the day (Python's `strptime("%H:%M")`:
/// one or two digits each, surrounding spaces allowed).
fn parse_window(window: &str) -> Option<(i64, i64)> {
    let mut parts = window.split('-');
    let (start, end) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((parse_clock(start.trim())?, parse_clock(end.trim())?))
}

fn parse_clock(clock: &str) -> Option<i64> {
    let (h, m) = clock.split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// LiteLLM's `_matches_weekdays`: an absent list means every day; numbers
/// 1..=7 and English day names count, anything else is skipped.
fn matches_weekday(weekdays: Option<&Value>, weekday: i64) -> bool {
    match weekdays {
        None | Some(Value::Null) => true,
        Some(Value::Array(days)) => days.iter().filter_map(weekday_number).any(|d| d == weekday),
        Some(_) => false,
    }
}

fn weekday_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().filter(|d| (1..=7).contains(d)),
        Value::String(s) => {
            let name = s.trim().to_ascii_lowercase();
            let day = match name.as_str() {
                "mon" | "monday" => 1,
                "tue" | "tues" | "tuesday" => 2,
                "wed" | "wednesday" => 3,
                "thu" | "thur" | "thurs" | "thursday" => 4,
                "fri" | "friday" => 5,
                "sat" | "saturday" => 6,
                "sun" | "sunday" => 7,
                _ => return None,
            };
            Some(day)
        }
        _ => None,
    }
}

/// The ISO weekday (1 = Monday) of `unix` on the calendar of `zone`.
fn weekday_in(unix: i64, zone: Option<&Value>) -> i64 {
    let offset = zone.and_then(Value::as_str).map_or(0, utc_offset_seconds);
    // 1970-01-01 was a Thursday (ISO 4).
    ((unix + offset).div_euclid(86_400) + 3).rem_euclid(7) + 1
}

/// The UTC offset of the zones whose offset never changes (no daylight
/// saving since well before any priced model); any other zone name reads as
/// UTC, which is also what LiteLLM does for a name its tz database lacks.
fn utc_offset_seconds(zone: &str) -> i64 {
    const HOUR: i64 = 3_600;
    match zone.trim() {
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "PRC" | "Asia/Hong_Kong"
        | "Asia/Taipei" | "Asia/Singapore" | "Asia/Kuala_Lumpur" | "Asia/Manila" => 8 * HOUR,
        "Asia/Tokyo" | "Asia/Seoul" => 9 * HOUR,
        "Asia/Kolkata" | "Asia/Calcutta" => 5 * HOUR + 30 * 60,
        "Asia/Dubai" => 4 * HOUR,
        "Europe/Moscow" => 3 * HOUR,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn block() -> serde_json::Map<String, Value> {
        serde_json::from_str(
            r#"{"input_cost_per_token":1.5e-7,"weekday_timezone":"Asia/Shanghai",
                "windows":[{"hours_utc":["00:00-01:00","04:00-06:00","10:00-00:00"],"weekdays":[1,2,3,4,5]},
                           {"hours_utc":"00:00-00:00","weekdays":[6,7]}]}"#,
        )
        .unwrap()
    }

    // 2025-01-15 was a Wednesday.
    const WED: i64 = 1_736_899_200;

    #[test]
    fn weekday_windows_open_and_close_at_their_edges() {
        let b = block();
        let at = |h: i64, m: i64| WED + h * 3600 + m * 60;
        assert!(is_off_peak(&b, at(0, 59)));
        assert!(!is_off_peak(&b, at(1, 0)));
        assert!(is_off_peak(&b, at(4, 0)));
        assert!(!is_off_peak(&b, at(6, 0)));
        assert!(!is_off_peak(&b, at(9, 59)));
        assert!(is_off_peak(&b, at(10, 0)));
        assert!(is_off_peak(&b, at(23, 59)));
    }

    #[test]
    fn weekdays_are_read_on_the_zone_calendar() {
        let b = block();
        // Sunday 2025-01-19 17:00 UTC is Monday 01:00 in Shanghai: a weekday rule, closed at 17:00.
        let sunday_evening = WED + 4 * 86_400 + 17 * 3600;
        assert_eq!(weekday_in(sunday_evening, None), 7);
        assert_eq!(
            weekday_in(sunday_evening, Some(&Value::from("Asia/Shanghai"))),
            1
        );
        assert!(is_off_peak(&b, sunday_evening)); // 17:00 is in 10:00-00:00 anyway
        let sunday_morning_utc = WED + 4 * 86_400 + 2 * 3600; // Sunday in both calendars
        assert!(is_off_peak(&b, sunday_morning_utc));
        // Friday 17:00 UTC is Saturday in Shanghai: the all-day rule.
        let friday_evening = WED + 2 * 86_400 + 17 * 3600;
        assert!(is_off_peak(&b, friday_evening));
        // Monday 07:00 UTC: peak in both calendars.
        assert!(!is_off_peak(&b, WED - 2 * 86_400 + 7 * 3600));
    }

    #[test]
    fn malformed_windows_are_ignored() {
        assert_eq!(parse_window("25:00-01:00"), None);
        assert_eq!(parse_window("0100"), None);
        assert_eq!(parse_window(" 4:05 - 06:00 "), Some((245, 360)));
        let b: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"hours_utc":["x-y", true], "windows":"nope"}"#).unwrap();
        assert!(!is_off_peak(&b, WED));
    }
}
