"""LiteLLM's custom tokenizers: ``create_pretrained_tokenizer`` and
``create_tokenizer`` give ``{"type": "huggingface_tokenizer", "tokenizer":
tokenizers.Tokenizer}``, which ``token_counter``, ``encode`` and ``decode``
take as ``custom_tokenizer=`` (the native functions hand such a call here).

The ``tokenizers`` package is imported only when one is created, and is not
a dependency of llmrelay: without it, creating one raises an ImportError
that names the package. Messages are counted with LiteLLM's accounting (3
tokens a message, 1 more for a name, 3 to prime the reply, tool definitions
as LiteLLM renders them), only the text is the caller's tokenizer's."""

from llmrelay import _llmrelay

__all__ = ["create_pretrained_tokenizer", "create_tokenizer"]

_TYPE = "huggingface_tokenizer"

#: LiteLLM's per-message overhead for a model it has no table for.
_TOKENS_PER_MESSAGE = 3
_TOKENS_PER_NAME = 1
_REPLY_PRIMER = 3
#: What a tool list adds beyond its rendered text (less 4 with a system message).
_TOOLS_OVERHEAD = 9
_SYSTEM_DISCOUNT = 4


def _tokenizer_class():
    try:
        from tokenizers import Tokenizer
    except ImportError as err:
        raise ImportError(
            "custom tokenizers need the `tokenizers` package (Hugging Face), which llmrelay does not install:"
            " pip install tokenizers"
        ) from err
    return Tokenizer


def create_pretrained_tokenizer(identifier, revision="main", auth_token=None):
    """A tokenizer from a Hugging Face Hub repository's ``tokenizer.json``
    (downloaded by ``tokenizers``; ``auth_token`` for private ones)."""
    tokenizer = _tokenizer_class().from_pretrained(identifier, revision=revision, token=auth_token)
    return {"type": _TYPE, "tokenizer": tokenizer}


def create_tokenizer(json):
    """A tokenizer from a serialized ``tokenizer.json`` string."""
    return {"type": _TYPE, "tokenizer": _tokenizer_class().from_str(json)}


def _tokenizer_of(custom_tokenizer):
    if not isinstance(custom_tokenizer, dict) or "tokenizer" not in custom_tokenizer:
        raise ValueError(
            "custom_tokenizer must be a dict from create_tokenizer or create_pretrained_tokenizer"
            " ({'type': 'huggingface_tokenizer', 'tokenizer': ...})"
        )
    if custom_tokenizer.get("type") != _TYPE:
        raise ValueError("Unsupported tokenizer type %r" % custom_tokenizer.get("type"))
    return custom_tokenizer["tokenizer"]


def encode(custom_tokenizer, text):
    """The token ids of ``text``."""
    encoded = _tokenizer_of(custom_tokenizer).encode(text)
    return list(encoded.ids if hasattr(encoded, "ids") else encoded)


def decode(custom_tokenizer, tokens):
    """The text of ``tokens``, special tokens left out (LiteLLM's default)."""
    return _tokenizer_of(custom_tokenizer).decode(list(tokens), skip_special_tokens=True)


def token_counter(custom_tokenizer, text=None, messages=None, count_response_tokens=False, tools=None, tool_choice=None):
    """``token_counter(custom_tokenizer=..., text=... | messages=...)``."""
    tokenizer = _tokenizer_of(custom_tokenizer)

    def count(value):
        return len(tokenizer.encode(value).ids) if value else 0

    if text is not None and messages is not None:
        raise ValueError("text and messages cannot both be set")
    if text is not None:
        if tools or tool_choice:
            raise ValueError("tools or tool_choice cannot be set if using text")
        if isinstance(text, list):
            text = "".join(t for t in text if isinstance(t, str))
        return count(text)
    if messages is None:
        raise ValueError("Either text or messages must be provided")
    messages = [_as_dict(m) for m in messages]
    total = sum(_message_tokens(count, m) for m in messages)
    if count_response_tokens:
        return total
    total += _REPLY_PRIMER
    if tools:
        has_system = any(m.get("role") == "system" for m in messages)
        rendered = _llmrelay._tool_definitions_text(list(tools))
        total += count(rendered) + _TOOLS_OVERHEAD - (_SYSTEM_DISCOUNT if has_system else 0)
    return total + _tool_choice_tokens(count, tool_choice)


def _as_dict(message):
    if isinstance(message, dict):
        return message
    dump = getattr(message, "model_dump", None) or getattr(message, "to_dict", None)
    if dump is None:
        raise ValueError("a message must be a dict, got %s" % type(message).__name__)
    return dump()


def _message_tokens(count, message):
    total = _TOKENS_PER_MESSAGE
    for key, value in message.items():
        if value is None:
            continue
        if key == "tool_calls" and isinstance(value, list):
            total += sum(count(str((call.get("function") or {}).get("arguments", ""))) for call in value)
        elif key == "function_call" and isinstance(value, dict):
            total += count(str(value.get("arguments", "")))
        elif isinstance(value, str):
            total += count(value) + (_TOKENS_PER_NAME if key == "name" else 0)
        elif key == "content" and isinstance(value, list):
            total += sum(_part_tokens(count, part) for part in value)
    return total


def _part_tokens(count, part):
    if isinstance(part, str):
        return count(part)
    if isinstance(part, dict) and part.get("type") == "text":
        return count(part.get("text") or "")
    # Images, audio and files are sized by the native counter, not by a text tokenizer.
    raise ValueError(
        "token_counter with a custom_tokenizer counts text parts only; got a %r part" % part.get("type")
        if isinstance(part, dict)
        else "unsupported content part %r" % (part,)
    )


def _tool_choice_tokens(count, choice):
    """LiteLLM's rule: ``"none"`` is 1 token, a named function 7 plus its name."""
    if choice == "none" or (isinstance(choice, dict) and choice.get("type") == "none"):
        return 1
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name") or choice.get("name")
        if isinstance(name, str):
            return 7 + count(name)
    return 0
