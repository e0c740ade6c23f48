"""LiteLLM's ``convert_to_model_response_object``: an OpenAI-shaped dict
(from a cache, a file, another client) -> the response object."""

import llmrelay

__all__ = ["convert_to_model_response_object"]

_CLASSES = {
    "completion": "ModelResponse",
    "embedding": "EmbeddingResponse",
}


def convert_to_model_response_object(
    response_object=None,
    model_response_object=None,
    response_type="completion",
    stream=False,
    start_time=None,
    end_time=None,
    hidden_params=None,
    _response_headers=None,
    convert_tool_call_to_json_mode=None,
):
    """The ``ModelResponse`` (or ``EmbeddingResponse`` for
    ``response_type="embedding"``) a dict describes; ``hidden_params``
    become its ``_hidden_params``. Other response types raise ValueError."""
    if response_object is None:
        raise ValueError("convert_to_model_response_object needs a response_object")
    if response_type not in _CLASSES:
        raise ValueError("response_type %r is not supported (completion, embedding)" % (response_type,))
    cls = getattr(llmrelay, _CLASSES[response_type])
    response = cls(**dict(response_object))
    if hidden_params:
        response._hidden_params.update(hidden_params)
    return response
