"""LiteLLM's ``text_completion`` / ``atext_completion``: OpenAI's legacy
completions API (a prompt in, ``TextCompletionResponse`` out), served the way
LiteLLM serves it for providers without a ``/completions`` endpoint: each
prompt becomes one user message of a chat completion, and the chat answer is
read back as text. A list of prompts is one chat call per prompt (run
concurrently by ``atext_completion``), their texts the choices in order.
Token-id prompts are decoded with the model's tokenizer first.

Loaded on first use of ``llmrelay.text_completion``; the calls go through
``llmrelay.completion`` / ``acompletion``, so callbacks, caching, retries,
fallbacks and ``mock_response`` apply as they do there.
"""

import llmrelay

__all__ = ["text_completion", "atext_completion", "TextCompletionStreamWrapper"]

#: Legacy-API parameters chat has no equivalent for (LiteLLM drops them too
#: when it translates to chat).
_TEXT_ONLY = ("best_of", "echo", "suffix")


def _prompts(model, prompt):
    """The prompt(s) as texts: a string, a list of strings, token ids or lists of them."""
    if prompt is None:
        raise llmrelay.BadRequestError(message="text_completion needs a `prompt`", model=model)
    if isinstance(prompt, str):
        return [prompt]
    items = list(prompt)
    if items and all(isinstance(t, int) for t in items):
        return [llmrelay.decode(model=model, tokens=items)]
    texts = []
    for item in items:
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, (list, tuple)) and all(isinstance(t, int) for t in item):
            texts.append(llmrelay.decode(model=model, tokens=list(item)))
        else:
            raise llmrelay.BadRequestError(
                message="prompt must be a string, a list of strings or token ids", model=model
            )
    return texts


def _chat_kwargs(kwargs):
    """The call's keyword arguments as chat takes them."""
    chat = {k: v for k, v in kwargs.items() if k not in _TEXT_ONLY}
    logprobs = chat.pop("logprobs", None)
    if isinstance(logprobs, bool):
        chat["logprobs"] = logprobs
    elif isinstance(logprobs, int):
        # The legacy API's `logprobs=N` is chat's top_logprobs.
        chat["logprobs"] = True
        chat["top_logprobs"] = logprobs
    return chat


def _messages(text):
    return [{"role": "user", "content": text}]


def _to_text(responses):
    """Chat responses (one per prompt) as one ``TextCompletionResponse``."""
    first = responses[0]
    choices = []
    for response in responses:
        for choice in response.choices:
            choices.append(
                {
                    "finish_reason": choice.finish_reason,
                    "index": len(choices),
                    "text": choice.message.content,
                    "logprobs": getattr(choice, "logprobs", None),
                }
            )
    usage = None
    usages = [r.usage for r in responses if getattr(r, "usage", None) is not None]
    if usages:
        prompt_tokens = sum(u.prompt_tokens or 0 for u in usages)
        completion_tokens = sum(u.completion_tokens or 0 for u in usages)
        usage = llmrelay.Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        )
    text = _text_response(first, choices, usage)
    costs = [r._hidden_params.get("response_cost") for r in responses]
    text._hidden_params["response_cost"] = sum(costs) if all(c is not None for c in costs) else None
    return text


def _chunk_to_text(chunk):
    """A chat stream chunk as a text-completion chunk."""
    choices = [
        {
            "finish_reason": c.finish_reason,
            "index": c.index,
            "text": c.delta.content if c.delta is not None else None,
            "logprobs": getattr(c, "logprobs", None),
        }
        for c in chunk.choices
    ]
    return _text_response(chunk, choices, getattr(chunk, "usage", None))


def _text_response(source, choices, usage):
    """A ``TextCompletionResponse`` with the id, time, model and hidden
    params of the chat response or chunk it was read from."""
    text = llmrelay.TextCompletionResponse(
        id=source.id,
        object="text_completion",
        created=source.created,
        model=source.model,
        choices=choices,
        usage=usage,
    )
    text._hidden_params = dict(source._hidden_params)
    return text


class TextCompletionStreamWrapper:
    """LiteLLM's streamed text completion: ``TextCompletionResponse`` chunks,
    with ``for`` (from ``text_completion``) or ``async for`` (from
    ``atext_completion``)."""

    def __init__(self, chat_stream, model):
        self.chat_stream = chat_stream
        self.model = model

    def __iter__(self):
        return self

    def __next__(self):
        return _chunk_to_text(next(self.chat_stream))

    def __aiter__(self):
        return self

    async def __anext__(self):
        return _chunk_to_text(await self.chat_stream.__anext__())

    def close(self):
        self.chat_stream.close()

    async def aclose(self):
        self.chat_stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _stream_prompt(model, texts):
    if len(texts) != 1:
        raise llmrelay.BadRequestError(message="stream=True takes a single prompt", model=model)
    return texts[0]


def text_completion(prompt=None, model=None, *args, **kwargs):
    """LiteLLM's ``text_completion``: a ``TextCompletionResponse``, or with
    ``stream=True`` an iterator of them."""
    return complete_text(llmrelay.completion, model, prompt, kwargs)


async def atext_completion(prompt=None, model=None, *args, **kwargs):
    """LiteLLM's ``atext_completion``: ``text_completion`` for asyncio (the
    prompts of a list run concurrently)."""
    return await acomplete_text(llmrelay.acompletion, model, prompt, kwargs)


def complete_text(complete, model, prompt, kwargs):
    """A text completion through ``complete`` (``llmrelay.completion`` or a
    Router's), one chat call per prompt."""
    texts = _prompts(model, prompt)
    chat = _chat_kwargs(kwargs)
    if chat.get("stream"):
        stream = complete(model=model, messages=_messages(_stream_prompt(model, texts)), **chat)
        return TextCompletionStreamWrapper(stream, model)
    return _to_text([complete(model=model, messages=_messages(t), **chat) for t in texts])


async def acomplete_text(acomplete, model, prompt, kwargs):
    """``complete_text`` for asyncio, through ``acomplete``."""
    import asyncio

    texts = _prompts(model, prompt)
    chat = _chat_kwargs(kwargs)
    if chat.get("stream"):
        stream = await acomplete(model=model, messages=_messages(_stream_prompt(model, texts)), **chat)
        return TextCompletionStreamWrapper(stream, model)
    responses = await asyncio.gather(*(acomplete(model=model, messages=_messages(t), **chat) for t in texts))
    return _to_text(list(responses))
