"""moderation, image_generation and rerank (and their async forms) against the
testkit's fake OpenAI and fake Cohere over real HTTP: the objects LiteLLM
returns, the cost, and typed errors for bad input and unsupported providers."""

import asyncio

import pytest

import llmrelay

KEY = "sk-endpoint-test"


def test_moderation_flags_each_input(mock_server):
    r = llmrelay.moderation(input=["I will kill it", "a sunny day"], api_base=mock_server, api_key=KEY)
    assert isinstance(r, llmrelay.ModerationResponse)
    assert r.id.startswith("modr-") and r.model == "omni-moderation-latest"
    assert [x.flagged for x in r.results] == [True, False]
    first = r.results[0]
    assert first.categories["violence"] is True and first.categories["self_harm_intent"] is False
    assert first.category_scores["violence"] > 0.5
    assert r.model_dump()["results"][1]["flagged"] is False


def test_amoderation(mock_server):
    r = asyncio.run(llmrelay.amoderation(input="I hate rain", model="openai/omni-moderation-latest", api_base=mock_server, api_key=KEY))
    assert r.results[0].flagged and r.results[0].categories["hate"]


def test_image_generation_returns_image_response_with_cost(mock_server):
    r = llmrelay.image_generation(prompt="a fox", model="gpt-image-1.5", n=2, api_base=mock_server, api_key=KEY)
    assert isinstance(r, llmrelay.ImageResponse)
    assert len(r.data) == 2 and r.created > 0
    assert isinstance(r.data[0], llmrelay.ImageObject) and r.data[0].url.endswith(".png")
    assert r._hidden_params["response_cost"] == pytest.approx(2 * 0.009)


def test_aimage_generation_b64_and_revised_prompt(mock_server):
    r = asyncio.run(
        llmrelay.aimage_generation(
            prompt="a lighthouse", model="dall-e-3", response_format="b64_json", size="1024x1792", api_base=mock_server, api_key=KEY
        )
    )
    assert r.data[0].b64_json == "iVBORw0KGgo=" and r.data[0].url is None
    assert "lighthouse" in r.data[0].revised_prompt


def test_rerank_orders_and_prices(cohere_server):
    docs = ["Berlin is in Germany", "Paris is the capital of France", "France exports wine"]
    r = llmrelay.rerank(model="cohere/rerank-v3.5", query="capital of France", documents=docs, top_n=2, api_base=cohere_server, api_key=KEY)
    assert isinstance(r, llmrelay.RerankResponse)
    assert [x["index"] for x in r.results] == [1, 2]
    assert r.results[0]["relevance_score"] > r.results[1]["relevance_score"]
    assert "document" not in r.results[0]
    assert r.meta["billed_units"]["search_units"] == 1
    assert r._hidden_params["response_cost"] == pytest.approx(0.002)


def test_arerank_returns_documents_when_asked(cohere_server):
    r = asyncio.run(
        llmrelay.arerank(
            model="cohere/rerank-v3.5", query="wine", documents=[{"text": "red wine"}, "beer"], return_documents=True,
            api_base=cohere_server, api_key=KEY,
        )
    )
    assert r.results[0] == {"index": 0, "relevance_score": 1.0, "document": {"text": "red wine"}}


@pytest.mark.parametrize(
    "call",
    [
        lambda base: llmrelay.rerank(query="q", documents=["a"], api_base=base),
        lambda base: llmrelay.rerank(model="cohere/rerank-v3.5", query="q", documents=[], api_base=base),
        lambda base: llmrelay.image_generation(prompt="x", model="dall-e-3", size="huge", api_base=base),
        lambda base: llmrelay.rerank(model="gpt-4o", query="q", documents=["a"], api_base=base),
        lambda base: llmrelay.image_generation(prompt="x", model="anthropic/claude-3-5-sonnet-20240620", api_base=base),
        lambda base: llmrelay.moderation(input="x", model="cohere/command-r-08-2024", api_base=base),
    ],
    ids=["missing-model", "empty-documents", "bad-size", "rerank-on-openai", "images-on-anthropic", "moderation-on-cohere"],
)
def test_bad_input_is_a_bad_request_before_any_io(call):
    # Nothing listens on port 9: a call that got that far would be a connection error.
    with pytest.raises(llmrelay.BadRequestError):
        call("http://127.0.0.1:9")


@pytest.mark.parametrize(
    "status,error", [(401, "AuthenticationError"), (429, "RateLimitError"), (500, "InternalServerError")]
)
def test_upstream_errors_are_typed_and_keyless(fake, status, error):
    secret = "sk-never-shown-123456"
    for call in (
        lambda: llmrelay.moderation(input="x", model="openai/status-%d" % status, api_base=fake.base_url, api_key=secret, num_retries=0),
        lambda: llmrelay.image_generation(prompt="x", model="openai/status-%d" % status, api_base=fake.base_url, api_key=secret, num_retries=0),
    ):
        with pytest.raises(getattr(llmrelay, error)) as caught:
            call()
        assert caught.value.status_code == status
        assert secret not in str(caught.value)


def test_mock_exception_raises_it():
    with pytest.raises(llmrelay.RateLimitError):
        llmrelay.image_generation(
            prompt="x", model="dall-e-3", mock_response=llmrelay.RateLimitError("slow down", "openai", "dall-e-3")
        )
