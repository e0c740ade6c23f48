from datetime import datetime
from typing import Any, AsyncIterator, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

from llmrelay import exceptions as exceptions
from llmrelay.exceptions import (
    APIConnectionError as APIConnectionError,
    APIError as APIError,
    APIResponseValidationError as APIResponseValidationError,
    AuthenticationError as AuthenticationError,
    BadGatewayError as BadGatewayError,
    BadRequestError as BadRequestError,
    ContentPolicyViolationError as ContentPolicyViolationError,
    ContextWindowExceededError as ContextWindowExceededError,
    InternalServerError as InternalServerError,
    ModelNotMappedError as ModelNotMappedError,
    NotFoundError as NotFoundError,
    OpenAIError as OpenAIError,
    PermissionDeniedError as PermissionDeniedError,
    RateLimitError as RateLimitError,
    RejectedRequestError as RejectedRequestError,
    RouterConfigError as RouterConfigError,
    ServiceUnavailableError as ServiceUnavailableError,
    Timeout as Timeout,
    UnprocessableEntityError as UnprocessableEntityError,
    UnsupportedParamsError as UnsupportedParamsError,
)

__version__: str

drop_params: bool
num_retries: Optional[int]
api_key: Optional[str]
api_base: Optional[str]
request_timeout: Optional[float]
headers: Optional[Dict[str, str]]
model_alias_map: Dict[str, str]
success_callback: List[Any]
failure_callback: List[Any]
callbacks: List[Any]
input_callback: List[Any]
service_callback: List[Any]
cache: Optional["Cache"]
set_verbose: bool
suppress_debug_info: bool
modify_params: bool
telemetry: bool
turn_off_message_logging: bool
use_litellm_proxy: bool
model_fallbacks: Optional[Any]
enable_json_schema_validation: bool
disable_hf_tokenizer_download: bool
add_function_to_prompt: bool
OPENAI_CHAT_COMPLETION_PARAMS: List[str]
model_list: List[str]
provider_list: List[str]
models_by_provider: Dict[str, Any]

from llmrelay.caching import Cache as Cache
from llmrelay.integrations.custom_logger import CustomLogger as CustomLogger
from llmrelay.cost_calculator import response_cost_calculator as response_cost_calculator
from llmrelay.messages import function_to_dict as function_to_dict, trim_messages as trim_messages
from llmrelay.environment import (
    check_valid_key as check_valid_key,
    get_secret as get_secret,
    get_secret_bool as get_secret_bool,
    get_secret_str as get_secret_str,
    validate_environment as validate_environment,
)
from llmrelay.model_lists import get_model_cost_map as get_model_cost_map, get_valid_models as get_valid_models
from llmrelay.openai_params import get_supported_openai_params as get_supported_openai_params
from llmrelay.optional_params import get_optional_params as get_optional_params
from llmrelay.output_limits import get_modified_max_tokens as get_modified_max_tokens
from llmrelay.known_models import add_known_models as add_known_models
from llmrelay.mock_completions import mock_completion as mock_completion
from llmrelay.custom_tokenizers import (
    create_pretrained_tokenizer as create_pretrained_tokenizer,
    create_tokenizer as create_tokenizer,
)

# LiteLLM's per-provider model sets (built on first read; see llmrelay.known_models).
open_ai_chat_completion_models: Set[str]
open_ai_text_completion_models: Set[str]
anthropic_models: Set[str]
cohere_models: Set[str]
cohere_chat_models: Set[str]
gemini_models: Set[str]
bedrock_models: Set[str]
bedrock_converse_models: Set[str]
azure_models: Set[str]
mistral_chat_models: Set[str]
groq_models: Set[str]
vertex_chat_models: Set[str]
vertex_language_models: Set[str]
vertex_anthropic_models: Set[str]
vertex_ai_models: Set[str]
def __getattr__(name: str) -> Set[str]: ...  # the other ``<provider>_models`` sets

def install_as_litellm() -> None:
    """Makes ``import litellm`` (and its submodules) give llmrelay in this process."""

class OpenAIObject:
    """A response object: attribute and item access over its fields."""

    _hidden_params: Dict[str, Any]
    def __init__(self, **kwargs: Any) -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def __getitem__(self, key: str) -> Any: ...
    def __setitem__(self, key: str, value: Any) -> None: ...
    def __contains__(self, key: str) -> bool: ...
    def __iter__(self) -> Iterator[Tuple[str, Any]]: ...
    def get(self, key: str, default: Any = None) -> Any: ...
    def keys(self) -> List[str]: ...
    def values(self) -> List[Any]: ...
    def items(self) -> List[Tuple[str, Any]]: ...
    def model_dump(self, *, exclude_none: bool = False, **kwargs: Any) -> Dict[str, Any]: ...
    def model_dump_json(self, *, indent: Optional[int] = None, exclude_none: bool = False, **kwargs: Any) -> str: ...
    def json(self, **kwargs: Any) -> Dict[str, Any]: ...
    def dict(self, **kwargs: Any) -> Dict[str, Any]: ...

class Function(OpenAIObject):
    name: Optional[str]
    arguments: Optional[str]

class ChatCompletionMessageToolCall(OpenAIObject):
    id: Optional[str]
    type: str
    function: Function

class ChatCompletionDeltaToolCall(OpenAIObject):
    id: Optional[str]
    type: Optional[str]
    index: int
    function: Optional[Function]

class Message(OpenAIObject):
    content: Optional[str]
    role: str
    tool_calls: Optional[List[ChatCompletionMessageToolCall]]
    function_call: Optional[Any]
    reasoning_content: Optional[str]

class Choices(OpenAIObject):
    finish_reason: Optional[str]
    index: int
    message: Message
    logprobs: Optional[Any]

class PromptTokensDetailsWrapper(OpenAIObject):
    cached_tokens: Optional[int]
    cache_creation_tokens: Optional[int]
    audio_tokens: Optional[int]
    image_tokens: Optional[int]

class CompletionTokensDetailsWrapper(OpenAIObject):
    reasoning_tokens: Optional[int]
    audio_tokens: Optional[int]
    accepted_prediction_tokens: Optional[int]
    rejected_prediction_tokens: Optional[int]

class Usage(OpenAIObject):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    prompt_tokens_details: Optional[PromptTokensDetailsWrapper]
    completion_tokens_details: Optional[CompletionTokensDetailsWrapper]

class ModelResponse(OpenAIObject):
    id: str
    created: int
    model: str
    object: str
    system_fingerprint: Optional[str]
    choices: List[Choices]
    usage: Optional[Usage]
    service_tier: Optional[str]

class Delta(OpenAIObject):
    content: Optional[str]
    role: Optional[str]
    function_call: Optional[Any]
    tool_calls: Optional[List[ChatCompletionDeltaToolCall]]
    reasoning_content: Optional[str]

class StreamingChoices(OpenAIObject):
    finish_reason: Optional[str]
    index: int
    delta: Delta
    logprobs: Optional[Any]

class ModelResponseStream(OpenAIObject):
    id: str
    created: int
    model: str
    object: str
    system_fingerprint: Optional[str]
    choices: List[StreamingChoices]
    usage: Optional[Usage]

class Embedding(OpenAIObject):
    embedding: Union[List[float], str]
    index: int
    object: str

class EmbeddingResponse(OpenAIObject):
    model: str
    data: List[Embedding]
    object: str
    usage: Optional[Usage]

class ImageObject(OpenAIObject):
    b64_json: Optional[str]
    url: Optional[str]
    revised_prompt: Optional[str]

class ImageResponse(OpenAIObject):
    created: int
    data: List[ImageObject]
    usage: Optional[Any]

class Moderation(OpenAIObject):
    flagged: bool
    categories: Dict[str, bool]
    category_scores: Dict[str, float]
    category_applied_input_types: Optional[Dict[str, List[str]]]

class ModerationResponse(OpenAIObject):
    id: str
    model: str
    results: List[Moderation]

OpenAIModerationResponse = ModerationResponse

class ResponseAPIUsage(OpenAIObject):
    input_tokens: int
    input_tokens_details: Optional[OpenAIObject]
    output_tokens: int
    output_tokens_details: Optional[OpenAIObject]
    total_tokens: int

class ResponsesAPIResponse(OpenAIObject):
    """OpenAI's Responses API answer; ``output_text`` joins the text of its message items."""

    id: str
    created_at: int
    object: str
    status: Optional[str]
    model: Optional[str]
    output: List[OpenAIObject]
    usage: Optional[ResponseAPIUsage]
    @property
    def output_text(self) -> str: ...

class BaseResponsesStreamEvent(OpenAIObject):
    """One ``response.*`` event; ``response.completed`` carries ``response`` and the cost."""

    type: str
    sequence_number: int

class ResponsesAPIStreamingIterator:
    def __iter__(self) -> Iterator[BaseResponsesStreamEvent]: ...
    def __next__(self) -> BaseResponsesStreamEvent: ...
    def __aiter__(self) -> AsyncIterator[BaseResponsesStreamEvent]: ...
    async def __anext__(self) -> BaseResponsesStreamEvent: ...
    def close(self) -> None: ...

class TranscriptionResponse(OpenAIObject):
    text: Optional[str]

class HttpxBinaryResponseContent:
    """Speech audio: ``content`` bytes, ``read()``, ``write_to_file()``, ``stream_to_file()``."""

    content: bytes
    content_type: Optional[str]
    _hidden_params: Dict[str, Any]
    def read(self) -> bytes: ...
    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]: ...
    def write_to_file(self, file: Any) -> None: ...
    def stream_to_file(self, file: Any, *, chunk_size: Optional[int] = None) -> None: ...
    async def aread(self) -> bytes: ...
    async def astream_to_file(self, file: Any, *, chunk_size: Optional[int] = None) -> None: ...

class RerankResponse(OpenAIObject):
    """``results``: dicts with ``index``, ``relevance_score`` and, when asked, ``document``."""

    id: Optional[str]
    results: List[Dict[str, Any]]
    meta: Optional[Dict[str, Any]]

class TextChoices(OpenAIObject):
    finish_reason: Optional[str]
    index: int
    text: Optional[str]
    logprobs: Optional[Any]

class TextCompletionResponse(OpenAIObject):
    """A text completion (``object="text_completion"``), or a chunk of a streamed one."""

    id: str
    object: str
    created: int
    model: str
    choices: List[TextChoices]
    usage: Optional[Usage]

class TextCompletionStreamWrapper:
    """The stream of ``text_completion(stream=True)``: ``TextCompletionResponse`` chunks
    with ``for`` (``text_completion``) or ``async for`` (``atext_completion``)."""

    def __iter__(self) -> Iterator[TextCompletionResponse]: ...
    def __next__(self) -> TextCompletionResponse: ...
    def __aiter__(self) -> AsyncIterator[TextCompletionResponse]: ...
    async def __anext__(self) -> TextCompletionResponse: ...
    def close(self) -> None: ...

class CustomStreamWrapper:
    """The stream of ``completion(stream=True)``: iterate with ``for`` or ``async for``."""

    model: str
    custom_llm_provider: Optional[str]
    def __iter__(self) -> Iterator[ModelResponseStream]: ...
    def __next__(self) -> ModelResponseStream: ...
    def __aiter__(self) -> AsyncIterator[ModelResponseStream]: ...
    async def __anext__(self) -> ModelResponseStream: ...
    def close(self) -> None: ...
    async def aclose(self) -> None: ...
    def __enter__(self) -> "CustomStreamWrapper": ...
    def __exit__(self, *args: Any) -> bool: ...

class ModelCostMap(Mapping[str, Dict[str, Any]]):
    def __getitem__(self, key: str) -> Dict[str, Any]: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

model_cost: Dict[str, Dict[str, Any]]

Messages = Sequence[Union[Mapping[str, Any], Message]]

def completion(
    model: str,
    messages: Optional[Messages] = None,
    *,
    stream: Optional[bool] = None,
    stream_options: Optional[Mapping[str, Any]] = None,
    temperature: Optional[float] = None,
    top_p: Optional[float] = None,
    n: Optional[int] = None,
    stop: Optional[Union[str, List[str]]] = None,
    max_tokens: Optional[int] = None,
    max_completion_tokens: Optional[int] = None,
    presence_penalty: Optional[float] = None,
    frequency_penalty: Optional[float] = None,
    logit_bias: Optional[Mapping[str, float]] = None,
    user: Optional[str] = None,
    reasoning_effort: Optional[str] = None,
    response_format: Optional[Any] = None,
    seed: Optional[int] = None,
    tools: Optional[List[Mapping[str, Any]]] = None,
    tool_choice: Optional[Union[str, Mapping[str, Any]]] = None,
    parallel_tool_calls: Optional[bool] = None,
    logprobs: Optional[bool] = None,
    top_logprobs: Optional[int] = None,
    api_base: Optional[str] = None,
    base_url: Optional[str] = None,
    api_key: Optional[str] = None,
    api_version: Optional[str] = None,
    timeout: Optional[Union[float, str]] = None,
    stream_timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    drop_params: Optional[bool] = None,
    fallbacks: Optional[List[Union[str, Mapping[str, Any]]]] = None,
    custom_llm_provider: Optional[str] = None,
    extra_headers: Optional[Mapping[str, str]] = None,
    extra_body: Optional[Mapping[str, Any]] = None,
    metadata: Optional[Mapping[str, Any]] = None,
    mock_response: Optional[Union[str, ModelResponse, BaseException, Mapping[str, Any]]] = None,
    **kwargs: Any,
) -> Any:
    """LiteLLM's ``completion``: a ``ModelResponse``, or a ``CustomStreamWrapper`` with ``stream=True``."""

async def acompletion(model: str, messages: Optional[Messages] = None, **kwargs: Any) -> Any:
    """``completion`` for asyncio; with ``stream=True`` the result is an async iterator."""

def embedding(
    model: str,
    input: Optional[Union[str, List[str], List[int], List[List[int]]]] = None,
    *,
    dimensions: Optional[int] = None,
    encoding_format: Optional[str] = None,
    user: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    timeout: Optional[float] = None,
    num_retries: Optional[int] = None,
    mock_response: Optional[Union[str, List[float], BaseException]] = None,
    **kwargs: Any,
) -> EmbeddingResponse: ...
async def aembedding(model: str, input: Optional[Any] = None, **kwargs: Any) -> EmbeddingResponse: ...
def moderation(input: Union[str, List[str], List[Dict[str, Any]], None] = None, model: Optional[str] = None, **kwargs: Any) -> ModerationResponse:
    """LiteLLM's ``moderation``; the default model is ``omni-moderation-latest``."""

async def amoderation(input: Union[str, List[str], List[Dict[str, Any]], None] = None, model: Optional[str] = None, **kwargs: Any) -> ModerationResponse: ...
def image_generation(
    prompt: Optional[str] = None,
    model: Optional[str] = None,
    *,
    n: Optional[int] = None,
    size: Optional[str] = None,
    quality: Optional[str] = None,
    response_format: Optional[str] = None,
    style: Optional[str] = None,
    user: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    timeout: Optional[float] = None,
    **kwargs: Any,
) -> ImageResponse:
    """LiteLLM's ``image_generation``; ``_hidden_params["response_cost"]`` from the catalog's per-image prices."""

async def aimage_generation(prompt: Optional[str] = None, model: Optional[str] = None, **kwargs: Any) -> ImageResponse: ...
def rerank(
    model: Optional[str] = None,
    query: Optional[str] = None,
    documents: Optional[List[Union[str, Dict[str, Any]]]] = None,
    return_documents: Optional[bool] = None,
    *,
    top_n: Optional[int] = None,
    max_tokens_per_doc: Optional[int] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    **kwargs: Any,
) -> RerankResponse:
    """LiteLLM's ``rerank`` (Cohere v2); cost is search units times ``input_cost_per_query``."""

async def arerank(
    model: Optional[str] = None,
    query: Optional[str] = None,
    documents: Optional[List[Union[str, Dict[str, Any]]]] = None,
    return_documents: Optional[bool] = None,
    **kwargs: Any,
) -> RerankResponse: ...
def responses(
    input: Union[str, List[Dict[str, Any]], None] = None,
    model: Optional[str] = None,
    *,
    instructions: Optional[str] = None,
    max_output_tokens: Optional[int] = None,
    stream: Optional[bool] = None,
    tools: Optional[List[Dict[str, Any]]] = None,
    **kwargs: Any,
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]:
    """LiteLLM's ``responses`` (OpenAI's Responses API) over any provider's chat."""

async def aresponses(
    input: Union[str, List[Dict[str, Any]], None] = None, model: Optional[str] = None, **kwargs: Any
) -> Union[ResponsesAPIResponse, ResponsesAPIStreamingIterator]: ...
def speech(
    model: Optional[str] = None,
    input: Optional[str] = None,
    voice: Union[str, Dict[str, str], None] = None,
    *,
    response_format: Optional[str] = None,
    speed: Optional[float] = None,
    instructions: Optional[str] = None,
    **kwargs: Any,
) -> HttpxBinaryResponseContent:
    """LiteLLM's ``speech``: OpenAI's ``/audio/speech``, priced per input character."""

async def aspeech(model: Optional[str] = None, input: Optional[str] = None, voice: Union[str, Dict[str, str], None] = None, **kwargs: Any) -> HttpxBinaryResponseContent: ...
def transcription(
    model: Optional[str] = None,
    file: Any = None,
    *,
    language: Optional[str] = None,
    prompt: Optional[str] = None,
    response_format: Optional[str] = None,
    temperature: Optional[float] = None,
    **kwargs: Any,
) -> TranscriptionResponse:
    """LiteLLM's ``transcription``: OpenAI's ``/audio/transcriptions`` (multipart), priced per second."""

async def atranscription(model: Optional[str] = None, file: Any = None, **kwargs: Any) -> TranscriptionResponse: ...
def text_completion(
    prompt: Union[str, List[str], List[int], List[List[int]], None] = None,
    model: Optional[str] = None,
    *,
    max_tokens: Optional[int] = None,
    temperature: Optional[float] = None,
    top_p: Optional[float] = None,
    n: Optional[int] = None,
    stop: Optional[Union[str, List[str]]] = None,
    stream: Optional[bool] = None,
    stream_options: Optional[Mapping[str, Any]] = None,
    logprobs: Optional[int] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    mock_response: Optional[str] = None,
    **kwargs: Any,
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]:
    """LiteLLM's ``text_completion``, served through chat (one user message per prompt)."""

async def atext_completion(
    prompt: Union[str, List[str], List[int], List[List[int]], None] = None, model: Optional[str] = None, **kwargs: Any
) -> Union[TextCompletionResponse, TextCompletionStreamWrapper]: ...
def stream_chunk_builder(
    chunks: Iterable[Union[ModelResponseStream, Mapping[str, Any]]],
    messages: Optional[Messages] = None,
    start_time: Any = None,
    end_time: Any = None,
) -> Optional[ModelResponse]: ...
def completion_cost(
    completion_response: Optional[Union[ModelResponse, EmbeddingResponse, Mapping[str, Any], Any]] = None,
    model: Optional[str] = None,
    is_streaming: bool = False,
    prompt: str = "",
    messages: Optional[Messages] = None,
    completion: str = "",
    total_time: Optional[float] = None,
    call_type: str = "completion",
    region_name: Optional[str] = None,
    size: Optional[str] = None,
    quality: Optional[str] = None,
    n: Optional[int] = None,
    custom_cost_per_token: Optional[Mapping[str, float]] = None,
    custom_cost_per_second: Optional[float] = None,
    optimize_flag: bool = False,
    custom_llm_provider: Optional[str] = None,
    base_model: Optional[str] = None,
    service_tier: Optional[str] = None,
    current_time: Optional[Union[datetime, float]] = None,
    **kwargs: Any,
) -> float: ...
def cost_per_token(
    model: str = "",
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    response_time_ms: Optional[float] = None,
    custom_llm_provider: Optional[str] = None,
    region_name: Optional[str] = None,
    prompt_characters: Optional[int] = None,
    completion_characters: Optional[int] = None,
    cache_creation_input_tokens: Optional[int] = 0,
    cache_read_input_tokens: Optional[int] = 0,
    custom_cost_per_token: Optional[Mapping[str, float]] = None,
    custom_cost_per_second: Optional[float] = None,
    number_of_queries: Optional[int] = None,
    usage_object: Optional[Union[Usage, Mapping[str, Any]]] = None,
    rerank_billed_units: Optional[Any] = None,
    call_type: str = "completion",
    audio_transcription_file_duration: Optional[float] = None,
    service_tier: Optional[str] = None,
    response: Optional[Any] = None,
    current_time: Optional[Union[datetime, float]] = None,
) -> Tuple[float, float]: ...
def token_counter(
    model: str = "",
    custom_tokenizer: Optional[Any] = None,
    text: Optional[Union[str, List[str]]] = None,
    messages: Optional[Messages] = None,
    count_response_tokens: bool = False,
    tools: Optional[List[Mapping[str, Any]]] = None,
    tool_choice: Optional[Any] = None,
    use_default_image_token_count: bool = False,
    default_token_count: Optional[int] = None,
) -> int: ...
def encode(model: str = "", text: str = "", custom_tokenizer: Optional[Any] = None) -> List[int]: ...
def decode(model: str = "", tokens: List[int] = ..., custom_tokenizer: Optional[Any] = None) -> str: ...
def get_model_info(model: str, custom_llm_provider: Optional[str] = None) -> Dict[str, Any]: ...
def get_max_tokens(model: str) -> Optional[int]: ...
def get_llm_provider(
    model: str,
    custom_llm_provider: Optional[str] = None,
    api_base: Optional[str] = None,
    api_key: Optional[str] = None,
    litellm_params: Optional[Any] = None,
) -> Tuple[str, str, Optional[str], Optional[str]]: ...
def register_model(model_cost: Union[str, Mapping[str, Mapping[str, Any]]]) -> Any: ...
def supports_function_calling(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_parallel_function_calling(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_vision(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_response_schema(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_reasoning(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_prompt_caching(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_tool_choice(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_system_messages(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_pdf_input(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_audio_input(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_audio_output(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...
def supports_web_search(model: str, custom_llm_provider: Optional[str] = None) -> bool: ...

class Router:
    """LiteLLM's ``Router``: several deployments behind each public model name,
    with load balancing, retries, cooldowns and fallbacks (streams included)."""

    def __init__(
        self,
        model_list: Optional[List[Mapping[str, Any]]] = None,
        *,
        routing_strategy: Optional[str] = None,
        routing_strategy_args: Optional[Mapping[str, Any]] = None,
        num_retries: Optional[int] = None,
        retry_after: Optional[float] = None,
        retry_policy: Optional[Mapping[str, int]] = None,
        allowed_fails: Optional[int] = None,
        allowed_fails_policy: Optional[Mapping[str, int]] = None,
        cooldown_time: Optional[float] = None,
        disable_cooldowns: Optional[bool] = None,
        fallbacks: Optional[List[Mapping[str, List[str]]]] = None,
        context_window_fallbacks: Optional[List[Mapping[str, List[str]]]] = None,
        content_policy_fallbacks: Optional[List[Mapping[str, List[str]]]] = None,
        default_fallbacks: Optional[List[str]] = None,
        max_fallbacks: Optional[int] = None,
        timeout: Optional[float] = None,
        stream_timeout: Optional[float] = None,
        enable_pre_call_checks: Optional[bool] = None,
        enable_tag_filtering: Optional[bool] = None,
        **kwargs: Any,
    ) -> None: ...
    def completion(
        self,
        model: str,
        messages: Optional[Messages] = None,
        *,
        stream: Optional[bool] = None,
        fallbacks: Optional[List[str]] = None,
        disable_fallbacks: Optional[bool] = None,
        num_retries: Optional[int] = None,
        tags: Optional[List[str]] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        mock_response: Optional[Union[str, ModelResponse, BaseException, Mapping[str, Any]]] = None,
        **kwargs: Any,
    ) -> Any:
        """A ``ModelResponse`` (``_hidden_params["model_id"]`` names the deployment),
        or with ``stream=True`` a ``CustomStreamWrapper``."""
    async def acompletion(self, model: str, messages: Optional[Messages] = None, **kwargs: Any) -> Any: ...
    def embedding(
        self, model: str, input: Optional[Union[str, List[str], List[int], List[List[int]]]] = None, **kwargs: Any
    ) -> EmbeddingResponse: ...
    async def aembedding(self, model: str, input: Optional[Any] = None, **kwargs: Any) -> EmbeddingResponse: ...
    def get_model_list(self, model_name: Optional[str] = None, team_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """The deployments: dicts with ``model_name``, ``litellm_params``, ``model_info`` (with ``id``)."""
    @property
    def model_list(self) -> List[Dict[str, Any]]: ...
    @property
    def model_names(self) -> List[str]: ...
    def get_model_names(self) -> List[str]: ...
    def get_available_deployment(
        self,
        model: str,
        messages: Optional[Messages] = None,
        input: Optional[Any] = None,
        specific_deployment: bool = False,
        request_kwargs: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]: ...
    def text_completion(self, model: str, prompt: Any = None, **kwargs: Any) -> Any: ...
    async def atext_completion(self, model: str, prompt: Any = None, **kwargs: Any) -> Any: ...
    def image_generation(self, prompt: Optional[str] = None, model: Optional[str] = None, **kwargs: Any) -> ImageResponse: ...
    async def aimage_generation(
        self, prompt: Optional[str] = None, model: Optional[str] = None, **kwargs: Any
    ) -> ImageResponse: ...
    def moderation(self, model: Optional[str] = None, input: Any = None, **kwargs: Any) -> ModerationResponse: ...
    async def amoderation(self, model: Optional[str] = None, input: Any = None, **kwargs: Any) -> ModerationResponse: ...
    def rerank(
        self, model: Optional[str] = None, query: Optional[str] = None, documents: Optional[List[Any]] = None, **kwargs: Any
    ) -> RerankResponse: ...
    async def arerank(
        self, model: Optional[str] = None, query: Optional[str] = None, documents: Optional[List[Any]] = None, **kwargs: Any
    ) -> RerankResponse: ...
    def deployment_status(self) -> List[Dict[str, Any]]:
        """Each deployment's state: healthy or cooling down until when, latency, calls in flight, usage."""
