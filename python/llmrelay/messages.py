"""LiteLLM's message helpers: ``trim_messages`` (fit a conversation into a
model's input window) and ``function_to_dict`` (a Python function with a
numpy-style docstring -> an OpenAI function definition)."""

import llmrelay
from llmrelay import _llmrelay

__all__ = ["trim_messages", "function_to_dict"]

#: LiteLLM gives up shortening one message after this many passes.
_MAX_SHORTEN_PASSES = 30


def _tokens(messages, model):
    return llmrelay.token_counter(model=model or "", messages=messages)


def trim_messages(messages, model=None, trim_ratio=0.75, return_response_tokens=False, max_tokens=None):
    """Trims ``messages`` to ``max_tokens`` (default: ``trim_ratio`` of the
    model's input window), as LiteLLM does: system messages merge into one at
    the front, the newest messages are kept, the oldest one that half fits is
    shortened in the middle (``..``), and trailing tool results are always
    kept. The input list is not modified. With ``return_response_tokens``
    the result is ``(messages, tokens left for the answer)``. A model the
    catalog does not know (and no ``max_tokens``) returns the messages
    unchanged."""
    import copy

    messages = copy.deepcopy(messages)
    if max_tokens is None:
        catalog = _llmrelay.ModelCostMap()
        if not model or model not in catalog:
            return messages
        window = catalog[model].get("max_input_tokens")
        if not window:
            return messages
        max_tokens = int(window * trim_ratio)

    system_text = "\n".join(m["content"] for m in messages if m.get("role") == "system")
    tool_tail = []
    while messages and messages[-1].get("role") == "tool":
        tool_tail.insert(0, messages.pop())

    if _tokens(messages, model) < max_tokens:
        return messages + tool_tail

    system_message = None
    if system_text:
        system_message = {"role": "system", "content": system_text}
        system_tokens = _tokens([system_message], model)
        if system_tokens > max_tokens:
            _shorten(system_message, max_tokens, model)
            system_tokens = _tokens([system_message], model)
        max_tokens -= system_tokens
        if max_tokens <= 0:
            return [system_message]
        messages = [m for m in messages if m.get("role") != "system"]

    kept = _keep_newest(messages, max_tokens, model)
    if system_message is not None:
        kept.insert(0, system_message)
    kept.extend(tool_tail)
    if return_response_tokens:
        return kept, max_tokens - _tokens(kept, model)
    return kept


def _keep_newest(messages, max_tokens, model):
    """The newest messages that fit, newest last; the first that does not
    fit is shortened when that makes it fit."""
    kept = []
    for message in reversed(messages):
        available = max_tokens - _tokens(kept, model)
        if available <= 3:
            break
        candidate = [message] + kept
        if _tokens(candidate, model) <= max_tokens:
            kept = candidate
        elif "function_call" not in message:
            shortened = _shorten(message, available, model)
            if _tokens([shortened] + kept, model) <= max_tokens:
                kept = [shortened] + kept
    return kept


def _shorten(message, tokens_needed, model):
    """Cuts the middle of ``message["content"]`` (in place) until the message
    fits ``tokens_needed`` tokens."""
    # An OpenAI message costs about 7 tokens even when empty: below 10 there
    # is nothing to gain and the loop could not converge.
    if model is not None and "gpt" in model and tokens_needed <= 10:
        return message
    content = message.get("content")
    if not isinstance(content, str):
        return message
    for _ in range(_MAX_SHORTEN_PASSES):
        total = _tokens([message], model)
        if total <= tokens_needed:
            break
        keep = max(0, int(len(content) * tokens_needed / total) - 1) // 2
        content = content[:keep] + ".." + content[len(content) - keep :]
        message["content"] = content
    return message


_JSON_TYPES = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "list": "array",
    "dict": "object",
    "NoneType": "null",
}


def function_to_dict(input_function):
    """An OpenAI function definition (``name``, ``description``,
    ``parameters``) from a function's signature and numpy-style docstring,
    as LiteLLM's ``function_to_dict`` gives: the summary is the description,
    the ``Parameters`` section gives each parameter's type and description
    (a ``{'a', 'b'}`` type becomes a string enum), and parameters without a
    default are required."""
    import ast
    import inspect

    summary, documented = _numpy_docstring(inspect.getdoc(input_function) or "")
    properties = {}
    required = []
    for name, param in inspect.signature(input_function).parameters.items():
        annotation = param.annotation
        kind = _JSON_TYPES.get(getattr(annotation, "__name__", str(annotation)), "string")
        description = None
        enum = None
        if name in documented:
            doc_type, description = documented[name]
            if doc_type:
                if "optional" in doc_type:
                    doc_type = doc_type.split(",")[0]
                elif "{" in doc_type:
                    try:
                        enum = str(list(ast.literal_eval(doc_type)))
                        doc_type = "string"
                    except (ValueError, SyntaxError):
                        pass
                kind = _JSON_TYPES.get(doc_type.strip(), "string")
        entry = {"type": kind, "description": description, "enum": enum}
        properties[name] = {k: v for k, v in entry.items() if isinstance(v, str)}
        if param.default is inspect.Parameter.empty:
            required.append(name)
    result = {
        "name": input_function.__name__,
        "description": summary,
        "parameters": {"type": "object", "properties": properties},
    }
    if required:
        result["parameters"]["required"] = required
    return result


def _numpy_docstring(doc):
    """(summary, {parameter: (type, description)}) of a numpy-style docstring."""
    lines = doc.splitlines()
    summary = []
    index = 0
    while index < len(lines) and lines[index].strip():
        summary.append(lines[index].strip())
        index += 1
    params = {}
    section = None
    current = None
    for number, line in enumerate(lines):
        stripped = line.strip()
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if following and set(following) == {"-"} and stripped:
            section = stripped.lower()
            current = None
            continue
        if stripped and set(stripped) == {"-"}:
            continue
        if section != "parameters" or not stripped:
            continue
        if not line.startswith((" ", "\t")):
            name, _, doc_type = stripped.partition(":")
            current = name.strip()
            params[current] = [doc_type.strip() or None, []]
        elif current is not None:
            params[current][1].append(stripped)
    return "\n".join(summary), {k: (t, "\n".join(d)) for k, (t, d) in params.items()}
