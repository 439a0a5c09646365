"""GPTCache's ``Client`` of the cache server's ``/put`` and ``/get``, for ``gistcache serve``.

    client = Client(uri="http://localhost:8000")
    client.put("Hi", "Hi back")     # 200
    client.get("Hi")                # 'Hi back'

``admin_key`` (gistcache only) is sent to ``/put`` when the server requires one.
"""

from __future__ import annotations

from typing import Any

from .._errors import require

__all__ = ["Client"]


class Client:
    """A client of a cache server's GPTCache-compatible ``/put`` and ``/get``."""

    def __init__(self, uri: str = "http://localhost:8000", *, admin_key: str | None = None,
                 timeout: float = 10.0) -> None:
        self._uri = uri.rstrip("/")
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if admin_key:
            self._headers["x-gistcache-admin-key"] = admin_key
        self._timeout = timeout

    def _post(self, path: str, data: dict[str, Any]) -> Any:
        httpx = require("httpx", feature="the cache server client", extra="server")
        return httpx.post(f"{self._uri}{path}", json=data, headers=self._headers,
                          timeout=self._timeout)

    def put(self, question: str, answer: str) -> int:
        """Store an answer; returns the HTTP status (200 when stored)."""
        status: int = self._post("/put", {"prompt": question, "answer": answer}).status_code
        return status

    def get(self, question: str) -> Any:
        """The cached answer to ``question`` (or a similar one), else None."""
        response = self._post("/get", {"prompt": question})
        response.raise_for_status()
        return response.json().get("answer")
