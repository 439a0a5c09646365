"""GPTCache's ``SummarizationContextProcess`` (see :mod:`gistcache.gptcache.processor.context`)."""

from . import SummarizationContextProcess

__all__ = ["SummarizationContextProcess"]
