"""A GPTCache model adapter that gistcache does not provide (see its message)."""

from ._models import refused_model

__all__ = ["StableDiffusionPipeline"]

StableDiffusionPipeline = refused_model("StableDiffusionPipeline", "diffusers (Stable Diffusion)",
                                        ("from_pretrained",))
