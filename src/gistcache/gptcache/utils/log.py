"""GPTCache's ``gptcache_log``: here the ``gistcache.gptcache`` logger (no handler is added)."""

from __future__ import annotations

import logging

__all__ = ["gptcache_log"]

gptcache_log = logging.getLogger("gistcache.gptcache")
