//! Failures as the client's own API words them: OpenAI's error JSON on
//! OpenAI routes, Anthropic's on Anthropic routes, with the status LiteLLM's
//! taxonomy gives each kind. A message never carries a key: SDK errors are
//! redacted at the source and the gateway's own messages never quote one.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use llmrelay::{Error, ErrorKind};
use serde_json::json;

/// Which API's error shape a route answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `{"error": {"message", "type", "param", "code"}}`.
    OpenAi,
    /// `{"type": "error", "error": {"type", "message"}}`.
    Anthropic,
}

/// A failure to answer a request, before it is rendered in a dialect.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for a person.
    pub message: String,
    /// The request field at fault, when one is.
    pub param: Option<String>,
    /// The taxonomy entry, when the failure is one (upstream errors, bad requests).
    pub kind: Option<ErrorKind>,
    /// Seconds the client should wait (429s), sent as `Retry-After`.
    pub retry_after_secs: Option<u64>,
    /// OpenAI's error `type` when the status alone does not say it
    /// (LiteLLM's `budget_exceeded`).
    pub error_type: Option<&'static str>,
}

impl ApiError {
    /// A failure with `status` and `message`.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            param: None,
            kind: None,
            retry_after_secs: None,
            error_type: None,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            kind: Some(ErrorKind::BadRequest),
            ..ApiError::new(400, message)
        }
    }

    /// 401: no key, or not a key this gateway knows.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError {
            kind: Some(ErrorKind::Authentication),
            ..ApiError::new(401, message)
        }
    }

    /// Names the request field at fault.
    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    /// 403: the caller may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            kind: Some(ErrorKind::PermissionDenied),
            ..ApiError::new(403, message)
        }
    }

    /// OpenAI's error `type` for this failure.
    pub fn openai_type(&self) -> &'static str {
        if let Some(t) = self.error_type {
            return t;
        }
        match self.status {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            408 => "timeout_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            s if s >= 500 => "api_error",
            _ => "invalid_request_error",
        }
    }

    /// Anthropic's error `type` for this failure.
    pub fn anthropic_type(&self) -> &'static str {
        match self.status {
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            503 | 529 => "overloaded_error",
            408 | 504 => "timeout_error",
            s if s >= 500 => "api_error",
            _ => "invalid_request_error",
        }
    }

    /// The body of this failure in `dialect`.
    pub fn body(&self, dialect: Dialect) -> serde_json::Value {
        match dialect {
            Dialect::OpenAi => json!({"error": {
                "message": self.message,
                "type": self.openai_type(),
                "param": self.param,
                "code": self.status.to_string(),
            }}),
            Dialect::Anthropic => json!({"type": "error", "error": {
                "type": self.anthropic_type(),
                "message": self.message,
            }}),
        }
    }

    /// The HTTP response of this failure in `dialect`.
    pub fn into_response(self, dialect: Dialect) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = json_response(status, &self.body(dialect));
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
        }
        response
    }
}

/// A request an ingress translation refused: a 400 naming its field.
impl From<llmrelay_ingress::IngressError> for ApiError {
    fn from(err: llmrelay_ingress::IngressError) -> Self {
        let api = ApiError::bad_request(err.message);
        match err.param {
            Some(param) => api.with_param(param),
            None => api,
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let mut message = err.to_string();
        if !err.suggestions().is_empty() {
            message = format!("{message} (did you mean: {})", err.suggestions().join(", "));
        }
        ApiError {
            status: err.status(),
            message,
            param: None,
            kind: Some(err.kind),
            retry_after_secs: err
                .retry_after
                .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0)),
            error_type: None,
        }
    }
}

impl From<llmrelay_control::AuthError> for ApiError {
    fn from(err: llmrelay_control::AuthError) -> Self {
        use llmrelay_control::AuthError;
        let status = err.http_status();
        let message = match status {
            401 | 403 => format!("Authentication Error: {err}"),
            _ => err.to_string(),
        };
        let mut api = ApiError::new(status, message);
        api.kind = Some(match status {
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            429 => ErrorKind::RateLimit,
            _ => ErrorKind::ServiceUnavailable,
        });
        match &err {
            AuthError::BudgetExceeded { .. } => {
                api.message = format!("Budget has been exceeded: {err}");
                api.error_type = Some("budget_exceeded");
            }
            AuthError::RateLimited { retry_after_s, .. } if *retry_after_s > 0 => {
                api.retry_after_secs = Some(*retry_after_s);
            }
            _ => {}
        }
        api
    }
}

impl From<llmrelay_control::ControlError> for ApiError {
    fn from(err: llmrelay_control::ControlError) -> Self {
        use llmrelay_control::ControlError;
        match &err {
            ControlError::Validation(_) => ApiError::bad_request(err.to_string()),
            ControlError::NotFound { .. } => ApiError {
                kind: Some(ErrorKind::NotFound),
                ..ApiError::new(404, err.to_string())
            },
            // Database errors can quote connection details: only the kind is said.
            ControlError::Database(_) | ControlError::Migrate(_) => ApiError {
                kind: Some(ErrorKind::ServiceUnavailable),
                ..ApiError::new(503, "the key database is unavailable; try again")
            },
            _ => ApiError {
                kind: Some(ErrorKind::InternalServer),
                ..ApiError::new(500, err.to_string())
            },
        }
    }
}

/// A JSON response with `status`.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A failure together with the dialect to render it in: what handlers return.
#[derive(Debug)]
pub struct Failure {
    /// The route's dialect.
    pub dialect: Dialect,
    /// The failure.
    pub error: ApiError,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        self.error.into_response(self.dialect)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Duration;

    #[test]
    fn openai_shape_carries_type_param_and_code() {
        let e = ApiError::bad_request("`messages` is required").with_param("messages");
        assert_eq!(
            e.body(Dialect::OpenAi),
            json!({"error": {"message": "`messages` is required", "type": "invalid_request_error",
                             "param": "messages", "code": "400"}})
        );
    }

    #[test]
    fn anthropic_shape_has_its_type_names() {
        let e = ApiError::unauthorized("no key");
        assert_eq!(
            e.body(Dialect::Anthropic),
            json!({"type": "error", "error": {"type": "authentication_error", "message": "no key"}})
        );
        let overloaded = ApiError::from(Error::new(ErrorKind::ServiceUnavailable, "busy"));
        assert_eq!(
            overloaded.body(Dialect::Anthropic)["error"]["type"],
            "overloaded_error"
        );
    }

    #[test]
    fn sdk_errors_keep_their_status_and_retry_after() {
        let mut err = Error::new(ErrorKind::RateLimit, "slow down");
        err.retry_after = Some(Duration::from_millis(1500));
        let api = ApiError::from(err);
        assert_eq!(api.status, 429);
        assert_eq!(api.retry_after_secs, Some(2));
        assert_eq!(api.message, "RateLimitError: slow down");
        let response = api.into_response(Dialect::OpenAi);
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "2");
    }

    #[test]
    fn each_kind_maps_to_litellms_status() {
        for (kind, status) in [
            (ErrorKind::Authentication, 401),
            (ErrorKind::NotFound, 404),
            (ErrorKind::Timeout, 408),
            (ErrorKind::ContextWindowExceeded, 400),
            (ErrorKind::InternalServer, 500),
            (ErrorKind::ApiConnection, 500),
            (ErrorKind::ServiceUnavailable, 503),
        ] {
            assert_eq!(
                ApiError::from(Error::new(kind, "x")).status,
                status,
                "{kind:?}"
            );
        }
    }
}
