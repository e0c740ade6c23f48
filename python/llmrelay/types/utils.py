"""LiteLLM's ``litellm.types.utils``: the response classes users construct
and check (``ModelResponse``, ``Choices``, ``Delta``, ``Message``,
``Usage``...). The classes are the native module's; this module only names
them at LiteLLM's path."""

from llmrelay._llmrelay import (
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    CompletionTokensDetailsWrapper,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    Message,
    ModelResponse,
    ModelResponseStream,
    PromptTokensDetailsWrapper,
    ResponsesAPIResponse,
    StreamingChoices,
    TextChoices,
    TextCompletionResponse,
    TranscriptionResponse,
    Usage,
)

# LiteLLM names the token-detail classes both ways.
PromptTokensDetails = PromptTokensDetailsWrapper
CompletionTokensDetails = CompletionTokensDetailsWrapper

__all__ = [
    "ChatCompletionDeltaToolCall",
    "ChatCompletionMessageToolCall",
    "Choices",
    "CompletionTokensDetails",
    "CompletionTokensDetailsWrapper",
    "Delta",
    "Embedding",
    "EmbeddingResponse",
    "Function",
    "Message",
    "ModelResponse",
    "ModelResponseStream",
    "TextChoices",
    "TextCompletionResponse",
    "TranscriptionResponse",
    "PromptTokensDetails",
    "PromptTokensDetailsWrapper",
    "ResponsesAPIResponse",
    "StreamingChoices",
    "Usage",
]
