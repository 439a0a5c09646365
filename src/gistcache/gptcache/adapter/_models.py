"""GPTCache's adapters of particular model libraries, which gistcache does not provide.

GPTCache itself stopped adding them ("we recommend the get and set API"); each name here is
kept so that old code fails where it builds one, with the way to cache that model instead.
"""

from __future__ import annotations

from .._refused import refused, refused_function

__all__ = ["INSTEAD", "refused_model", "refused_model_function"]

#: what to do instead of a model adapter
INSTEAD = ("wrap the model call with gistcache.gptcache.adapter.adapter.adapt(call, convert, "
           "store, ...) (see docs/migrating-from-gptcache.md), or use adapter.api.get/put")


def refused_model(name: str, library: str, constructors: tuple[str, ...] = ()) -> type:
    """A refused adapter class for a model of ``library``."""
    return refused(name, f"gistcache has no adapter for {library}", INSTEAD, constructors)


def refused_model_function(name: str, library: str) -> object:
    """A refused adapter function for a model of ``library``."""
    return refused_function(name, f"gistcache has no adapter for {library}", INSTEAD)
