//! OpenAI's chat-completions, embeddings, moderations, images and audio API: the unified format itself,
//! so translation is a pass-through plus the provider's parameter rules.
//! Every OpenAI-compatible provider of the catalog runs through here, and
//! Azure sends the same bodies to other URLs.

pub(crate) mod audio;
pub(crate) mod error;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod stream;

use std::time::SystemTime;

use bytes::Bytes;

use super::http::json_body;
use super::{HttpRequest, Method, Provider, Target};
use crate::error::Error;
use crate::types::{ChatRequest, EmbeddingRequest, ImageGenerationRequest, ModerationRequest};

/// Where an OpenAI-format API serves each endpoint.
pub(crate) trait Endpoints {
    /// The URL of `endpoint` (`chat/completions`, `embeddings`, `models`).
    fn url(target: &Target, endpoint: &str) -> String;
    /// Whether the inference API lists its models at `models`.
    const LISTS_MODELS: bool;
}

/// `{api_base}/{endpoint}`: OpenAI and every OpenAI-compatible provider.
pub(crate) struct BaseUrl;

impl Endpoints for BaseUrl {
    const LISTS_MODELS: bool = true;

    fn url(target: &Target, endpoint: &str) -> String {
        format!("{}/{endpoint}", target.api_base)
    }
}

/// OpenAI and the OpenAI-compatible family.
pub(crate) const OPENAI: Provider = format::<BaseUrl>();

/// OpenAI's format at the URLs `E` gives: one table for OpenAI, the
/// OpenAI-compatible family and Azure.
pub(crate) const fn format<E: Endpoints>() -> Provider {
    Provider {
        chat_request: chat_request::<E>,
        parse_chat: |target, body, _| response::parse_chat(target, body),
        embedding_request: embedding_request::<E>,
        parse_embedding: response::parse_embedding,
        models_request: models_request::<E>,
        parse_models: response::parse_models,
        moderation_request: |target, request| {
            let upstream = ModerationRequest {
                model: target.model.clone(),
                ..request.clone()
            };
            let body = json_body(target, &upstream)?;
            Ok(HttpRequest::post(
                target,
                E::url(target, "moderations"),
                body,
            ))
        },
        parse_moderation: response::parse_json,
        image_request: |target, request| {
            let upstream = ImageGenerationRequest {
                model: target.model.clone(),
                ..request.clone()
            };
            let body = json_body(target, &upstream)?;
            Ok(HttpRequest::post(
                target,
                E::url(target, "images/generations"),
                body,
            ))
        },
        parse_image: response::parse_json,
        speech_request: |target, request| {
            let body = audio::speech_body(target, request)?;
            Ok(HttpRequest::post(
                target,
                E::url(target, "audio/speech"),
                body,
            ))
        },
        transcription_request: |target, request| {
            let (content_type, body) = audio::transcription_form(target, request);
            let url = E::url(target, "audio/transcriptions");
            Ok(HttpRequest::with_type(
                target,
                Method::Post,
                url,
                content_type,
                body,
            ))
        },
        parse_transcription: audio::parse_transcription,
        ..Provider::CHAT_ONLY
    }
}

fn chat_request<E: Endpoints>(
    target: &Target,
    request: &ChatRequest,
    _now: SystemTime,
) -> Result<HttpRequest, Error> {
    let body = request::chat_body(target, request)?;
    Ok(HttpRequest::post(
        target,
        E::url(target, "chat/completions"),
        body,
    ))
}

fn embedding_request<E: Endpoints>(
    target: &Target,
    request: &EmbeddingRequest,
    _now: SystemTime,
) -> Result<HttpRequest, Error> {
    let body = request::embedding_body(target, request)?;
    Ok(HttpRequest::post(
        target,
        E::url(target, "embeddings"),
        body,
    ))
}

fn models_request<E: Endpoints>(target: &Target) -> Result<HttpRequest, Error> {
    if !E::LISTS_MODELS {
        return Err(super::not_offered(
            target,
            "a model list in its inference API",
        ));
    }
    let url = E::url(target, "models");
    Ok(HttpRequest::json(target, Method::Get, url, Bytes::new()))
}
