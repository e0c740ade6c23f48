"""`import llmrelay` defines functions and classes and nothing else."""

import os
import subprocess
import sys

PROBE = r"""
import os, sys
before = set(sys.modules)
import llmrelay
added = sorted(set(sys.modules) - before)
threads = len(os.listdir("/proc/self/task"))
print(len(added), threads, ",".join(added))
"""


def run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_loads_few_modules_and_starts_no_thread():
    count, threads, names = run(PROBE)
    assert int(count) <= 10, names
    assert int(threads) == 1, "import started a thread"
    for heavy in ("asyncio", "typing", "json", "http", "ssl", "socket"):
        assert heavy not in names.split(","), names


def test_mock_completion_starts_no_runtime():
    code = PROBE + r"""
r = llmrelay.completion(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], mock_response="ok")
assert r.choices[0].message.content == "ok"
print(len(os.listdir("/proc/self/task")))
"""
    out = run(code)
    assert out[-1] == "1", "a mock call started threads"


def test_catalog_helpers_start_no_runtime():
    code = PROBE + r"""
llmrelay.get_model_info("gpt-4o"); llmrelay.cost_per_token(model="gpt-4o", prompt_tokens=1, completion_tokens=1)
llmrelay.token_counter(model="gpt-4o", text="hello")
print(len(os.listdir("/proc/self/task")))
"""
    assert run(code)[-1] == "1"


def test_every_public_name_is_there():
    import llmrelay

    for name in (
        "completion acompletion embedding aembedding completion_cost cost_per_token token_counter "
        "encode decode get_model_info get_max_tokens model_cost supports_function_calling "
        "supports_vision supports_response_schema supports_reasoning supports_prompt_caching "
        "register_model get_llm_provider stream_chunk_builder drop_params num_retries exceptions "
        "ModelResponse ModelResponseStream CustomStreamWrapper EmbeddingResponse Usage Message "
        "install_as_litellm Cache CustomLogger trim_messages get_supported_openai_params validate_environment "
        "get_secret get_secret_bool model_list provider_list models_by_provider get_valid_models "
        "get_model_cost_map OPENAI_CHAT_COMPLETION_PARAMS batch_completion completion_with_retries "
        "success_callback failure_callback callbacks input_callback cache model_alias_map headers"
    ).split():
        assert hasattr(llmrelay, name), name


def test_cost_map_override_is_read_on_first_use_not_at_import(tmp_path):
    path = tmp_path / "map.json"
    path.write_text('{"env-model": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 7e-6}}')
    code = "import llmrelay; print(llmrelay.get_model_info('env-model')['input_cost_per_token'])"
    env = {**os.environ, "LLMRELAY_MODEL_COST_MAP": str(path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "7e-06"
    env["LLMRELAY_MODEL_COST_MAP"] = str(tmp_path / "missing.json")
    out = subprocess.run([sys.executable, "-c", "import llmrelay; print('imported')"], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "imported"  # import reads no file
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode != 0 and "missing.json" in out.stderr
