"""A GPTCache model adapter that gistcache does not provide (see its message)."""

from ._models import refused_model

__all__ = ["Llama"]

Llama = refused_model("Llama", "llama-cpp-python")
