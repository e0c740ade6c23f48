"""LiteLLM's ``litellm.types.llms.openai``: the typed dicts libraries call to
build messages and tool-call chunks.

In LiteLLM these are ``TypedDict``\\ s, so calling one gives a plain ``dict``.
Here each is a class whose constructor returns that plain ``dict`` too, with
the keys listed in its annotations, without importing ``typing`` (which
would cost more than this module's 2 ms budget). ``OpenAIMessageContent``
and ``AllMessageValues`` are type aliases and import ``typing`` on first use.
"""


# The Responses API and moderation classes are the native module's.
from llmrelay._llmrelay import (  # noqa: E402
    BaseResponsesStreamEvent,
    InputTokensDetails,
    OutputTokensDetails,
    ResponseAPIUsage,
    ResponsesAPIResponse,
)
from llmrelay._llmrelay import ModerationResponse as OpenAIModerationResponse  # noqa: E402


class _MessageDict(dict):
    """Base of the typed dicts: calling a subclass returns a plain dict."""

    def __new__(cls, *args, **kwargs):
        return dict(*args, **kwargs)


class ChatCompletionSystemMessage(_MessageDict):
    __annotations__ = {"role": str, "content": object, "name": str, "cache_control": dict}


class ChatCompletionDeveloperMessage(_MessageDict):
    __annotations__ = {"role": str, "content": object, "name": str, "cache_control": dict}


class ChatCompletionUserMessage(_MessageDict):
    __annotations__ = {"role": str, "content": object, "cache_control": dict}


class ChatCompletionAssistantMessage(_MessageDict):
    __annotations__ = {
        "role": str,
        "content": object,
        "name": str,
        "tool_calls": list,
        "function_call": dict,
        "reasoning_content": str,
        "thinking_blocks": list,
        "cache_control": dict,
    }


class ChatCompletionToolMessage(_MessageDict):
    __annotations__ = {"role": str, "content": object, "tool_call_id": str, "cache_control": dict}


class ChatCompletionFunctionMessage(_MessageDict):
    __annotations__ = {"role": str, "content": object, "name": str, "tool_call_id": str}


class ChatCompletionResponseMessage(_MessageDict):
    __annotations__ = {
        "content": object,
        "tool_calls": list,
        "role": str,
        "function_call": dict,
        "reasoning_content": str,
        "thinking_blocks": list,
    }


class ChatCompletionToolCallFunctionChunk(_MessageDict):
    __annotations__ = {"name": str, "arguments": str, "provider_specific_fields": dict}


class ChatCompletionToolCallChunk(_MessageDict):
    __annotations__ = {"id": str, "type": str, "function": dict, "index": int}


class ChatCompletionDeltaToolCallChunk(_MessageDict):
    __annotations__ = {"id": str, "type": str, "function": dict, "index": int}


class ChatCompletionTextObject(_MessageDict):
    __annotations__ = {"type": str, "text": str, "cache_control": dict}


class ChatCompletionImageUrlObject(_MessageDict):
    __annotations__ = {"url": str, "detail": str, "format": str}


class ChatCompletionImageObject(_MessageDict):
    __annotations__ = {"type": str, "image_url": object}


class ChatCompletionToolParamFunctionChunk(_MessageDict):
    __annotations__ = {"name": str, "description": str, "parameters": dict, "strict": bool}


class ChatCompletionToolParam(_MessageDict):
    __annotations__ = {"type": str, "function": dict, "cache_control": dict}


def __getattr__(name):
    """The type aliases, built (with ``typing``) on first use, and
    ``HttpxBinaryResponseContent`` (speech audio) from ``llmrelay.audio``."""
    if name == "HttpxBinaryResponseContent":
        from llmrelay.audio import HttpxBinaryResponseContent

        return HttpxBinaryResponseContent
    import typing

    aliases = {
        "OpenAIMessageContent": typing.Union[str, typing.Iterable[dict]],
        "AllMessageValues": typing.Union[
            ChatCompletionUserMessage,
            ChatCompletionAssistantMessage,
            ChatCompletionToolMessage,
            ChatCompletionSystemMessage,
            ChatCompletionFunctionMessage,
            ChatCompletionDeveloperMessage,
        ],
    }
    if name not in aliases:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    globals().update(aliases)
    return aliases[name]
