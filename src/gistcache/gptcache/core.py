"""GPTCache's ``Cache`` and default ``cache``, each backed by a native :class:`gistcache.Cache`.

``cache.init(...)`` translates GPTCache's parts (embedding function, data manager, similarity
evaluation, pre/post processors, config) into gistcache's and builds the native cache at once,
so that a bad combination fails there with one clear error. Importing this module creates
nothing: the default ``cache`` builds its native cache (exact matches in ``./gistcache-data``,
GPTCache's default behaviour) on first use if ``init`` was never called.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import random
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._cache import Cache as NativeCache
from .._errors import ConfigError, EmbedderError, IncompatibleParts, InvalidRequest
from .._types import CacheRequest, Candidate, Scope
from ..config import DEFAULT_THRESHOLD
from ..config import Config as NativeConfig
from ..embedders import Embedder
from ..evaluators import Evaluator
from ..media import LocalObjectStore, ObjectStore
from ..processors import PostProcessor
from ..requests import chat_request, completion_request
from .config import Config
from .embedding import Onnx
from .embedding.string import to_embeddings as string_embedding
from .manager.factory import DEFAULT_DATA_DIR, CacheBase, DataManager
from .processor import post, pre
from .similarity_evaluation import ExactMatchEvaluation, SearchDistanceEvaluation

__all__ = ["Cache", "cache", "cache_all"]


def cache_all(*args: Any, **kwargs: Any) -> bool:
    """GPTCache's default ``cache_enable_func``: cache every request."""
    return True


_PRE = {pre.last_content: "last_user", pre.all_content: "all_user", pre.get_prompt: "last_user"}
_POST: dict[Callable[..., Any], str] = {
    post.temperature_softmax: "temperature_softmax", post.first: "first",
    post.random_one: "random", post.nop: "first",
}


class _FunctionEmbedder(Embedder):
    """A GPTCache embedding function (text -> vector) as a gistcache embedder."""

    def __init__(self, func: Callable[..., Any], dimension: int) -> None:
        self.func = func
        self.dimension = dimension
        qual = getattr(func, "__qualname__", type(func).__name__)
        self.name = f"function:{getattr(func, '__module__', '?')}.{qual}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Call the function once per text and normalise (gistcache compares by cosine)."""
        rows = []
        for text in texts:
            try:
                vec = np.asarray(self.func(text), dtype=np.float32).reshape(-1)
            except Exception as exc:  # the user's function: any failure is an embedder fault
                raise EmbedderError(f"embedding function {self.name} failed: {exc}") from exc
            if vec.shape != (self.dimension,):
                raise EmbedderError(f"embedding function {self.name} returned {vec.size} "
                                    f"numbers, but the VectorBase dimension is {self.dimension}")
            norm = float(np.linalg.norm(vec))
            if not np.isfinite(norm) or norm == 0.0:
                raise EmbedderError(f"embedding function {self.name} returned a zero or "
                                    "non-finite vector")
            rows.append(vec / norm)
        return np.stack(rows).astype(np.float32) if rows else \
            np.zeros((0, self.dimension), np.float32)


def _custom_post(func: Callable[..., Any]) -> PostProcessor:
    """A GPTCache post-processor (answers -> one answer) as a gistcache one."""

    def choose(candidates: Sequence[Candidate], temperature: float, rng: random.Random
               ) -> Candidate:
        answers = [c.entry.answer for c in candidates]
        chosen = func(answers)
        for cand in candidates:
            if cand.entry.answer == chosen:
                return cand
        return candidates[0]

    return choose


@dataclasses.dataclass
class _Parts:
    """What ``init`` was given, kept so that ``config`` can be changed afterwards."""

    evaluation: Any
    pre_func: Callable[..., Any]
    enable: Callable[..., bool]


class Cache:
    """GPTCache's cache object; :attr:`native` is the :class:`gistcache.Cache` behind it.

    ``background=False`` leaves periodic work (flushing hit counts, saving the index) to
    explicit :meth:`flush` calls, for tests.
    """

    def __init__(self, *, background: bool = True) -> None:
        self.background = background
        self._native: NativeCache | None = None
        self._parts = _Parts(ExactMatchEvaluation(), pre.last_content, cache_all)
        self._config = Config()
        self._lock = threading.RLock()
        self._objects: ObjectStore | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.next_cache: Cache | None = None

    def __repr__(self) -> str:
        state = "not initialised" if self._native is None else repr(self._native.config.data_dir)
        return f"<gistcache.gptcache.Cache {state}>"

    # -- init -------------------------------------------------------------------------------

    def init(
        self,
        cache_enable_func: Callable[..., bool] = cache_all,
        pre_embedding_func: Callable[..., Any] = pre.last_content,
        pre_func: Callable[..., Any] | None = None,
        embedding_func: Callable[..., Any] | Embedder | None = None,
        data_manager: DataManager | None = None,
        similarity_evaluation: Any = None,
        post_process_messages_func: Callable[..., Any] = post.temperature_softmax,
        post_func: Callable[..., Any] | None = None,
        config: Config | None = None,
        next_cache: Cache | None = None,
    ) -> None:
        """Build the native cache from GPTCache-style parts (see the module docstring).

        With no arguments it caches exact repeats in ``./gistcache-data``. A semantic cache
        needs ``embedding_func`` and ``similarity_evaluation=SearchDistanceEvaluation()``;
        GPTCache's default evaluation, :class:`ExactMatchEvaluation`, serves exact repeats only.
        """
        config = config if config is not None else Config()
        if not isinstance(config, Config):
            raise ConfigError(f"config must be a gistcache.gptcache.Config, got "
                              f"{type(config).__name__}")
        pre_fn = pre_func if pre_func is not None else pre_embedding_func
        post_fn = post_func if post_func is not None else post_process_messages_func
        evaluation = similarity_evaluation if similarity_evaluation is not None \
            else ExactMatchEvaluation()
        if next_cache is not None and not isinstance(next_cache, Cache):
            raise ConfigError("next_cache must be another gistcache.gptcache.Cache")
        if next_cache is self:
            raise ConfigError("next_cache cannot be the cache itself")
        for label, fn in (("cache_enable_func", cache_enable_func), ("pre_embedding_func", pre_fn),
                          ("post_process_messages_func", post_fn)):
            if not callable(fn):
                raise ConfigError(f"{label} must be callable, got {type(fn).__name__}")
        parts = _Parts(evaluation, pre_fn, cache_enable_func)
        native = self._build(parts, embedding_func, data_manager, post_fn, config, next_cache)
        with self._lock:
            old, self._native = self._native, native
            self._parts, self._config, self.next_cache = parts, config, next_cache
            self._objects = None
        if old is not None:
            old.close()
        _close_at_exit(self)

    def _build(
        self,
        parts: _Parts,
        embedding_func: Callable[..., Any] | Embedder | None,
        data_manager: DataManager | None,
        post_fn: Callable[..., Any],
        config: Config,
        next_cache: Cache | None,
    ) -> NativeCache:
        evaluation = parts.evaluation
        exact = isinstance(evaluation, ExactMatchEvaluation)
        if not exact and not isinstance(evaluation, (SearchDistanceEvaluation, Evaluator)):
            raise ConfigError(f"similarity_evaluation {type(evaluation).__name__} is not "
                              "supported; use SearchDistanceEvaluation or ExactMatchEvaluation "
                              "(or a gistcache Evaluator)")
        if data_manager is None:
            # GPTCache's default kept a file in the working directory; ours is a directory.
            data_manager = DataManager(CacheBase("sqlite"), None, data_dir=DEFAULT_DATA_DIR)
        if not isinstance(data_manager, DataManager):
            raise ConfigError("data_manager must come from get_data_manager() or "
                              "manager_factory()")
        vector = data_manager.vector_base
        embedder = None if exact else self._embedder(embedding_func, vector, evaluation)
        index = None
        if embedder is not None:
            from ..index import InMemoryIndex

            index = InMemoryIndex(vector.dimension if vector is not None and vector.dimension
                                  else embedder.dimension)
        store = data_manager.cache_base
        native_cfg = NativeConfig(
            data_dir=data_manager.data_dir,
            store_url=store.url if store is not None else None,
            similarity_threshold=self._cosine(evaluation, config),
            top_k=vector.top_k if vector is not None and vector.top_k else NativeConfig.top_k,
            max_entries=data_manager.max_size,
            eviction=data_manager.eviction,
            preprocess=_PRE.get(parts.pre_func, "last_user"),
        )
        postprocess: str | PostProcessor = _POST[post_fn] if post_fn in _POST \
            else _custom_post(post_fn)
        try:
            return NativeCache(
                native_cfg,
                embedder=embedder,
                index=index,
                evaluator=evaluation if isinstance(evaluation, Evaluator) else None,
                postprocess=postprocess,
                next_cache=next_cache.native if next_cache is not None else None,
                exact_only=embedder is None,
                background=self.background,
            )
        except IncompatibleParts as exc:
            hint = ""
            if vector is not None and embedder is not None and vector.dimension \
                    and vector.dimension != embedder.dimension:
                hint = (f" (VectorBase({vector.name!r}, dimension={vector.dimension}) but the "
                        f"embedding makes {embedder.dimension}-dimensional vectors: pass "
                        "dimension=<embedding>.dimension)")
            raise IncompatibleParts(f"{exc}{hint}") from exc

    @staticmethod
    def _embedder(func: Callable[..., Any] | Embedder | None, vector: Any,
                  evaluation: Any) -> Embedder:
        if func is None or func is string_embedding:
            raise IncompatibleParts(
                f"{type(evaluation).__name__} compares embeddings, but no embedding_func turns "
                "text into vectors: pass embedding_func=Onnx().to_embeddings (or use "
                "ExactMatchEvaluation)")
        if isinstance(func, Embedder):
            return func
        owner = getattr(func, "__self__", None)
        if isinstance(owner, Onnx) and getattr(func, "__func__", None) is Onnx.to_embeddings:
            return owner.embedder  # run our embedder directly, in batches
        if not callable(func):
            raise ConfigError(f"embedding_func must be callable, got {type(func).__name__}")
        dimension = vector.dimension if vector is not None else None
        if not dimension:
            raise ConfigError("a custom embedding_func needs the vector dimension: use "
                              "VectorBase(..., dimension=d) or "
                              "manager_factory(..., vector_params={'dimension': d})")
        return _FunctionEmbedder(func, dimension)

    @staticmethod
    def _cosine(evaluation: Any, config: Config) -> float:
        t = config.similarity_threshold
        if t is None or not isinstance(evaluation, SearchDistanceEvaluation):
            return DEFAULT_THRESHOLD
        return evaluation.cosine_threshold(t)

    # -- state ------------------------------------------------------------------------------

    @property
    def native(self) -> NativeCache:
        """The gistcache cache (built with ``init()``'s defaults if ``init`` was not called)."""
        native = self._native
        if native is None:
            with self._lock:
                if self._native is None:
                    self.init()
                native = self._native
                assert native is not None
        return native

    @property
    def config(self) -> Config:
        """The GPTCache-style settings; assigning new ones applies their threshold at once."""
        return self._config

    @config.setter
    def config(self, value: Config) -> None:
        if not isinstance(value, Config):
            raise ConfigError(f"config must be a gistcache.gptcache.Config, got "
                              f"{type(value).__name__}")
        with self._lock:
            self._config = value
            native = self._native
            evaluation = self._parts.evaluation
            if native is None or isinstance(evaluation, Evaluator) or native.exact_only:
                return
            native.set_threshold(self._cosine(evaluation, value))

    @property
    def objects(self) -> ObjectStore:
        """Where generated images are kept: ``<data_dir>/objects``."""
        with self._lock:
            if self._objects is None:
                native = self.native
                if native.config.in_memory:
                    self._tmp = tempfile.TemporaryDirectory(prefix="gistcache-objects-")
                    root = self._tmp.name
                else:
                    root = os.path.join(native.config.data_dir, "objects")
                self._objects = LocalObjectStore(root)
            return self._objects

    def set_openai_key(self) -> None:
        """Use ``OPENAI_API_KEY`` for the adapters' upstream calls (GPTCache's API)."""
        from .adapter import openai as adapter

        adapter.api_key = os.environ.get("OPENAI_API_KEY")

    def enabled(self, *args: Any, **kwargs: Any) -> bool:
        """Whether ``cache_enable_func`` lets this request use the cache."""
        return bool(self._parts.enable(*args, **kwargs))

    # -- requests ---------------------------------------------------------------------------

    def _custom_key(self, data: Mapping[str, Any], context: Mapping[str, Any] | None) -> str:
        value = self._parts.pre_func(
            data, extra_param=(context or {}).get("pre_embedding_func"),
            prompts=self._config.prompts)
        if not isinstance(value, str):
            raise InvalidRequest(f"pre_embedding_func returned {type(value).__name__}, "
                                 "not the text to compare")
        return value

    def chat_request(self, kwargs: Mapping[str, Any],
                     context: Mapping[str, Any] | None = None) -> CacheRequest:
        """The cache request of a chat call, keyed by this cache's pre-processor."""
        native = self.native
        request = chat_request(kwargs, namespace=native.config.namespace,
                               preprocess=native.config.preprocess)
        if self._parts.pre_func in _PRE:
            return request
        return dataclasses.replace(request, key_text=self._custom_key(kwargs, context),
                                   scope=dataclasses.replace(request.scope, context=""),
                                   context="")

    def completion_request(self, kwargs: Mapping[str, Any],
                           context: Mapping[str, Any] | None = None) -> CacheRequest:
        """The cache request of a completion call (the prompt, or a custom pre-processor's)."""
        request = completion_request(kwargs, namespace=self.native.config.namespace)
        if self._parts.pre_func in _PRE:
            return request
        return dataclasses.replace(request, key_text=self._custom_key(kwargs, context))

    def prompt_request(self, prompt: str, *, temperature: float = 0.0) -> CacheRequest:
        """The cache request of ``adapter.api.get/put``: the prompt in the default scope."""
        native = self.native
        key = prompt if self._parts.pre_func in _PRE else self._custom_key({"prompt": prompt},
                                                                           None)
        return CacheRequest(key, Scope(namespace=native.config.namespace),
                            temperature=temperature)

    # -- management -------------------------------------------------------------------------

    def import_data(self, questions: Sequence[str], answers: Sequence[str]) -> None:
        """Store question/answer pairs (GPTCache's API)."""
        if len(questions) != len(answers):
            raise InvalidRequest(f"{len(questions)} questions but {len(answers)} answers")
        native = self.native
        for question, answer in zip(questions, answers, strict=True):
            native.put_request(self.prompt_request(question), answer)

    def flush(self) -> None:
        """Write batched hit counts and save the index now."""
        if self._native is not None:
            self._native.flush()
            self._native.save()

    def close(self) -> None:
        """Close the native cache; the next use builds it again."""
        with self._lock:
            native, self._native = self._native, None
            self._objects = None
            tmp, self._tmp = self._tmp, None
        if native is not None:
            native.close()
        if tmp is not None:
            tmp.cleanup()


_AT_EXIT: weakref.WeakSet[Cache] = weakref.WeakSet()
_AT_EXIT_LOCK = threading.Lock()
_REGISTERED: list[bool] = []


def _close_at_exit(obj: Cache) -> None:
    # Closing saves the index and batched hit counts (the rows are durable anyway).
    with _AT_EXIT_LOCK:
        _AT_EXIT.add(obj)
        if not _REGISTERED:
            atexit.register(_close_all)
            _REGISTERED.append(True)


def _close_all() -> None:
    for obj in list(_AT_EXIT):
        obj.close()


#: the default cache of GPTCache's API (nothing is built until it is used)
cache = Cache()
