"""What the SDK adapters (``gistcache.openai``, ``gistcache.anthropic``) share: the cache info
of a call, the per-call ``cache_*`` controls, and cached ``create`` methods over the one flow.

An adapter is built with the SDK's own types (how a replayed response and a replayed stream
event become SDK objects); a resource wrapper answers ``create`` through :class:`Flow` and
delegates every other attribute to the SDK object it wraps.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import _trace
from ._cache import Cache
from ._coalesce import caller_id
from ._endpoints import Endpoint, KeyOptions, upstream_id
from ._errors import InvalidRequest
from ._flow import (
    AsyncRecordingStream,
    AsyncReplayStream,
    Flow,
    Policy,
    RecordingStream,
    ReplayStream,
    Served,
)
from ._types import CacheRequest, HitKind, Lookup

__all__ = [
    "UPSTREAM_ATTR",
    "Adapter",
    "AsyncResource",
    "CacheInfo",
    "Controls",
    "Delegate",
    "Identity",
    "SyncResource",
    "absent_types",
    "cache_info",
    "check_options",
    "event_builder",
    "pop_controls",
]

log = logging.getLogger("gistcache")

#: the attribute of a response or stream that holds its :class:`CacheInfo`
_INFO_ATTR = "_gistcache"

#: set on an SDK client to name its upstream in the scope (gistcache.testing marks its fake)
UPSTREAM_ATTR = "_gistcache_upstream"


@dataclass(frozen=True)
class CacheInfo:
    """How one call was answered: ``kind`` (exact/semantic hit, miss, bypass) and the entry."""

    kind: HitKind
    similarity: float | None = None
    entry_id: int | None = None
    reason: str = ""

    @property
    def hit(self) -> bool:
        """True when the answer came from the cache."""
        return self.kind in (HitKind.EXACT, HitKind.SEMANTIC)


def cache_info(response: object) -> CacheInfo | None:
    """The :class:`CacheInfo` of a response or stream returned by a wrapped client, else None."""
    info = getattr(response, _INFO_ATTR, None)
    return info if isinstance(info, CacheInfo) else None


def info_of(result: Lookup) -> CacheInfo:
    """The cache info of a lookup."""
    entry_id = result.entry.id if result.entry is not None else None
    return CacheInfo(result.kind, result.similarity, entry_id, result.reason)


def tag(obj: Any, info: CacheInfo) -> Any:
    """Attach the cache info to a response or stream."""
    # pydantic models and the SDK's streams accept a private attribute; it does not take part
    # in equality or model_dump, so the response stays indistinguishable from the SDK's own.
    try:
        object.__setattr__(obj, _INFO_ATTR, info)
    except (AttributeError, TypeError):  # an object with __slots__: no info, same answer
        log.debug("cannot attach cache info to %s", type(obj).__name__)
    return obj


def event_builder(union: Any) -> Callable[[dict[str, Any]], Any]:
    """Builds an SDK stream event (plain data -> the event class its ``type`` names).

    ``union`` is the SDK's union of event classes (``Annotated[Union[...], ...]``). Events are
    built as the SDK builds the ones it reads, leniently (``model_construct``, which the SDKs
    make recursive): a replay is the data the SDK accepted when it was stored.
    """
    members = typing.get_args(union)
    if typing.get_origin(union) is typing.Annotated:
        members = typing.get_args(members[0])
    classes: dict[str, Any] = {}
    for cls in members:
        field = getattr(cls, "model_fields", {}).get("type")
        for name in typing.get_args(field.annotation) if field is not None else ():
            classes[name] = cls

    def build(data: dict[str, Any]) -> Any:
        cls = classes.get(str(data.get("type")))
        if cls is None:
            raise ValueError(f"no SDK type for the event {data.get('type')!r}")
        return cls.model_construct(**data)

    return build


# -- per-call controls ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Controls:
    """The ``cache_*`` arguments of one call."""

    skip_lookup: bool = False
    skip_store: bool = False
    namespace: str | None = None
    ttl: float | None = None
    min_similarity: float | None = None


_CONTROL_NAMES = ("cache_skip_lookup", "cache_skip_store", "cache_namespace", "cache_ttl",
                  "cache_min_similarity")


def _number(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise InvalidRequest(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def pop_controls(kwargs: dict[str, Any]) -> Controls:
    """Remove the ``cache_*`` arguments from ``kwargs`` and check them."""
    unknown = sorted(k for k in kwargs if k.startswith("cache_") and k not in _CONTROL_NAMES)
    if unknown:
        raise InvalidRequest(f"unknown cache control {', '.join(unknown)}; known: "
                             f"{', '.join(_CONTROL_NAMES)}")
    got = {name: kwargs.pop(name) for name in _CONTROL_NAMES if name in kwargs}
    for name in ("cache_skip_lookup", "cache_skip_store"):
        if name in got and not isinstance(got[name], bool):
            raise InvalidRequest(f"{name} must be True or False, got {got[name]!r}")
    namespace = got.get("cache_namespace")
    if namespace is not None and (not isinstance(namespace, str) or not namespace):
        raise InvalidRequest(f"cache_namespace must be a non-empty string, got {namespace!r}")
    ttl = got.get("cache_ttl")
    if ttl is not None:
        ttl = _number("cache_ttl", ttl)
        if ttl <= 0:
            raise InvalidRequest(f"cache_ttl must be > 0 seconds, got {ttl:g}")
    floor = got.get("cache_min_similarity")
    if floor is not None:
        floor = _number("cache_min_similarity", floor)
        if not -1.0 <= floor <= 1.0:
            raise InvalidRequest(f"cache_min_similarity is a cosine similarity in [-1, 1], "
                                 f"got {floor:g}")
    return Controls(got.get("cache_skip_lookup", False), got.get("cache_skip_store", False),
                    namespace, ttl, floor)


# -- the adapter ----------------------------------------------------------------------------------


def check_options(namespace: str | None, chunk_chars: int) -> None:
    """Check the options of a ``wrap()`` (before a default cache is built for it)."""
    if namespace is not None and (not isinstance(namespace, str) or not namespace):
        raise InvalidRequest(f"namespace must be a non-empty string, got {namespace!r}")
    if not isinstance(chunk_chars, int) or isinstance(chunk_chars, bool) or chunk_chars < 1:
        raise InvalidRequest(f"chunk_chars must be a positive integer, got {chunk_chars!r}")


@dataclass(frozen=True)
class Identity:
    """Who a wrapped client calls, and as whom: computed once per client, not per call."""

    upstream: str
    caller: str

    @classmethod
    def of(cls, client: Any) -> Identity:
        """The identity of an SDK client (its base URL, unless marked; a hash of its key)."""
        marked = getattr(client, UPSTREAM_ATTR, None)
        upstream = marked if isinstance(marked, str) and marked else upstream_id(client.base_url)
        key = getattr(client, "api_key", None) or getattr(client, "auth_token", None)
        return cls(upstream, caller_id(key if isinstance(key, str) else None))


class Adapter:
    """What the sync and async wrappers of one SDK share: keying, SDK types, reporting.

    ``plain`` and ``event`` map endpoint names to the builders of the SDK's response and
    stream-event objects; ``absent`` are the SDK's "not given" sentinel types.
    """

    def __init__(
        self,
        cache: Cache,
        *,
        namespace: str | None,
        preprocess: str | None,
        on_lookup: Callable[[CacheInfo], object] | None,
        chunk_chars: int,
        upstream: str | None,
        plain: Mapping[str, Callable[[dict[str, Any]], Any]],
        event: Mapping[str, Callable[[dict[str, Any]], Any]],
        absent: tuple[type, ...],
    ) -> None:
        check_options(namespace, chunk_chars)
        self.cache = cache
        self.namespace = namespace
        self.preprocess = preprocess
        self.on_lookup = on_lookup
        self.chunk_chars = chunk_chars
        self.upstream = upstream
        self.plain = dict(plain)
        self.event = dict(event)
        self._absent = absent

    def given(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """The arguments actually given (the SDK's NOT_GIVEN / omit sentinels dropped)."""
        return {k: v for k, v in kwargs.items() if not isinstance(v, self._absent)}

    def options(self, client: Identity, controls: Controls) -> KeyOptions:
        """How one call of a client is keyed."""
        return KeyOptions(
            namespace=controls.namespace or self.namespace or self.cache.config.namespace,
            preprocess=self.preprocess or self.cache.config.preprocess,
            min_similarity=controls.min_similarity, upstream=self.upstream or client.upstream)

    def flow(self, endpoint: Endpoint, client: Identity, given: Mapping[str, Any],
             controls: Controls) -> Flow:
        """The flow of one call (its request None when the cache cannot key it)."""
        request: CacheRequest | None = None
        reason = "request not cacheable"
        try:
            request = endpoint.key(given, self.options(client, controls))
        except InvalidRequest as exc:
            # Not ours to reject: the SDK (or the API) answers it exactly as it would uncached.
            log.debug("request not cacheable, calling upstream uncached: %s", exc)
            reason = f"not cacheable: {exc}"
        policy = Policy(lookup=not controls.skip_lookup, store=not controls.skip_store,
                        ttl=controls.ttl)
        return Flow(self.cache, endpoint, request, model=str(given.get("model", "")),
                    body=given, caller=client.caller,
                    policy=policy, chunk_chars=self.chunk_chars, bypass=reason)

    def events(self, endpoint: Endpoint) -> Callable[[list[dict[str, Any]]], list[Any]]:
        """Builds the SDK event objects of a replay."""
        make = self.event[endpoint.name]
        return lambda events: [make(e) for e in events]

    def report(self, served: Served[Any], wrap_stream: Callable[[Any], Any] | None = None
               ) -> Any:
        """Attach the cache info to a response or stream and tell ``on_lookup``."""
        _trace.set_hit_kind(_trace.current(), served.lookup.kind.value)
        obj = served.value
        if wrap_stream is not None:
            obj = wrap_stream(obj)
        info = info_of(served.lookup)
        tag(obj, info)
        if self.on_lookup is not None:
            self.on_lookup(info)
        return obj


# -- the cached create methods ----------------------------------------------------------------


class Delegate:
    """Attribute delegation to the wrapped SDK object."""

    def __init__(self, inner: Any) -> None:
        self.__wrapped__ = inner

    def __getattr__(self, name: str) -> Any:
        if name == "__wrapped__":  # not set yet (a half-built object): no recursion
            raise AttributeError(name)
        return getattr(self.__wrapped__, name)

    def __repr__(self) -> str:
        return f"<gistcache {self.__wrapped__!r}>"


class SyncResource(Delegate):
    """A resource of a sync client (``chat.completions``, ``responses``, ``messages``...)
    with a cached ``create``."""

    def __init__(self, inner: Any, adapter: Adapter, endpoint: Endpoint, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._endpoint = endpoint
        self._client = Identity.of(client)

    def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be."""
        adapter, endpoint = self._adapter, self._endpoint
        controls = pop_controls(kwargs)
        given = adapter.given(kwargs)
        flow = adapter.flow(endpoint, self._client, given, controls)

        def upstream() -> Any:
            return self.__wrapped__.create(**kwargs)

        with _trace.request_span(endpoint.name, flow.model):
            if given.get("stream"):
                served = flow.stream(upstream, adapter.events(endpoint))
                wrap = ReplayStream if served.origin == "cache" else \
                    (lambda s: RecordingStream(s, flow.recorder()))
                return adapter.report(served, wrap)
            return adapter.report(flow.call(upstream, adapter.plain[endpoint.name]))


class AsyncResource(Delegate):
    """A resource of an async client with a cached ``create``."""

    def __init__(self, inner: Any, adapter: Adapter, endpoint: Endpoint, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._endpoint = endpoint
        self._client = Identity.of(client)

    async def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be (never blocks the loop)."""
        adapter, endpoint = self._adapter, self._endpoint
        controls = pop_controls(kwargs)
        given = adapter.given(kwargs)
        flow = adapter.flow(endpoint, self._client, given, controls)

        async def upstream() -> Any:
            return await self.__wrapped__.create(**kwargs)

        with _trace.request_span(endpoint.name, flow.model):
            if given.get("stream"):
                served = await flow.astream(upstream, adapter.events(endpoint))
                wrap = AsyncReplayStream if served.origin == "cache" else \
                    (lambda s: AsyncRecordingStream(s, flow.recorder()))
                return adapter.report(served, wrap)
            return adapter.report(await flow.acall(upstream, adapter.plain[endpoint.name]))


def absent_types(sdk: Any) -> tuple[type, ...]:
    """The SDK's sentinel types of arguments not given (``NotGiven``, and ``Omit`` if any)."""
    omit = getattr(sdk, "Omit", None)
    return (sdk.NotGiven, omit) if omit is not None else (sdk.NotGiven,)
