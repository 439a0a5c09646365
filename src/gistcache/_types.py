"""The values that travel along the request path: request, scope, entry, candidate, result."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ._errors import InvalidRequest

__all__ = [
    "MAX_ID",
    "CacheRequest",
    "Candidate",
    "Entry",
    "HitKind",
    "Lookup",
    "Scope",
    "check_text",
    "normalize_text",
    "stable_hash",
]


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u2033": '"'})
#: end punctuation that does not change a question: "...Australia?" is "...Australia"
_TRAILING = " \t\n?!.\u2026\u3002\uff1f\uff01~"


#: the largest entry id a store can hold (a signed 64-bit integer)
MAX_ID = 2**63 - 1


def check_text(name: str, value: Any) -> None:
    """Raise :class:`InvalidRequest` naming ``name`` unless ``value`` is a string of Unicode
    text (a lone UTF-16 surrogate such as ``"\\ud800"`` cannot be stored or hashed)."""
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} must be a string, got {type(value).__name__}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidRequest(f"{name} holds a lone UTF-16 surrogate at position "
                                 f"{exc.start}: it is not Unicode text") from None


def _real(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def normalize_text(text: str) -> str:
    """The form compared by the exact tier: NFKC, case-folded, straight quotes, runs of white
    space folded, and end punctuation (``?``, ``!``, ``.``, ``…``, ``？``, ``。``) dropped."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).split())
    stripped = folded.rstrip(_TRAILING)
    return stripped if stripped else folded


def stable_hash(*parts: str) -> str:
    """A hex sha256 of the parts, separated so that ("ab", "c") != ("a", "bc")."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Scope:
    """What must be equal for a stored answer to be reusable at all.

    ``params`` holds the request parameters that change the answer (tools, response format, n,
    max_tokens bucket, stop, seed, ...); ``context`` is a digest of the earlier conversation.
    Entries never cross scopes: the scope is a filter on the search, not a score.
    """

    namespace: str = "default"
    model: str = ""
    system: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    context: str = ""

    def __post_init__(self) -> None:
        for name in ("namespace", "model", "system", "context"):
            check_text(name, getattr(self, name))
        if not isinstance(self.params, Mapping):
            raise InvalidRequest(f"params must be a mapping, got {type(self.params).__name__}")
        if self.params:
            self.key  # noqa: B018 - hashing the params now refuses text that cannot be hashed

    @property
    def key(self) -> str:
        """The partition key: a hash of every field."""
        cached: str | None = self.__dict__.get("_key")
        if cached is None:
            try:
                params = _canonical_json(dict(self.params)).encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InvalidRequest("params hold a lone UTF-16 surrogate: it is not Unicode "
                                     "text") from exc
            except (TypeError, ValueError, RecursionError) as exc:
                raise InvalidRequest(f"params cannot be written as JSON: {exc}") from exc
            cached = stable_hash(self.namespace, self.model, self.system,
                                 params.decode("utf-8"), self.context)
            object.__setattr__(self, "_key", cached)
        return cached

    def to_json(self) -> str:
        """The scope as canonical JSON (stored with each entry for listing and rebuilds)."""
        return _canonical_json(
            {
                "namespace": self.namespace,
                "model": self.model,
                "system": self.system,
                "params": dict(self.params),
                "context": self.context,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Scope:
        """Parse :meth:`to_json` output."""
        data = json.loads(text)
        return cls(
            namespace=data.get("namespace", "default"),
            model=data.get("model", ""),
            system=data.get("system", ""),
            params=data.get("params", {}),
            context=data.get("context", ""),
        )


@dataclass(frozen=True)
class CacheRequest:
    """One question to the cache: the text compared by meaning, in its scope.

    ``key_text`` is what is embedded and compared (by default the last user message);
    ``temperature`` follows the seed: 0 always looks up, >= 2 always skips the cache.
    """

    key_text: str
    scope: Scope = field(default_factory=Scope)
    temperature: float = 0.0
    #: accept only entries at least this similar (may only make matching stricter)
    min_similarity: float | None = None
    #: accept only entries younger than this many seconds
    max_age: float | None = None
    #: match exact repeats only (no embedding): for keys that are hashes, like audio files
    exact: bool = False
    #: the earlier conversation as text; a stored entry matches only if its own means the same
    context: str = ""
    #: the request's own output limit (max_tokens); an answer cut off by a limit is served only
    #: to requests whose limit is no larger
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        check_text("the prompt", self.key_text)
        check_text("context", self.context)
        if not self.key_text.strip():
            raise InvalidRequest("the prompt is empty: there is nothing to look up or store")
        if not isinstance(self.temperature, (int, float)) or not 0 <= self.temperature <= 2:
            raise InvalidRequest(
                f"temperature must be a number in [0, 2], got {self.temperature!r}"
            )
        if self.min_similarity is not None and (
                not _real(self.min_similarity) or not -1.0 <= self.min_similarity <= 1.0):
            raise InvalidRequest(f"min_similarity is a cosine similarity in [-1, 1], got "
                                 f"{self.min_similarity!r}")
        if self.max_age is not None and (not _real(self.max_age) or not self.max_age >= 0):
            # NaN compares false with every age: the bar would silently refuse every entry
            raise InvalidRequest(f"max_age must be a number of seconds >= 0, got "
                                 f"{self.max_age!r}")

    @property
    def normalized(self) -> str:
        """The key text as the exact tier compares it."""
        return normalize_text(self.key_text)

    @property
    def exact_key(self) -> str:
        """Hash of (scope, normalized conversation, normalized key text): the exact tier's key."""
        cached: str | None = self.__dict__.get("_exact_key")
        if cached is None:
            cached = stable_hash(self.scope.key, normalize_text(self.context), self.normalized)
            object.__setattr__(self, "_exact_key", cached)
        return cached


class HitKind(str, Enum):
    """How a lookup was answered."""

    EXACT = "hit-exact"
    SEMANTIC = "hit-semantic"
    MISS = "miss"
    BYPASS = "bypass"


@dataclass
class Entry:
    """One stored answer: the row in the entry store is the source of truth."""

    id: int
    scope_key: str
    exact_key: str
    key_text: str
    answer: str
    scope_json: str = "{}"
    #: extra structured data of the answer (tool calls, finish reason, usage, content parts)
    payload: dict[str, Any] | None = None
    embedding: bytes | None = field(default=None, repr=False)
    created_at: float = 0.0
    accessed_at: float = 0.0
    expires_at: float | None = None
    hits: int = 0
    size: int = 0
    wrong_hits: int = 0
    model: str = ""
    namespace: str = "default"
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: the conversation the question was asked in (empty for a first question)
    context: str = ""


@dataclass(frozen=True)
class Candidate:
    """An entry found by the semantic tier, with its cosine similarity to the request."""

    entry: Entry
    similarity: float


@dataclass(frozen=True)
class Lookup:
    """The outcome of a lookup: the hit kind and, on a hit, the entry served."""

    kind: HitKind
    entry: Entry | None = None
    similarity: float | None = None
    #: why a candidate was refused or why the cache was bypassed (for logs and debugging)
    reason: str = ""

    @property
    def hit(self) -> bool:
        """True when an answer came from the cache."""
        return self.kind in (HitKind.EXACT, HitKind.SEMANTIC)

    @property
    def answer(self) -> str | None:
        """The stored answer on a hit, else None."""
        return self.entry.answer if self.entry is not None and self.hit else None
