"""LiteLLM's ``litellm.cost_calculator``: ``completion_cost``,
``cost_per_token`` and ``response_cost_calculator``."""

from llmrelay._llmrelay import completion_cost, cost_per_token

__all__ = ["completion_cost", "cost_per_token", "response_cost_calculator"]


def response_cost_calculator(
    response_object,
    model,
    custom_llm_provider=None,
    call_type="completion",
    optional_params=None,
    cache_hit=None,
    base_model=None,
    custom_pricing=None,
    prompt="",
    standard_built_in_tools_params=None,
    litellm_model_name=None,
    router_model_id=None,
    litellm_logging_obj=None,
    service_tier=None,
):
    """LiteLLM's ``response_cost_calculator``: the response's cost in USD,
    0.0 for a cache hit, None when the model has no price (LiteLLM logs and
    returns None rather than raising)."""
    if cache_hit:
        return 0.0
    try:
        return completion_cost(
            completion_response=response_object,
            model=model,
            custom_llm_provider=custom_llm_provider,
            call_type=call_type,
            base_model=base_model,
            prompt=prompt,
            service_tier=service_tier,
        )
    except Exception:
        return None
