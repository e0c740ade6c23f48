"""llmrelay.Router (LiteLLM's Router over the Rust router) against the
scripted fake upstream (faults) and the testkit's fake OpenAI upstream
(streams), plus mock_response for what needs no upstream."""

import asyncio
import collections
import json
import warnings

import pytest

import llmrelay
from llmrelay.exceptions import RouterConfigError

MESSAGES = [{"role": "user", "content": "Hey"}]


def deployment(group, model, api_base, **params):
    params = {"model": model, "api_base": api_base, "api_key": "sk-test", **params}
    return {"model_name": group, "litellm_params": params}


def headers(response):
    return response._hidden_params["additional_headers"]


# --- construction -----------------------------------------------------------


def test_router_is_lazy_and_subclasses_the_native_class():
    from llmrelay import _llmrelay

    assert issubclass(llmrelay.Router, _llmrelay.Router)
    assert llmrelay.Router is llmrelay.router.Router


def test_unknown_arguments_warn_by_name(fake):
    with pytest.warns(UserWarning, match="unknown key `redis_hostt`"):
        llmrelay.Router(model_list=[deployment("g", "openai/echo", fake.base_url)], redis_hostt="x")


def test_known_arguments_do_not_warn(fake):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        llmrelay.Router(
            model_list=[deployment("g", "openai/echo", fake.base_url, rpm=10, weight=2)],
            routing_strategy="usage-based-routing",
            num_retries=1,
            fallbacks=[{"g": ["g"]}],
            context_window_fallbacks=[],
            content_policy_fallbacks=[],
            default_fallbacks=["g"],
            cooldown_time=1,
            allowed_fails=2,
            timeout=30,
            stream_timeout=10,
            retry_policy={"RateLimitErrorRetries": 3},
            enable_pre_call_checks=True,
            routing_strategy_args={"ttl": 60},
            set_verbose=None,  # None counts as not given
        )


@pytest.mark.parametrize(
    "kwargs, model_list, names",
    [
        ({"routing_strategy": "fastest"}, None, ["routing_strategy", "fastest"]),
        ({"fallbacks": [{"g": ["nobody"]}]}, None, ["fallbacks", "nobody"]),
        ({}, [{"model_name": "w", "litellm_params": {"model": "openai/gpt-4o", "weight": -1}}], ["model_list[0] (w)", "weight"]),
        ({}, [{"model_name": "u", "litellm_params": {"model": "nosuchprovider/abc"}}], ["model_list[0] (u)", "nosuchprovider/abc", "api_base"]),
    ],
)
def test_bad_configuration_raises_naming_the_entry(fake, kwargs, model_list, names):
    model_list = model_list or [deployment("g", "openai/echo", fake.base_url)]
    with pytest.raises(RouterConfigError) as info:
        llmrelay.Router(model_list=model_list, **kwargs)
    # LiteLLM raises ValueError (strategy) or BadRequestError (model): this is both.
    assert isinstance(info.value, ValueError) and isinstance(info.value, llmrelay.BadRequestError)
    for name in names:
        assert name in str(info.value)


def test_unknown_group_is_a_bad_request(fake):
    router = llmrelay.Router(model_list=[deployment("g", "openai/echo", fake.base_url)])
    with pytest.raises(llmrelay.BadRequestError, match="no deployment serves model `other`"):
        router.completion(model="other", messages=MESSAGES)


# --- what it reports ----------------------------------------------------------


def test_get_model_list_has_litellms_shape(fake):
    entries = [
        deployment("gpt", "openai/dep-a", fake.base_url, rpm=10),
        {**deployment("gpt", "openai/dep-b", fake.base_url), "model_info": {"id": "b", "team": "x"}},
        deployment("other", "openai/echo", fake.base_url),
    ]
    router = llmrelay.Router(model_list=entries)
    listed = router.get_model_list()
    assert [e["model_name"] for e in listed] == ["gpt", "gpt", "other"]
    assert listed[0]["litellm_params"] == entries[0]["litellm_params"]
    assert len(listed[0]["model_info"]["id"]) == 64  # a SHA-256 of the entry
    assert listed[1]["model_info"] == {"id": "b", "team": "x"}
    assert [e["model_info"]["id"] for e in router.get_model_list(model_name="gpt")][1] == "b"
    assert router.model_list == listed
    assert router.model_names == ["gpt", "other"]
    assert router.get_model_names() == ["gpt", "gpt", "other"]
    # The caller's list is not changed by the ids filled in.
    assert "model_info" not in entries[0]


def test_get_available_deployment_and_status(fake):
    router = llmrelay.Router(
        model_list=[
            {**deployment("gpt", "openai/dep-a", fake.base_url), "model_info": {"id": "a"}},
            {**deployment("gpt", "openai/dep-b", fake.base_url, tags=["eu"]), "model_info": {"id": "b"}},
        ],
        enable_tag_filtering=True,
    )
    picked = router.get_available_deployment(model="gpt", messages=MESSAGES)
    assert picked["model_info"]["id"] in ("a", "b") and picked["model_name"] == "gpt"
    tagged = router.get_available_deployment(model="gpt", request_kwargs={"metadata": {"tags": ["eu"]}})
    assert tagged["model_info"]["id"] == "b"
    status = router.deployment_status()
    assert [s["id"] for s in status] == ["a", "b"]
    assert all(s["healthy"] and s["in_flight"] == 0 for s in status)


# --- routing, retries, fallbacks ----------------------------------------------


def test_traffic_is_shared_by_weight_with_the_deployment_in_hidden_params(fake):
    router = llmrelay.Router(
        model_list=[
            {**deployment("gpt", "openai/dep-a", fake.base_url, weight=3), "model_info": {"id": "a"}},
            {**deployment("gpt", "openai/dep-b", fake.base_url, weight=1), "model_info": {"id": "b"}},
        ]
    )
    seen = collections.Counter()
    for _ in range(400):
        r = router.completion(model="gpt", messages=MESSAGES, mock_response="hi")
        seen[r._hidden_params["model_id"]] += 1
    # 3:1 weights: "a" answers 300 of 400 on average; 6 standard deviations either side.
    assert 250 < seen["a"] < 350 and seen["a"] + seen["b"] == 400


def test_answer_from_the_upstream_names_its_deployment(fake):
    router = llmrelay.Router(
        model_list=[{**deployment("gpt", "openai/dep-a", fake.base_url), "model_info": {"id": "a"}}]
    )
    r = router.completion(model="gpt", messages=MESSAGES)
    assert r.choices[0].message.content == "fake answer" and r.model == "dep-a"
    hidden = r._hidden_params
    assert hidden["model_id"] == "a" and hidden["api_base"] == fake.base_url
    assert hidden["response_cost"] is None or hidden["response_cost"] >= 0
    assert headers(r) == {
        "x-litellm-model-group": "gpt",
        "x-litellm-attempted-retries": 0,
        "x-litellm-attempted-fallbacks": 0,
    }


def test_custom_prices_give_the_response_cost(fake):
    router = llmrelay.Router(
        model_list=[
            deployment("gpt", "openai/dep-a", fake.base_url, input_cost_per_token=0.5, output_cost_per_token=1.0)
        ]
    )
    r = router.completion(model="gpt", messages=MESSAGES)
    # The fake reports 9 prompt and 3 completion tokens.
    assert r._hidden_params["response_cost"] == pytest.approx(9 * 0.5 + 3 * 1.0)


@pytest.mark.parametrize("failing", ["openai/status-500", "openai/status-429"])
def test_fallback_to_another_group(fake, failing):
    router = llmrelay.Router(
        model_list=[deployment("primary", failing, fake.base_url), deployment("backup", "openai/echo", fake.base_url)],
        fallbacks=[{"primary": ["backup"]}],
        num_retries=0,
    )
    r = router.completion(model="primary", messages=MESSAGES, temperature=0.5)
    sent = json.loads(r.choices[0].message.content)
    assert sent["model"] == "echo" and sent["temperature"] == 0.5
    assert headers(r)["x-litellm-model-group"] == "backup"
    assert headers(r)["x-litellm-attempted-fallbacks"] == 1


def test_per_call_fallbacks_and_disable_fallbacks(fake):
    router = llmrelay.Router(
        model_list=[
            deployment("primary", "openai/status-500", fake.base_url),
            deployment("backup", "openai/echo", fake.base_url),
        ],
        num_retries=0,
    )
    r = router.completion(model="primary", messages=MESSAGES, fallbacks=["backup"])
    assert headers(r)["x-litellm-model-group"] == "backup"
    with pytest.raises(llmrelay.InternalServerError):
        router.completion(model="primary", messages=MESSAGES, fallbacks=["backup"], disable_fallbacks=True)


def test_context_window_fallbacks(fake):
    router = llmrelay.Router(
        model_list=[
            deployment("small", "openai/context-window", fake.base_url),
            deployment("big", "openai/echo", fake.base_url),
            deployment("other", "openai/dep-a", fake.base_url),
        ],
        context_window_fallbacks=[{"small": ["big"]}],
        fallbacks=[{"small": ["other"]}],
    )
    r = router.completion(model="small", messages=MESSAGES)
    # The context-window list wins over the general one for this error.
    assert headers(r)["x-litellm-model-group"] == "big"


def test_every_fallback_failing_raises_the_first_error_typed(fake):
    router = llmrelay.Router(
        model_list=[
            deployment("primary", "openai/status-429", fake.base_url),
            deployment("backup", "openai/status-500", fake.base_url),
        ],
        fallbacks=[{"primary": ["backup"]}],
        num_retries=0,
    )
    with pytest.raises(llmrelay.RateLimitError) as info:
        router.completion(model="primary", messages=MESSAGES)
    assert "backup" in str(info.value)


def test_mock_exception_strings_raise_typed_errors(fake):
    router = llmrelay.Router(model_list=[deployment("g", "openai/echo", fake.base_url)], num_retries=0)
    with pytest.raises(llmrelay.ContentPolicyViolationError):
        router.completion(model="g", messages=MESSAGES, mock_response="Exception: content_filter_policy")


# --- streams --------------------------------------------------------------------


def stream_router(fake, mock_server, failing):
    return llmrelay.Router(
        model_list=[
            {**deployment("primary", failing, fake.base_url), "model_info": {"id": "primary-1"}},
            {**deployment("backup", "openai/gpt-4o", mock_server), "model_info": {"id": "backup-1"}},
        ],
        fallbacks=[{"primary": ["backup"]}],
        num_retries=0,
    )


@pytest.mark.parametrize("failing", ["openai/stream-error-early", "openai/status-500"])
def test_stream_fails_over_before_the_first_token(fake, mock_server, failing):
    router = stream_router(fake, mock_server, failing)
    chunks = list(router.completion(model="primary", messages=MESSAGES, stream=True))
    # One clean stream from the backup: nothing of the failed attempt leaks.
    assert {c._hidden_params["model_id"] for c in chunks} == {"backup-1"}
    assert all(c.model != "stream-error-early" for c in chunks)
    roles = [c.choices[0].delta.role for c in chunks if c.choices and c.choices[0].delta.role]
    assert roles == ["assistant"]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello! How can I help you today?"


def test_async_stream_fails_over_before_the_first_token(fake, mock_server):
    router = stream_router(fake, mock_server, "openai/stream-error-early")

    async def run():
        stream = await router.acompletion(model="primary", messages=MESSAGES, stream=True)
        return [c async for c in stream]

    chunks = asyncio.run(run())
    assert {c._hidden_params["model_id"] for c in chunks} == {"backup-1"}
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello! How can I help you today?"


def test_stream_error_after_content_is_raised_typed(fake, mock_server):
    router = stream_router(fake, mock_server, "openai/stream-error")
    stream = router.completion(model="primary", messages=MESSAGES, stream=True)
    first = next(iter(stream))
    assert first.choices[0].delta.content == "par"  # content started: the stream is the caller's
    with pytest.raises(llmrelay.InternalServerError):
        list(stream)


def test_mock_stream_sync_and_async(fake):
    router = llmrelay.Router(model_list=[deployment("g", "openai/echo", fake.base_url)])
    text = "".join(
        c.choices[0].delta.content or "" for c in router.completion(model="g", messages=MESSAGES, stream=True, mock_response="one two")
    )
    assert text == "one two"

    async def run():
        stream = await router.acompletion(model="g", messages=MESSAGES, stream=True, mock_response="three four")
        return "".join([c.choices[0].delta.content or "" async for c in stream])

    assert asyncio.run(run()) == "three four"


def test_plain_completion_streams_fail_over_with_fallbacks(fake, mock_server):
    # LiteLLM's completion(fallbacks=[...]) goes through the router's loop.
    stream = llmrelay.completion(
        model="openai/stream-error-early",
        messages=MESSAGES,
        api_base=fake.base_url,
        stream=True,
        fallbacks=[{"model": "openai/gpt-4o", "api_base": mock_server}],
    )
    chunks = list(stream)
    assert all(c.model != "stream-error-early" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello! How can I help you today?"
    assert headers(chunks[0])["x-litellm-attempted-fallbacks"] == 1


def test_plain_completion_fallbacks_report_them(fake):
    r = llmrelay.completion(
        model="openai/status-500", messages=MESSAGES, api_base=fake.base_url, num_retries=0, fallbacks=["openai/echo"]
    )
    assert json.loads(r.choices[0].message.content)["model"] == "echo"
    assert headers(r)["x-litellm-attempted-fallbacks"] == 1

    async def run():
        return await llmrelay.acompletion(
            model="openai/status-500", messages=MESSAGES, api_base=fake.base_url, num_retries=0, fallbacks=["openai/echo"]
        )

    assert json.loads(asyncio.run(run()).choices[0].message.content)["model"] == "echo"


# --- embeddings and concurrency ---------------------------------------------------


def test_embedding_sync_and_async(mock_server):
    router = llmrelay.Router(
        model_list=[
            {
                "model_name": "embed",
                "litellm_params": {"model": "openai/text-embedding-3-small", "api_base": mock_server},
                "model_info": {"id": "e1"},
            }
        ]
    )
    e = router.embedding(model="embed", input=["a", "b"])
    assert len(e.data) == 2 and e._hidden_params["model_id"] == "e1"
    mocked = asyncio.run(router.aembedding(model="embed", input=["a"], mock_response="x"))
    assert mocked._hidden_params["model_id"] == "e1" and len(mocked.data) == 1


def test_concurrent_acompletions_are_all_answered_once(fake):
    router = llmrelay.Router(
        model_list=[
            {**deployment("gpt", "openai/echo", fake.base_url), "model_info": {"id": "a"}},
            {**deployment("gpt", "openai/echo", fake.base_url), "model_info": {"id": "b"}},
        ]
    )

    async def one(i):
        r = await router.acompletion(model="gpt", messages=[{"role": "user", "content": "call %d" % i}])
        return json.loads(r.choices[0].message.content)["messages"][0]["content"], r._hidden_params["model_id"]

    async def run():
        return await asyncio.gather(*(one(i) for i in range(200)))

    answers = asyncio.run(run())
    assert sorted(a for a, _ in answers) == sorted("call %d" % i for i in range(200))
    assert {d for _, d in answers} == {"a", "b"}
    assert all(s["in_flight"] == 0 for s in router.deployment_status())


def test_plain_fallback_to_the_same_model_with_other_settings(fake, mock_server):
    # LiteLLM's pattern: the same model again, through another key or base.
    r = llmrelay.completion(
        model="openai/status-500",
        messages=MESSAGES,
        api_base=fake.base_url,
        num_retries=0,
        fallbacks=[{"model": "openai/status-500", "api_base": mock_server}],
    )
    assert r.choices[0].message.content == "Hello! How can I help you today?"
    assert r._hidden_params["api_base"] == mock_server
    assert headers(r)["x-litellm-attempted-fallbacks"] == 1


# --- callbacks ------------------------------------------------------------------


def test_callbacks_fire_for_routed_calls(fake, monkeypatch):
    from llmrelay.integrations.custom_logger import CustomLogger

    class Recorder(CustomLogger):
        def __init__(self):
            super().__init__()
            self.events = []

        def log_success_event(self, kwargs, response_obj, start_time, end_time):
            self.events.append(("success", kwargs["model"], response_obj._hidden_params["model_id"]))

        def log_failure_event(self, kwargs, response_obj, start_time, end_time):
            self.events.append(("failure", kwargs["model"], None))

        async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
            self.events.append(("asuccess", kwargs["model"], response_obj._hidden_params["model_id"]))

    recorder = Recorder()
    monkeypatch.setattr(llmrelay, "callbacks", [recorder])
    router = llmrelay.Router(
        model_list=[{**deployment("gpt", "openai/echo", fake.base_url), "model_info": {"id": "a"}}], num_retries=0
    )
    router.completion(model="gpt", messages=MESSAGES)
    asyncio.run(router.acompletion(model="gpt", messages=MESSAGES))
    with pytest.raises(llmrelay.BadRequestError):
        router.completion(model="nobody", messages=MESSAGES)
    assert recorder.events == [("success", "gpt", "a"), ("asuccess", "gpt", "a"), ("failure", "nobody", None)]


def test_a_calls_own_timeout_wins_over_the_deployments(fake):
    router = llmrelay.Router(
        model_list=[deployment("slow", "openai/slow", fake.base_url, timeout=60)], num_retries=0, disable_cooldowns=True
    )
    with pytest.raises(llmrelay.Timeout):
        router.completion(model="slow", messages=MESSAGES, timeout=0.2)
