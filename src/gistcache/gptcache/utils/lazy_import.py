"""GPTCache's ``LazyImport``: a module imported on first attribute access."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["LazyImport"]


class LazyImport(ModuleType):
    """``LazyImport("np", globals(), "numpy")``: ``numpy`` is imported when first used."""

    def __init__(self, local_name: str, parent_module_globals: dict[str, Any],
                 name: str) -> None:
        self._local_name = local_name
        self._parent_module_globals = parent_module_globals
        super().__init__(name)

    def _load(self) -> ModuleType:
        module = importlib.import_module(self.__name__)
        self._parent_module_globals[self._local_name] = module
        self.__dict__.update(module.__dict__)
        return module

    def __getattr__(self, item: str) -> Any:
        return getattr(self._load(), item)

    def __dir__(self) -> list[str]:
        return dir(self._load())
