"""GPTCache's ``adapt``: cache any model call, given three functions.

    def add(**kwargs):
        return adapt(llm_handler, cache_data_convert, update_cache_callback, **kwargs)

``llm_handler(*args, **kwargs)`` calls the model on a miss; ``cache_data_convert(answer)``
turns a cached answer into what the model call returns; ``update_cache_callback(llm_data,
update_cache_func, *args, **kwargs)`` stores the model's answer by calling
``update_cache_func(answer)`` (text, bytes, an ``Answer`` or JSON data) and returns what the
call returns. The request is keyed by the cache's ``pre_embedding_func(kwargs)``.

The cache keywords are GPTCache's: ``cache_obj``, ``cache_context``, ``cache_skip``,
``temperature`` (0 always looks up, 2 never; not passed on to the model, as in GPTCache),
``top_k``, ``hit_callback`` (called with ``[(question, score)]`` of the accepted entries),
``session``, ``search_only`` (never call the model: None on a miss). ``cache_factor`` is
accepted and ignored (thresholds are fixed per cache). A fault of the cache (store, index,
embedding) is a miss; a failing ``update_cache_callback`` is logged and the model's answer
returned.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..._errors import InvalidRequest
from ..._types import CacheRequest, Candidate, Scope
from .._parts import decode_answer
from ..core import Cache, cache
from ..session import Session, add_session

__all__ = ["UNSET", "Prepared", "aadapt", "adapt", "arun", "prepare", "run", "usable"]

log = logging.getLogger("gistcache.gptcache")


@dataclass
class _Call:
    """The cache keywords of one call, taken out of its keyword arguments."""

    cache: Cache
    context: Mapping[str, Any]
    skip: bool
    temperature: float
    top_k: int | None
    hit_callback: Callable[[list[tuple[Any, float]]], Any] | None
    session: Session | None
    search_only: bool

    @classmethod
    def take(cls, kwargs: dict[str, Any]) -> _Call:
        obj = kwargs.pop("cache_obj", None) or cache
        if not isinstance(obj, Cache):
            raise InvalidRequest(f"cache_obj must be a gistcache.gptcache.Cache, got "
                                 f"{type(obj).__name__}")
        session = kwargs.pop("session", None)
        if session is not None and not isinstance(session, Session):
            raise InvalidRequest("session must be a gistcache.gptcache.session.Session")
        kwargs.pop("cache_factor", None)
        kwargs.pop("require_object_store", None)
        top_k = kwargs.pop("top_k", None)
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int)):
            raise InvalidRequest(f"top_k must be an integer, got {top_k!r}")
        callback = kwargs.pop("hit_callback", None)
        return cls(
            cache=obj,
            context=kwargs.pop("cache_context", None) or {},
            skip=bool(kwargs.pop("cache_skip", False)),
            temperature=float(kwargs.pop("temperature", 0.0) or 0.0),
            top_k=top_k if top_k is not None and top_k > 0 else None,
            hit_callback=callback if callable(callback) else None,
            session=session,
            search_only=bool(kwargs.pop("search_only", False)),
        )


@dataclass
class Prepared:
    """A call after its keywords were read: its request (None: not cached) and whether to
    look it up."""

    call: _Call
    request: CacheRequest | None
    enabled: bool


#: ``prepare``'s ``key`` when the pre-processor is to compute it
UNSET: Any = object()


def prepare(args: tuple[Any, ...], kwargs: dict[str, Any], scope: Scope | None = None,
            key: Any = UNSET,
            keyed: Callable[[Cache], CacheRequest | None] | None = None) -> Prepared:
    """Read the cache keywords out of ``kwargs`` and key the request: by ``keyed(cache)``
    when given, else by ``key`` (else the cache's pre-processor) in ``scope`` (else the prompt
    scope of ``adapter.api``)."""
    call = _Call.take(kwargs)
    obj = call.cache
    enabled = obj.enabled(*args, **kwargs)
    request = None
    if enabled and keyed is not None:
        request = keyed(obj)
        if request is not None and call.temperature:
            request = dataclasses.replace(
                request, temperature=min(2.0, max(0.0, call.temperature)))
    elif enabled:
        if key is UNSET:
            key = obj.pre_process(kwargs, call.context)
        request = obj.key_request(key, scope if scope is not None else obj.prompt_scope(),
                                  temperature=call.temperature)
    if call.session is not None:
        call.session.used_with(obj)
    return Prepared(call, request, enabled and request is not None)


def usable(obj: Cache, session: Session | None, candidates: list[Candidate]
           ) -> list[Candidate]:
    """The candidates a session may be served (all of them without a session)."""
    if session is None:
        return candidates
    return [c for c in candidates
            if session.allows(obj, c.entry.id, c.entry.key_text, decode_answer(c.entry))]


def served(prepared: Prepared, candidates: list[Candidate]) -> tuple[bool, Any]:
    """(True, answer) when accepted candidates serve the call, else (False, None)."""
    usable_ = usable(prepared.call.cache, prepared.call.session, candidates)
    if not usable_ or prepared.request is None:
        return False, None
    call, request = prepared.call, prepared.request
    obj = call.cache
    if call.hit_callback is not None:
        call.hit_callback([(c.entry.key_text, obj.score(request, c)[1]) for c in usable_])
    answer = obj.choose(request, usable_)
    obj.report.hint_cache()
    if call.session is not None:
        add_session(obj, usable_[0].entry.id, call.session.name)
    return True, answer


def _saver(prepared: Prepared) -> Callable[..., None]:
    def update_cache_func(handled_llm_data: Any, question: Any = None) -> None:
        request = prepared.request
        if request is None:
            return
        obj = prepared.call.cache
        entry = obj.store(request, handled_llm_data)
        for lower in _levels(obj):
            lower.store(request, handled_llm_data)
        if entry is not None and prepared.call.session is not None:
            add_session(obj, entry.id, prepared.call.session.name)

    return update_cache_func


def _levels(obj: Cache) -> list[Cache]:
    """The lower levels of a multi-level cache (GPTCache stores a miss's answer in each)."""
    out: list[Cache] = []
    lower = obj.next_cache
    while lower is not None and lower not in out:
        out.append(lower)
        lower = lower.next_cache
    return out


def _update(prepared: Prepared, update_cache_callback: Callable[..., Any], llm_data: Any,
            args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        return update_cache_callback(llm_data, _saver(prepared), *args, **kwargs)
    except Exception as exc:  # never fail the model call because its answer was not stored
        log.warning("failed to save the answer to the cache: %s", exc, exc_info=exc)
        prepared.call.cache.native.metrics.fault("store")
        return llm_data


def adapt(llm_handler: Callable[..., Any], cache_data_convert: Callable[[Any], Any],
          update_cache_callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The cached answer converted by ``cache_data_convert``, or the model's (stored)."""
    return run(prepare(args, kwargs), llm_handler, cache_data_convert, update_cache_callback,
               args, kwargs)


def run(prepared: Prepared, llm_handler: Callable[..., Any],
        cache_data_convert: Callable[[Any], Any], update_cache_callback: Callable[..., Any],
        args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """:func:`adapt` of a prepared call."""
    call = prepared.call
    if prepared.enabled and not call.skip and prepared.request is not None:
        _, candidates = call.cache.search(prepared.request, call.top_k)
        hit, answer = served(prepared, candidates)
        if hit:
            return cache_data_convert(answer)
    if call.search_only:
        return None
    llm_data = call.cache.timed("llm_request", "llm", llm_handler, *args, **kwargs)
    if not llm_data:
        return None
    if prepared.request is None:
        return llm_data
    return _update(prepared, update_cache_callback, llm_data, args, kwargs)


async def aadapt(llm_handler: Callable[..., Awaitable[Any]],
                 cache_data_convert: Callable[[Any], Any],
                 update_cache_callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Async :func:`adapt`: ``llm_handler`` is awaited; lookups run off the event loop."""
    return await arun(prepare(args, kwargs), llm_handler, cache_data_convert,
                      update_cache_callback, args, kwargs)


async def arun(prepared: Prepared, llm_handler: Callable[..., Awaitable[Any]],
               cache_data_convert: Callable[[Any], Any],
               update_cache_callback: Callable[..., Any], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> Any:
    """:func:`aadapt` of a prepared call."""
    call = prepared.call
    if prepared.enabled and not call.skip and prepared.request is not None:
        _, candidates = await call.cache.asearch(prepared.request, call.top_k)
        hit, answer = served(prepared, candidates)
        if hit:
            return cache_data_convert(answer)
    if call.search_only:
        return None
    start = time.perf_counter()
    try:
        llm_data = await llm_handler(*args, **kwargs)
    finally:
        call.cache.step("llm_request", time.perf_counter() - start, "llm")
    if not llm_data:
        return None
    if prepared.request is None:
        return llm_data
    return _update(prepared, update_cache_callback, llm_data, args, kwargs)
