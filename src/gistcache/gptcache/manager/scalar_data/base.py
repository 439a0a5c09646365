"""GPTCache's data types: what an adapter stores (``Answer``) and what an evaluation reads
(``CacheData``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

__all__ = ["Answer", "CacheData", "DataType", "Question", "QuestionDep"]


class DataType(IntEnum):
    """The kind of a stored answer."""

    STR = 0
    IMAGE_BASE64 = 1
    IMAGE_URL = 2


@dataclass
class Answer:
    """An answer and its kind (``update_cache_func(Answer(text, DataType.STR))``)."""

    answer: Any
    answer_type: int = DataType.STR


@dataclass
class QuestionDep:
    """A part of a multimodal question (an image's name or bytes...)."""

    name: str
    data: str
    dep_type: int = DataType.STR

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> QuestionDep:
        """From ``{"name", "data", "dep_type"}``."""
        return cls(name=d["name"], data=d["data"], dep_type=d["dep_type"])


@dataclass
class Question:
    """A question with parts (GPTCache's multimodal questions)."""

    content: str
    deps: list[QuestionDep] | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Question:
        """From ``{"content", "deps": [...]}``."""
        return cls(d["content"], [QuestionDep.from_dict(x) for x in d.get("deps") or []])


@dataclass
class CacheData:
    """A stored entry as an evaluation sees it: question, answers, embedding, times."""

    question: Any
    answers: list[Answer] = field(default_factory=list)
    embedding_data: Any = None
    session_id: Any = None
    create_on: datetime.datetime | None = None
    last_access: datetime.datetime | None = None

    def __post_init__(self) -> None:
        raw = self.answers
        items: Sequence[Any] = [raw] if isinstance(raw, (str, bytes, Answer)) else raw
        self.answers = [a if isinstance(a, Answer) else Answer(*a)
                        if isinstance(a, (list, tuple)) else Answer(a) for a in items]
