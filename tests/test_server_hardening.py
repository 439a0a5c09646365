"""Input an attacker would send: every case is a 4xx in the API's error shape, never a 500,
never a request to the upstream with a key attached, never a change to what is stored.

The cases come from issue 12 (tenants left open, 500s on odd JSON and large ids, path
passthrough, loose header numbers). Each test runs the real app with uvicorn on a free port in
front of a cache on a real SQLite file and the fake OpenAI server.
"""

from __future__ import annotations

import hmac
import json
import random
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config, ConfigError
from gistcache.cli import main
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app, load_settings
from gistcache.server import _http as server_http
from gistcache.testing import FakeOpenAI

ADMIN = "adm-0123456789"
MODEL = "gpt-4o-mini"


class Server:
    """A running proxy (admin key set), its cache and the fake upstream behind it."""

    def __init__(self, thread: ServerThread, cache: Cache, up: FakeOpenAI,
                 http: httpx.Client) -> None:
        self.thread, self.cache, self.up, self.http = thread, cache, up, http

    @property
    def url(self) -> str:
        return self.thread.url

    def send(self, method: str, path: str, *, content: bytes | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        hdrs = {"authorization": f"Bearer {ADMIN}", "content-type": "application/json",
                **(headers or {})}
        return self.http.request(method, self.url + path, content=content, headers=hdrs)

    def raw(self, request_line: str) -> tuple[int, bytes]:
        """Send one request as raw bytes (no client normalises its path); (status, body)."""
        with socket.create_connection(("127.0.0.1", self.thread.port), timeout=30) as sock:
            sock.sendall(f"{request_line}\r\nHost: 127.0.0.1\r\n"
                         f"Authorization: Bearer {ADMIN}\r\nConnection: close\r\n\r\n"
                         .encode("latin-1"))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split(b" ")[1]), body


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.require_key = False
        yield fake


@pytest.fixture
def server(tmp_path: Path, up: FakeOpenAI, clock: Any) -> Iterator[Server]:
    cache = Cache(Config(data_dir=str(tmp_path / "data"), verifier=False,
                         similarity_threshold=0.5),
                  embedder=WordHashEmbedder(256), clock=clock, background=False,
                  rng=random.Random(7))
    settings = ServerSettings(upstream=up.base_url, admin_key=ADMIN, upstream_key="sk-server")
    with ServerThread(create_app(cache, settings, clock=clock)) as thread, \
            httpx.Client(timeout=30) as http:
        yield Server(thread, cache, up, http)
    cache.close()


def _openai_error(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


# -- tenants ----------------------------------------------------------------------------------


def test_namespace_from_key_without_an_admin_key_is_refused_naming_the_fix() -> None:
    with pytest.raises(ConfigError, match="admin_key") as err:
        ServerSettings(namespace_from_key=True)
    assert "GET /entries" in str(err.value) and "GISTCACHE_ADMIN_KEY" in str(err.value)
    with pytest.raises(ConfigError, match="admin_key"):
        load_settings(environ={"GISTCACHE_NAMESPACE_FROM_KEY": "true"})
    _, settings = load_settings(environ={"GISTCACHE_NAMESPACE_FROM_KEY": "true",
                                         "GISTCACHE_ADMIN_KEY": ADMIN})
    assert settings.namespace_from_key and settings.admin_key == ADMIN


def test_serve_namespace_from_key_without_admin_key_exits_2_before_serving(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GISTCACHE_ADMIN_KEY", raising=False)
    assert main(["serve", "--namespace-from-key", "--data-dir", ":memory:"]) == 2
    err = capsys.readouterr().err
    assert "gistcache serve: error:" in err and "admin_key" in err


def test_a_tenant_key_cannot_list_or_clear_other_tenants(tmp_path: Path, up: FakeOpenAI,
                                                         clock: Any) -> None:
    cache = Cache(Config(data_dir=str(tmp_path / "d"), verifier=False),
                  embedder=WordHashEmbedder(256), clock=clock, background=False)
    settings = ServerSettings(upstream=up.base_url, admin_key=ADMIN, namespace_from_key=True)
    with ServerThread(create_app(cache, settings, clock=clock)) as thread, \
            httpx.Client(timeout=30) as http:
        chat = {"model": MODEL, "messages": [{"role": "user", "content": "my balance"}]}
        alice = {"authorization": "Bearer sk-alice"}
        assert http.post(thread.url + "/v1/chat/completions", json=chat,
                         headers=alice).status_code == 200
        namespace = cache.entries()[0].namespace
        mallory = {"authorization": "Bearer sk-mallory"}
        listing = http.get(thread.url + "/entries", headers=mallory)
        clear = http.post(thread.url + "/clear", json={"namespace": namespace}, headers=mallory)
        assert _openai_error(listing, 401)["code"] == "invalid_admin_key"
        assert _openai_error(clear, 401)["code"] == "invalid_admin_key"
        assert len(cache.entries()) == 1
    cache.close()


def test_the_admin_key_is_compared_in_constant_time(server: Server,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(server_http.hmac, "compare_digest", spy)
    assert server.send("GET", "/stats").status_code == 200
    wrong = server.send("GET", "/stats", headers={"authorization": "Bearer adm-0123456788"})
    assert wrong.status_code == 401
    assert (ADMIN.encode(), ADMIN.encode()) in compared
    assert (b"adm-0123456788", ADMIN.encode()) in compared


# -- JSON bodies that used to be 500s ---------------------------------------------------------

_DEEP = "[" * 1000 + "]" * 1000
_BAD_JSON = {
    "nested 1,000 deep": ('"x": ' + _DEEP, "64 levels"),
    "lone surrogate": ('"x": "\\ud800"', "surrogate"),
    "5,000-digit integer": ('"n": ' + "1" * 5000, "5000 digits"),
    "NaN literal": ('"temperature": NaN', "NaN"),
    "float too large": ('"temperature": 1' + "0" * 400 + ".5", "too large"),
}
_CHAT_HEAD = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], '


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/completions", "/v1/responses",
                                  "/v1/embeddings", "/v1/images/generations", "/get", "/put"])
@pytest.mark.parametrize("case", sorted(_BAD_JSON))
def test_odd_json_is_a_400_naming_the_problem(server: Server, path: str, case: str) -> None:
    fragment, words = _BAD_JSON[case]
    response = server.send("POST", path, content=(_CHAT_HEAD + fragment + "}").encode())
    error = _openai_error(response)
    assert words in error["message"] and error["code"] == "invalid_json"
    assert server.up.call_count() == 0
    assert server.cache.entries() == []


def test_odd_json_on_anthropic_messages_is_a_400_in_anthropics_shape(server: Server) -> None:
    body = '{"model": "claude", "max_tokens": 5, "messages": [' + _DEEP + "]}"
    response = server.send("POST", "/v1/messages", content=body.encode())
    assert response.status_code == 400
    assert response.json() == {"type": "error", "error": {
        "type": "invalid_request_error",
        "message": "the request body nests arrays and objects more than 64 levels deep"}}


def test_lone_surrogate_in_a_put_prompt_is_a_400_and_stores_nothing(server: Server) -> None:
    # a surrogate written as JSON escapes of a valid pair is fine: only a lone one is refused
    pair = server.send("POST", "/put", content=b'{"prompt": "smile \\ud83d\\ude00", '
                                               b'"answer": "ok"}')
    assert pair.status_code == 200
    lone = server.send("POST", "/put", content=b'{"prompt": "x", "answer": "\\udfff"}')
    assert "surrogate" in _openai_error(lone)["message"]
    assert [e.key_text for e in server.cache.entries()] == ["smile \U0001f600"]


# -- ids past 64 bits -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("DELETE", f"/entries/{2**63}", None),
    ("GET", f"/entries?after_id={2**63}", None),
    ("POST", "/feedback", {"entry_id": 2**63, "correct": True}),
    ("DELETE", f"/entries/{10**30}", None),
])
def test_ids_of_2_63_and_more_are_a_400(server: Server, method: str, path: str,
                                        body: Any) -> None:
    server.cache.put("kept", "still here")
    response = server.send(method, path, content=json.dumps(body).encode() if body else None)
    error = _openai_error(response)
    assert "9223372036854775807" in error["message"]
    assert [e.answer for e in server.cache.entries()] == ["still here"]


def test_the_largest_64_bit_id_is_simply_not_found(server: Server) -> None:
    top = 2**63 - 1
    assert _openai_error(server.send("DELETE", f"/entries/{top}"), 404)["code"] == \
        "entry_not_found"
    listing = server.send("GET", f"/entries?after_id={top}")
    assert listing.status_code == 200 and listing.json()["data"] == []


# -- the model passthrough --------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/v1/models/x%3Fa=1", "/v1/models/..", "/v1/models/%2e%2e", "/v1/models/%0d%0a",
    "/v1/models/a%23b", "/v1/models/a%20b", "/v1/models/%2e",
])
def test_model_ids_that_would_change_the_upstream_url_are_refused(server: Server,
                                                                  path: str) -> None:
    status, body = server.raw(f"GET {path} HTTP/1.1")
    assert status == 400, body
    assert json.loads(body)["error"]["code"] == "invalid_model_id"
    assert server.up.call_count() == 0


def test_plain_model_ids_still_pass_through(server: Server) -> None:
    response = server.send("GET", "/v1/models/ft:gpt-4o-mini:org:custom-1@2")
    assert response.headers["x-gistcache"] == "bypass"
    assert [c.path for c in server.up.calls] == ["/v1/models/ft:gpt-4o-mini:org:custom-1@2"]


# -- header numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1_000", "inf", "nan", "1e999", "0x10", "5 s", "", "-0"])
def test_ttl_header_must_be_a_plain_positive_decimal(server: Server, value: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hello"}]}
    response = server.send("POST", "/v1/chat/completions", content=json.dumps(body).encode(),
                           headers={"x-gistcache-ttl": value})
    assert _openai_error(response)["param"] == "x-gistcache-ttl"
    assert server.up.call_count() == 0


def test_ttl_header_in_exponent_form_is_a_number(server: Server, clock: Any) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hello"}]}
    response = server.send("POST", "/v1/chat/completions", content=json.dumps(body).encode(),
                           headers={"x-gistcache-ttl": "1.5e3"})
    assert response.status_code == 200
    (entry,) = server.cache.entries()
    assert entry.expires_at == pytest.approx(entry.created_at + 1500)


# -- a bug is still answered in the API's shape -----------------------------------------------


def test_an_unexpected_error_is_a_500_in_openai_shape_not_plain_text(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> list[Any]:
        raise RuntimeError("injected fault")

    monkeypatch.setattr(server.cache, "entries", broken)
    error = _openai_error(server.send("GET", "/entries"), 500)
    assert error["code"] == "internal_error" and "injected" not in error["message"]


def test_json_limits_sit_exactly_at_their_bounds() -> None:
    from gistcache.server._http import MAX_JSON_DEPTH, ApiError, parse_json

    assert parse_json(b'{"n": ' + b"9" * 100 + b"}")["n"] == int("9" * 100)
    assert parse_json(b'{"t": "' + b"7" * 500 + b'", "x": 1e99}') == {"t": "7" * 500,
                                                                      "x": 1e99}
    deep = b"[" * (MAX_JSON_DEPTH - 1) + b"{}" + b"]" * (MAX_JSON_DEPTH - 1)
    assert parse_json(b'{"d": ' + deep[1:-1] + b"}") is not None  # 64 levels with the outer
    assert parse_json(b'{"emoji": "\\ud83d\\ude00"}') == {"emoji": "\U0001f600"}
    for bad in (b'{"n": ' + b"9" * 101 + b"}", b'{"x": 1e400}', b'{"x": -Infinity}',
                b'{"d": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}",
                b'{"\\udc00": 1}'):
        with pytest.raises(ApiError) as err:
            parse_json(bad)
        assert err.value.status == 400 and err.value.code == "invalid_json"
