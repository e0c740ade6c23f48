"""llmrelay: one OpenAI-format API to every LLM provider, with LiteLLM's names.

    import llmrelay
    r = llmrelay.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    print(r.choices[0].message.content, r._hidden_params["response_cost"])

Importing defines functions and classes and nothing else: the async runtime,
the HTTP client and the tokenizers are created by the first call that needs
them, and nothing is ever read from the network but the calls you make.
"""

from llmrelay._llmrelay import (
    Choices,
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    CompletionTokensDetailsWrapper,
    CustomStreamWrapper,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    Message,
    ModelCostMap,
    ModelResponse,
    ModelResponseStream,
    OpenAIObject,
    PromptTokensDetailsWrapper,
    StreamingChoices,
    Usage,
    _acompletion,
    _aembedding,
    completion,
    completion_cost,
    cost_per_token,
    decode,
    embedding,
    encode,
    get_llm_provider,
    get_max_tokens,
    get_model_info,
    register_model,
    stream_chunk_builder,
    supports_audio_input,
    supports_audio_output,
    supports_function_calling,
    supports_parallel_function_calling,
    supports_pdf_input,
    supports_prompt_caching,
    supports_reasoning,
    supports_response_schema,
    supports_system_messages,
    supports_tool_choice,
    supports_vision,
    supports_web_search,
    token_counter,
)
from llmrelay.exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    AuthenticationError,
    BadGatewayError,
    BadRequestError,
    ContentPolicyViolationError,
    ContextWindowExceededError,
    InternalServerError,
    ModelNotMappedError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    RejectedRequestError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
    UnsupportedParamsError,
)

__version__ = "0.1.0"

# Module-level settings, as in LiteLLM; a call's own keyword argument wins.
drop_params = False
num_retries = None
api_key = None
api_base = None
request_timeout = None

#: LiteLLM's ``model_cost``: a read-only mapping over the built-in catalog.
model_cost = ModelCostMap()


async def acompletion(model, messages=None, **kwargs):
    """LiteLLM's ``acompletion``: ``completion`` for asyncio (``stream=True``
    gives an async iterator)."""
    return await _acompletion(model, messages, **kwargs)


async def aembedding(model, input=None, **kwargs):
    """LiteLLM's ``aembedding``."""
    return await _aembedding(model, input, **kwargs)
