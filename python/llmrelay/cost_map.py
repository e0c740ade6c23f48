"""LiteLLM's ``model_cost`` as the mutable dict LiteLLM exposes.

``llmrelay.model_cost`` is built from the catalog the first time it is read
(``import llmrelay`` does not build it: that costs ~0.1-0.5 s for ~4,900
entries). It is a real ``dict``, so item access, ``pop``, iteration and
``json.dumps`` work as on LiteLLM's. Writing an entry (``model_cost[name] =
{...}``, ``update``, ``setdefault``) also registers it in the catalog, so
``completion_cost`` and ``get_model_info`` price it; ``register_model`` adds
its entries here too. An entry is a dict whose own writes
(``model_cost["gpt-4o"]["input_cost_per_token"] = ...``) register it again,
so changing one price reprices the model, as in LiteLLM. Removing an entry
(``pop``, ``del``) removes it from this dict only: the catalog keeps pricing
a built-in model (LiteLLM then forgets the model)."""

from llmrelay import _llmrelay

__all__ = ["ModelCost", "ModelCostEntry", "model_cost", "sync"]


class ModelCostEntry(dict):
    """One model's LiteLLM entry; a write to it registers the entry again.
    Copies (``copy``, ``deepcopy``, pickling) are plain dicts, so editing a
    copy never reprices the model."""

    __slots__ = ("_model",)

    def __init__(self, model, fields):
        super().__init__(fields)
        self._model = model

    def _register(self):
        _llmrelay.register_model({self._model: dict(self)})

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._register()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._register()

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._register()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key, *default):
        had = key in self
        value = super().pop(key, *default)
        if had:
            self._register()
        return value

    def __copy__(self):
        return dict(self)

    def __deepcopy__(self, memo):
        import copy

        return copy.deepcopy(dict(self), memo)

    def __reduce__(self):
        return (dict, (dict(self),))


def _entry(model, fields):
    return ModelCostEntry(model, fields) if isinstance(fields, dict) else fields


class ModelCost(dict):
    """A dict of model name -> LiteLLM entry whose writes reach the catalog."""

    def __setitem__(self, key, value):
        _llmrelay.register_model({key: value})
        super().__setitem__(key, _entry(key, value))

    def __copy__(self):
        return dict(self)

    def __deepcopy__(self, memo):
        import copy

        return {key: copy.deepcopy(value, memo) for key, value in self.items()}

    def __reduce__(self):
        return (dict, (dict(self),))

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


def _build():
    view = _llmrelay.ModelCostMap()
    return ModelCost({key: _entry(key, view[key]) for key in view})


def sync(keys=None):
    """Copies catalog entries into the dict: ``keys``, or every entry the
    dict does not have yet (after ``register_model`` of a file)."""
    view = _llmrelay.ModelCostMap()
    for key in view if keys is None else keys:
        if key in view and (keys is not None or key not in model_cost):
            dict.__setitem__(model_cost, key, _entry(key, view[key]))


model_cost = _build()
