"""GPTCache's ``replicate.run`` adapter: not provided by gistcache (see its message)."""

from ._models import refused_model_function

__all__ = ["run"]

run = refused_model_function("run", "replicate")
