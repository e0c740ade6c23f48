"""get_modified_max_tokens: LiteLLM's fitting of max_tokens to the model's
window and output limit, against the catalog's figures."""

import llmrelay

MESSAGES = [{"role": "user", "content": "Hey, how's it going?"}]


def test_none_and_small_values_are_kept():
    assert llmrelay.get_modified_max_tokens("gpt-4o", "gpt-4o", MESSAGES, None, None, None) is None
    assert llmrelay.get_modified_max_tokens("gpt-4o", "gpt-4o", MESSAGES, 256, None, None) == 256


def test_more_than_the_output_limit_is_capped():
    limit = llmrelay.get_max_tokens("gpt-4o")
    assert llmrelay.get_modified_max_tokens("gpt-4o", "gpt-4o", MESSAGES, limit * 10, None, None) == limit


def test_a_shared_window_leaves_room_for_the_prompt():
    llmrelay.register_model(
        {"shared-window-model": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000,
                                 "max_output_tokens": 1000, "max_tokens": 1000}}
    )  # fmt: skip
    prompt = llmrelay.token_counter(model="shared-window-model", messages=MESSAGES)
    # The margin: 10% of the prompt, at least 10 tokens (or the caller's).
    assert llmrelay.get_modified_max_tokens("shared-window-model", "shared-window-model", MESSAGES, 1000, None, None) == (
        1000 - prompt - 10
    )
    got = llmrelay.get_modified_max_tokens("shared-window-model", "shared-window-model", MESSAGES, 1000, 0.5, 1)
    assert got == 1000 - prompt - int(max(0.5 * prompt, 1))
    # A prompt that fills the window already: left for the call to fail.
    long = [{"role": "user", "content": "word " * 2000}]
    assert llmrelay.get_modified_max_tokens("shared-window-model", "shared-window-model", long, 500, None, None) == 500


def test_unknown_models_and_bad_input_keep_the_value():
    assert llmrelay.get_modified_max_tokens("no-such-model-q", "no-such-model-q", MESSAGES, 42, None, None) == 42
    assert llmrelay.get_modified_max_tokens("gpt-4o", "gpt-4o", None, 42, None, None) == 42
