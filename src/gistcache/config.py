"""Settings from code, the environment (``GISTCACHE_*``) and YAML files (safe loader only)."""

from __future__ import annotations

import dataclasses
import math
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import ConfigError

__all__ = [
    "DEFAULT_MULTILINGUAL_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "THRESHOLD_WITHOUT_VERIFIER",
    "Config",
    "coerce_settings",
    "read_yaml_settings",
]

#: default cosine threshold of the semantic tier: the bar a candidate must clear before the
#: identifiers, the word-list guards and the pair verifier judge it. 0.75 gained recall on the
#: tuning split for one wrong hit more there, but on the held-out QQP report split it added 8
#: wrong hits to 16 (the token head, trained on QQP tuning ids, is more confident than it should be
#: on unrelated questions below cosine 0.8): kept at 0.80. See
#: benchmarks/results/verifier_experiments.md. Without the verifier, see
#: THRESHOLD_WITHOUT_VERIFIER.
DEFAULT_THRESHOLD = 0.80
#: the default when the verifier does not run (turned off, or another embedder): cosine +
#: guards alone reach precision 0.98 on the chatbot tuning split at 0.8625
THRESHOLD_WITHOUT_VERIFIER = 0.865
#: the bar of the multilingual route (Korean, ...): unrelated questions score about 0.8 there
DEFAULT_MULTILINGUAL_THRESHOLD = 0.90
#: with the verifier on, a candidate under the cosine bar still reaches it when the two texts share
#: this much of their character trigrams (a misspelt question; cosine at least SPELLING_FLOOR).
#: Chosen on the tuning split: chatbot recall 0.692 -> 0.722, no new wrong hit on any tuning set
#: (0.6 adds one on QQP); benchmarks/results/verifier_experiments.md
DEFAULT_SPELLING = 0.7
SPELLING_FLOOR = 0.4


@dataclass
class Config:
    """Every setting of a cache. Thresholds are cosine similarities in [-1, 1]."""

    #: where the SQLite file and the index live; ":memory:" keeps everything in memory
    data_dir: str = "./gistcache-data"
    #: SQLAlchemy URL of the entry store; default: SQLite in ``data_dir``
    store_url: str | None = None
    #: URL of a vector index shared by replicas: ``postgresql+psycopg://...`` is pgvector (HNSW,
    #: cosine, table ``gistcache_vectors``), ``qdrant://host:6333`` Qdrant (``qdrant+local:///dir``
    #: or ``qdrant+memory://`` its in-process mode), ``milvus://host:19530`` Milvus
    #: (``milvus+lite:///file.db`` Milvus Lite); default: an in-process index saved in ``data_dir``
    index_url: str | None = None
    #: Redis/Valkey URL of a shared exact tier (with native TTL) and of in-flight markers that
    #: coalesce identical misses across replicas; default: none
    redis_url: str | None = None
    #: the prefix of this cache's Redis keys (caches sharing one Redis database need their own)
    redis_prefix: str = "gistcache:"
    #: "auto" (the default: English on all-MiniLM-L6-v2, other scripts on multilingual-e5-small),
    #: "onnx" (all-MiniLM-L6-v2 only), "e5" (multilingual-e5-small only), "sentence-transformers"
    #: (a local model directory in ``embedder_model``), "openai" (an OpenAI-compatible
    #: ``/v1/embeddings`` at ``embedder_url`` with ``embedder_model``) or "hash" (exact only)
    embedder: str = "auto"
    #: the model of the "sentence-transformers" (a directory) or "openai" embedder
    embedder_model: str | None = None
    #: base URL of the "openai" embedder (default https://api.openai.com/v1)
    embedder_url: str | None = None
    #: cosine bar of the semantic tier (None: DEFAULT_THRESHOLD with the verifier,
    #: THRESHOLD_WITHOUT_VERIFIER without it)
    similarity_threshold: float | None = None
    #: the cosine bar of requests on the multilingual route (None: DEFAULT_MULTILINGUAL_THRESHOLD);
    #: multilingual-e5-small's cosines sit higher than all-MiniLM-L6-v2's
    multilingual_threshold: float | None = None
    #: how many nearest entries the semantic tier evaluates
    top_k: int = 5
    #: word-list guards run before the pair verifier (None = all; empty = none)
    guards: list[str] | None = None
    #: run the learned verifier after the guards (only with the default embedder)
    verifier: bool = True
    #: the verifier's bar, a probability (None = the one shipped with its model)
    verifier_threshold: float | None = None
    max_entries: int | None = None
    max_bytes: int | None = None
    eviction: str = "lru"
    #: seconds an entry lives (None = until evicted)
    ttl: float | None = None
    namespace: str = "default"
    #: how chat messages become key text: last_user, all_user, last_user_only
    preprocess: str = "last_user"
    #: how similar (cosine) an earlier turn must be to a turn of a stored conversation to be
    #: its counterpart (which the pair verifier then compares)
    context_threshold: float = 0.8
    #: how one of several accepted candidates is chosen: temperature_softmax, best, first, random
    postprocess: str = "temperature_softmax"
    #: bytes of entries kept in process memory for fast hits (the store stays the truth)
    memory_bytes: int = 64 * 1024 * 1024
    #: seconds between picking up other processes' writes and deletes
    sync_interval: float = 1.0
    #: seconds between writing batched hit counts to the store
    flush_interval: float = 1.0
    #: seconds between saving the index to ``data_dir``
    save_interval: float = 30.0
    sqlite_synchronous: str = "NORMAL"
    #: USD per million tokens (input, output) by model-name prefix; None = built-in table
    prices: dict[str, tuple[float, float]] | None = None
    #: cosine added to an entry's bar per reported wrong hit; wrong hits that stop paraphrases
    feedback_step: float = 0.03
    feedback_max_wrong: int = 3
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.similarity_threshold is not None and not -1.0 <= float(
                self.similarity_threshold) <= 1.0:
            raise ConfigError(
                f"similarity_threshold is a cosine similarity in [-1, 1], got "
                f"{self.similarity_threshold!r}"
            )
        if not _whole(self.top_k) or self.top_k < 1:
            raise ConfigError(f"top_k must be an integer >= 1, got {self.top_k!r}")
        for name in ("sync_interval", "flush_interval", "save_interval"):
            if not _finite(getattr(self, name)) or getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be a finite number of seconds > 0, got "
                                  f"{getattr(self, name)!r}")
        if self.ttl is not None and (not _finite(self.ttl) or self.ttl <= 0):
            # NaN compares false with everything: its entries would never expire
            raise ConfigError(f"ttl must be a finite number of seconds > 0 or None, got "
                              f"{self.ttl!r}")
        for name in ("max_entries", "max_bytes"):
            value = getattr(self, name)
            if value is not None and (not _whole(value) or value < 1):
                raise ConfigError(f"{name} must be an integer >= 1 or None (no limit), got "
                                  f"{value!r}")
        if not _whole(self.memory_bytes) or self.memory_bytes < 0:
            raise ConfigError(f"memory_bytes must be an integer >= 0, got {self.memory_bytes!r}")
        for name in ("multilingual_threshold", "context_threshold"):
            value = getattr(self, name)
            if value is not None and (not _finite(value) or not -1.0 <= value <= 1.0):
                raise ConfigError(f"{name} is a cosine similarity in [-1, 1], got {value!r}")
        if self.verifier_threshold is not None and (
                not _finite(self.verifier_threshold) or not 0.0 <= self.verifier_threshold <= 1.0):
            raise ConfigError(f"verifier_threshold is a probability in [0, 1], got "
                              f"{self.verifier_threshold!r}")

    @property
    def in_memory(self) -> bool:
        """True when nothing is written to disk."""
        return self.data_dir == ":memory:"

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    # -- sources ------------------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "settings") -> Config:
        """Build from a mapping; an unknown key is an error that names it."""
        return cls(**_coerce_all(data, source))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Config:
        """Load a YAML file (safe loader: no Python objects can be constructed)."""
        return cls.from_mapping(read_yaml_settings(path), source=str(path))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, base: Config | None = None
                 ) -> Config:
        """Apply ``GISTCACHE_<SETTING>`` variables on top of ``base`` (or the defaults)."""
        env = os.environ if environ is None else environ
        names = {f.name for f in dataclasses.fields(cls)} - {"extra", "prices"}
        found = {}
        for key, value in env.items():
            if key.startswith("GISTCACHE_"):
                name = key[len("GISTCACHE_"):].lower()
                if name in names:
                    found[name] = value
        current = dataclasses.asdict(base) if base is not None else {}
        current.update(_coerce_all(found, "environment"))
        return cls(**current)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Config:
        """Defaults, then a YAML file, then the environment, then keyword overrides."""
        base = cls.from_yaml(path) if path is not None else cls()
        merged = cls.from_env(base=base)
        return merged.replace(**_coerce_all(overrides, "arguments")) if overrides else merged


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _finite(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


_HINTS: dict[str, Any] | None = None


def _hints() -> dict[str, Any]:
    global _HINTS
    if _HINTS is None:
        _HINTS = typing.get_type_hints(Config)
    return _HINTS


def read_yaml_settings(path: str | Path) -> dict[str, Any]:
    """A YAML file of settings as a dict (safe loader: no Python objects can be constructed)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of settings")
    return data


def _coerce_all(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    return coerce_settings(data, _hints(), source=source)


def coerce_settings(data: Mapping[str, Any], hints: Mapping[str, Any], *, source: str,
                    kind: str = "setting") -> dict[str, Any]:
    """Check names and convert values (environment strings, YAML data) to the hinted types.

    An unknown name or an unusable value is a :class:`ConfigError` naming it; the value of a
    setting whose name ends in ``_key`` is never echoed.
    """
    out = {}
    for key, value in data.items():
        if key not in hints:
            raise ConfigError(f"unknown {kind} {key!r} in {source}; known: "
                              f"{', '.join(sorted(hints))}")
        try:
            out[key] = _coerce(key, value, hints[key])
        except (TypeError, ValueError, IndexError) as exc:
            shown = "<hidden>" if key.endswith("_key") else repr(value)
            raise ConfigError(f"{kind} {key!r} from {source}: cannot use {shown}: {exc}"
                              ) from exc
    return out


def _coerce(name: str, value: Any, hint: Any) -> Any:
    """Convert one value to the setting's type (ValueError when it cannot be)."""
    args = typing.get_args(hint)
    if type(None) in args:
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
            return None
        hint = next(a for a in args if a is not type(None))
    origin = typing.get_origin(hint) or hint
    if origin is bool:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("1", "true", "yes", "on"):
                return True
            if word in ("0", "false", "no", "off"):
                return False
        elif isinstance(value, bool):
            return value
        raise ValueError("expected true or false")
    if origin in (int, float):
        if isinstance(value, bool):
            raise ValueError("a boolean is not a number")
        if origin is int and isinstance(value, float) and not value.is_integer():
            raise ValueError("expected a whole number")
        return origin(value)
    if origin is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError(f"expected text, got {type(value).__name__}")
        return str(value)
    if origin is list:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return [str(v) for v in value]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ValueError("expected a mapping")
        if name == "prices":
            return {str(k): (float(v[0]), float(v[1])) for k, v in value.items()}
        return dict(value)
    return value
