"""``install_as_litellm()``: ``import litellm`` gives llmrelay.

A finder at the front of ``sys.meta_path`` answers ``litellm`` and every
``litellm.<path>`` with the llmrelay module at the same path
(``litellm.types.utils`` -> ``llmrelay.types.utils``), plus a few LiteLLM
paths that have another home here (``litellm.main``). The module object is
the llmrelay one, so a setting assigned through ``litellm.x = ...`` is the
setting llmrelay reads. A LiteLLM path llmrelay does not provide raises
``ModuleNotFoundError`` naming both paths."""

import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["install", "uninstall", "LiteLLMAliasFinder"]

#: LiteLLM module paths served by an llmrelay module with another name.
RENAMED = {
    "litellm.main": "llmrelay",
    "litellm.litellm_core_utils": "llmrelay.types",
    "litellm.litellm_core_utils.streaming_handler": "llmrelay.types.utils",
}


def _target(fullname):
    if fullname in RENAMED:
        return RENAMED[fullname]
    return "llmrelay" + fullname[len("litellm") :]


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        # The llmrelay module itself, not a copy: its attributes (settings,
        # callbacks, cache) are shared by both names.
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


class LiteLLMAliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``litellm`` and ``litellm.*`` as the llmrelay modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "litellm" and not fullname.startswith("litellm."):
            return None
        name = _target(fullname)
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            raise ModuleNotFoundError(
                "No module named %r: llmrelay.install_as_litellm() serves litellm from llmrelay, which has "
                "no %r" % (fullname, name),
                name=fullname,
            )
        return importlib.util.spec_from_loader(
            fullname, _AliasLoader(name), is_package=found.submodule_search_locations is not None
        )


def install():
    """Installs the finder (once) and names llmrelay ``litellm`` now."""
    existing = sys.modules.get("litellm")
    import llmrelay

    if existing is not None and existing is not llmrelay:
        raise RuntimeError(
            "litellm is already imported in this process; call llmrelay.install_as_litellm() before "
            "anything imports litellm"
        )
    if not any(isinstance(f, LiteLLMAliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, LiteLLMAliasFinder())
    sys.modules["litellm"] = llmrelay


def uninstall():
    """Removes the finder and every ``litellm`` name it created."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, LiteLLMAliasFinder)]
    for name in [n for n in sys.modules if n == "litellm" or n.startswith("litellm.")]:
        del sys.modules[name]
