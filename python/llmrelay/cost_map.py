"""LiteLLM's ``model_cost`` as the mutable dict LiteLLM exposes.

``llmrelay.model_cost`` is built from the catalog the first time it is read
(``import llmrelay`` does not build it: that costs ~0.1-0.5 s for ~4,900
entries). It is a real ``dict``, so item access, ``pop``, iteration and
``json.dumps`` work as on LiteLLM's. Writing an entry (``model_cost[name] =
{...}``, ``update``, ``setdefault``) also registers it in the catalog, so
``completion_cost`` and ``get_model_info`` price it; ``register_model`` adds
its entries here too. Removing an entry (``pop``, ``del``) removes it from
this dict only: the catalog keeps pricing a built-in model."""

from llmrelay import _llmrelay

__all__ = ["ModelCost", "model_cost", "sync"]


class ModelCost(dict):
    """A dict of model name -> LiteLLM entry whose writes reach the catalog."""

    def __setitem__(self, key, value):
        _llmrelay.register_model({key: value})
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


def _build():
    view = _llmrelay.ModelCostMap()
    return ModelCost({key: view[key] for key in view})


def sync(keys=None):
    """Copies catalog entries into the dict: ``keys``, or every entry the
    dict does not have yet (after ``register_model`` of a file)."""
    view = _llmrelay.ModelCostMap()
    for key in view if keys is None else keys:
        if key in view and (keys is not None or key not in model_cost):
            dict.__setitem__(model_cost, key, view[key])


model_cost = _build()
