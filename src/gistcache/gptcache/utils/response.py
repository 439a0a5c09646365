"""GPTCache's helpers that read the answer out of an OpenAI response (dict or SDK object)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..._errors import InvalidRequest

__all__ = [
    "get_audio_text_from_openai_answer",
    "get_image_from_openai_b64",
    "get_image_from_openai_url",
    "get_image_from_path",
    "get_message_from_openai_answer",
    "get_stream_message_from_openai_answer",
    "get_text_from_openai_answer",
]


def _data(resp: Any) -> Any:
    if hasattr(resp, "model_dump"):  # an object of the openai SDK
        return resp.model_dump()
    return resp


def get_message_from_openai_answer(openai_resp: Any) -> Any:
    """The first choice's message content of a chat completion."""
    return _data(openai_resp)["choices"][0]["message"]["content"]


def get_stream_message_from_openai_answer(openai_data: Any) -> str:
    """The content of one streamed chat chunk (``""`` when it carries none)."""
    choices = _data(openai_data)["choices"]
    if not choices:
        return ""
    content = choices[0].get("delta", {}).get("content")
    return content if isinstance(content, str) else ""


def get_text_from_openai_answer(openai_resp: Any) -> Any:
    """The first choice's text of a (legacy) completion."""
    return _data(openai_resp)["choices"][0]["text"]


def get_image_from_openai_b64(openai_resp: Any) -> Any:
    """The first image of an images response in ``b64_json`` format."""
    return _data(openai_resp)["data"][0]["b64_json"]


def get_image_from_openai_url(openai_resp: Any) -> bytes:
    """The first image of an images response in ``url`` format, downloaded, as base64 bytes.

    Only http(s) URLs are fetched (a local path is read by :func:`get_image_from_path`).
    """
    from ...media import fetch_image

    return base64.b64encode(fetch_image(_data(openai_resp)["data"][0]["url"]))


def get_image_from_path(openai_resp: Any) -> bytes:
    """The first image of a cached ``url`` response (a local path), as base64 bytes."""
    path = _data(openai_resp)["data"][0]["url"]
    if not isinstance(path, str):
        raise InvalidRequest("the response's url is not a path")
    with open(path, "rb") as fh:
        return base64.b64encode(fh.read())


def get_audio_text_from_openai_answer(openai_resp: Any) -> Any:
    """The text of a transcription or translation."""
    data = _data(openai_resp)
    return data["text"] if isinstance(data, Mapping) else data
