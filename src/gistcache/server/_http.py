"""HTTP-level pieces shared by the routes: OpenAI-shaped errors, JSON bodies, request controls."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_JSON_DEPTH",
    "ApiError",
    "Controls",
    "admin_allowed",
    "bearer_token",
    "caller_key",
    "error_json",
    "parse_controls",
    "parse_json",
    "parse_json_object",
]

#: characters allowed in x-gistcache-namespace (it ends up in logs, listings and metrics)
_NAMESPACE_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-/@")


class ApiError(Exception):
    """An error answered in OpenAI's error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> bytes:
        """The JSON body of the error response."""
        return error_json(self.message, self.type, self.param, self.code)


def error_json(message: str, type_: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> bytes:
    """``{"error": {"message", "type", "param", "code"}}`` as bytes."""
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": param, "code": code}}
    ).encode()


#: deepest nesting of arrays and objects accepted in a request body (OpenAI's own bodies,
#: JSON schemas of tools included, stay far below; Python's recursion limit is about 1,000)
MAX_JSON_DEPTH = 64
#: longest integer literal accepted (Python refuses to convert more than 4,300 digits)
_MAX_INT_DIGITS = 100


#: what may hold an integer too long or a float too large (also inside strings: then the
#: numbers are checked, no harm done)
_LONG_NUMBER = re.compile(rb"[0-9]{%d}|[eE]\+?[0-9]{3}" % (_MAX_INT_DIGITS + 1))


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ApiError(400, f"the request body holds an integer of {len(text)} digits; at most "
                            f"{_MAX_INT_DIGITS} are accepted", code="invalid_json")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ApiError(400, f"the request body holds a number too large for a float: "
                            f"{text[:40]}{'...' if len(text) > 40 else ''}", code="invalid_json")
    return value


def _no_constant(name: str) -> Any:
    raise ApiError(400, f"the request body is not valid JSON: {name} is not a JSON value",
                   code="invalid_json")


def _surrogate(text: str) -> bool:
    """True when ``text`` holds a lone UTF-16 surrogate (not encodable as UTF-8)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_tree(data: Any, raw: bytes) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and lone surrogates (``"\\ud800"``)."""
    deep = raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH
    escaped = b"\\ud" in raw or b"\\uD" in raw
    if not deep and not escaped:  # the common case: nothing to walk
        return
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = ((None, v) for v in value)
        else:
            if isinstance(value, str) and escaped and _surrogate(value):
                raise ApiError(400, "the request body holds a lone UTF-16 surrogate (such as "
                                    "\\ud800) in a string: it is not Unicode text",
                               code="invalid_json")
            continue
        if depth > MAX_JSON_DEPTH:
            raise ApiError(400, f"the request body nests arrays and objects more than "
                                f"{MAX_JSON_DEPTH} levels deep", code="invalid_json")
        for key, item in items:
            if escaped and key is not None and _surrogate(key):
                raise ApiError(400, "the request body holds a lone UTF-16 surrogate (such as "
                                    "\\ud800) in a key: it is not Unicode text",
                               code="invalid_json")
            stack.append((item, depth + 1))


def parse_json(raw: bytes) -> Any:
    """The request body as JSON, or a 400 that says what is wrong with it: not UTF-8, not
    JSON (``NaN`` and ``Infinity`` included), nested too deep, integers too long, lone
    surrogates."""
    if not raw.strip():
        raise ApiError(400, "the request body is empty: send a JSON object",
                       code="invalid_json")
    # numbers are checked one by one (a Python call each) only when the body holds a long
    # run of digits or a 3-digit exponent somewhere: token-id arrays parse at C speed
    checked: dict[str, Any] = {"parse_int": _bounded_int, "parse_float": _finite_float} \
        if _LONG_NUMBER.search(raw) else {}
    try:
        # not json.loads(bytes): that guesses UTF-16/32
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, **checked)
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the request body is not UTF-8 text: {exc}",
                       code="invalid_json") from exc
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"the request body is not valid JSON: {exc.msg} at line "
                            f"{exc.lineno} column {exc.colno}", code="invalid_json") from exc
    except RecursionError:
        raise ApiError(400, f"the request body nests arrays and objects more than "
                            f"{MAX_JSON_DEPTH} levels deep", code="invalid_json") from None
    _check_tree(data, raw)
    return data


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 that says what is wrong with it."""
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ApiError(400, f"the request body must be a JSON object, got "
                            f"{type(data).__name__}", code="invalid_json")
    return data


@dataclass(frozen=True)
class Controls:
    """What the caller asked of the cache through headers."""

    namespace: str
    #: skip the lookup (still store): ``Cache-Control: no-cache``
    no_cache: bool = False
    #: do not store the answer: ``Cache-Control: no-store``
    no_store: bool = False
    #: accept only entries younger than this many seconds: ``Cache-Control: max-age=N``
    max_age: float | None = None
    #: seconds the stored answer lives: ``x-gistcache-ttl``
    ttl: float | None = None
    #: a stricter similarity bar: ``x-gistcache-threshold``
    min_similarity: float | None = None


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The ``Authorization: Bearer`` token of a request, if any."""
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def caller_key(headers: Mapping[str, str]) -> str | None:
    """The caller's API key, if any: its bearer token, or Anthropic's ``x-api-key`` (forwarded
    upstream, never stored or logged)."""
    token = bearer_token(headers)
    if token is not None:
        return token
    key = headers.get("x-api-key", "").strip()
    return key or None


def key_namespace(key: str) -> str:
    """The namespace of a tenant identified by its API key: a hash, the key is not kept."""
    return "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


#: a plain decimal number: float() would also take "1_000", "inf", "nan" and " 5 "
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(header: str, text: str) -> float:
    if _DECIMAL.fullmatch(text.strip()) is None:
        raise ApiError(400, f"header {header} must be a decimal number, got {text!r}",
                       param=header, code="invalid_header")
    value = float(text)
    if not math.isfinite(value):
        raise ApiError(400, f"header {header} must be a finite number, got {text!r}",
                       param=header, code="invalid_header")
    return value


def parse_controls(
    headers: Mapping[str, str], *, default_namespace: str, namespace_from_key: bool
) -> Controls:
    """Read Cache-Control and the x-gistcache-* headers; a bad value is a 400 naming it."""
    no_cache = no_store = False
    max_age: float | None = None
    for directive in headers.get("cache-control", "").split(","):
        name, _, arg = directive.strip().partition("=")
        name = name.strip().lower()
        if name == "no-cache":
            no_cache = True
        elif name == "no-store":
            no_store = True
        elif name == "max-age":
            max_age = _number("Cache-Control max-age", arg.strip().strip('"'))
            if max_age < 0:
                raise ApiError(400, f"Cache-Control max-age must be >= 0 seconds, got {arg}",
                               param="cache-control", code="invalid_header")
    namespace = default_namespace
    if namespace_from_key:
        key = caller_key(headers)
        if key is not None:
            namespace = key_namespace(key)
    else:
        given = headers.get("x-gistcache-namespace")
        if given is not None:
            given = given.strip()
            if not given or len(given) > 128 or not set(given) <= _NAMESPACE_CHARS:
                raise ApiError(400, "header x-gistcache-namespace must be 1-128 characters of "
                                    "letters, digits and ._:-/@", param="x-gistcache-namespace",
                               code="invalid_header")
            namespace = given
    ttl: float | None = None
    if (text := headers.get("x-gistcache-ttl")) is not None:
        ttl = _number("x-gistcache-ttl", text)
        if ttl <= 0:
            raise ApiError(400, f"header x-gistcache-ttl must be > 0 seconds, got {text}",
                           param="x-gistcache-ttl", code="invalid_header")
    threshold: float | None = None
    if (text := headers.get("x-gistcache-threshold")) is not None:
        threshold = _number("x-gistcache-threshold", text)
        if not -1.0 <= threshold <= 1.0:
            raise ApiError(400, "header x-gistcache-threshold is a cosine similarity in "
                                f"[-1, 1], got {text}", param="x-gistcache-threshold",
                           code="invalid_header")
    return Controls(namespace, no_cache, no_store, max_age, ttl, threshold)


def admin_allowed(headers: Mapping[str, str], admin_key: str | None) -> bool:
    """True when no admin key is configured or the request carries it."""
    if admin_key is None:
        return True
    expected = admin_key.encode()
    given = headers.get("x-gistcache-admin-key")
    if given is not None and hmac.compare_digest(given.encode(), expected):
        return True
    bearer = bearer_token(headers)
    return bearer is not None and hmac.compare_digest(bearer.encode(), expected)
