"""LiteLLM's per-provider model sets (``open_ai_chat_completion_models``,
``anthropic_models``, ``bedrock_models``, ``vertex_chat_models``...) and
``add_known_models``, which files a cost map's entries into them.

The sets are built from the catalog the first time any of them is read (one
pass over ~4,900 entries, ~0.4 s; never at ``import llmrelay``) and are then
ordinary mutable ``set`` objects, as in LiteLLM: code that adds to one, or
calls ``add_known_models`` after ``register_model``, sees its change in
every later read.
"""

import llmrelay
from llmrelay import _llmrelay

__all__ = ["LIST_NAMES", "add_known_models"]

#: Entries whose ``litellm_provider`` files them under a list not named
#: ``<provider>_models``.
_RENAMED = {
    "openai": "open_ai_chat_completion_models",
    "text-completion-openai": "open_ai_text_completion_models",
    "mistral": "mistral_chat_models",
    "meta_llama": "llama_models",
    "nebius-chat-models": "nebius_models",
    "vertex_ai": "vertex_ai_models",
    "vertex_ai-text-models": "vertex_text_models",
    "vertex_ai-code-text-models": "vertex_code_text_models",
    "vertex_ai-language-models": "vertex_language_models",
    "vertex_ai-vision-models": "vertex_vision_models",
    "vertex_ai-chat-models": "vertex_chat_models",
    "vertex_ai-code-chat-models": "vertex_code_chat_models",
    "vertex_ai-embedding-models": "vertex_embedding_models",
    "vertex_ai-anthropic_models": "vertex_anthropic_models",
    "vertex_ai-llama_models": "vertex_llama3_models",
    "vertex_ai-deepseek_models": "vertex_deepseek_models",
    "vertex_ai-mistral_models": "vertex_mistral_models",
    "vertex_ai-ai21_models": "vertex_ai_ai21_models",
    "vertex_ai-image-models": "vertex_ai_image_models",
    "vertex_ai-video-models": "vertex_ai_video_models",
    "vertex_ai-openai_models": "vertex_openai_models",
    "vertex_ai-minimax_models": "vertex_minimax_models",
    "vertex_ai-moonshot_models": "vertex_moonshot_models",
    "vertex_ai-zai_models": "vertex_zai_models",
    "vertex_ai-qwen_models": "vertex_qwen_models",
    "fireworks_ai-embedding-models": "fireworks_ai_embedding_models",
    "sambanova-embedding-models": "sambanova_embedding_models",
    "nebius-embedding-models": "nebius_embedding_models",
    "ovhcloud-embedding-models": "ovhcloud_embedding_models",
    "text-completion-codestral": "text_completion_codestral_models",
    "text-completion-inception": "text_completion_inception_models",
}

#: Providers whose list is ``<provider>_models``.
_PLAIN = (
    "azure_text cohere cohere_chat anthropic empower openrouter vercel_ai_gateway edenai datarobot nlp_cloud "
    "aleph_alpha bedrock bedrock_converse deepinfra clf_ai_gateway perplexity watsonx gemini fireworks_ai "
    "together_ai baseten xai zai bigmodel fal_ai deepseek tencent runwayml nscale azure_ai voyage infinity "
    "databricks cloudflare codestral friendliai palm groq azure azure_anthropic anyscale cerebras nadir "
    "galadriel nvidia_nim nvidia_riva soniox sambanova scaledown novita aiml assemblyai jina_ai snowflake "
    "gradient_ai featherless_ai deepgram elevenlabs heroku dashscope qwencloud qwen_ai_platform modelscope "
    "moonshot publicai darkbloom openinfer kyma streamlake wally zerogpu v0 morph opencode_go lambda_ai "
    "inception hyperbolic black_forest_labs recraft cometapi oci volcengine wandb ovhcloud lemonade "
    "docker_model_runner amazon_nova stability github_copilot microsoft_365_copilot chatgpt minimax aws_polly "
    "transcribe gigachat llamagate coralbricks aiand reducto bedrock_mantle"
).split()

#: The Vertex AI partner families LiteLLM files without their ``vertex_ai/`` prefix.
_UNPREFIXED = frozenset(
    provider
    for provider in _RENAMED
    if provider.startswith("vertex_ai-")
    and provider.endswith(("_models", "image-models", "video-models"))
    or provider == "vertex_ai"
)

_LIST_OF = dict(_RENAMED, **{provider: provider + "_models" for provider in _PLAIN})

#: Every set this module serves (``ai21`` splits into chat and the rest).
LIST_NAMES = frozenset(_LIST_OF.values()) | {"ai21_models", "ai21_chat_models"}

_sets = {}


def _list_for(key, entry):
    """The set an entry belongs in and the name it is filed under (or None)."""
    provider = entry.get("litellm_provider")
    mode = entry.get("mode")
    if provider == "ai21":
        return ("ai21_chat_models" if mode == "chat" else "ai21_models"), key
    name = _LIST_OF.get(provider)
    if name is None:
        return None
    if provider == "openai" and key.startswith("ft:"):
        return None  # fine-tuned prices, not models
    if provider == "bedrock" and mode == "guardrail":
        return None
    if provider.startswith("fireworks_ai") and ("-to-" in key or "fireworks-ai-default" in key):
        return None  # price tiers ("up-to-16b"), not models
    if provider == "together_ai" and key.startswith("together-ai-"):
        return None
    if provider in _UNPREFIXED and key.startswith("vertex_ai/"):
        key = key[len("vertex_ai/") :]
    return name, key


def _file(model_cost_map):
    sets = _built()
    added = {}
    for key, entry in list(model_cost_map.items()):
        if not isinstance(entry, dict):
            continue
        filed = _list_for(key, entry)
        if filed is not None:
            sets[filed[0]].add(filed[1])
            provider = entry.get("litellm_provider")
            if provider:
                added.setdefault(provider, set()).add(key)
    return added


def _built():
    if not _sets:
        for name in LIST_NAMES:
            _sets[name] = set()
        catalog = _llmrelay.ModelCostMap()
        for key in catalog:
            filed = _list_for(key, catalog[key])
            if filed is not None:
                _sets[filed[0]].add(filed[1])
    return _sets


def add_known_models(model_cost_map=None):
    """LiteLLM's ``add_known_models``: files each entry of ``model_cost_map``
    (``llmrelay.model_cost`` by default) into its provider's model set, and
    adds its key to ``llmrelay.models_by_provider`` in place, so a model
    registered at run time is listed with its provider's."""
    if model_cost_map is None:
        model_cost_map = llmrelay.model_cost
    added = _file(model_cost_map)
    by_provider = llmrelay.models_by_provider
    for provider, keys in added.items():
        by_provider.setdefault(provider, set()).update(keys)


def __getattr__(name):
    if name not in LIST_NAMES:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = _built()[name]
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | LIST_NAMES)
