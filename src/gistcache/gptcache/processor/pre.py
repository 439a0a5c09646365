"""GPTCache's pre-processors: what part of a request is compared.

Passed to ``cache.init(pre_embedding_func=...)``, :func:`last_content`, :func:`all_content` and
:func:`get_prompt` select gistcache's own pre-processors, which also keep the earlier
conversation as scope (so that one follow-up question asked in two conversations never shares an
answer). Any other function (these, or your own) is called on each request and its result is
the text compared; a result that is not text (bytes, a dict...) is matched exactly, by a hash.
Called directly, every function here behaves like GPTCache's.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from ..._errors import InvalidRequest

__all__ = [
    "all_content",
    "concat_all_queries",
    "get_file_bytes",
    "get_file_name",
    "get_image",
    "get_image_question",
    "get_input_image_file_name",
    "get_input_str",
    "get_inputs",
    "get_messages_last_content",
    "get_openai_moderation_input",
    "get_prompt",
    "last_content",
    "last_content_without_prompt",
    "last_content_without_template",
    "nop",
]


def _messages(data: Mapping[str, Any]) -> Sequence[Any]:
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if not isinstance(messages, Sequence) or isinstance(messages, str) or not messages:
        raise InvalidRequest("the request has no 'messages' list")
    return messages


def _content(message: Any) -> Any:
    if isinstance(message, Mapping):
        return message.get("content")
    return getattr(message, "content", None)  # a LangChain message object


def last_content(data: Mapping[str, Any], **_: Any) -> Any:
    """The content of the last message."""
    return _content(_messages(data)[-1])


def last_content_without_prompt(data: Mapping[str, Any], **params: Any) -> Any:
    """The last message's content with every string of ``prompts`` (``Config(prompts=...)``,
    regular expressions as in GPTCache) removed."""
    content = last_content(data)
    prompts = params.get("prompts")
    if not prompts or not isinstance(content, str):
        return content
    return re.sub("|".join(prompts), "", content)


def _template_values(template: str, text: str) -> dict[str, str]:
    """The values of a ``str.format`` template's fields in ``text`` (fields must be separated
    by literal text)."""
    literals: list[str] = []
    fields: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        literals.append(literal)
        if field is not None:
            fields.append(field or str(len(fields)))
    values: dict[str, str] = {}
    pos = 0
    for i, literal in enumerate(literals):
        if i >= len(fields):
            break
        start = text.find(literal, pos)
        if start < 0:
            break
        start += len(literal)
        if i + 1 < len(literals) and literals[i + 1]:
            end = text.find(literals[i + 1], start + 1)
        else:
            end = len(text)
        if end < 0:
            break
        values[fields[i]] = text[start:end]
        pos = end
    return values


def last_content_without_template(data: Mapping[str, Any], **params: Any) -> Any:
    """The values the last message fills into ``Config(template=...)``, as the text of a list
    (``"['animal']"`` for ``"tell me a joke about {subject}"``); the content itself when no
    template is set."""
    content = last_content(data)
    config = params.get("cache_config")
    template = getattr(config, "template", None)
    if not template or not isinstance(content, str):
        return content
    return str(list(_template_values(template, content).values()))


def all_content(data: Mapping[str, Any], **_: Any) -> str:
    """The contents of every message, one per line."""
    return "\n".join(str(_content(m) or "") for m in _messages(data))


def concat_all_queries(data: Mapping[str, Any], **params: Any) -> str:
    """The last ``Config(context_len=n)`` rounds (2n messages) as ``ROLE: content`` lines,
    leaving out the roles of ``Config(skip_list=...)`` (system and assistant by default)."""
    config = params.get("cache_config")
    skip = list(getattr(config, "skip_list", None) or ["system", "assistant"])
    context_len = getattr(config, "context_len", None)
    messages = list(_messages(data))
    if context_len is not None:
        messages = messages[-2 * int(context_len):] if context_len > 0 else []
    lines = []
    for message in messages:
        role = message.get("role") if isinstance(message, Mapping) else None
        if role in skip:
            continue
        lines.append(f"{str(role).upper()}: {_content(message)}")
    return "\n".join(lines)


def nop(data: Any, **_: Any) -> Any:
    """The request itself (compared exactly, by a hash of its JSON, in a cache)."""
    return data


def get_prompt(data: Mapping[str, Any], **_: Any) -> Any:
    """The ``prompt`` of a completion-style request (None when there is none)."""
    if not isinstance(data, Mapping):
        raise InvalidRequest("the request is not a mapping of parameters")
    return data.get("prompt")


def _file(data: Mapping[str, Any], key: str = "file") -> Any:
    file = data.get(key) if isinstance(data, Mapping) else None
    if file is None:
        raise InvalidRequest(f"the request has no {key!r}")
    return file


def get_file_name(data: Mapping[str, Any], **_: Any) -> str:
    """The name of the request's ``file``."""
    name = getattr(_file(data), "name", None)
    if not isinstance(name, str):
        raise InvalidRequest("the request's file has no name")
    return name


def _peek(file: Any) -> bytes:
    """The file's bytes without consuming it (GPTCache used ``peek``)."""
    if isinstance(file, (bytes, bytearray)):
        return bytes(file)
    if hasattr(file, "getvalue"):
        return bytes(file.getvalue())
    if hasattr(file, "seekable") and file.seekable():
        pos = file.tell()
        try:
            return bytes(file.read())
        finally:
            file.seek(pos)
    if hasattr(file, "peek"):
        return bytes(file.peek())
    raise InvalidRequest("the file can be read only once; pass its bytes or an open file")


def get_file_bytes(data: Mapping[str, Any], **_: Any) -> bytes:
    """The bytes of the request's ``file`` (compared exactly in a cache)."""
    return _peek(_file(data))


def get_input_str(data: Mapping[str, Any], **_: Any) -> str:
    """The image bytes and question of a ``{"input": {"image", "question"}}`` request."""
    inputs = _file(data, "input")
    return str(_peek(inputs["image"])) + str(inputs["question"])


def get_input_image_file_name(data: Mapping[str, Any], **_: Any) -> str:
    """The file name of the ``input.image`` of a request."""
    name = getattr(_file(data, "input")["image"], "name", None)
    if not isinstance(name, str):
        raise InvalidRequest("the input image has no name")
    return name


def get_image_question(data: Mapping[str, Any], **_: Any) -> str:
    """The image (its bytes, read from a path if it is one) and the question of a request."""
    image = _file(data, "image")
    if isinstance(image, str):
        with open(image, "rb") as fh:
            image = fh.read()
    return str(image) + str(data.get("question"))


def get_image(data: Mapping[str, Any], **_: Any) -> Any:
    """The ``image`` of a request."""
    return _file(data, "image")


def get_inputs(data: Mapping[str, Any], **_: Any) -> Any:
    """The ``inputs`` of a request."""
    return _file(data, "inputs")


def get_messages_last_content(data: Mapping[str, Any], **_: Any) -> Any:
    """The content of the last message object (LangChain chat messages)."""
    return _content(_messages(data)[-1])


def get_openai_moderation_input(data: Mapping[str, Any], **_: Any) -> str:
    """The ``input`` of a moderation request, as text (a list becomes its repr, as in
    GPTCache)."""
    return str(_file(data, "input"))
