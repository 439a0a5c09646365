"""A GPTCache model adapter that gistcache does not provide (see its message)."""

from ._models import refused_model

__all__ = ["StabilityInference", "generation"]

StabilityInference = refused_model("StabilityInference", "stability-sdk")


class generation:  # noqa: N801 - GPTCache re-exported stability_sdk's module under this name
    """stability-sdk's ``generation`` protocol names, not provided (see ``StabilityInference``)."""

    refused = True
    ARTIFACT_IMAGE = 1
