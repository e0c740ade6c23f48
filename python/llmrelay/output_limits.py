"""LiteLLM's ``get_modified_max_tokens``: a caller's ``max_tokens`` fitted
to what the model can still produce after the prompt."""

import llmrelay

__all__ = ["get_modified_max_tokens"]


def get_modified_max_tokens(model, base_model, messages, user_max_tokens, buffer_perc, buffer_num):
    """``user_max_tokens`` lowered, as LiteLLM does, so the call can succeed:

    - for a model whose input and output share one window (its
      ``max_input_tokens`` equals its output limit), to the window less the
      prompt's tokens and a margin (``buffer_perc`` of the prompt, default
      10%, at least ``buffer_num`` tokens, default 10); a prompt that already
      fills the window leaves it unchanged, so the call fails as it would;
    - otherwise to the model's output limit when it asks for more.

    None stays None; a model the catalog does not know (``model`` for its
    window, ``base_model`` for its output limit and tokenizer) leaves the
    value as given."""
    if user_max_tokens is None:
        return None
    try:
        info = llmrelay.get_model_info(model=model)
        output_limit = llmrelay.get_max_tokens(base_model)
        if output_limit is None:
            return user_max_tokens
        prompt = llmrelay.token_counter(model=base_model, messages=messages)
        margin = max((0.1 if buffer_perc is None else buffer_perc) * prompt, 10 if buffer_num is None else buffer_num)
        prompt += int(margin)
        if info.get("max_input_tokens") == output_limit:
            if prompt <= output_limit < user_max_tokens + prompt:
                return int(output_limit - prompt)
            return user_max_tokens
        return min(user_max_tokens, output_limit)
    except Exception:  # LiteLLM's rule: an unknown model never blocks the call
        return user_max_tokens
