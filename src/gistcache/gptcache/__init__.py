"""GPTCache's API on gistcache: change the import prefix ``gptcache`` to ``gistcache.gptcache``.

    from gistcache.gptcache import cache
    from gistcache.gptcache.adapter import openai
    cache.init()
    cache.set_openai_key()

Differences worth knowing: data goes into ``./gistcache-data`` (not files in the working
directory); ``Config(similarity_threshold=t)`` keeps GPTCache's meaning, and left unset the
threshold is gistcache's tuned one; the meaning guards stay on (a negated or reversed question is
refused another's answer); a hit carries ``"gptcache": True`` like GPTCache's.
Importing this package creates nothing: the default ``cache`` is built on first use.
"""

from .config import Config
from .core import Cache, cache

__all__ = ["Cache", "Config", "cache"]
