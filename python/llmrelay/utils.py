"""LiteLLM's ``litellm.utils`` path: the names code imports from it, each
defined elsewhere in llmrelay (this module only gathers them; llmrelay has no
god-module). Loading it loads the helper modules, not the catalog."""

from llmrelay import (
    CustomStreamWrapper,
    ModelResponse,
    ModelResponseStream,
    completion_cost,
    cost_per_token,
    decode,
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
from llmrelay.environment import check_valid_key, get_secret, get_secret_bool, validate_environment
from llmrelay.messages import function_to_dict, trim_messages
from llmrelay.model_lists import get_model_cost_map, get_valid_models
from llmrelay.openai_params import get_supported_openai_params
from llmrelay.response_objects import convert_to_model_response_object
from llmrelay.types.utils import (
    ChatCompletionDeltaToolCall,
    ChatCompletionMessageToolCall,
    Choices,
    Delta,
    Embedding,
    EmbeddingResponse,
    Function,
    Message,
    StreamingChoices,
    Usage,
)
from llmrelay.exceptions import (  # noqa: F401  (LiteLLM code imports them from utils)
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ContextWindowExceededError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
    UnsupportedParamsError,
)
