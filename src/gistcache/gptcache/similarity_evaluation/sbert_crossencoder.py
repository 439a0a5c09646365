"""GPTCache's ``SbertCrossencoderEvaluation`` (gistcache's pair verifier)."""

from .onnx import SbertCrossencoderEvaluation

__all__ = ["SbertCrossencoderEvaluation"]
