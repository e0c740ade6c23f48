//! Cohere's error body (`{"id", "message"}`) and status -> [`Error`]. The shared reader
//! (`upstream_error`) also recognises Cohere's "too many tokens" as a context-window
//! overflow; Cohere's own 498 (invalid token) is an authentication error.

use crate::error::Error;
use crate::providers::upstream_error::from_json_body;
use crate::providers::Target;

pub(crate) fn map_error(target: &Target, status: u16, body: &[u8]) -> Error {
    let as_status = if status == 498 { 401 } else { status };
    let mut err = from_json_body(target, as_status, body);
    err.upstream_status = Some(status);
    err
}
