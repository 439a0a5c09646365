"""Identical concurrent misses coalesced into one upstream call, safely.

Calls are grouped by request (its exact key, which includes the scope and so the upstream) and
by caller (a hash of the API key the call is made with). Within a group the first call leads;
the others wait for it. A follower receives the leader's answer only when that answer is a
storable one; when the leader fails (an error, or a body that is not an answer), the followers
make their own calls: one caller's 401, 429 or garbage is never handed to another.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["Coalescer", "caller_id"]

T = TypeVar("T")


def caller_id(api_key: str | None) -> str:
    """A short hash identifying the caller by its API key (the key itself is not kept)."""
    if not api_key:
        return ""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:24]


class Coalescer(Generic[T]):
    """In-flight maps for sync (threads) and async (per event loop) callers.

    ``join`` makes the caller the leader of its group or a follower; the leader ends the group
    with ``release(key, future, value)``, where ``value`` is what followers may share, or None
    when they must call for themselves.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sync: dict[Hashable, concurrent.futures.Future[T | None]] = {}
        self._async: dict[tuple[int, Hashable], asyncio.Future[T | None]] = {}

    def __len__(self) -> int:
        return len(self._sync) + len(self._async)

    # -- threads --

    def join(self, key: Hashable) -> tuple[bool, concurrent.futures.Future[T | None]]:
        """(True, a new future) for the leader, (False, the leader's future) for a follower."""
        with self._lock:
            future = self._sync.get(key)
            if future is not None:
                return False, future
            future = self._sync[key] = concurrent.futures.Future()
            return True, future

    def release(self, key: Hashable, future: concurrent.futures.Future[T | None],
                value: T | None) -> None:
        """End the group: followers get ``value`` (None: they call for themselves)."""
        with self._lock:
            if self._sync.get(key) is future:
                del self._sync[key]
        future.set_result(value)

    # -- event loops --

    def ajoin(self, key: Hashable) -> tuple[bool, asyncio.Future[T | None]]:
        """Async :meth:`join` (groups are per event loop: a future belongs to one loop)."""
        loop = asyncio.get_running_loop()
        slot = (id(loop), key)
        future = self._async.get(slot)
        if future is not None:
            return False, future
        future = self._async[slot] = loop.create_future()
        return True, future

    def arelease(self, key: Hashable, future: asyncio.Future[T | None], value: T | None) -> None:
        """Async :meth:`release`."""
        slot = (id(future.get_loop()), key)
        if self._async.get(slot) is future:
            del self._async[slot]
        if not future.done():
            future.set_result(value)
