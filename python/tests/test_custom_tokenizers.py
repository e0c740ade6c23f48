"""create_tokenizer / create_pretrained_tokenizer and custom_tokenizer= in
token_counter, encode and decode: a tiny Hugging Face tokenizer built here
(no hub download), LiteLLM's message accounting, and a clear ImportError
naming `tokenizers` when that package is absent."""

import subprocess
import sys

import pytest

import llmrelay

tokenizers = pytest.importorskip("tokenizers")

VOCAB = {"[UNK]": 0, "[BOS]": 1, "hello": 2, "world": 3, "user": 4, "assistant": 5, "system": 6, "f": 7}


@pytest.fixture(scope="module")
def custom():
    tokenizer = tokenizers.Tokenizer(tokenizers.models.WordLevel(VOCAB, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    tokenizer.add_special_tokens(["[BOS]"])
    return llmrelay.create_tokenizer(tokenizer.to_str())


def test_create_tokenizer_shape(custom):
    assert custom["type"] == "huggingface_tokenizer"
    assert isinstance(custom["tokenizer"], tokenizers.Tokenizer)


def test_text_counts_encode_and_decode(custom):
    assert llmrelay.token_counter(custom_tokenizer=custom, text="hello world world") == 3
    assert llmrelay.token_counter(custom_tokenizer=custom, text=["hello ", "world"]) == 2
    assert llmrelay.encode(custom_tokenizer=custom, text="hello world") == [2, 3]
    assert llmrelay.decode(custom_tokenizer=custom, tokens=[1, 2, 3]) == "hello world"  # special tokens left out
    # The model's own tokenizer is not used when a custom one is given.
    assert llmrelay.encode(model="gpt-4o", custom_tokenizer=custom, text="hello") == [2]


def test_messages_with_litellms_accounting(custom):
    messages = [
        {"role": "user", "content": "hello", "name": "world"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function",
                                                               "function": {"name": "f", "arguments": "hello"}}]},
        {"role": "user", "content": [{"type": "text", "text": "hello world"}]},
    ]  # fmt: skip
    # 3 per message; role, content, name (+1) and tool-call arguments as text; 3 to prime the reply.
    expected = (3 + 1 + 1 + 1 + 1) + (3 + 1 + 1) + (3 + 1 + 2) + 3
    assert llmrelay.token_counter(custom_tokenizer=custom, messages=messages) == expected
    assert llmrelay.token_counter(custom_tokenizer=custom, messages=messages, count_response_tokens=True) == expected - 3
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}]
    with_tools = llmrelay.token_counter(custom_tokenizer=custom, messages=messages[:1], tools=tools, tool_choice="none")
    assert with_tools > llmrelay.token_counter(custom_tokenizer=custom, messages=messages[:1]) + 9


def test_bad_input_is_a_value_error(custom):
    with pytest.raises(ValueError, match="text and messages"):
        llmrelay.token_counter(custom_tokenizer=custom, text="a", messages=[])
    with pytest.raises(ValueError, match="Unsupported tokenizer type"):
        llmrelay.token_counter(custom_tokenizer={"tokenizer": None, "type": "sentencepiece"}, text="a")
    with pytest.raises(ValueError, match="create_tokenizer"):
        llmrelay.token_counter(custom_tokenizer="not-a-dict", text="a")
    image = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x/y.png"}}]}]
    with pytest.raises(ValueError, match="text parts"):
        llmrelay.token_counter(custom_tokenizer=custom, messages=image)


def test_without_the_tokenizers_package_the_error_names_it():
    code = (
        "import sys; sys.modules['tokenizers'] = None\n"
        "import llmrelay\n"
        "for make in (lambda: llmrelay.create_tokenizer('{}'), lambda: llmrelay.create_pretrained_tokenizer('x/y')):\n"
        "    try:\n"
        "        make()\n"
        "    except ImportError as e:\n"
        "        print(type(e).__name__, 'tokenizers' in str(e) and 'pip install tokenizers' in str(e))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["ImportError", "True", "ImportError", "True"]


def test_import_llmrelay_does_not_load_tokenizers():
    code = "import sys, llmrelay; print('tokenizers' in sys.modules, 'llmrelay.custom_tokenizers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
