"""Router.text_completion / image_generation / moderation / rerank (and
their async forms) routed by model group against the testkit's fake OpenAI
and Cohere upstreams and the scripted fault server: the deployment's
litellm_params reach the call, the answer names its deployment, a transient
failure moves to the group's next deployment, a bad request does not."""

import asyncio

import pytest

import llmrelay

KEY = "sk-router-endpoints"


def deployment(group, model, api_base, id_, **params):
    return {
        "model_name": group,
        "litellm_params": {"model": model, "api_base": api_base, "api_key": KEY, **params},
        "model_info": {"id": id_},
    }


def test_text_completion_goes_through_the_group(mock_server):
    router = llmrelay.Router(model_list=[deployment("text", "openai/gpt-4o", mock_server, "t1")])
    r = router.text_completion(model="text", prompt="Say hi", max_tokens=5)
    assert isinstance(r, llmrelay.TextCompletionResponse)
    assert r.object == "text_completion" and isinstance(r.choices[0].text, str) and r.choices[0].text
    assert r._hidden_params["model_id"] == "t1"
    chunks = list(router.text_completion(model="text", prompt="Say hi", stream=True))
    assert chunks and all(isinstance(c, llmrelay.TextCompletionResponse) for c in chunks)


def test_atext_completion_with_a_list_of_prompts():
    router = llmrelay.Router(model_list=[{"model_name": "m", "litellm_params": {"model": "gpt-4o"}}])
    r = asyncio.run(router.atext_completion(model="m", prompt=["one", "two"], mock_response="ok"))
    assert [c.text for c in r.choices] == ["ok", "ok"] and [c.index for c in r.choices] == [0, 1]


def test_image_generation_fails_over_to_the_groups_healthy_deployment(mock_server, fake):
    router = llmrelay.Router(
        model_list=[
            deployment("images", "openai/status-503", fake.base_url, "down"),
            deployment("images", "openai/dall-e-3", mock_server, "up"),
        ]
    )
    for _ in range(6):  # whichever the strategy picks first, the healthy one answers
        r = router.image_generation(prompt="a fox", model="images")
        assert isinstance(r, llmrelay.ImageResponse) and r.data[0].url.endswith(".png")
        assert r._hidden_params["model_id"] == "up" and r._hidden_params["api_base"] == mock_server


def test_aimage_generation_uses_the_deployments_params(mock_server):
    # The deployment's api_base and api_key are the only way to reach the fake upstream.
    router = llmrelay.Router(model_list=[deployment("images", "openai/dall-e-3", mock_server, "img")])
    r = asyncio.run(router.aimage_generation(prompt="a lighthouse", model="images", response_format="b64_json"))
    assert r.data[0].b64_json and r.data[0].url is None
    assert r._hidden_params["model_id"] == "img"


def test_a_bad_request_is_raised_without_trying_other_deployments(mock_server, fake):
    router = llmrelay.Router(
        model_list=[
            deployment("images", "openai/status-400", fake.base_url, "bad"),
            deployment("images", "openai/dall-e-3", mock_server, "up"),
        ],
        routing_strategy="simple-shuffle",
    )
    outcomes = set()
    for _ in range(12):
        try:
            outcomes.add(router.image_generation(prompt="a fox", model="images")._hidden_params["model_id"])
        except llmrelay.BadRequestError as err:
            assert err.status_code == 400 and KEY not in str(err)
            outcomes.add("raised")
    assert outcomes <= {"up", "raised"} and "raised" in outcomes


def test_moderation_sync_and_async(mock_server):
    router = llmrelay.Router(model_list=[deployment("mod", "openai/omni-moderation-latest", mock_server, "m1")])
    r = router.moderation(model="mod", input=["I will kill it", "a sunny day"])
    assert isinstance(r, llmrelay.ModerationResponse) and [x.flagged for x in r.results] == [True, False]
    r = asyncio.run(router.amoderation(model="mod", input="I hate rain"))
    assert r.results[0].flagged and r._hidden_params["model_id"] == "m1"


def test_rerank_sync_and_async(cohere_server):
    router = llmrelay.Router(model_list=[deployment("rr", "cohere/rerank-v3.5", cohere_server, "r1")])
    docs = ["Berlin is in Germany", "Paris is the capital of France", "France exports wine"]
    r = router.rerank(model="rr", query="capital of France", documents=docs, top_n=2)
    assert isinstance(r, llmrelay.RerankResponse) and [x["index"] for x in r.results] == [1, 2]
    assert r._hidden_params["model_id"] == "r1"
    r = asyncio.run(router.arerank(model="rr", query="wine", documents=docs, return_documents=True))
    assert r.results[0]["document"]["text"] == "France exports wine"


def test_an_unknown_group_is_a_bad_request(mock_server):
    router = llmrelay.Router(model_list=[deployment("images", "openai/dall-e-3", mock_server, "up")])
    with pytest.raises(llmrelay.BadRequestError, match="nope"):
        router.image_generation(prompt="x", model="nope")
    with pytest.raises(llmrelay.BadRequestError):
        asyncio.run(router.arerank(query="q", documents=["a"]))
