"""A GPTCache model adapter that gistcache does not provide (see its message)."""

from ._models import refused_model

__all__ = ["Dolly"]

Dolly = refused_model("Dolly", "Dolly (transformers pipelines)",
                      ("from_model",))
