//! Tokens of an `image_url` content part, by LiteLLM's OpenAI tile rule,
//! without any network access.
//!
//! `low` detail is 85 tokens. Otherwise the image is scaled to fit 2000×768
//! (short side 768, long side at most 2000) and costs 85 + 170 per 512×512
//! tile. `auto` reads the size only from an inline `data:image/...;base64,`
//! URL and counts 85 when it cannot. `high` reads it from an inline URL too;
//! for an http(s) URL LiteLLM downloads the image, which we never do: we
//! count LiteLLM's default size for an image it cannot read, 300×300, i.e.
//! 255 tokens.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde_json::Value;

const BASE_TOKENS: usize = 85;
const TILE_TOKENS: usize = 170;
const TILE_SIDE: u64 = 512;
const MAX_SHORT_SIDE: u64 = 768;
const MAX_LONG_SIDE: u64 = 2000;
/// LiteLLM's size for an image whose dimensions it cannot read.
const DEFAULT_SIZE: (u64, u64) = (300, 300);
/// LiteLLM reads inline images up to 50 MiB.
const MAX_IMAGE_BYTES: usize = 50 * 1024 * 1024;
const MAX_ENCODED_CHARS: usize = 4 * MAX_IMAGE_BYTES.div_ceil(3);
const MAX_HEADER_CHARS: usize = 128;

/// Tokens for the `image_url` value of a content part: `{"url", "detail"}`
/// or a bare URL string. `Err` carries why the shape is unusable.
pub(crate) fn image_url_tokens(image_url: Option<&Value>) -> Result<usize, String> {
    match image_url {
        Some(Value::Object(fields)) => {
            let detail = match fields.get("detail") {
                None => "auto",
                Some(Value::String(detail))
                    if ["low", "high", "auto"].contains(&detail.as_str()) =>
                {
                    detail.as_str()
                }
                Some(other) => {
                    return Err(format!(
                        "invalid image detail {other}; expected low, high or auto"
                    ))
                }
            };
            match fields.get("url") {
                Some(Value::String(url)) if !url.is_empty() => image_tokens(url, detail),
                // LiteLLM reads no URL for `low`, so any truthy one will do.
                Some(url) if detail == "low" && crate::tools::truthy(url) => Ok(BASE_TOKENS),
                _ => Err("image_url has no url".to_owned()),
            }
        }
        Some(Value::String(url)) if !url.trim().is_empty() => image_tokens(url, "auto"),
        Some(Value::String(_)) => Err("image_url is empty".to_owned()),
        _ => Err("image_url must be a URL string or an object with a url".to_owned()),
    }
}

/// Tokens of an `auto` detail image: tiles when the URL is a readable
/// inline image, 85 otherwise.
pub(crate) fn auto_detail_tokens(url: &str) -> usize {
    inline_size(url)
        .and_then(|(width, height)| tile_tokens(width, height))
        .unwrap_or(BASE_TOKENS)
}

fn image_tokens(url: &str, detail: &str) -> Result<usize, String> {
    match detail {
        "low" => Ok(BASE_TOKENS),
        "high" => high_detail_size(url).and_then(|(width, height)| {
            tile_tokens(width, height).ok_or_else(|| "image has a zero-length side".to_owned())
        }),
        _ => Ok(auto_detail_tokens(url)),
    }
}

/// The size of a bounded, strictly valid inline PNG, GIF, JPEG or WebP.
fn inline_size(url: &str) -> Option<(u64, u64)> {
    if !url.starts_with("data:image/") || url.len() > MAX_ENCODED_CHARS + MAX_HEADER_CHARS {
        return None;
    }
    let (header, encoded) = url.split_once(',')?;
    if header.chars().count() > MAX_HEADER_CHARS
        || !header.ends_with(";base64")
        || encoded.len() > MAX_ENCODED_CHARS
    {
        return None;
    }
    let bytes = python_b64decode(encoded, true)?;
    if bytes.len() > MAX_IMAGE_BYTES
        || !matches!(
            image_kind(&bytes),
            Some(ImageKind::Png | ImageKind::Gif | ImageKind::Jpeg | ImageKind::Webp)
        )
    {
        return None;
    }
    let (width, height) = dimensions(&bytes)?;
    (width > 0 && height > 0).then_some((width, height))
}

/// The size LiteLLM works out for a `high` detail image, short of
/// downloading one: any inline image after the first comma, or the default.
fn high_detail_size(url: &str) -> Result<(u64, u64), String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        return Ok(DEFAULT_SIZE);
    }
    let (_, encoded) = url
        .split_once(',')
        .ok_or_else(|| "image_url is neither an http(s) URL nor a data URL".to_owned())?;
    let bytes =
        python_b64decode(encoded, false).ok_or_else(|| "image data is not base64".to_owned())?;
    dimensions(&bytes).ok_or_else(|| "image data is truncated".to_owned())
}

/// 85 + 170 per 512-pixel tile once scaled into 2000×768; `None` for a
/// zero-length side that would need scaling.
fn tile_tokens(width: u64, height: u64) -> Option<usize> {
    let (width, height) = fit_high_res(width, height)?;
    let tiles = width.div_ceil(TILE_SIDE) * height.div_ceil(TILE_SIDE);
    Some(BASE_TOKENS + TILE_TOKENS * usize::try_from(tiles).ok()?)
}

/// LiteLLM's scaling, float for float: the short side becomes 768 (up or
/// down) unless both sides already fit; then the long side is capped at 2000.
fn fit_high_res(width: u64, height: u64) -> Option<(u64, u64)> {
    if width <= MAX_SHORT_SIDE && height <= MAX_SHORT_SIDE {
        return Some((width, height));
    }
    let (longer, shorter) = (width.max(height), width.min(height));
    if shorter == 0 {
        return None;
    }
    let aspect = longer as f64 / shorter as f64;
    let scale = |side: u64| -> u64 { (side as f64 * aspect) as u64 };
    let shrink = |side: u64| -> u64 { (side as f64 / aspect) as u64 };
    Some(if width <= height {
        let resized = scale(MAX_SHORT_SIDE);
        if resized > MAX_LONG_SIDE {
            (shrink(MAX_LONG_SIDE), MAX_LONG_SIDE)
        } else {
            (MAX_SHORT_SIDE, resized)
        }
    } else {
        let resized = scale(MAX_SHORT_SIDE);
        if resized > MAX_LONG_SIDE {
            (MAX_LONG_SIDE, shrink(MAX_LONG_SIDE))
        } else {
            (resized, MAX_SHORT_SIDE)
        }
    })
}

/// Python's `base64.b64decode(text, validate=...)`: with `validate`, only
/// the alphabet then at most two `=`; without, other characters are
/// skipped. Padding that completes a group ends the data; a group left
/// incomplete is an error, as are trailing bits it ignores silently.
fn python_b64decode(text: &str, validate: bool) -> Option<Vec<u8>> {
    let is_alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    if validate {
        let data_end = text
            .bytes()
            .position(|b| !is_alphabet(b))
            .unwrap_or(text.len());
        let padding = &text.as_bytes()[data_end..];
        if padding.len() > 2 || padding.iter().any(|&b| b != b'=') {
            return None;
        }
    }
    let mut data = Vec::with_capacity(text.len());
    let mut pads = 0;
    let mut complete = false;
    for byte in text.bytes() {
        if is_alphabet(byte) {
            data.push(byte);
        } else if byte == b'=' && data.len() % 4 >= 2 {
            pads += 1;
            if data.len() % 4 + pads >= 4 {
                complete = true;
                break;
            }
        }
    }
    if !complete && data.len() % 4 != 0 {
        return None;
    }
    let lenient = GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone);
    GeneralPurpose::new(&alphabet::STANDARD, lenient)
        .decode(&data)
        .ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    Png,
    Gif,
    Jpeg,
    Heic,
    Webp,
}

/// The image format by its magic bytes, tested in LiteLLM's order.
fn image_kind(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(b"GIF8") && bytes.get(5) == Some(&b'a') {
        Some(ImageKind::Gif)
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some(ImageKind::Jpeg)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Some(ImageKind::Heic)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

/// Width and height from the image header; the default size for a format
/// it cannot read; `None` when a header it can read is truncated.
fn dimensions(bytes: &[u8]) -> Option<(u64, u64)> {
    let le = |range: std::ops::Range<usize>| -> Option<u64> {
        let slice = bytes.get(range)?;
        Some(
            slice
                .iter()
                .rev()
                .fold(0, |acc, &b| (acc << 8) | u64::from(b)),
        )
    };
    let be = |range: std::ops::Range<usize>| -> Option<u64> {
        let slice = bytes.get(range)?;
        Some(slice.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b)))
    };
    match image_kind(bytes) {
        Some(ImageKind::Png) => Some((be(16..20)?, be(20..24)?)),
        Some(ImageKind::Gif) => Some((le(6..8)?, le(8..10)?)),
        Some(ImageKind::Jpeg) => jpeg_dimensions(bytes),
        Some(ImageKind::Webp) => match bytes.get(12..16) {
            Some(b"VP8X") => Some((le(24..27)? + 1, le(27..30)? + 1)),
            Some(b"VP8 ") => Some((le(26..28)? & 0x3fff, le(28..30)? & 0x3fff)),
            Some(b"VP8L") => {
                let bits = le(21..25)?;
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            _ => Some(DEFAULT_SIZE),
        },
        Some(ImageKind::Heic) | None => Some(DEFAULT_SIZE),
    }
}

/// Walks JPEG segments to the first start-of-frame marker (C0..CF except
/// C4, C8, CC) and reads its height and width, as LiteLLM does.
fn jpeg_dimensions(bytes: &[u8]) -> Option<(u64, u64)> {
    let read_u16 = |at: usize| -> Option<u64> {
        let pair = bytes.get(at..at + 2)?;
        Some(u64::from(pair[0]) << 8 | u64::from(pair[1]))
    };
    let mut position: usize = 0;
    let mut skip: i64 = 2;
    // Each pass reads at least three bytes, so this bounds a malformed file.
    for _ in 0..=bytes.len() {
        position = usize::try_from((position as i64 + skip).max(0)).ok()?;
        let mut marker = *bytes.get(position)?;
        position += 1;
        while marker == 0xff {
            marker = *bytes.get(position)?;
            position += 1;
        }
        let length = read_u16(position)?;
        position += 2;
        if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
            let height = read_u16(position + 1)?;
            let width = read_u16(position + 3)?;
            return Some((width, height));
        }
        skip = length as i64 - 2;
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    fn png(width: u32, height: u32) -> String {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0]);
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn detail_and_size() {
        let tokens = |url: &str, detail: &str| {
            image_url_tokens(Some(&json!({"url": url, "detail": detail}))).unwrap()
        };
        assert_eq!(tokens("https://example.com/a.png", "low"), 85);
        assert_eq!(tokens("https://example.com/a.png", "auto"), 85);
        assert_eq!(tokens("https://example.com/a.png", "high"), 255);
        assert_eq!(tokens(&png(1024, 1024), "auto"), 85 + 170 * 4);
        assert_eq!(tokens(&png(4096, 1024), "high"), 85 + 170 * 4);
        assert_eq!(tokens(&png(100, 100), "low"), 85);
    }

    #[test]
    fn scaling_matches_litellm() {
        assert_eq!(fit_high_res(500, 700), Some((500, 700)));
        assert_eq!(fit_high_res(1024, 1024), Some((768, 768)));
        assert_eq!(fit_high_res(100, 1000), Some((200, 2000)));
        assert_eq!(fit_high_res(4000, 3000), Some((1024, 768)));
        assert_eq!(fit_high_res(0, 1000), None);
    }

    #[test]
    fn bad_shapes() {
        assert!(image_url_tokens(None).is_err());
        assert!(image_url_tokens(Some(&json!({"url": ""}))).is_err());
        assert!(image_url_tokens(Some(&json!({"url": "x", "detail": null}))).is_err());
        assert!(image_url_tokens(Some(&json!("  "))).is_err());
        assert_eq!(image_url_tokens(Some(&json!("https://x/y.png"))), Ok(85));
    }

    #[test]
    fn base64_like_python() {
        assert_eq!(python_b64decode("aGk=", true), Some(b"hi".to_vec()));
        assert_eq!(python_b64decode("aGk", true), None);
        assert_eq!(python_b64decode("aG k=", true), None);
        assert_eq!(python_b64decode("aG k=", false), Some(b"hi".to_vec()));
        assert_eq!(python_b64decode("aGl=", true), Some(b"hi".to_vec()));
        assert_eq!(python_b64decode("a", true), None);
    }

    #[test]
    fn malformed_jpeg_ends() {
        assert_eq!(jpeg_dimensions(b"\xff\xd8\xff\xe0\x00\x00"), None);
        let sof = b"\xff\xd8\xff\xc0\x00\x11\x08\x01\x00\x02\x00";
        assert_eq!(jpeg_dimensions(sof), Some((512, 256)));
    }
}
