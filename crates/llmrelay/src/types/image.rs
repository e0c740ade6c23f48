//! Image generation requests and responses, OpenAI's `POST /images/generations` shape.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

/// An image generation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageGenerationRequest {
    /// Model name, with or without a `provider/` prefix.
    pub model: String,
    /// What to draw.
    pub prompt: String,
    /// How many images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// `WIDTHxHEIGHT` (`1024x1024`) or `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `standard`, `hd`, `low`, `medium`, `high`, `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    /// `url` or `b64_json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    /// `vivid` or `natural` (DALL-E 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ImageGenerationRequest {
    /// A request drawing `prompt` with `model`.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        ImageGenerationRequest {
            model: model.into(),
            prompt: prompt.into(),
            n: None,
            size: None,
            quality: None,
            response_format: None,
            style: None,
            user: None,
            extra: Extra::new(),
        }
    }

    /// The requested size as `(width, height)`; `None` when unset or `auto`.
    /// A size that is neither is the caller's error, named in the message.
    pub fn dimensions(&self) -> Result<Option<(u32, u32)>, String> {
        let Some(size) = self.size.as_deref() else {
            return Ok(None);
        };
        if size == "auto" {
            return Ok(None);
        }
        let parsed = size.split_once('x').and_then(|(w, h)| {
            Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)).filter(|&(w, h)| w > 0 && h > 0)
        });
        parsed.map(Some).ok_or_else(|| {
            format!(
                "invalid image size `{size}`: expected WIDTHxHEIGHT (such as 1024x1024) or auto"
            )
        })
    }
}

/// An image generation response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageResponse {
    /// Unix seconds.
    #[serde(default)]
    pub created: u64,
    /// One entry per image.
    #[serde(default)]
    pub data: Vec<ImageData>,
    /// Token counts (`gpt-image-1`), as the provider sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Value>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
    /// What the call cost in US dollars, when the catalog prices the model.
    #[serde(skip)]
    pub cost: Option<f64>,
}

/// One generated image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageData {
    /// Where to fetch it (`response_format: url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The image itself, base64 (`response_format: b64_json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64_json: Option<String>,
    /// The prompt as the model rewrote it (DALL-E 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_prompt: Option<String>,
    /// Any other field.
    #[serde(flatten)]
    pub extra: Extra,
}
