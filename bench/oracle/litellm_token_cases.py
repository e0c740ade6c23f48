"""LiteLLM token-count oracle: writes the parity cases `llmrelay-tokens` is tested against.

Run (from the repository root, with LiteLLM 1.110.2 and tiktoken installed in /opt/oracle):

    LITELLM_LOCAL_MODEL_COST_MAP=True /opt/oracle/bin/python bench/oracle/litellm_token_cases.py

It writes `crates/tokens/tests/data/litellm_token_cases.jsonl`, which is COMMITTED
TEST DATA: `crates/tokens/tests/litellm_parity.rs` replays every line through
`llmrelay_tokens` and requires LiteLLM's answer. Re-run it only when the reference
LiteLLM (or tiktoken) version changes, and commit the result.

LiteLLM runs offline (`HF_HUB_OFFLINE=1`), as llmrelay always does: tokenizers it
would download from Hugging Face are unavailable and it falls back to tiktoken. For
the models it has a bundled Hugging Face tokenizer for (bare Claude names, DeepSeek)
each case carries both figures: `count`, LiteLLM's fallback with
`litellm.disable_hf_tokenizer_download = True` (what llmrelay reproduces), and
`huggingface_count`, what LiteLLM's bundled tokenizer says (for the record).

One JSON object per line, keys sorted, `kind` one of:

    encoding     {"provider", "encoding", "models": [model | [model, bare_model], ...]}
                 every key of LiteLLM's price list and some synthetic names, grouped by
                 the provider they resolve to and the encoding `token_counter` counts
                 them with (for a model with a Hugging Face tokenizer: its fallback)
    text         {"model", "provider", "text" | "text_repeat", "count", "tokenizer"}
                 `token_counter(model, text=...)`; `text_repeat` = {"unit", "times"}
    conversation {"id", "messages", "tools"?, "tool_choice"?}   inputs of the next kind
    messages     {"model", "provider", "conversation", "count" | "error", "tokenizer"}
                 `token_counter(model, messages=..., tools=..., tool_choice=...)`
    encode       {"encoding", "text", "ids"}   tiktoken `encode(text, disallowed_special=())`
    litellm_encode {"model", "provider", "text", "ids"}   `litellm.encode(model, text)`
    decode       {"encoding", "ids", "text" | "error"}   tiktoken's and `litellm.decode`

`tokenizer` is "tiktoken", or "huggingface:<kind>" where LiteLLM would count with a
bundled Hugging Face tokenizer (then `count` is its tiktoken fallback, see above).

`provider` is the provider `litellm.get_llm_provider` resolves the model to ("" when
it cannot) and `bare_model` the name it strips the provider prefix to (given only when
different): llmrelay must answer LiteLLM's encoding for both `(provider, model)` and
`(provider, bare_model)`. Names for which LiteLLM itself answers differently for
`provider/bare_model` (aliases it resolves to another model) keep only the name.

Dictionaries are passed to LiteLLM with their keys sorted, so the recorded order of
tool-schema properties (which changes LiteLLM's count) survives any JSON parser.
"""

from __future__ import annotations

import base64
import collections
import copy
import json
import logging
import os
import struct
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ["HF_HUB_OFFLINE"] = "1"

import litellm  # noqa: E402
import tiktoken  # noqa: E402
from litellm.litellm_core_utils.token_counter import openai_tokenizer_encoding_name  # noqa: E402
from litellm.utils import huggingface_tokenizer_kind, select_tokenizer  # noqa: E402

logging.disable(logging.CRITICAL)
litellm.suppress_debug_info = True

OUT = Path(__file__).resolve().parents[2] / "crates/tokens/tests/data/litellm_token_cases.jsonl"
ENCODINGS = ("o200k_base", "cl100k_base", "p50k_base", "r50k_base")


def sorted_keys(value):
    if isinstance(value, dict):
        return {key: sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(item) for item in value]
    return value


def provider_of(model: str) -> tuple[str, str]:
    try:
        bare, provider, _, _ = litellm.get_llm_provider(model=model)
    except Exception:  # noqa: BLE001  # LiteLLM raises plain exceptions for unknown names
        return "", model
    return provider or "", bare


def tokenizer_of(model: str) -> str:
    """What `token_counter` actually counts `model` with, offline."""
    chosen = select_tokenizer(model)
    if chosen["type"] == "huggingface_tokenizer":
        return f"huggingface:{huggingface_tokenizer_kind(model)}"
    return "tiktoken"


def fallback(call):
    """`call()` with LiteLLM's Hugging Face tokenizers disabled."""
    litellm.disable_hf_tokenizer_download = True
    try:
        return call()
    finally:
        litellm.disable_hf_tokenizer_download = False


def counted(model: str, call) -> dict:
    """`count` (tiktoken, what llmrelay matches) and, where LiteLLM would use a
    bundled Hugging Face tokenizer, `huggingface_count` too."""
    tokenizer = tokenizer_of(model)
    out = {"tokenizer": tokenizer}
    if tokenizer == "tiktoken":
        out["count"] = call()
    else:
        out["huggingface_count"] = call()
        out["count"] = fallback(call)
    return out


def encoding_cases(stats):
    names = dict.fromkeys((*litellm.model_cost, *SYNTHETIC_MODELS))
    groups = collections.defaultdict(list)
    for model in names:
        provider, bare = provider_of(model)
        encoding = openai_tokenizer_encoding_name(model)
        if encoding not in ENCODINGS:
            stats["encoding: not one of ours (skipped)"] += 1
            continue
        if provider and not bare.startswith(f"{provider}/"):
            if openai_tokenizer_encoding_name(f"{provider}/{bare}") != encoding:
                # An alias LiteLLM resolves to another model (`bedrock/gpt-sol-latest`
                # -> `global.openai.gpt-6.1-sol`): the bare name is not this model's.
                stats["encoding: alias, bare name not checked"] += 1
                bare = model
        groups[provider, encoding].append(model if bare == model else [model, bare])
        stats["encoding"] += 1
    for (provider, encoding), models in sorted(groups.items()):
        yield {"kind": "encoding", "provider": provider, "encoding": encoding, "models": models}


def text_cases(stats):
    for model in TEXT_MODELS:
        provider, _ = provider_of(model)
        texts = TEXTS + ((EXTRAPOLATED_TEXT,) if model in LONG_TEXT_MODELS else ())
        for text in texts:
            case = {"kind": "text", "model": model, "provider": provider}
            if isinstance(text, dict):
                case["text_repeat"] = text
                full = text["unit"] * text["times"]
            else:
                case["text"] = full = text
            case.update(counted(model, lambda: litellm.token_counter(model=model, text=full)))
            stats["text"] += 1
            yield case


def message_cases(stats):
    for index, conversation in enumerate(CONVERSATIONS):
        yield {"kind": "conversation", "id": index, **sorted_keys(conversation)}
    for model in MESSAGE_MODELS:
        provider, _ = provider_of(model)
        for index, conversation in enumerate(sorted_keys(CONVERSATIONS)):
            case = {"kind": "messages", "model": model, "provider": provider, "conversation": index}

            def call(conversation=conversation):
                return litellm.token_counter(
                    model=model,
                    messages=copy.deepcopy(conversation["messages"]),
                    tools=copy.deepcopy(conversation.get("tools")),
                    tool_choice=copy.deepcopy(conversation.get("tool_choice")),
                )

            try:
                case.update(counted(model, call))
            except Exception as error:  # noqa: BLE001  # LiteLLM's rejections are cases too
                case["error"] = type(error).__name__
                stats["messages (LiteLLM raises)"] += 1
            stats["messages"] += 1
            yield case


def load_encoding(name: str) -> tiktoken.Encoding:
    """tiktoken's encoding; p50k_base and r50k_base are not bundled with LiteLLM and
    this machine cannot download them, so those are read from the copy of the
    published file in tiktoken-rs's sources. tiktoken checks the file against the
    published sha256 as for a download, so they are OpenAI's files or an error."""
    try:
        return tiktoken.get_encoding(name)
    except Exception:  # noqa: BLE001  # tiktoken raises whatever the download raised
        pass
    import tempfile

    import tiktoken.load

    assets = sorted(Path.home().glob(f".cargo/registry/src/*/tiktoken-rs-*/assets/{name}.tiktoken"))
    if not assets:
        raise SystemExit(f"cannot load {name}: no network and no tiktoken-rs sources in ~/.cargo")
    original_read, original_cache = tiktoken.load.read_file, os.environ.get("TIKTOKEN_CACHE_DIR")

    def read_local(blobpath: str) -> bytes:
        return assets[-1].read_bytes() if blobpath.endswith(f"/{name}.tiktoken") else original_read(blobpath)

    with tempfile.TemporaryDirectory() as cache:
        tiktoken.load.read_file, os.environ["TIKTOKEN_CACHE_DIR"] = read_local, cache
        try:
            return tiktoken.get_encoding(name)
        finally:
            tiktoken.load.read_file = original_read
            if original_cache is None:
                os.environ.pop("TIKTOKEN_CACHE_DIR", None)
            else:
                os.environ["TIKTOKEN_CACHE_DIR"] = original_cache


def encode_cases(stats):
    for name in ENCODINGS:
        encoding = load_encoding(name)
        for text in ENCODE_TEXTS:
            ids = encoding.encode(text, disallowed_special=())
            stats["encode"] += 1
            yield {"kind": "encode", "encoding": name, "text": text, "ids": ids}
            yield {"kind": "decode", "encoding": name, "ids": ids, "text": encoding.decode(ids)}
            if len(ids) > 1:
                yield {"kind": "decode", "encoding": name, "ids": ids[:1], "text": encoding.decode(ids[:1])}
        try:
            encoding.decode([encoding.n_vocab + 1000])
        except KeyError:
            yield {"kind": "decode", "encoding": name, "ids": [encoding.n_vocab + 1000], "error": "KeyError"}
    for model in ("gpt-4o", "gpt-4", "o3-mini", "gemini/gemini-2.0-flash"):
        provider, _ = provider_of(model)
        for text in ENCODE_TEXTS:
            ids = litellm.encode(model=model, text=text)
            stats["litellm_encode"] += 1
            yield {"kind": "litellm_encode", "model": model, "provider": provider, "text": text, "ids": ids}
    emoji = litellm.encode(model="gpt-4o", text="😀")
    yield {"kind": "decode", "encoding": "cl100k_base", "ids": emoji[:2], "text": litellm.decode(model="gpt-4o", tokens=emoji[:2])}

# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

TEXT_MODELS = (
    # o200k_base
    "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "o3-mini", "o1", "azure/gpt-4o", "openai/gpt-5-mini",
    "gpt-audio", "openrouter/openai/gpt-4o",
    # cl100k_base
    "gpt-4", "gpt-3.5-turbo", "gpt-4-turbo", "text-embedding-3-small", "azure/gpt-35-turbo",
    # legacy GPT-3 names: tiktoken says p50k/r50k, LiteLLM counts cl100k_base
    "davinci-002", "text-davinci-003",
    # other providers
    "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
    "gemini/gemini-2.5-pro", "groq/llama-3.1-8b-instant", "mistral/mistral-large-latest",
    "deepseek/deepseek-chat", "cohere/command-r", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
)
LONG_TEXT_MODELS = ("gpt-4o", "gpt-4")

LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. "
PYTHON_CODE = """def fibonacci(n: int) -> list[int]:
    \"\"\"Return the first n Fibonacci numbers.\"\"\"
    seq = [0, 1]
    while len(seq) < n:
        seq.append(seq[-1] + seq[-2])
    return seq[:n]


if __name__ == "__main__":
    print(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
"""
RUST_CODE = """impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<Self::Item> {
        let end = self.rest.find(char::is_whitespace).unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest.trim_start();
        (!token.is_empty()).then_some(token)
    }
}"""
SHORT_TEXTS = (
    "",
    "hello world",
    "Hello, world! How are you doing today?",
    "  leading and trailing spaces  ",
    "multiple     spaces\tand\ttabs\n\nand newlines\r\nwindows line\r\n",
    " " * 64,
    "\n" * 33,
    "\t \n " * 20,
    "😀🎉👍🏽 family: 👨‍👩‍👧‍👦 flags: 🇫🇷🇯🇵",
    "日本語のテキストです。中文文本，简体字。한국어 텍스트입니다.",
    "Ελληνικά, русский текст, עברית, العربية, हिन्दी, ไทย",
    "naïve café résumé — “curly quotes” ‘single’ … ©®™ ½ ∑∫√",
    "e\u0301 combining, zero\u200bwidth, bom\ufeff, nbsp\u00a0here",
    PYTHON_CODE,
    RUST_CODE,
    '{"name": "get_weather", "arguments": {"location": "Paris, FR", "days": [1, 2, 3]}}',
    "<|endoftext|> and <|fim_prefix|> and <|im_start|> are written as text",
    "1234567890 3.14159 1e10 0x1F -42 2024-06-01T12:00:00Z",
    "https://example.com/path/to/page?query=1&b=two#fragment",
    "SELECT id, name FROM users WHERE email LIKE '%@example.com' ORDER BY id DESC;",
    "The quick brown fox jumps over the lazy dog. " * 3,
)
LONG_TEXTS = (
    {"unit": "a", "times": 3000},
    {"unit": LOREM, "times": 30},
    {"unit": "漢字", "times": 700},
    {"unit": "😀", "times": 1500},
    {"unit": " ", "times": 5000},
    {"unit": "ab\n", "times": 1000},
    {"unit": "word ", "times": 1024},
)
EXTRAPOLATED_TEXT = {"unit": "The quick brown fox jumps over the lazy dog. ", "times": 95_000}
TEXTS = SHORT_TEXTS + LONG_TEXTS
ENCODE_TEXTS = SHORT_TEXTS + ("a" * 3000, LOREM * 12, "漢字" * 600)

SYNTHETIC_MODELS = (
    "", "GPT-4O", "Gpt-4o-mini", "gpt-4o2", "openai-gpt-4o", "my-deployment", "azure/my-gpt-4o",
    "text-davinci-003", "davinci", "gpt2", "code-davinci-002", "o5-mini", "gpt-10", "gpt-6.2",
    "openai/gpt-6.2", "gpt-oss-120b", "openai/gpt-oss-120b", "openrouter/openai/gpt-4.1", "azure/gpt-41",
    "gpt-41-mini", "o1-preview", "o4-mini-high", "gpt-4.5-preview", "chatgpt-4o-latest", "container",
    "openai/container", "bedrock/gpt-astra-latest", "gpt-35-turbo-16k", "azure/gpt-35-turbo-0301",
    "ft:gpt-4o-mini-2024-07-18:my-org::abc123", "ft:gpt-4o-2024-08-06:my-org:custom:abc123",
    "ft:gpt-4.1-2025-04-14:my-org::abc123", "ft:gpt-4.1-mini-2025-04-14:my-org::abc123",
    "ft:gpt-4.1-nano-2025-04-14:my-org::abc123", "ft:gpt-3.5-turbo-0125:my-org::abc123",
    "ft:gpt-4-0613:my-org::abc123", "ft:davinci-002:my-org::abc123", "ft:babbage-002:my-org::abc123",
    "ft:o4-mini-2025-04-16:my-org::abc123", "ft:gpt-5-mini:my-org::abc123",
)


def data_url(mime: str, raw: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def png(width: int, height: int) -> str:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height)
    return data_url("image/png", header + b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")


def gif(width: int, height: int) -> str:
    return data_url("image/gif", b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\x00" * 12)


def jpeg(width: int, height: int) -> str:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return data_url("image/jpeg", b"\xff\xd8" + app0 + sof0 + b"\xff\xd9")


def webp(chunk: bytes, width: int, height: int) -> str:
    if chunk == b"VP8X":
        body = b"\x00" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    elif chunk == b"VP8L":
        body = b"\x2f" + struct.pack("<I", (width - 1) | ((height - 1) << 14))
    else:
        body = b"\x00\x00\x00\x9d\x01\x2a" + struct.pack("<HH", width, height)
    return data_url("image/webp", b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBP" + chunk
                    + struct.pack("<I", len(body)) + body)


def image(url, detail=None, text="Describe this image."):
    image_url = {"url": url} if detail is None else {"url": url, "detail": detail}
    return [{"role": "user", "content": [{"type": "text", "text": text},
                                         {"type": "image_url", "image_url": image_url}]}]


WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather",
    "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "description": "Forecast days"},
    }, "required": ["location"]},
}}
RICH_TOOL = {"type": "function", "function": {
    "name": "create_order",
    "description": "Create an order. Prices in € — see “terms”.",
    "strict": False,
    "parameters": {"type": "object", "properties": {
        "customer": {"type": "object", "description": "Who orders", "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
                        "required": ["city"]},
        }, "required": ["id"]},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "quantity": {"type": "number", "enum": [1, 2, 5]}}}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "anything": {"type": "array"},
        "express": {"type": "boolean", "description": "Ship express"},
        "note": {"type": ["string", "null"]},
        "nothing": {"type": "null"},
        "level": {"type": "integer", "enum": [1, 2, 3]},
        "empty": {"type": "object"},
        "flags": {"type": "string", "enum": [True, None, 1.5]},
    }, "required": ["customer", "items"]},
}}
STRICT_TOOL = {"type": "function", "function": {"name": "get_time", "description": "Current time", "strict": True,
                                                 "parameters": {"type": "object", "properties": {}}}}
NO_PARAMS_TOOL = {"type": "function", "function": {"name": "ping"}}
EMPTY_DESCRIPTION_TOOL = {"type": "function", "function": {"name": "noop", "description": "",
                                                            "parameters": {"type": "object", "properties": {}}}}
ANTHROPIC_TOOL = {"name": "search", "description": "Search the web", "cache_control": {"type": "ephemeral"},
                  "input_schema": {"type": "object", "properties": {"query": {"type": "string"}},
                                   "required": ["query"]}, "x_extra": "kept"}
GEMINI_TOOL = {"function_declarations": [
    {"name": "lookup", "description": "Find a record", "parameters": {"type": "object", "properties": {
        "id": {"type": "integer", "description": "Record id"}}}},
    {"name": "list_all"},
]}
WEB_SEARCH_TOOL = {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER = {"role": "user", "content": "What's the weather like in Paris today?"}
TOOL_CALL = {"role": "assistant", "content": None, "tool_calls": [
    {"id": "call_abc123", "type": "function",
     "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris, FR\", \"unit\": \"celsius\"}"}}]}
TOOL_RESULT = {"role": "tool", "tool_call_id": "call_abc123", "content": "{\"temperature\": 18, \"sky\": \"cloudy\"}"}

CONVERSATIONS = [{"messages": messages, **extra} for messages, extra in [
    ([], {}),
    ([USER], {}),
    ([SYSTEM, USER], {}),
    ([SYSTEM, USER, {"role": "assistant", "content": "It is sunny, 24°C."}, {"role": "user", "content": "Thanks!"}], {}),
    ([{"role": "system", "name": "example_system", "content": "New synergies will help drive top-line growth."},
      {"role": "user", "name": "example_user", "content": "Let's circle back when we have more bandwidth."},
      {"role": "assistant", "name": "example_assistant", "content": "Noted."}], {}),
    ([{"role": "user", "content": ""}], {}),
    ([{"role": "user", "content": [{"type": "text", "text": "First part."}, {"type": "text", "text": "Second, ünïcödé 😀."}]}], {}),
    ([{"role": "user", "content": ["plain", "string parts"]}], {}),
    ([{"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text"}, {"type": "text", "text": None}]}], {}),
    ([{"role": "assistant", "content": [{"type": "thinking", "thinking": "Let me think step by step."},
                                        {"type": "redacted_thinking", "thinking": "abc"},
                                        {"type": "text", "text": "The answer is 42."}]}], {}),
    ([{"role": "user", "content": [{"type": "tool_reference", "tool_name": "get_weather"}]}], {}),
    ([{"role": "user", "content": LOREM * 30 + " 😀 end"}], {}),
    ([SYSTEM, {"role": "user", "content": "你好，世界！" * 200}], {}),
    (image("https://example.com/cat.png", "low"), {}),
    (image("https://example.com/cat.png", "auto"), {}),
    (image("https://example.com/cat.png"), {}),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": "https://example.com/cat.png"}]}], {}),
    (image(png(100, 100)), {}),
    (image(png(1024, 1024), "auto"), {}),
    (image(png(4096, 1024)), {}),
    (image(png(300, 3000)), {}),
    (image(png(768, 769)), {}),
    (image(png(0, 100)), {}),
    (image(gif(640, 480)), {}),
    (image(jpeg(2048, 1536)), {}),
    (image(webp(b"VP8X", 1000, 1000)), {}),
    (image(webp(b"VP8L", 800, 2000)), {}),
    (image(webp(b"VP8 ", 1920, 1080)), {}),
    (image(png(2048, 2048), "high"), {}),
    (image(jpeg(500, 4000), "high"), {}),
    (image(gif(100, 50), "high"), {}),
    (image(png(5000, 5000), "low"), {}),
    (image("data:image/png;base64,!!!not-base64!!!"), {}),
    (image(data_url("image/png", b"not an image at all")), {}),
    (image(data_url("image/webp", b"RIFF\x00\x00\x00\x00WEBPABCD" + b"\x00" * 20)), {}),
    (image(data_url("image/heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20)), {}),
    (image(data_url("text/plain", b"hello")), {}),
    (image(png(512, 512)[: len("data:image/png;base64,") + 10]), {}),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"detail": "low"}}]}], {}),
    ([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "ultra"}}]}], {}),
    ([{"role": "user", "content": [{"type": "image_url"}]}], {}),
    ([{"role": "user", "content": [{"text": "part without a type"}]}], {}),
    ([{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]}], {}),
    ([{"role": "user", "content": [{"type": "file", "file": {"file_id": "file-abc", "filename": "report.txt"}}]}], {}),
    ([{"role": "user", "content": [{"type": "file", "file": {"filename": "a.csv",
                                                             "file_data": data_url("text/csv", b"a,b\n1,2\n")}}]}], {}),
    ([{"role": "user", "content": [{"type": "file", "file": {"file_data": png(1024, 512)}}]}], {}),
    ([SYSTEM, USER, TOOL_CALL, TOOL_RESULT], {}),
    ([USER, {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\": \"Paris\"}"}},
        {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"location\": \"東京\"}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
      {"role": "tool", "tool_call_id": "call_2", "content": "25C"}], {}),
    ([{"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1, "b": [True, None], "c": "it's"}}},
                                          {"function": {"name": "g", "arguments": None}},
                                          {"function": {"name": "h"}}]}], {}),
    ([{"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function"}]}], {}),
    ([{"role": "assistant", "content": None, "function_call": {"name": "get_weather", "arguments": "{\"location\": \"Paris\"}"}},
      {"role": "function", "name": "get_weather", "content": "18C"}], {}),
    ([{"role": "assistant", "content": "Sure.", "refusal": None, "audio": {"id": "audio_1"}, "index": 0,
       "reasoning_content": "The user wants a short answer."}], {}),
    ([{"role": "tool", "tool_call_id": "call_1", "content": "See results.", "search_results": [
        {"source": "https://example.com", "title": "Example", "content": [{"type": "text", "text": "Body text"}],
         "citations": {"enabled": True, "note": "é"}}]}], {}),
    ([{"role": "assistant", "content": "Summary follows.", "provider_specific_fields": {"compaction_blocks": [
        {"type": "compaction", "content": "Earlier the user asked about Paris weather."}]}}], {}),
    ([SYSTEM, USER], {"tools": [WEATHER_TOOL]}),
    ([USER], {"tools": [WEATHER_TOOL]}),
    ([USER], {"tools": []}),
    ([SYSTEM, USER], {"tools": [WEATHER_TOOL, RICH_TOOL, STRICT_TOOL, NO_PARAMS_TOOL, EMPTY_DESCRIPTION_TOOL]}),
    ([USER], {"tools": [RICH_TOOL]}),
    ([USER], {"tools": [ANTHROPIC_TOOL, GEMINI_TOOL, WEB_SEARCH_TOOL]}),
    ([USER], {"tools": [WEATHER_TOOL], "tool_choice": "none"}),
    ([USER], {"tools": [WEATHER_TOOL], "tool_choice": "auto"}),
    ([USER], {"tools": [WEATHER_TOOL], "tool_choice": "required"}),
    ([USER], {"tools": [WEATHER_TOOL], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
    ([USER], {"tools": [WEATHER_TOOL], "tool_choice": {"type": "none"}}),
    ([USER], {"tools": [ANTHROPIC_TOOL], "tool_choice": {"type": "tool", "name": "search"}}),
    ([SYSTEM, USER, TOOL_CALL, TOOL_RESULT], {"tools": [WEATHER_TOOL], "tool_choice": "auto"}),
    # Several tool definitions with every kind of tool_choice (issue 13): a named
    # function adds 7 tokens plus its name, "none" one, whatever the tools are.
    ([SYSTEM, USER], {"tools": [WEATHER_TOOL, RICH_TOOL, STRICT_TOOL, NO_PARAMS_TOOL],
                      "tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
    ([USER], {"tools": [WEATHER_TOOL, RICH_TOOL], "tool_choice": "none"}),
    ([USER], {"tools": [RICH_TOOL, STRICT_TOOL, NO_PARAMS_TOOL, EMPTY_DESCRIPTION_TOOL], "tool_choice": {"type": "none"}}),
    ([SYSTEM, USER, TOOL_CALL, TOOL_RESULT], {"tools": [WEATHER_TOOL, RICH_TOOL, STRICT_TOOL],
                                              "tool_choice": {"type": "function", "function": {"name": "create_order"}}}),
    ([USER], {"tools": [ANTHROPIC_TOOL, GEMINI_TOOL, WEATHER_TOOL], "tool_choice": {"type": "tool", "name": "search"}}),
    ([USER], {"tools": [WEATHER_TOOL, STRICT_TOOL],
              "tool_choice": {"type": "function", "function": {"name": "a_much_longer_function_name_to_count"}}}),
    ([USER], {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}}),
    ([USER], {"tools": [WEATHER_TOOL, RICH_TOOL], "tool_choice": {"type": "function", "function": {}}}),
]]

MESSAGE_MODELS = (
    "gpt-4o", "gpt-4.1-mini", "gpt-5", "o3", "gpt-4", "gpt-3.5-turbo", "azure/gpt-4o",
    "anthropic/claude-sonnet-4-5", "claude-sonnet-4-5", "gemini/gemini-2.5-pro", "groq/llama-3.3-70b-versatile",
    "mistral/mistral-small-latest",
    # models whose chat template LiteLLM renders tools for
    "deepseek/deepseek-chat", "coralbricks/deepseek-v4.1-flash", "dashscope/qwen3.5-plus", "xai/grok-4.3",
    "azure_ai/grok-4-1-fast-reasoning",
)


def main() -> None:
    stats = collections.Counter()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for generate in (encoding_cases, text_cases, message_cases, encode_cases):
            for case in generate(stats):
                out.write(json.dumps(case, ensure_ascii=False, sort_keys=True) + "\n")
    for name, count in sorted(stats.items()):
        print(f"{name}: {count}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
