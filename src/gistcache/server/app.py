"""The proxy server's ASGI app: an OpenAI-compatible endpoint with a semantic cache in front.

``create_app(cache, settings)`` builds the app around a cache you made (tests, embedding in
another program); ``create_app(config=..., settings=...)`` builds the cache at startup and closes
it at shutdown (``gistcache serve``). Every worker process builds its own app and cache on the
same store: ``worker_app`` is the factory uvicorn calls in each of them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .._cache import Cache
from .._endpoints import ENDPOINTS, Endpoint
from .._errors import CacheFault, ConfigError, InvalidRequest
from .._types import MAX_ID, Entry, HitKind
from ..config import Config
from ._dashboard import DASHBOARD_HTML
from ._gate import Gate
from ._http import ApiError, admin_allowed, error_json, parse_json
from ._llm import HEADER, Gateway
from ._media import MediaState, register_media
from ._observe import ServerStats, prometheus_text
from ._schema import REQUEST_BODIES, UPSTREAM, error_responses
from ._upstream import Upstream, passthrough_headers
from .settings import ServerSettings, load_spec

__all__ = ["SPEC_ENV", "ProxyApp", "ServerState", "build_cache", "create_app", "worker_app"]

log = logging.getLogger("gistcache.server")

#: environment variable through which ``gistcache serve --workers N`` hands its settings over
SPEC_ENV = "GISTCACHE_SERVE_SPEC"


@dataclass
class ServerState:
    """What the routes share within one worker process."""

    cache: Cache
    settings: ServerSettings
    upstream: Upstream
    stats: ServerStats
    gateway: Gateway
    media: MediaState


def build_cache(config: Config) -> Cache:
    """The cache a server worker uses: the configured one (``embedder: hash`` = exact only)."""
    return Cache(config, exact_only=config.embedder == "hash")


def _state(request: Request) -> ServerState:
    state: ServerState | None = getattr(request.app.state, "gistcache", None)
    if state is None:
        raise ApiError(503, "the server is starting", type_="server_error", code="not_ready")
    return state


def _admin(request: Request) -> ServerState:
    state = _state(request)
    if not admin_allowed(request.headers, state.settings.admin_key):
        raise ApiError(401, "this endpoint needs the admin key: send 'Authorization: Bearer "
                            "<admin key>' or 'x-gistcache-admin-key: <admin key>'",
                       type_="authentication_error", code="invalid_admin_key")
    return state


def _require_admin(request: Request) -> None:
    """Dependency of the admin routes: checked before the body is validated."""
    _admin(request)


_ADMIN = [Depends(_require_admin)]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id, "namespace": entry.namespace, "model": entry.model,
        "key_text": entry.key_text, "answer": entry.answer, "created_at": entry.created_at,
        "accessed_at": entry.accessed_at, "expires_at": entry.expires_at, "hits": entry.hits,
        "wrong_hits": entry.wrong_hits, "size": entry.size,
        "prompt_tokens": entry.prompt_tokens, "completion_tokens": entry.completion_tokens,
    }


# -- request bodies of the cache API (strict: a number is not a string) -----------------------


#: a model id as the passthrough forwards it: no "/", "?", "#", "%", white space or "..", so
#: that it stays one path segment of the upstream's /models/{id}
_MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+-]{0,255}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class PutBody(_Strict):
    """``POST /put``: store an answer for a prompt."""

    prompt: str = Field(min_length=1)
    answer: str
    model: str = ""
    ttl: float | None = Field(default=None, gt=0)


class GetBody(_Strict):
    """``POST /get``: look a prompt up."""

    prompt: str = Field(min_length=1)
    model: str = ""


class FeedbackBody(_Strict):
    """``POST /feedback``: report a hit as right or wrong."""

    entry_id: int = Field(ge=0, le=MAX_ID)
    correct: bool


class ClearBody(_Strict):
    """``POST /clear``: delete every entry (of one namespace)."""

    namespace: str | None = None


# -- app --------------------------------------------------------------------------------------

_CACHED_DOC = (
    "Cached. Headers: `Cache-Control: no-cache | no-store | max-age=N`, "
    "`x-gistcache-namespace`, `x-gistcache-ttl`, `x-gistcache-threshold`. The response carries "
    "`x-gistcache: hit-exact | hit-semantic | miss | bypass` and, on hits, "
    "`x-gistcache-entry` and `x-gistcache-similarity`."
)


class _BadBody(StarletteHTTPException):
    """A JSON body of a cache API route that :func:`parse_json` refused."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status, error.message)
        self.error = error


class _JSONRequest(Request):
    """A request whose JSON body is parsed by :func:`parse_json` (depth, integer length and
    surrogates bounded; ``NaN`` refused), not by ``json.loads``."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = parse_json(await self.body())
            except ApiError as exc:
                raise _BadBody(exc) from None
        return self._json


class _Route(APIRoute):
    """The routes of the cache API read their bodies through :class:`_JSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            response: Response = await handler(_JSONRequest(request.scope, request.receive))
            return response

        return route


class ProxyApp(FastAPI):
    """The FastAPI app with the :class:`Gate` in front of everything (even the framework's
    own middleware), so that cached LLM requests take the shortest path."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gate = Gate(super().__call__, lambda: getattr(self.state, "gistcache", None))

    def openapi(self) -> dict[str, Any]:
        """The schema without FastAPI's 422 responses: validation errors are 400s here."""
        schema = self.openapi_schema
        if schema is None:
            schema = super().openapi()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    unprocessable = operation.get("responses", {}).get("422")
                    if unprocessable is not None and "HTTPValidationError" in str(unprocessable):
                        del operation["responses"]["422"]
            shapes = schema.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                shapes.pop(name, None)
        return schema

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self._gate(scope, receive, send)


def create_app(
    cache: Cache | None = None,
    settings: ServerSettings | None = None,
    *,
    config: Config | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The server app around ``cache`` (kept open), or around one built from ``config``."""
    if cache is not None and config is not None:
        raise ConfigError("pass a cache or a config, not both")
    server = settings if settings is not None else ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = cache is None
        # loading the embedder takes a second: do it before the first request, not during
        used = cache if cache is not None else await asyncio.to_thread(
            build_cache, config if config is not None else Config.from_env())
        stats = ServerStats(clock)
        limits: dict[str, Any] = {
            "stats": stats, "timeout": server.upstream_timeout,
            "connect_timeout": server.upstream_connect_timeout,
            "max_connections": server.upstream_connections, "transport": transport}
        upstream = Upstream(server.upstream, api_key=server.upstream_key, **limits)
        anthropic = Upstream(server.anthropic_upstream, api_key=server.anthropic_upstream_key,
                             provider="anthropic", **limits)
        gateway = Gateway(used, server, upstream, stats, anthropic)
        app.state.gistcache = ServerState(used, server, upstream, stats, gateway,
                                          MediaState.for_cache(used))
        log.info("gistcache %s ready (pid %d): upstream %s (Anthropic: %s), %s, admin key %s",
                 __version__, os.getpid(), server.upstream, server.anthropic_upstream,
                 "in memory" if used.config.in_memory else f"data in {used.config.data_dir}",
                 "required" if server.admin_key else "not set")
        try:
            yield
        finally:
            app.state.gistcache = None
            await upstream.aclose()
            await anthropic.aclose()
            if owned:
                try:
                    await asyncio.to_thread(used.close)
                except Exception as exc:  # the store is durable; the index is rebuilt if need be
                    log.warning("closing the cache failed: %s: %s", type(exc).__name__, exc)

    app = ProxyApp(
        title="gistcache",
        version=__version__,
        summary="A semantic cache in front of an OpenAI-compatible API.",
        lifespan=lifespan,
    )
    app.router.route_class = _Route
    _errors(app)
    _llm_routes(app)
    _cache_routes(app)
    _ops_routes(app)
    register_media(app)
    return app


def worker_app() -> FastAPI:
    """The app of one ``gistcache serve --workers N`` process (settings from the environment)."""
    spec = os.environ.get(SPEC_ENV)
    if spec is None:
        raise ConfigError(f"{SPEC_ENV} is not set: start workers with 'gistcache serve'")
    config, settings = load_spec(spec)
    return create_app(config=config, settings=settings)


def _errors(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return Response(exc.body(), status_code=exc.status, media_type="application/json",
                        headers=exc.headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidRequest)
        return Response(error_json(str(exc)), status_code=400, media_type="application/json")

    async def validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        first = exc.errors()[0].get("loc", ()) if exc.errors() else ()
        param = str(first[-1]) if first and first[-1] != "body" else None
        return Response(error_json("invalid request: " + "; ".join(problems), param=param),
                        status_code=400, media_type="application/json")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc, _BadBody):
            return Response(exc.error.body(), status_code=exc.status_code,
                            media_type="application/json")
        if exc.status_code == 404:
            message = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail)
        return Response(error_json(message, code=str(exc.status_code)),
                        status_code=exc.status_code, media_type="application/json",
                        headers=exc.headers)

    async def fault(request: Request, exc: Exception) -> Response:
        # an explicit cache operation (put, delete, feedback...) failed: say so, don't crash
        log.warning("cache operation %s %s failed: %s", request.method, request.url.path, exc)
        return Response(error_json(f"the cache failed: {type(exc).__name__}: {exc}",
                                   "server_error", code="cache_fault"),
                        status_code=503, media_type="application/json")

    async def bug(request: Request, exc: Exception) -> Response:
        # a bug: the server logs the traceback; the caller gets OpenAI's shape, not plain text
        return Response(error_json("internal error in the gistcache server", "server_error",
                                   code="internal_error"),
                        status_code=500, media_type="application/json")

    app.add_exception_handler(Exception, bug)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(CacheFault, fault)
    app.add_exception_handler(InvalidRequest, invalid)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)


def _llm_routes(app: FastAPI) -> None:
    # The Gate answers these before routing; the routes give them their place in the OpenAPI
    # schema and serve apps mounted without the gate.
    def cached_route(endpoint: Endpoint) -> None:
        async def route(request: Request) -> Response:
            state = _state(request)
            try:
                return await state.gateway.handle(endpoint, request.headers,
                                                  await request.body())
            except ApiError as exc:  # in the endpoint's own error shape
                return Response(endpoint.error_body(exc.message, exc.type, exc.param, exc.code),
                                status_code=exc.status, media_type="application/json",
                                headers=exc.headers)

        tag = "Anthropic" if endpoint.provider == "anthropic" else "OpenAI"
        app.post(endpoint.path, tags=[tag], summary=f"{endpoint.title} (cached)",
                 description=_CACHED_DOC, openapi_extra=REQUEST_BODIES[endpoint.name],
                 responses=error_responses(*UPSTREAM, anthropic=tag == "Anthropic"),
                 name=endpoint.name)(route)

    for endpoint in ENDPOINTS.values():
        cached_route(endpoint)

    async def passthrough(request: Request, path: str, provider: str = "openai") -> Response:
        state = _state(request)
        upstream = state.gateway.upstreams[provider]
        body = await request.body() if request.method == "POST" else None
        forward = upstream.headers_for(request.headers, request.headers.get("content-type"))
        start = time.perf_counter()
        response = await upstream.send(request.method, path, content=body, headers=forward)
        state.stats.response(path, HitKind.BYPASS.value if response.status_code == 200
                             else f"upstream-{response.status_code}",
                             time.perf_counter() - start)
        return Response(response.content, status_code=response.status_code,
                        headers={**passthrough_headers(response.headers),
                                 HEADER: HitKind.BYPASS.value})

    @app.post("/v1/messages/count_tokens", tags=["Anthropic"],
              summary="Count a message's tokens (passed through)",
              openapi_extra=REQUEST_BODIES["count_tokens"],
              responses=error_responses(*UPSTREAM, anthropic=True))
    async def count_tokens(request: Request) -> Response:
        return await passthrough(request, "/v1/messages/count_tokens", "anthropic")

    @app.get("/v1/models", tags=["OpenAI"], summary="Models (passed through)",
             responses=error_responses(*UPSTREAM))
    async def models(request: Request) -> Response:
        return await passthrough(request, "/v1/models")

    @app.get("/v1/models/{model}", tags=["OpenAI"], summary="One model (passed through)",
             responses=error_responses(*UPSTREAM))
    async def model(request: Request, model: str) -> Response:
        if _MODEL_ID.fullmatch(model) is None:
            # "x?a=1", "..", "a\r\n" would change the upstream URL the caller's key goes to
            raise ApiError(400, f"invalid model id {model!r}: letters, digits and ._:@+- "
                                "only, starting with a letter or digit", param="model",
                           code="invalid_model_id")
        return await passthrough(request, f"/v1/models/{model}")


def _cache_routes(app: FastAPI) -> None:
    @app.post("/get", tags=["cache"], summary="GPTCache-compatible lookup",
              responses=error_responses(400, 413))
    async def get(request: Request, body: GetBody) -> Response:
        state = _state(request)
        controls = state.gateway.controls(request.headers)
        lookup_request = state.cache.request(body.prompt, model=body.model,
                                             namespace=controls.namespace,
                                             min_similarity=controls.min_similarity,
                                             max_age=controls.max_age)
        lookup = await state.gateway.lookup(lookup_request)
        answer = lookup.answer if lookup.hit else None
        return _json({"prompt": body.prompt, "answer": answer},
                     headers={HEADER: lookup.kind.value})

    @app.post("/put", dependencies=_ADMIN,
              tags=["cache"], summary="GPTCache-compatible store (admin)",
              responses=error_responses(400, 401, 413, 503))
    async def put(request: Request, body: PutBody) -> Response:
        state = _state(request)
        controls = state.gateway.controls(request.headers)
        entry = await state.cache.aput(body.prompt, body.answer, ttl=body.ttl or controls.ttl,
                                       model=body.model, namespace=controls.namespace)
        return _json({"status": "ok", "entry_id": entry.id})

    @app.post("/flush", dependencies=_ADMIN,
              tags=["cache"], summary="Persist hit counts and the index (admin)",
              responses=error_responses(401, 413, 503))
    async def flush(request: Request) -> Response:
        state = _state(request)

        def persist() -> None:
            state.cache.flush()
            state.cache.save()

        await asyncio.to_thread(persist)
        return _json({"status": "ok"})

    @app.post("/clear", dependencies=_ADMIN,
              tags=["cache"], summary="Delete every entry, or one namespace's (admin)",
              responses=error_responses(400, 401, 413, 503))
    async def clear(request: Request, body: ClearBody | None = None) -> Response:
        state = _state(request)
        namespace = body.namespace if body is not None else None
        deleted = await asyncio.to_thread(state.cache.clear, namespace)
        return _json({"deleted": deleted})

    @app.get("/entries", dependencies=_ADMIN,
             tags=["cache"], summary="List entries in id order (admin)",
             responses=error_responses(400, 401, 503))
    async def entries(
        request: Request,
        namespace: str | None = None,
        after_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        state = _state(request)

        def listing() -> list[Entry]:
            state.cache.flush()  # so that hit counts are current
            return state.cache.entries(namespace=namespace, after_id=after_id, limit=limit)

        rows = await asyncio.to_thread(listing)
        return _json({"object": "list", "data": [_entry_json(e) for e in rows],
                      "next_after_id": rows[-1].id if len(rows) == limit else None})

    @app.delete("/entries/{entry_id}", dependencies=_ADMIN,
                tags=["cache"], summary="Delete one entry (admin)",
                responses=error_responses(400, 401, 404, 503))
    async def delete_entry(request: Request,
                           entry_id: Annotated[int, Path(ge=0, le=MAX_ID)]) -> Response:
        state = _state(request)
        done = await asyncio.to_thread(state.cache.delete, [entry_id])
        if not done:
            raise ApiError(404, f"no entry with id {entry_id}", param="entry_id",
                           code="entry_not_found")
        state.stats.forget(done)
        return _json({"id": entry_id, "deleted": True})

    @app.post("/feedback", dependencies=_ADMIN,
              tags=["cache"], summary="Report a hit as right or wrong (admin)",
              responses=error_responses(400, 401, 404, 413, 503))
    async def feedback(request: Request, body: FeedbackBody) -> Response:
        state = _state(request)
        entry = await asyncio.to_thread(state.cache.feedback, body.entry_id, body.correct)
        if entry is None:
            raise ApiError(404, f"no entry with id {body.entry_id}", param="entry_id",
                           code="entry_not_found")
        return _json({"entry_id": entry.id, "hits": entry.hits, "wrong_hits": entry.wrong_hits})

    @app.get("/stats", dependencies=_ADMIN,
             tags=["cache"], summary="Cache and server figures (admin)",
             responses=error_responses(401))
    async def stats(request: Request) -> Response:
        state = _state(request)
        return _json({"cache": state.cache.stats(), "server": state.stats.snapshot(),
                      "pid": os.getpid()})


def _ops_routes(app: FastAPI) -> None:
    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics (this worker)",
             response_class=PlainTextResponse)
    async def metrics(request: Request) -> Response:
        state = _state(request)
        return PlainTextResponse(prometheus_text(state.cache, state.stats),
                                 media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/healthz", tags=["operations"], summary="Liveness")
    async def healthz() -> Response:
        return _json({"status": "ok"})

    @app.get("/readyz", tags=["operations"], summary="Readiness: the store answers",
             responses={503: {"description": "Starting, or the store does not answer."}})
    async def readyz(request: Request) -> Response:
        state: ServerState | None = getattr(request.app.state, "gistcache", None)
        if state is None:
            return _json({"status": "starting"}, status=503)
        try:
            stats = await asyncio.wait_for(asyncio.to_thread(state.cache.store.stats), 5.0)
        except Exception as exc:  # any failure of the store means "not ready"; say which
            log.warning("readiness check failed: %s", exc)
            return _json({"status": "unavailable", "reason": f"{type(exc).__name__}: {exc}"},
                         status=503)
        return _json({"status": "ready", "entries": stats.count})

    @app.get("/dashboard", tags=["operations"], summary="Live dashboard (HTML)",
             response_class=HTMLResponse)
    async def dashboard() -> Response:
        return HTMLResponse(DASHBOARD_HTML, headers={"cache-control": "no-cache"})

    @app.get("/dashboard/data", dependencies=_ADMIN,
             tags=["operations"], summary="The dashboard's figures (admin)",
             responses=error_responses(401))
    async def dashboard_data(request: Request) -> Response:
        state = _state(request)
        return _json(state.stats.dashboard(state.cache), headers={"cache-control": "no-store"})

