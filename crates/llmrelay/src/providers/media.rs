//! Where an image or file of a message lives: at an `http(s)` URL, or inline as a base64
//! `data:` URL. Providers that take media as "URL or base64 + media type" (Anthropic,
//! Cohere, Gemini, Bedrock) classify it here once, so a malformed reference is the same
//! typed error everywhere instead of a provider 400 or a panic.

/// A media reference, borrowed from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media<'a> {
    /// `http://` or `https://`.
    Url(&'a str),
    /// `data:<media_type>;base64,<data>`.
    Base64 { media_type: &'a str, data: &'a str },
}

/// Why a reference is not usable; the message names what is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaError {
    /// Neither an `http(s)` URL nor a `data:` URL.
    NotUrl,
    /// A `data:` URL that is not base64, or has no media type, or whose payload is not
    /// base64 text.
    NotBase64,
}

impl MediaError {
    /// A sentence for the caller, naming what `what` (an image, a file) must be.
    pub(crate) fn describe(self, what: &str) -> String {
        match self {
            MediaError::NotUrl => format!(
                "{what} must be an http(s) URL or a base64 data URL (data:<media type>;base64,<data>)"
            ),
            MediaError::NotBase64 => format!(
                "{what} is a data URL but not a base64 one with a media type \
                 (data:<media type>;base64,<data>)"
            ),
        }
    }
}

/// Classifies `url`. Base64 payloads are checked for their alphabet only (a linear scan),
/// not decoded: the provider decodes them.
pub(crate) fn parse(url: &str) -> Result<Media<'_>, MediaError> {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("data:") {
        let (meta, data) = rest.split_once(',').ok_or(MediaError::NotBase64)?;
        let media_type = meta
            .strip_suffix(";base64")
            .filter(|m| !m.is_empty())
            .ok_or(MediaError::NotBase64)?;
        let base64_text = data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
        if data.is_empty() || !base64_text {
            return Err(MediaError::NotBase64);
        }
        // Parameters such as `;charset=...` are not part of the media type.
        let media_type = media_type.split(';').next().unwrap_or(media_type);
        return Ok(Media::Base64 { media_type, data });
    }
    let lower_scheme = url
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower_scheme.starts_with("http://") || lower_scheme.starts_with("https://") {
        return Ok(Media::Url(url));
    }
    Err(MediaError::NotUrl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_urls_and_base64_data_urls() {
        assert_eq!(
            parse("https://example.com/a.png"),
            Ok(Media::Url("https://example.com/a.png"))
        );
        assert_eq!(
            parse("data:image/png;base64,iVBORw0KGgo="),
            Ok(Media::Base64 {
                media_type: "image/png",
                data: "iVBORw0KGgo="
            })
        );
        assert_eq!(
            parse("data:application/pdf;name=a.pdf;base64,JVBERi0x"),
            Ok(Media::Base64 {
                media_type: "application/pdf",
                data: "JVBERi0x"
            })
        );
    }

    #[test]
    fn rejects_what_is_neither() {
        assert_eq!(parse("a.png"), Err(MediaError::NotUrl));
        assert_eq!(parse("ftp://x/a.png"), Err(MediaError::NotUrl));
        assert_eq!(parse(""), Err(MediaError::NotUrl));
        assert_eq!(parse("data:image/png,rawbytes"), Err(MediaError::NotBase64));
        assert_eq!(parse("data:;base64,AAAA"), Err(MediaError::NotBase64));
        assert_eq!(parse("data:image/png;base64,"), Err(MediaError::NotBase64));
        assert_eq!(
            parse("data:image/png;base64,not base64!"),
            Err(MediaError::NotBase64)
        );
        assert_eq!(parse("data:image/png"), Err(MediaError::NotBase64));
        assert!(MediaError::NotUrl
            .describe("an image")
            .contains("http(s) URL"));
    }
}
