"""GPTCache's ``SelectiveContextProcess`` (see :mod:`gistcache.gptcache.processor.context`)."""

from . import SelectiveContextProcess

__all__ = ["SelectiveContextProcess"]
