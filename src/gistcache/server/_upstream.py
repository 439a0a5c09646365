"""The connections to the upstream APIs: one pooled async client per upstream and worker.

An OpenAI-compatible upstream's base URL ends in ``/v1`` and takes the key as a bearer token;
Anthropic's does not (its paths start with ``/v1``) and takes it in ``x-api-key``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx

from ._http import ApiError, caller_key
from ._observe import ServerStats

__all__ = ["Upstream", "UpstreamError", "passthrough_headers"]

#: request headers worth forwarding besides the key and Content-Type, by provider
_FORWARD_PREFIXES = {"openai": ("openai-", "x-stainless-"),
                     "anthropic": ("anthropic-", "x-stainless-")}
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
    """Sends requests to an upstream API; transport failures become 502/504 errors.

    ``provider`` is "openai" (any OpenAI-compatible API) or "anthropic".
    """

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
        provider: str = "openai",
    ) -> None:
        if provider not in _FORWARD_PREFIXES:
            raise ValueError(f"unknown upstream provider {provider!r}")
        self.provider = provider
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
        """Headers of the upstream request: the caller's key (or the server's), the provider's
        own headers (``openai-*``, ``anthropic-*``), the SDK's ``x-stainless-*``."""
        out: dict[str, str] = {}
        prefixes = _FORWARD_PREFIXES[self.provider]
        for name, value in incoming.items():
            low = name.lower()
            if low in _FORWARD or low.startswith(prefixes):
                out[low] = value
        if self.provider == "anthropic":
            # the caller's key as the caller sent it (x-api-key, or a bearer token)
            for name in ("x-api-key", "authorization"):
                if incoming.get(name):
                    out[name] = incoming[name]
            if "x-api-key" not in out and "authorization" not in out and self._api_key:
                out["x-api-key"] = self._api_key
        else:
            key = caller_key(incoming) or self._api_key
            if key is not None:
                out["authorization"] = f"Bearer {key}"
        if content_type:
            out["content-type"] = content_type
        return out

    def path_of(self, path: str) -> str:
        """The upstream path of one of ours: ``/v1/chat/completions`` -> ``chat/completions``
        under an OpenAI base URL (``.../v1``); unchanged under Anthropic's."""
        if self.provider == "anthropic":
            return path.lstrip("/")
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
