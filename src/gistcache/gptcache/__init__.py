"""GPTCache's API on gistcache: change the import prefix ``gptcache`` to ``gistcache.gptcache``.

    from gistcache.gptcache import cache
    from gistcache.gptcache.adapter import openai
    cache.init()
    cache.set_openai_key()

What differs and why (scoping, verification after GPTCache's rule, the threshold's meaning,
files), and how to bring a GPTCache data directory over (``gistcache import --from-gptcache``):
``docs/migrating-from-gptcache.md``. Importing this package creates nothing: the default
``cache`` is built on first use.
"""

from .config import Config
from .core import Cache, cache

__all__ = ["Cache", "Config", "cache"]
