"""GPTCache's ``EvictionBase``: gistcache evicts inside its entry store, by one policy."""

from __future__ import annotations

from typing import Any

from ....eviction import get_policy
from ...utils.error import ParamError

__all__ = ["EvictionBase"]


class EvictionBase:
    """``EvictionBase("memory", policy="LRU", maxsize=N)`` describes gistcache's own eviction.

    GPTCache's ``redis`` eviction is refused: the entry store evicts (LRU, LFU, FIFO or TTL by
    entries and bytes), whichever store it is, and every process sharing it sees the result.
    """

    def __init__(self, name: str = "memory", policy: str = "LRU", maxsize: int = 1000,
                 clean_size: int = 0, **kwargs: Any) -> None:
        name = str(name).lower()
        if name not in ("memory", "no_op_eviction"):
            raise ParamError(f"EvictionBase {name!r} is not supported: gistcache evicts in its "
                             "entry store (manager_factory(..., eviction_params={'max_size': N, "
                             "'eviction': 'LRU'}))")
        self.name = name
        self.policy = get_policy(str(policy).lower()).name
        self.maxsize = maxsize

    @staticmethod
    def get(name: str, policy: str = "LRU", maxsize: int = 1000, clean_size: int = 0,
            **kwargs: Any) -> EvictionBase:
        """GPTCache's factory method."""
        return EvictionBase(name, policy, maxsize, clean_size, **kwargs)

    def __repr__(self) -> str:
        return f"EvictionBase({self.name!r}, policy={self.policy!r}, maxsize={self.maxsize})"
