"""A cached drop-in for the Anthropic SDK client (``anthropic.Anthropic``,
``anthropic.AsyncAnthropic``).

    import anthropic
    from gistcache.anthropic import cache_info, wrap

    client = wrap(anthropic.Anthropic())     # or wrap(anthropic.Anthropic(), Cache(Config(...)))
    msgs = [{"role": "user", "content": "What is a semantic cache?"}]
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=msgs)
    print(reply.content[0].text, cache_info(reply).kind)

``messages.create`` (plain and ``stream=True``) is cached; every other attribute of the client
passes through to the SDK untouched (``messages.stream()``, ``messages.count_tokens()``,
batches, ``beta``: not cached). Answers are the SDK's own types (``Message``, streams of its
raw events); a hit has a fresh id and zero usage, and can be told from a miss through
:func:`cache_info` (or the ``on_lookup`` callback). ``system``, ``tools``, ``max_tokens``
(rounded up to a power of two), ``stop_sequences``, ``thinking`` and the other arguments that
change the answer are scope; the conversation is keyed as in chat (the last user text by
meaning, the earlier turns as its context). Per-call controls, removed before the upstream
call: ``cache_skip_lookup``, ``cache_skip_store``, ``cache_namespace``, ``cache_ttl`` (seconds)
and ``cache_min_similarity``.

A request the cache cannot key goes to the SDK uncached; upstream errors reach the caller as the
SDK's own exceptions and are never cached; a cache fault makes the call go upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from gistcache._cache import Cache
from gistcache._endpoints import MESSAGES
from gistcache._errors import InvalidRequest, require
from gistcache._sdk import (
    UPSTREAM_ATTR,
    Adapter,
    AsyncResource,
    CacheInfo,
    Delegate,
    SyncResource,
    absent_types,
    cache_info,
    check_options,
    event_builder,
)

__all__ = ["CacheInfo", "CachedAnthropic", "CachedAsyncAnthropic", "cache_info", "wrap"]

_C = TypeVar("_C")


def _sdk() -> Any:
    return require("anthropic", feature="the Anthropic adapter", extra="anthropic")


class _Client(Delegate):
    """What the sync and async wrapped clients share."""

    _resource: type[SyncResource] | type[AsyncResource]

    def __init__(self, client: Any, adapter: Adapter) -> None:
        super().__init__(client)
        self._adapter = adapter
        self.messages = self._resource(client.messages, adapter, MESSAGES, client)

    @property
    def gistcache(self) -> Cache:
        """The cache answering this client's calls."""
        return self._adapter.cache

    def with_options(self, **options: Any) -> Any:
        """The SDK's ``with_options`` (alias ``copy``), still cached."""
        copied = self.__wrapped__.with_options(**options)
        marked = getattr(self.__wrapped__, UPSTREAM_ATTR, None)
        if marked is not None and "base_url" not in options:
            setattr(copied, UPSTREAM_ATTR, marked)
        return type(self)(copied, self._adapter)

    copy = with_options


class CachedAnthropic(_Client):
    """An ``anthropic.Anthropic`` client whose ``messages.create`` goes through a cache."""

    _resource = SyncResource


class CachedAsyncAnthropic(_Client):
    """An ``anthropic.AsyncAnthropic`` client whose ``messages.create`` goes through a cache."""

    _resource = AsyncResource


def wrap(
    client: _C,
    cache: Cache | None = None,
    *,
    namespace: str | None = None,
    preprocess: str | None = None,
    on_lookup: Callable[[CacheInfo], object] | None = None,
    chunk_chars: int = 16,
    upstream: str | None = None,
) -> _C:
    """A cached drop-in for an ``anthropic.Anthropic`` or ``anthropic.AsyncAnthropic`` client.

    ``cache`` defaults to ``Cache()`` (the embedded default); ``namespace`` and ``preprocess``
    default to the cache's config; ``on_lookup`` is called with the :class:`CacheInfo` of every
    cached call; a streamed hit is replayed in deltas of about ``chunk_chars`` characters.
    ``upstream`` names the upstream in the scope (default: the client's base URL).
    """
    sdk = _sdk()
    if isinstance(client, _Client):
        raise InvalidRequest("this client is already wrapped by gistcache")
    if isinstance(client, sdk.AsyncAnthropic):
        cls: type[_Client] = CachedAsyncAnthropic
    elif isinstance(client, sdk.Anthropic):
        cls = CachedAnthropic
    else:
        raise InvalidRequest(f"wrap() needs an anthropic.Anthropic or anthropic.AsyncAnthropic "
                             f"client, got {type(client).__name__}")
    check_options(namespace, chunk_chars)
    adapter = Adapter(
        cache if cache is not None else Cache(),
        # built as the SDK builds what it reads: leniently, a field it lacks is no error
        plain={MESSAGES.name: lambda data: sdk.types.Message.model_construct(**data)},
        event={MESSAGES.name: event_builder(sdk.types.RawMessageStreamEvent)},
        absent=absent_types(sdk), namespace=namespace, preprocess=preprocess,
        on_lookup=on_lookup, chunk_chars=chunk_chars, upstream=upstream)
    # Typed as the client it wraps: it answers every call that client does.
    return cast(_C, cls(client, adapter))
