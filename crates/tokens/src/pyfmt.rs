//! JSON values written out the way Python writes them, because LiteLLM counts
//! the tokens of text it formats with Python: `str()` of a tool call's
//! non-string arguments, f-strings of enum items, `json.dumps` of tool
//! schemas for some models' chat templates.

use serde_json::{Map, Number, Value};

/// Python's `str(value)` of the value `json.loads` would give: a string as
/// is, anything else as [`repr`].
pub fn str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)`: `None`, `True`, `'text'`, `[1, 2]`, `{'a': 1.0}`.
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

fn write_repr(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => out.push_str(&number_repr(number)),
        Value::String(text) => write_str_repr(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_str_repr(out, key);
                out.push_str(": ");
                write_repr(out, item);
            }
            out.push('}');
        }
    }
}

/// A Python string literal: single quotes unless the text has a single quote
/// and no double quote; unprintable characters escaped.
fn write_str_repr(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            _ if is_printable(ch) => out.push(ch),
            _ => {
                let code = u32::from(ch);
                let escaped = match code {
                    0..=0xff => format!("\\x{code:02x}"),
                    0x100..=0xffff => format!("\\u{code:04x}"),
                    _ => format!("\\U{code:08x}"),
                };
                out.push_str(&escaped);
            }
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable` for one character: false for
/// controls, format characters, separators other than the ASCII space, and
/// private-use or noncharacter code points. An approximation without the
/// Unicode database: unassigned code points count as printable.
fn is_printable(ch: char) -> bool {
    !matches!(
        u32::from(ch),
        0..=0x1f
            | 0x7f..=0xa0
            | 0xad
            | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x1680
            | 0x180e
            | 0x2000..=0x200f
            | 0x2028..=0x202f
            | 0x205f..=0x2064
            | 0x2066..=0x206f
            | 0x3000
            | 0xe000..=0xf8ff
            | 0xfdd0..=0xfdef
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0xfffe..=0xffff
            | 0x110bd
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
            | 0xf0000..
    )
}

/// A JSON number as Python prints it: integers in decimal, floats by
/// `float.__repr__` (shortest round-trip digits, `1.0`, `1e-05`, `1e+16`).
fn number_repr(number: &Number) -> String {
    if number.is_f64() {
        number
            .as_f64()
            .map_or_else(|| number.to_string(), float_repr)
    } else {
        number.to_string()
    }
}

fn float_repr(value: f64) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_owned();
    }
    // `{:e}` gives the shortest round-trip digits, e.g. "-1.2345e-7".
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else {
            let point = point as usize;
            if digits.len() <= point {
                format!("{digits}{}.0", "0".repeat(point - digits.len()))
            } else {
                format!("{}.{}", &digits[..point], &digits[point..])
            }
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{fraction}e{exponent_sign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

/// Python's `json.dumps(value, ensure_ascii=False)`, with the default
/// `", "`/`": "` separators or, when `compact`, `","`/`":"`.
pub(crate) fn json_dumps(value: &Value, compact: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, value, compact);
    out
}

/// `json.dumps` of an object given as ordered entries, for objects whose key
/// order is LiteLLM's rather than the caller's.
pub(crate) fn json_dumps_entries(entries: &[(&str, &Value)], compact: bool) -> String {
    let (item_separator, key_separator) = separators(compact);
    let mut out = String::from("{");
    for (index, (key, value)) in entries.iter().enumerate() {
        if index > 0 {
            out.push_str(item_separator);
        }
        write_json_string(&mut out, key);
        out.push_str(key_separator);
        write_json(&mut out, value, compact);
    }
    out.push('}');
    out
}

/// Python's `json.dumps(value, separators=(",", ":"))`, whose default
/// `ensure_ascii` writes every non-ASCII character as `\uXXXX`.
pub(crate) fn json_dumps_ascii_compact(value: &Value) -> String {
    ascii(&json_dumps(value, true))
}

/// Python's `json.dumps(value)` with every default: `", "`/`": "`
/// separators, every non-ASCII character as `\uXXXX`.
pub fn json_dumps_ascii(value: &Value) -> String {
    ascii(&json_dumps(value, false))
}

fn ascii(json: &str) -> String {
    let mut out = String::new();
    let mut units = [0u16; 2];
    // Outside strings the output is ASCII, so escaping every non-ASCII
    // character escapes exactly those inside strings.
    for ch in json.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            for unit in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

fn separators(compact: bool) -> (&'static str, &'static str) {
    if compact {
        (",", ":")
    } else {
        (", ", ": ")
    }
}

fn write_json(out: &mut String, value: &Value, compact: bool) {
    let (item_separator, key_separator) = separators(compact);
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number_repr(number)),
        Value::String(text) => write_json_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(item_separator);
                }
                write_json(out, item, compact);
            }
            out.push(']');
        }
        Value::Object(map) => write_json_object(out, map, item_separator, key_separator, compact),
    }
}

fn write_json_object(
    out: &mut String,
    map: &Map<String, Value>,
    item_separator: &str,
    key_separator: &str,
    compact: bool,
) {
    out.push('{');
    for (index, (key, item)) in map.iter().enumerate() {
        if index > 0 {
            out.push_str(item_separator);
        }
        write_json_string(out, key);
        out.push_str(key_separator);
        write_json(out, item, compact);
    }
    out.push('}');
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            _ if u32::from(ch) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(ch))),
            _ => out.push(ch),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_print_like_python() {
        for (value, python) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (-0.0, "-0.0"),
        ] {
            assert_eq!(float_repr(value), python, "{value}");
        }
    }

    #[test]
    fn repr_like_python() {
        // Keys in sorted order, so the test holds with or without serde_json's
        // `preserve_order`.
        let value = json!({"a": [1, 2.0, null, true], "b": "it's", "it's": "say \"hi\"\n"});
        assert_eq!(
            repr(&value),
            r#"{'a': [1, 2.0, None, True], 'b': "it's", "it's": 'say "hi"\n'}"#
        );
        assert_eq!(str(&json!("plain")), "plain");
        assert_eq!(
            repr(&json!("tab\there\u{7f}\u{a0}é")),
            r"'tab\there\x7f\xa0é'"
        );
    }

    #[test]
    fn json_dumps_like_python() {
        let value = json!({"name": "f", "ok": false, "x": [1, 1.5, "é\u{1}"]});
        assert_eq!(
            json_dumps(&value, false),
            r#"{"name": "f", "ok": false, "x": [1, 1.5, "é\u0001"]}"#
        );
        assert_eq!(json_dumps(&json!({"a": [1, 2]}), true), r#"{"a":[1,2]}"#);
        assert_eq!(
            json_dumps_ascii_compact(&json!(["é😀"])),
            r#"["\u00e9\ud83d\ude00"]"#
        );
    }
}
