"""The OpenAPI description of the routes: request bodies of the LLM endpoints and the error
statuses each route can answer.

The LLM endpoints read their bodies as raw JSON (they are forwarded byte for byte), so their
request schemas are written here rather than derived from models: the fields the server
checks itself, with every other field of the upstream API allowed. Error statuses are
documented per route: what the server answers itself (400, 401, 404, 413, 503), and for the
forwarded endpoints what the upstream may answer, which is passed through unchanged.
"""

from __future__ import annotations

from typing import Any

__all__ = ["REQUEST_BODIES", "UPSTREAM", "error_responses"]

_OPENAI_ERROR: dict[str, Any] = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["message", "type", "param", "code"],
        "properties": {"message": {"type": "string"}, "type": {"type": "string"},
                       "param": {"type": ["string", "null"]},
                       "code": {"type": ["string", "null"]}}}},
}
_ANTHROPIC_ERROR: dict[str, Any] = {
    "type": "object", "required": ["type", "error"],
    "properties": {"type": {"const": "error"}, "error": {
        "type": "object", "required": ["type", "message"],
        "properties": {"type": {"type": "string"}, "message": {"type": "string"}}}},
}

#: what each status means when the server answers it
_MEANING = {
    400: "The request is malformed: invalid JSON (not UTF-8, nested more than 64 levels, an "
         "integer of more than 100 digits, NaN, a lone surrogate), a wrong type, a value out "
         "of range or a bad x-gistcache-* header; the message names what is wrong.",
    401: "The admin key is missing or wrong (admin routes), or the upstream refused the key.",
    403: "The upstream refused the request (passed through).",
    404: "No such entry, image or model.",
    409: "The upstream reported a conflict (passed through).",
    413: "The request body is larger than max_body_bytes (max_audio_bytes for audio).",
    422: "The upstream could not process the request (passed through).",
    429: "The upstream's rate limit (passed through, with retry-after).",
    500: "The upstream failed (passed through; never cached).",
    502: "The upstream cannot be reached, or answered something that is not HTTP.",
    503: "The cache failed on an explicit cache operation, or the server is starting.",
    504: "The upstream did not answer within upstream_timeout.",
}

#: statuses an upstream may answer on a forwarded request (passed through unchanged)
UPSTREAM = (400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504)


def error_responses(*statuses: int, anthropic: bool = False) -> dict[int | str, Any]:
    """The ``responses`` of a route for these error statuses, in the route's error shape."""
    schema = _ANTHROPIC_ERROR if anthropic else _OPENAI_ERROR
    return {status: {"description": _MEANING[status],
                     "content": {"application/json": {"schema": schema}}}
            for status in sorted(set(statuses))}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": schema}}}}


_TEXT = {"type": "string", "minLength": 1}
_MODEL = {"type": "string", "minLength": 1, "pattern": r"\S",
          "description": "The upstream's model name."}
_STREAM = {"type": "boolean"}
_TEMPERATURE = {"type": "number", "minimum": 0, "maximum": 2,
                "description": "0 always looks the cache up, 2 never does; in between the "
                               "cache is skipped with probability temperature / 2."}
_CONTENT = {"anyOf": [{"type": "string"},
                      {"type": "array", "items": {"type": "object"}},
                      {"type": "null"}]}

_CHAT: dict[str, Any] = {
    "type": "object", "required": ["model", "messages"],
    "properties": {
        "model": _MODEL,
        "messages": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["role"],
            "properties": {"role": {"type": "string"}, "content": _CONTENT}}},
        "stream": _STREAM, "temperature": _TEMPERATURE,
    },
}
_COMPLETION: dict[str, Any] = {
    "type": "object", "required": ["model", "prompt"],
    "properties": {"model": _MODEL, "stream": _STREAM, "temperature": _TEMPERATURE,
                   "prompt": {"anyOf": [{"type": "string"}, {"type": "array"}]}},
}
_RESPONSES: dict[str, Any] = {
    "type": "object", "required": ["model"],
    "properties": {"model": _MODEL, "stream": _STREAM, "temperature": _TEMPERATURE,
                   "instructions": {"type": ["string", "null"]},
                   "input": {"anyOf": [{"type": "string"},
                                       {"type": "array", "items": {"type": "object"}}]}},
}
_MESSAGES: dict[str, Any] = {
    "type": "object", "required": ["model", "max_tokens", "messages"],
    "properties": {
        "model": _MODEL,
        "max_tokens": {"type": "integer", "minimum": 1},
        "messages": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["role", "content"],
            "properties": {"role": {"enum": ["user", "assistant"]},
                           "content": {"anyOf": [{"type": "string"}, {
                               "type": "array", "items": {"type": "object"}}]}}}},
        "system": {"anyOf": [{"type": "string"},
                             {"type": "array", "items": {"type": "object"}}]},
        "stream": _STREAM,
        "temperature": {"type": "number", "minimum": 0, "maximum": 1},
    },
}
_EMBEDDINGS: dict[str, Any] = {
    "type": "object", "required": ["model", "input"],
    "properties": {
        "model": _MODEL,
        "input": {"anyOf": [
            {"type": "string"},
            {"type": "array", "minItems": 1, "items": {"type": "string"}},
            {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}},
            {"type": "array", "minItems": 1, "items": {
                "type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}}},
        ]},
        "dimensions": {"type": "integer", "minimum": 1},
        "encoding_format": {"enum": ["float", "base64"]},
    },
}
_IMAGES: dict[str, Any] = {
    "type": "object", "required": ["prompt"],
    "properties": {"prompt": {**_TEXT, "pattern": r"\S"}, "model": {"type": "string"},
                   "n": {"type": "integer", "minimum": 1, "maximum": 10},
                   "response_format": {"enum": ["url", "b64_json"]}},
}
_COUNT_TOKENS: dict[str, Any] = {
    "type": "object", "required": ["model", "messages"],
    "properties": {"model": _MODEL, "messages": {"type": "array", "items": {"type": "object"}}},
}

#: the request body of each JSON endpoint the server forwards, as OpenAPI ``openapi_extra``
REQUEST_BODIES: dict[str, dict[str, Any]] = {
    "chat": _body(_CHAT),
    "completion": _body(_COMPLETION),
    "responses": _body(_RESPONSES),
    "messages": _body(_MESSAGES),
    "embeddings": _body(_EMBEDDINGS),
    "images": _body(_IMAGES),
    "count_tokens": _body(_COUNT_TOKENS),
}
