//! Rerank both ways: `RerankRequest` -> `POST /v2/rerank` body, and its answer
//! (`{id, results: [{index, relevance_score}], meta}`) -> `RerankResponse`.
//! Cohere's v2 takes documents as plain strings and never returns them; the
//! client adds them back when the caller asked (`return_documents`).

use bytes::Bytes;
use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::providers::http::json_body;
use crate::providers::upstream_error::unreadable;
use crate::providers::Target;
use crate::types::{RerankRequest, RerankResponse};

#[derive(Serialize)]
struct RerankBody<'a> {
    model: &'a str,
    query: &'a str,
    documents: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_n: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens_per_doc: Option<u32>,
}

pub(crate) fn rerank_body(target: &Target, request: &RerankRequest) -> Result<Bytes, Error> {
    let documents = (0..request.documents.len())
        .map(|i| {
            request.document_text(i).ok_or_else(|| {
                target.error(
                    ErrorKind::BadRequest,
                    format!("document {i} is neither a string nor an object with a `text` string"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    json_body(
        target,
        &RerankBody {
            model: &target.model,
            query: &request.query,
            documents,
            top_n: request.top_n,
            max_tokens_per_doc: request.max_tokens_per_doc,
        },
    )
}

pub(crate) fn parse_rerank(target: &Target, body: &[u8]) -> Result<RerankResponse, Error> {
    serde_json::from_slice(body).map_err(|e| unreadable(target, "Cohere", &e))
}
