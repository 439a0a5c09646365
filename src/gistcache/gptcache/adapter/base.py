"""GPTCache's ``BaseCacheLLM``: the hooks every cached model class shares.

``llm`` replaces the model call on a miss (for a proxy or a wrapper of your own; it gets the
call's arguments and returns what the model would); ``cache_args`` are cache keywords added to
every call (``{"cache_obj": my_cache}``); :meth:`fill_base_args` merges them in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

__all__ = ["BaseCacheLLM"]


class BaseCacheLLM:
    """Class-level hooks of a cached model class (``ChatCompletion.llm = my_call``)."""

    #: called instead of the model on a miss, when set
    llm: ClassVar[Callable[..., Any] | None] = None
    #: cache keywords added to every call that does not set them
    cache_args: ClassVar[dict[str, Any]] = {}

    @classmethod
    def fill_base_args(cls, **kwargs: Any) -> dict[str, Any]:
        """``kwargs`` with every ``cache_args`` entry it does not set."""
        for key, value in cls.cache_args.items():
            kwargs.setdefault(key, value)
        return kwargs
