//! The one failure a translation has: the request does not fit the API it
//! claims to be (a field of the wrong shape, a feature chat cannot honour).

/// A request the translation refuses, naming the field at fault when one is.
/// Callers render it their own way: the gateway as OpenAI's or Anthropic's
/// 400, the Python package as LiteLLM's `BadRequestError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IngressError {
    /// What is wrong, for a person.
    pub message: String,
    /// The request field at fault (`tools[2]`, `input[0]`), when one is.
    pub param: Option<String>,
}

impl IngressError {
    /// A refusal saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        IngressError {
            message: message.into(),
            param: None,
        }
    }

    /// Names the request field at fault.
    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }
}
