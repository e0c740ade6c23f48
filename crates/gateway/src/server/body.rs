//! Reading a request body: size limit (413), content type (415), JSON (400),
//! all in the route's dialect, before anything else looks at it.

use axum::body::Body;
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Map, Value};

use crate::api_error::ApiError;

/// The body as a JSON object, or the failure to answer with.
pub async fn read_json(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    read_timeout: std::time::Duration,
) -> Result<Map<String, Value>, ApiError> {
    read_json_sized(headers, body, limit, read_timeout)
        .await
        .map(|(map, _)| map)
}

/// [`read_json`] and the body's length in bytes (a bound on its tokens).
pub async fn read_json_sized(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    read_timeout: std::time::Duration,
) -> Result<(Map<String, Value>, usize), ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or_default().to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or_default().trim();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(ApiError::new(
                415,
                format!("Content-Type `{essence}` is not supported: send `Content-Type: application/json`"),
            ));
        }
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    let read = tokio::time::timeout(read_timeout, Limited::new(body, limit).collect());
    let Ok(collected) = read.await else {
        return Err(ApiError::new(
            408,
            format!(
                "the request body did not arrive within {}s",
                read_timeout.as_secs_f64()
            ),
        ));
    };
    let bytes = match collected {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(too_large(limit)),
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "could not read the request body: {e}"
            )))
        }
    };
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty: send a JSON object",
        ));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok((map, bytes.len())),
        Ok(_) => Err(ApiError::bad_request(
            "the request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::bad_request(format!(
            "the request body is not valid JSON: {e}"
        ))),
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        413,
        format!("the request body exceeds the gateway's limit of {limit} bytes"),
    )
}
