"""A GPTCache model adapter that gistcache does not provide (see its message)."""

from ._models import refused_model

__all__ = ["MiniGPT4"]

MiniGPT4 = refused_model("MiniGPT4", "MiniGPT-4",
                         ("from_pretrained",))
