"""The ASGI layer in front of the routes: body size limits, and the lean path of the cached
LLM endpoints.

Every request body is read here once, bounded by the configured limit (413 past it). Requests
of the endpoint table's endpoints are then answered right here by the gateway, without the
framework's routing and middleware layers in between: an exact repeat costs little more than
parsing its JSON. Everything else is passed on to the FastAPI routes with the body replayed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from .._endpoints import ENDPOINTS, Endpoint
from ._http import ApiError, error_json

if TYPE_CHECKING:
    from .app import ServerState

__all__ = ["Gate"]

log = logging.getLogger("gistcache.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CACHED: dict[str, Endpoint] = {e.path: e for e in ENDPOINTS.values()}
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _json_response(status: int, body: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type="application/json", headers=headers)


class Gate:
    """ASGI middleware: bounded body reading; the cached endpoints answered directly."""

    def __init__(self, app: ASGIApp, state: Callable[[], ServerState | None]) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        state = self.state()
        if state is None:  # not started (no lifespan): let the routes report it
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        settings = state.settings
        limit = settings.max_audio_bytes if path.startswith("/v1/audio/") \
            else settings.max_body_bytes
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        declared = headers.get("content-length")
        if declared is not None and declared.isascii() and declared.isdigit() \
                and int(declared) > limit:
            await self._too_large(limit, scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(limit, scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()  # after the body: disconnect notices for streams

        kind = _CACHED.get(path)
        if kind is None or scope["method"] != "POST":
            await self.app(scope, replay, send)
            return
        try:
            response = await state.gateway.handle(kind, headers, raw)
        except ApiError as exc:
            response = _json_response(exc.status, kind.error_body(exc.message, exc.type,
                                                                  exc.param, exc.code),
                                      exc.headers)
        except Exception:  # a bug: answer 500 in the API's shape and log it, like the routes
            log.exception("unexpected error answering %s", path)
            response = _json_response(500, kind.error_body(
                "internal error in the gistcache server", "server_error", code="internal_error"))
        await response(scope, replay, send)

    @staticmethod
    async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        body = error_json(f"the request body is larger than this server accepts "
                          f"({limit} bytes)", code="request_too_large")
        # the rest of the body is still on the wire: close instead of reading it
        await _json_response(413, body, {"connection": "close"})(scope, receive, send)
