"""gistcache: a fast, correct semantic cache for LLM APIs.

Exact repeats are answered by hash, paraphrases by verified embedding similarity, everything
else by the model (and stored). Importing gistcache has no side effects: nothing is loaded,
created or started until a :class:`Cache` is built.
"""

from ._cache import Answer, Cache
from ._errors import (
    CacheFault,
    ConfigError,
    EmbedderError,
    GistcacheError,
    IncompatibleParts,
    IndexError_,
    InvalidRequest,
    MissingExtra,
    StoreError,
)
from ._flow import StreamIncomplete
from ._types import CacheRequest, Candidate, Entry, HitKind, Lookup, Scope
from .config import DEFAULT_THRESHOLD, Config
from .requests import chat_request, completion_request

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_THRESHOLD",
    "Answer",
    "Cache",
    "CacheFault",
    "CacheRequest",
    "Candidate",
    "Config",
    "ConfigError",
    "EmbedderError",
    "Entry",
    "GistcacheError",
    "HitKind",
    "IncompatibleParts",
    "IndexError_",
    "InvalidRequest",
    "Lookup",
    "MissingExtra",
    "Scope",
    "StoreError",
    "StreamIncomplete",
    "chat_request",
    "completion_request",
]
