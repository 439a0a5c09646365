"""GPTCache's ``Session``: answers remember which sessions produced or received them.

With ``session=`` on a call, a cached answer is served only when ``check_hit_func(session
name, sessions of the answer, [its question], answer)`` allows it; the default allows it to
any session but the ones that already have it (asking again in the same session gets a fresh
answer). Which sessions an entry belongs to is kept in the entry store (so every process
sharing the store sees it); :meth:`Session.drop` forgets a session, keeping the entries.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..stores import EntryStore
from .processor.check_hit import check_hit_session

if TYPE_CHECKING:
    from .core import Cache
    from .manager.factory import DataManager

__all__ = ["Session", "add_session", "add_sessions", "drop_session", "sessions_of"]

log = logging.getLogger("gistcache.gptcache")

_LOCK = threading.Lock()


def _entry_key(entry_id: int) -> str:
    return f"gptcache.session:{entry_id}"


def _name_key(name: str) -> str:
    return f"gptcache.session-entries:{name}"


def _read(store: EntryStore, key: str) -> list[Any]:
    raw = store.get_meta(key)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        log.warning("unreadable session data under %s ignored", key)
        return []
    return value if isinstance(value, list) else []


def _store(obj: Cache | EntryStore) -> EntryStore:
    return obj if isinstance(obj, EntryStore) else obj.native.store


def sessions_of(obj: Cache | EntryStore, entry_id: int) -> list[str]:
    """The names of the sessions an entry belongs to."""
    return [str(n) for n in _read(_store(obj), _entry_key(entry_id))]


def add_session(obj: Cache | EntryStore, entry_id: int, name: str) -> None:
    """Record that session ``name`` produced or received entry ``entry_id``."""
    store = _store(obj)
    with _LOCK:
        names = sessions_of(store, entry_id)
        if name not in names:
            store.set_meta(_entry_key(entry_id), json.dumps([*names, name]))
        ids = _read(store, _name_key(name))
        if entry_id not in ids:
            store.set_meta(_name_key(name), json.dumps([*ids, entry_id]))


def add_sessions(store: EntryStore, links: Mapping[int, Sequence[str]]) -> None:
    """Record many (entry -> session names) links at once (the importer's)."""
    by_name: dict[str, list[int]] = {}
    with _LOCK:
        for entry_id, names in links.items():
            have = sessions_of(store, entry_id)
            fresh = [n for n in names if n not in have]
            if fresh:
                store.set_meta(_entry_key(entry_id), json.dumps([*have, *fresh]))
            for name in fresh:
                by_name.setdefault(name, []).append(entry_id)
        for name, ids in by_name.items():
            have_ids = _read(store, _name_key(name))
            store.set_meta(_name_key(name), json.dumps([*have_ids,
                                                        *(i for i in ids if i not in have_ids)]))


def drop_session(obj: Cache | EntryStore, name: str) -> int:
    """Forget session ``name`` in one store; returns how many entries it belonged to."""
    store = _store(obj)
    with _LOCK:
        ids = [int(i) for i in _read(store, _name_key(name))]
        for entry_id in ids:
            names = [n for n in sessions_of(store, entry_id) if n != name]
            store.set_meta(_entry_key(entry_id), json.dumps(names))
        store.set_meta(_name_key(name), "[]")
    return len(ids)


CheckHit = Callable[[str, Sequence[str], Sequence[Any], Any], bool]


class Session:
    """A named session (default: a random name) with its hit rule.

    ``data_manager`` names the cache whose entries :meth:`drop` cleans (default: every cache
    the session was used with, and the default cache).
    """

    def __init__(self, name: str | None = None, data_manager: DataManager | None = None,
                 check_hit_func: CheckHit | None = None) -> None:
        self._name = name or uuid.uuid4().hex
        self._data_manager = data_manager
        self.check_hit_func: CheckHit = check_hit_func or check_hit_session
        self._caches: weakref.WeakSet[Cache] = weakref.WeakSet()

    def __repr__(self) -> str:
        return f"Session({self._name!r})"

    @property
    def name(self) -> str:
        """The session's name."""
        return self._name

    def used_with(self, obj: Cache) -> None:
        """Remember a cache the session was used with (for :meth:`drop`)."""
        self._caches.add(obj)

    def allows(self, obj: Cache, entry_id: int, question: str, answer: Any) -> bool:
        """Whether this session may be served entry ``entry_id``."""
        return bool(self.check_hit_func(self._name, sessions_of(obj, entry_id), [question],
                                        answer))

    def __enter__(self) -> Session:
        log.warning("a Session used in a with block forgets its data on exit")
        return self

    def __exit__(self, *_: object) -> None:
        self.drop()

    def drop(self) -> None:
        """Forget this session in the caches it was used with (the entries stay)."""
        from .core import cache

        caches: list[Cache] = list(self._caches)
        bound = getattr(self._data_manager, "_cache", None)
        if bound is not None:
            caches.append(bound)
        if not caches and cache.has_init:
            caches.append(cache)
        for obj in dict.fromkeys(caches):
            if obj.has_init:
                drop_session(obj, self._name)
        log.info("session %s dropped", self._name)
