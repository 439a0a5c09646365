"""GPTCache's context processors for long conversations.

``ConcatContextProcess`` is kept (each request's messages, joined). The summarising and
selecting processors ran models downloaded at run time and are refused; gistcache's default
pre-processor already compares the last question by meaning and keeps the earlier conversation
as scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._refused import refused
from ..pre import _content, _messages

__all__ = [
    "ConcatContextProcess",
    "ContextProcess",
    "SelectiveContextProcess",
    "SummarizationContextProcess",
]


class ContextProcess:
    """A conversation pre-processor: ``pre_process(data)`` -> (text stored, text embedded)."""

    def format_all_content(self, data: Mapping[str, Any], **params: Any) -> None:
        """Read the request's messages."""
        raise NotImplementedError

    def process_all_content(self) -> tuple[Any, Any]:
        """(text stored, text embedded) of the messages read."""
        raise NotImplementedError

    def pre_process(self, data: Mapping[str, Any], **params: Any) -> tuple[Any, Any]:
        """Use as ``cache.init(pre_embedding_func=processor.pre_process)``."""
        self.format_all_content(data, **params)
        return self.process_all_content()


class ConcatContextProcess(ContextProcess):
    """Every message of the request: ``role: content`` lines (stored) and the contents joined
    (compared). Unlike GPTCache's, nothing carries over from one request to the next."""

    def __init__(self) -> None:
        self.content = ""
        self.concat_content = ""

    def format_all_content(self, data: Mapping[str, Any], **params: Any) -> None:
        """Read the request's messages (forgetting the previous request's)."""
        messages = _messages(data)
        self.content = "".join(
            f"{m.get('role') if isinstance(m, Mapping) else ''}: {_content(m)} \n"
            for m in messages)
        self.concat_content = "".join(str(_content(m) or "") for m in messages)

    def process_all_content(self) -> tuple[str, str]:
        """(``role: content`` lines, the contents joined)."""
        return self.content, self.concat_content


_INSTEAD = ("the default pre_embedding_func (last_content): gistcache compares the last "
            "question by meaning and keeps the earlier conversation as scope")
SummarizationContextProcess = refused(
    "SummarizationContextProcess", "it downloads a summarisation model at run time", _INSTEAD)
SelectiveContextProcess = refused(
    "SelectiveContextProcess", "it downloads spaCy and GPT-2 models at run time", _INSTEAD)
