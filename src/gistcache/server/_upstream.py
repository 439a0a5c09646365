"""The connection to the upstream OpenAI-compatible API: one pooled async client per worker."""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx

from ._http import ApiError, caller_key
from ._observe import ServerStats

__all__ = ["Upstream", "UpstreamError", "passthrough_headers"]

#: request headers worth forwarding besides Authorization and Content-Type
_FORWARD_PREFIXES = ("openai-", "x-stainless-")
_FORWARD = frozenset({"accept", "user-agent", "idempotency-key"})

#: response headers that describe the connection, not the answer: never copied back
_HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "content-length", "content-encoding", "date", "server",
    "set-cookie", "alt-svc",
})


def passthrough_headers(headers: httpx.Headers) -> dict[str, str]:
    """The upstream response's headers that the caller should see (rate limits, retry-after)."""
    return {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}


class UpstreamError(Exception):
    """A non-success answer of the upstream: returned to the caller unchanged, never cached."""

    def __init__(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        super().__init__(f"upstream answered {status}")
        self.status = status
        self.body = body
        self.headers = dict(headers)


class Upstream:
    """Sends requests to the upstream API; transport failures become OpenAI-shaped 502/504."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        stats: ServerStats,
        timeout: float = 600.0,
        connect_timeout: float = 10.0,
        max_connections: int = 200,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._stats = stats
        self.timeout = timeout
        self.client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=max_connections,
                                max_keepalive_connections=max_connections),
            transport=transport,
            # answers are passed on byte for byte: ask for them unencoded
            headers={"accept-encoding": "identity"},
            follow_redirects=False,
        )

    def headers_for(self, incoming: Mapping[str, str], content_type: str | None) -> dict[str, str]:
        """Headers of the upstream request: the caller's key (or the server's), OpenAI-*."""
        out: dict[str, str] = {}
        for name, value in incoming.items():
            low = name.lower()
            if low in _FORWARD or low.startswith(_FORWARD_PREFIXES):
                out[low] = value
        key = caller_key(incoming) or self._api_key
        if key is not None:
            out["authorization"] = f"Bearer {key}"
        if content_type:
            out["content-type"] = content_type
        return out

    @staticmethod
    def path_of(path: str) -> str:
        """The upstream path of one of ours: ``/v1/chat/completions`` -> ``chat/completions``."""
        return path.removeprefix("/v1").lstrip("/")

    async def send(
        self, method: str, path: str, *, content: bytes | None, headers: Mapping[str, str],
        stream: bool = False,
    ) -> httpx.Response:
        """Send one request; the caller closes a streamed response."""
        request = self.client.build_request(method, self.path_of(path), content=content,
                                            headers=dict(headers))
        start = time.perf_counter()
        try:
            response = await self.client.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            self._stats.upstream(path, 504, time.perf_counter() - start)
            raise ApiError(504, f"the upstream {self.base_url} did not answer within "
                                f"{self.timeout:g} s", type_="upstream_error",
                           code="upstream_timeout") from exc
        except httpx.TransportError as exc:
            self._stats.upstream(path, 502, time.perf_counter() - start)
            raise ApiError(502, f"cannot reach the upstream {self.base_url}: "
                                f"{type(exc).__name__}: {exc}", type_="upstream_error",
                           code="upstream_unreachable") from exc
        self._stats.upstream(path, response.status_code, time.perf_counter() - start)
        return response

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self.client.aclose()
