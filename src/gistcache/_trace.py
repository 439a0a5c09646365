"""OpenTelemetry spans of the request path, when OpenTelemetry is installed and configured.

With ``opentelemetry-api`` importable and a tracer provider set by the application (the SDK's:
``pip install 'gistcache[otel]'``), every call through a front end (``wrap()``'s clients, the
proxy's cached endpoints) is a span ``gistcache.request`` with the endpoint, model and hit kind
(``gistcache.hit_kind``: hit-exact, hit-semantic, miss, bypass) as attributes, and child spans
for the stages that ran:

==========================  =================================================================
``gistcache.exact``         the exact tier's store query (a hit from memory needs none)
``gistcache.embed``         embedding the key text (or a conversation)
``gistcache.search``        the vector index search in the request's scope
``gistcache.fetch``         reading candidate entries from the store
``gistcache.verify``        the evaluator: threshold, guards, verifier
``gistcache.upstream``      the model call (for a stream: until its response began)
``gistcache.store``         storing the answer
==========================  =================================================================

Without OpenTelemetry, or before a provider is set, each function here returns at once: no span
objects, no context changes, nothing recorded. :func:`use_tracer_provider` gives gistcache a
provider of its own instead of the global one (tests use it).
"""

from __future__ import annotations

import contextlib
import os
import time
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

__all__ = ["REQUEST_SPAN", "current", "request_span", "set_hit_kind", "stage", "upstream_span",
           "use_tracer_provider"]

REQUEST_SPAN = "gistcache.request"

#: the cache's stage names (its latency metrics) and the spans they are reported as
_STAGES = {"exact_store": "gistcache.exact", "embed": "gistcache.embed",
           "embed_context": "gistcache.embed", "search": "gistcache.search",
           "fetch": "gistcache.fetch", "evaluate": "gistcache.verify",
           "put": "gistcache.store"}

_otel: ModuleType | None = None
_looked = False
_cached: tuple[object, Any] | None = None
#: whether the environment names a provider (OTEL_PYTHON_TRACER_PROVIDER); read once
_env_provider: bool | None = None
#: what a span is when tracing is off (reusable, and cheaper than a generator)
_OFF: AbstractContextManager[None] = contextlib.nullcontext()
#: a provider given to gistcache itself (None: the global one)
_own_provider: Any | None = None


def use_tracer_provider(provider: Any | None) -> None:
    """Trace gistcache with this provider rather than the global one (None: the global)."""
    global _own_provider
    _own_provider = provider


def _trace_module() -> ModuleType | None:
    global _otel, _looked
    if not _looked:  # imported on first use, never at gistcache's import
        try:
            from opentelemetry import trace
        except ImportError:
            trace = None  # type: ignore[assignment]
        _otel, _looked = trace, True
    return _otel


def _tracer() -> Any | None:
    """The tracer, or None when OpenTelemetry is absent or no provider was set."""
    global _cached
    global _env_provider
    trace = _trace_module()
    if trace is None:
        return None
    provider = _own_provider
    if provider is None:
        # This runs on every call: the API's get_tracer_provider() looks the environment up
        # each time while no provider is set, so look at what it would find first.
        provider = getattr(trace, "_TRACER_PROVIDER", trace)
        if provider is None:
            if _env_provider is None:
                _env_provider = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ
            if not _env_provider:
                return None
        provider = trace.get_tracer_provider()
    if isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
        return None
    if _cached is None or _cached[0] is not provider:
        from . import __version__

        _cached = (provider, provider.get_tracer("gistcache", __version__))
    return _cached[1]


def request_span(endpoint: str, model: str = "") -> AbstractContextManager[Any | None]:
    """The span of one call (None when tracing is off)."""
    tracer = _tracer()
    if tracer is None:
        return _OFF
    attributes = {"gistcache.endpoint": endpoint, "gen_ai.request.model": model}
    span: AbstractContextManager[Any] = tracer.start_as_current_span(REQUEST_SPAN,
                                                                     attributes=attributes)
    return span


def current() -> Any | None:
    """The current span while tracing (the request span, between its stages), else None."""
    trace = _trace_module() if _tracer() is not None else None
    return trace.get_current_span() if trace is not None else None


def set_hit_kind(span: Any | None, kind: str) -> None:
    """Record how a call was answered on its span."""
    if span is not None:
        span.set_attribute("gistcache.hit_kind", kind)


def upstream_span(endpoint: str) -> AbstractContextManager[Any]:
    """A child span around the model call (nothing when tracing is off)."""
    tracer = _tracer()
    if tracer is None:
        return _OFF
    span: AbstractContextManager[Any] = tracer.start_as_current_span(
        "gistcache.upstream", attributes={"gistcache.endpoint": endpoint})
    return span


def stage(name: str, seconds: float) -> None:
    """Report a finished stage of the request path as a child span of the current one.

    Called with the cache's stage timings (they are measured anyway), so tracing adds no
    timing code to the request path.
    """
    span_name = _STAGES.get(name)
    if span_name is None:
        return
    tracer = _tracer()
    if tracer is None:
        return
    end = time.time_ns()
    span = tracer.start_span(span_name, start_time=end - int(seconds * 1e9))
    span.end(end_time=end)
