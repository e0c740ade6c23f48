"""llmrelay.model_cost as the mutable dict LiteLLM exposes, built lazily:
item assignment and entry writes reprice, pop/del, json.dumps, copies that
stay the caller's, and register_model round trips."""

import copy
import json
import pickle
import subprocess
import sys

import llmrelay

ENTRY = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}


def test_built_on_first_read_only():
    code = "import sys, llmrelay; print('llmrelay.cost_map' in sys.modules, 'model_cost' in vars(llmrelay))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert isinstance(llmrelay.model_cost, dict) and llmrelay.model_cost is llmrelay.model_cost


def test_assignment_and_entry_writes_reprice():
    llmrelay.model_cost["mc-assigned"] = dict(ENTRY)
    assert llmrelay.cost_per_token(model="mc-assigned", prompt_tokens=1000, completion_tokens=0)[0] == 1e-3
    llmrelay.model_cost["mc-assigned"]["input_cost_per_token"] = 3e-6
    assert llmrelay.get_model_info("mc-assigned")["input_cost_per_token"] == 3e-6
    llmrelay.model_cost["mc-assigned"].update(output_cost_per_token=5e-6)
    assert llmrelay.get_model_info("mc-assigned")["output_cost_per_token"] == 5e-6
    llmrelay.model_cost.update({"mc-updated": dict(ENTRY)})
    assert llmrelay.get_model_info("mc-updated")["input_cost_per_token"] == 1e-6
    assert llmrelay.model_cost.setdefault("mc-updated", {}) is llmrelay.model_cost["mc-updated"]


def test_pop_del_and_json():
    llmrelay.model_cost["mc-popped"] = dict(ENTRY)
    assert json.loads(json.dumps(llmrelay.model_cost))["mc-popped"]["output_cost_per_token"] == 2e-6
    assert llmrelay.model_cost.pop("mc-popped")["mode"] == "chat" and "mc-popped" not in llmrelay.model_cost
    llmrelay.model_cost["mc-deleted"] = dict(ENTRY)
    del llmrelay.model_cost["mc-deleted"]
    assert llmrelay.model_cost.get("mc-deleted") is None


def test_copies_are_plain_and_do_not_reprice():
    llmrelay.model_cost["mc-copied"] = dict(ENTRY)
    for snapshot in (copy.deepcopy(llmrelay.model_cost), pickle.loads(pickle.dumps(llmrelay.model_cost))):
        assert type(snapshot) is dict and type(snapshot["mc-copied"]) is dict
        snapshot["mc-copied"]["input_cost_per_token"] = 1.0
    entry_copy = copy.copy(llmrelay.model_cost["mc-copied"])
    entry_copy["input_cost_per_token"] = 1.0
    assert llmrelay.get_model_info("mc-copied")["input_cost_per_token"] == 1e-6


def test_register_model_round_trip(tmp_path):
    llmrelay.register_model({"mc-registered": dict(ENTRY)})
    assert llmrelay.model_cost["mc-registered"]["input_cost_per_token"] == 1e-6
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"mc-from-file": dict(ENTRY, input_cost_per_token=7e-6)}))
    llmrelay.register_model(str(path))
    assert llmrelay.model_cost["mc-from-file"]["input_cost_per_token"] == 7e-6
    llmrelay.model_cost["mc-from-file"]["input_cost_per_token"] = 8e-6
    assert llmrelay.get_model_info("mc-from-file")["input_cost_per_token"] == 8e-6
