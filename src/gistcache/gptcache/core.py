"""GPTCache's ``Cache`` and default ``cache``, each backed by a native :class:`gistcache.Cache`.

``cache.init(...)`` translates GPTCache's parts (embedding function, data manager, similarity
evaluation, pre/post processors, config) into gistcache's and builds the native cache at once,
so that a bad combination fails there with one clear error. Importing this module creates
nothing: the default ``cache`` builds its native cache (exact matches in ``./gistcache-data``,
GPTCache's default behaviour) on first use if ``init`` was never called.
"""

from __future__ import annotations

import atexit
import contextvars
import dataclasses
import json
import logging
import os
import random
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._cache import Answer
from .._cache import Cache as NativeCache
from .._errors import IncompatibleParts, InvalidRequest
from .._types import CacheRequest, Candidate, Entry, HitKind, Lookup, Scope, stable_hash
from ..config import Config as NativeConfig
from ..embedders import Embedder
from ..evaluators import Evaluator, Pipeline, default_evaluator
from ..index import VectorIndex
from ..media import LocalObjectStore, ObjectStore
from ..metrics import Metrics
from ..processors import POSTPROCESSORS, PostProcessor
from ..requests import chat_request, completion_request
from ._parts import (
    GPTCACHE_THRESHOLD,
    FunctionEmbedder,
    RankEvaluator,
    decode_answer,
    encode_answer,
    is_evaluation,
    plan_evaluation,
)
from .config import Config
from .embedding.string import to_embeddings as string_embedding
from .manager.factory import DEFAULT_DATA_DIR, CacheBase, DataManager
from .processor import post, pre
from .report import Report
from .similarity_evaluation import ExactMatchEvaluation, OnnxModelEvaluation
from .utils.cache_func import cache_all
from .utils.error import ParamError

__all__ = ["Cache", "cache", "cache_all"]

log = logging.getLogger("gistcache.gptcache")

#: GPTCache pre-processors that gistcache runs natively (with the conversation kept as scope)
_PRE = {pre.last_content: "last_user", pre.all_content: "all_user", pre.get_prompt: "last_user"}
#: GPTCache post-processors that gistcache runs natively
_POST: dict[Callable[..., Any], str] = {
    post.temperature_softmax: "temperature_softmax", post.first: "first",
    post.random_one: "random", post.nop: "first",
}
#: native timings -> GPTCache's step names (``Config.log_time_func``) and report counters
_STEPS = {"embed": ("embedding", "embedding"), "search": ("search", "search"),
          "fetch": ("get_data", "data"), "exact_store": ("get_data", "data"),
          "evaluate": ("evaluation", "evaluation"), "put": ("save", "save")}
#: the store meta key set once entries without a scope were stored (see Cache.has_unscoped)
UNSCOPED_META = "gptcache.unscoped"
#: GPTCache's file names, looked for in a data directory to point at the importer
_GPTCACHE_FILES = ("sqlite.db", "faiss.index", "data_map.txt")

#: the accepted candidates of the lookup running in this context (see :meth:`Cache.search`)
_CAPTURE: contextvars.ContextVar[list[Candidate] | None] = contextvars.ContextVar(
    "gistcache_gptcache_candidates", default=None)


class _Metrics(Metrics):
    """The native cache's metrics, also telling a GPTCache report and ``log_time_func``."""

    def __init__(self, owner: Cache, base: Metrics) -> None:
        super().__init__()
        self.prices = base.prices
        self.counters.update(base.counters)
        self.errors.update(base.errors)
        self._owner = weakref.ref(owner)

    def observe(self, stage: str, seconds: float) -> None:
        super().observe(stage, seconds)
        step = _STEPS.get(stage)
        owner = self._owner()
        if step is not None and owner is not None:
            owner.step(step[0], seconds, step[1])


@dataclasses.dataclass
class _Parts:
    """What ``init`` was given, kept so that ``config`` can be changed afterwards."""

    evaluation: Any
    pre_func: Callable[..., Any]
    enable: Callable[..., bool]
    post_func: Callable[..., Any]
    embedding_func: Any
    rank: RankEvaluator | None = None


class Cache:
    """GPTCache's cache object; :attr:`native` is the :class:`gistcache.Cache` behind it.

    The GPTCache attributes (``cache_enable_func``, ``pre_embedding_func``, ``embedding_func``,
    ``data_manager``, ``similarity_evaluation``, ``post_process_messages_func``, ``config``,
    ``report``, ``next_cache``, ``has_init``) hold what ``init`` was given.
    ``background=False`` leaves periodic work (flushing hit counts, saving the index) to
    explicit :meth:`flush` calls, for tests.
    """

    def __init__(self, *, background: bool = True) -> None:
        self.background = background
        self._native: NativeCache | None = None
        self._parts = _Parts(ExactMatchEvaluation(), pre.last_content, cache_all,
                             post.temperature_softmax, string_embedding)
        self._config = Config()
        self._lock = threading.RLock()
        self._objects: ObjectStore | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.next_cache: Cache | None = None
        self.data_manager: DataManager | None = None
        self.report = Report()
        self.has_init = False
        self._unscoped: tuple[NativeCache, bool] | None = None

    def __repr__(self) -> str:
        state = "not initialised" if self._native is None else repr(self._native.config.data_dir)
        return f"<gistcache.gptcache.Cache {state}>"

    # GPTCache's attribute names for the parts given to init
    @property
    def cache_enable_func(self) -> Callable[..., bool]:
        """Whether a request uses the cache at all."""
        return self._parts.enable

    @property
    def pre_embedding_func(self) -> Callable[..., Any]:
        """Request -> the text compared."""
        return self._parts.pre_func

    @property
    def embedding_func(self) -> Any:
        """Text -> vector (the function given to ``init``)."""
        return self._parts.embedding_func

    @property
    def similarity_evaluation(self) -> Any:
        """The evaluation given to ``init``."""
        return self._parts.evaluation

    @property
    def post_process_messages_func(self) -> Callable[..., Any]:
        """Accepted answers -> the answer served."""
        return self._parts.post_func

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
            raise ParamError(f"config must be a gistcache.gptcache.Config, got "
                             f"{type(config).__name__}")
        pre_fn = pre_func if pre_func is not None else pre_embedding_func
        post_fn = post_func if post_func is not None else post_process_messages_func
        evaluation = similarity_evaluation if similarity_evaluation is not None \
            else ExactMatchEvaluation()
        if next_cache is not None and not isinstance(next_cache, Cache):
            raise ParamError("next_cache must be another gistcache.gptcache.Cache")
        if next_cache is self:
            raise ParamError("next_cache cannot be the cache itself")
        for label, fn in (("cache_enable_func", cache_enable_func), ("pre_embedding_func", pre_fn),
                          ("post_process_messages_func", post_fn)):
            if not callable(fn):
                raise ParamError(f"{label} must be callable, got {type(fn).__name__}")
        parts = _Parts(evaluation, pre_fn, cache_enable_func, post_fn,
                       embedding_func if embedding_func is not None else string_embedding)
        native = self._build(parts, data_manager, config, next_cache)
        with self._lock:
            old, self._native = self._native, native
            self._parts, self._config, self.next_cache = parts, config, next_cache
            self._objects = None
            self.has_init = True
        if old is not None:
            old.close()
        _close_at_exit(self)

    def _build(self, parts: _Parts, data_manager: DataManager | None, config: Config,
               next_cache: Cache | None) -> NativeCache:
        evaluation = parts.evaluation
        exact = isinstance(evaluation, ExactMatchEvaluation)
        if not exact and not isinstance(evaluation, Evaluator) and not is_evaluation(evaluation):
            raise ParamError(f"similarity_evaluation {type(evaluation).__name__} is not a "
                             "similarity evaluation (it needs evaluation() and range()), nor a "
                             "gistcache Evaluator")
        if data_manager is None:
            # GPTCache's default kept a pickle in the working directory; ours is a directory.
            data_manager = DataManager(CacheBase("sqlite"), None, data_dir=DEFAULT_DATA_DIR)
        if not isinstance(data_manager, DataManager):
            raise ParamError("data_manager must come from get_data_manager() or "
                             "manager_factory()")
        vector = data_manager.vector_base
        embedder = None if exact else self._embedder(parts.embedding_func, vector, evaluation)
        evaluator, settings = (None, {}) if exact else plan_evaluation(
            evaluation, config.similarity_threshold, config.verify, embedder)
        parts.rank = None if exact else _scorer(evaluator, evaluation, embedder)
        index: VectorIndex | None = None
        if embedder is not None:
            dimension = (vector.dimension if vector is not None and vector.dimension
                         else embedder.dimension)
            index = vector.open_index(dimension) if vector is not None else None
            if index is None:
                from ..index import InMemoryIndex

                index = InMemoryIndex(dimension)
        store = data_manager.cache_base
        data_dir = data_manager.data_dir
        if data_dir != ":memory:":
            data_dir = os.path.abspath(os.path.expanduser(data_dir))  # the app may chdir later
        native_cfg = NativeConfig(
            data_dir=data_dir,
            store_url=store.url if store is not None else None,
            top_k=vector.top_k if vector is not None and vector.top_k else NativeConfig.top_k,
            max_entries=data_manager.max_size,
            eviction=data_manager.eviction,
            preprocess=_PRE.get(parts.pre_func, "last_user"),
            **settings,
        )
        postprocess: PostProcessor = self._post_processor(parts.post_func)
        try:
            native = NativeCache(
                native_cfg,
                embedder=embedder,
                index=index,
                evaluator=evaluator,
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
        native.metrics = _Metrics(self, native.metrics)
        data_manager.bind(self)
        self.data_manager = data_manager
        _tell_where(native_cfg)
        return native

    @staticmethod
    def _embedder(func: Any, vector: Any, evaluation: Any) -> Embedder:
        if func is None or func is string_embedding:
            raise IncompatibleParts(
                f"{type(evaluation).__name__} compares embeddings, but no embedding_func turns "
                "text into vectors: pass embedding_func=Onnx().to_embeddings (or use "
                "ExactMatchEvaluation)")
        if isinstance(func, Embedder):
            return func
        owner = getattr(func, "__self__", None)
        native = getattr(owner, "embedder", None)
        if isinstance(native, Embedder) and getattr(func, "__name__", "") == "to_embeddings":
            return native  # one of our embedding classes: run its embedder directly, in batches
        if not callable(func):
            raise ParamError(f"embedding_func must be callable, got {type(func).__name__}")
        dimension = vector.dimension if vector is not None else None
        if not dimension:
            raise ParamError("a custom embedding_func needs the vector dimension: use "
                             "VectorBase(..., dimension=d) or "
                             "manager_factory(..., vector_params={'dimension': d})")
        return FunctionEmbedder(func, dimension)

    def _post_processor(self, func: Callable[..., Any]) -> PostProcessor:
        native = POSTPROCESSORS[_POST[func]] if func in _POST else _custom_post(func)

        def choose(candidates: Sequence[Candidate], temperature: float, rng: random.Random
                   ) -> Candidate:
            sink = _CAPTURE.get()
            if sink is not None:
                sink.extend(candidates)
            return native(candidates, temperature, rng)

        return choose

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
    def config(self, value: Config | None) -> None:
        value = value if value is not None else Config()
        if not isinstance(value, Config):
            raise ParamError(f"config must be a gistcache.gptcache.Config, got "
                             f"{type(value).__name__}")
        with self._lock:
            old, self._config = self._config, value
            native = self._native
            if native is None or native.exact_only:
                return
            if (old.similarity_threshold, old.verify) != (value.similarity_threshold,
                                                          value.verify):
                self._retune(native, value)

    def _retune(self, native: NativeCache, config: Config) -> None:
        parts = self._parts
        if isinstance(parts.evaluation, Evaluator):
            return
        evaluator, settings = plan_evaluation(parts.evaluation, config.similarity_threshold,
                                              config.verify, native.embedder)
        native.config = native.config.replace(**settings)
        native.evaluator = evaluator if evaluator is not None \
            else default_evaluator(native.config)
        parts.rank = _scorer(evaluator, parts.evaluation, native.embedder)

    @property
    def objects(self) -> ObjectStore:
        """Where generated images are kept: the ``ObjectBase`` path, else
        ``<data_dir>/objects``."""
        with self._lock:
            if self._objects is None:
                native = self.native
                base = self.data_manager.object_base if self.data_manager is not None else None
                if base is not None and base.path:
                    root = base.path
                elif native.config.in_memory:
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

    def set_azure_openai_key(self) -> None:
        """Use ``AZURE_OPENAI_API_KEY`` and ``AZURE_OPENAI_ENDPOINT`` for the upstream calls.

        The adapters call Azure's OpenAI-compatible ``/openai/v1`` API at that endpoint.
        """
        from .adapter import openai as adapter

        adapter.api_key = os.environ.get("AZURE_OPENAI_API_KEY")
        endpoint = os.environ.get("AZURE_OPENAI_ENDPOINT")
        if endpoint:
            adapter.api_base = endpoint.rstrip("/") + "/openai/v1"

    def enabled(self, *args: Any, **kwargs: Any) -> bool:
        """Whether ``cache_enable_func`` lets this request use the cache."""
        return bool(self._parts.enable(*args, **kwargs))

    # -- timing -----------------------------------------------------------------------------

    def step(self, name: str, seconds: float, counter: str | None = None) -> None:
        """Record one step of a request in :attr:`report` and tell ``log_time_func``."""
        op = getattr(self.report, f"op_{counter or name}", None)
        if op is not None:
            op.add(seconds)
        log_time = self._config.log_time_func
        if log_time is not None:
            log_time(name, seconds)

    def timed(self, name: str, counter: str, func: Callable[..., Any], *args: Any,
              **kwargs: Any) -> Any:
        """``func(*args, **kwargs)``, recorded as step ``name`` (see :meth:`step`)."""
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            self.step(name, time.perf_counter() - start, counter)

    # -- requests ---------------------------------------------------------------------------

    @property
    def native_pre(self) -> bool:
        """Whether the pre-processor is one gistcache runs itself (with conversation scope)."""
        return self._parts.pre_func in _PRE

    def pre_process(self, data: Mapping[str, Any], context: Mapping[str, Any] | None) -> Any:
        """The pre-processor's result for a request (GPTCache's arguments)."""
        return self.timed("pre_process", "pre", self._parts.pre_func, data,
                          extra_param=(context or {}).get("pre_embedding_func"),
                          prompts=self._config.prompts, cache_config=self._config)

    def key_request(self, key: Any, scope: Scope, *, temperature: float = 0.0
                    ) -> CacheRequest | None:
        """The cache request of a pre-processor's result in ``scope`` (None: not cacheable).

        Text is compared by meaning; a pair ``(stored, compared)`` compares its second part;
        bytes and other data are matched exactly, by a hash.
        """
        if isinstance(key, tuple) and len(key) == 2:
            key = key[1]
        temperature = min(2.0, max(0.0, float(temperature or 0.0)))
        if isinstance(key, str):
            if not key.strip():
                return None
            return CacheRequest(key, scope, temperature=temperature)
        if key is None:
            return None
        if isinstance(key, (bytes, bytearray)):
            digest = stable_hash("bytes", bytes(key).hex())
        else:
            try:
                digest = stable_hash("json", json.dumps(key, sort_keys=True, default=repr))
            except (TypeError, ValueError):
                digest = stable_hash("repr", repr(key))
        return CacheRequest(f"sha256:{digest}", scope, temperature=temperature, exact=True)

    def _custom(self, request: CacheRequest, data: Mapping[str, Any],
                context: Mapping[str, Any] | None) -> CacheRequest | None:
        scope = dataclasses.replace(request.scope, context="")
        return self.key_request(self.pre_process(data, context), scope,
                                temperature=request.temperature)

    def chat_request(self, kwargs: Mapping[str, Any],
                     context: Mapping[str, Any] | None = None) -> CacheRequest | None:
        """The cache request of a chat call, keyed by this cache's pre-processor."""
        native = self.native
        if self.native_pre:
            keyed: CacheRequest = self.timed("pre_process", "pre", chat_request, kwargs,
                                             namespace=native.config.namespace,
                                             preprocess=native.config.preprocess)
            return keyed
        request = chat_request(kwargs, namespace=native.config.namespace, preprocess="last_user")
        return self._custom(request, kwargs, context)

    def completion_request(self, kwargs: Mapping[str, Any],
                           context: Mapping[str, Any] | None = None) -> CacheRequest | None:
        """The cache request of a completion call (the prompt, or a custom pre-processor's)."""
        if self.native_pre:
            keyed: CacheRequest = self.timed("pre_process", "pre", completion_request, kwargs,
                                             namespace=self.native.config.namespace)
            return keyed
        return self._custom(completion_request(kwargs, namespace=self.native.config.namespace),
                            kwargs, context)

    def prompt_scope(self, **params: Any) -> Scope:
        """The scope of ``adapter.api.get/put`` and ``import_data``: no model, no parameters
        (besides ``params``)."""
        return Scope(namespace=self.native.config.namespace, params=params)

    def prompt_request(self, prompt: Any, *, temperature: float = 0.0,
                       context: Mapping[str, Any] | None = None) -> CacheRequest | None:
        """The cache request of ``adapter.api.get/put`` for a prompt."""
        key = prompt if self.native_pre else self.pre_process({"prompt": prompt}, context)
        return self.key_request(key, self.prompt_scope(), temperature=temperature)

    @property
    def has_unscoped(self) -> bool:
        """Whether the store holds entries of the prompt scope (put, import_data, imported
        from GPTCache), which the OpenAI adapter also serves to first questions."""
        native = self.native
        flag = self._unscoped
        if flag is None or flag[0] is not native:
            flag = (native, native.store.get_meta(UNSCOPED_META) == "1")
            self._unscoped = flag
        return flag[1]

    def mark_unscoped(self) -> None:
        """Record that the store holds prompt-scope entries (see :attr:`has_unscoped`)."""
        if not self.has_unscoped:
            native = self.native
            native.store.set_meta(UNSCOPED_META, "1")
            self._unscoped = (native, True)

    # -- lookups ----------------------------------------------------------------------------

    def search(self, request: CacheRequest, top_k: int | None = None
               ) -> tuple[Lookup, list[Candidate]]:
        """Look a request up; returns the lookup and every accepted candidate, best first
        (at most ``top_k``; an exact hit is the only candidate)."""
        sink: list[Candidate] = []
        token = _CAPTURE.set(sink)
        try:
            look = self.native.lookup(request)
        finally:
            _CAPTURE.reset(token)
        return look, _accepted(look, sink, top_k)

    async def asearch(self, request: CacheRequest, top_k: int | None = None
                      ) -> tuple[Lookup, list[Candidate]]:
        """Async :meth:`search`."""
        sink: list[Candidate] = []
        token = _CAPTURE.set(sink)
        try:
            look = await self.native.alookup(request)
        finally:
            _CAPTURE.reset(token)
        return look, _accepted(look, sink, top_k)

    def score(self, request: CacheRequest, candidate: Candidate) -> tuple[float, float]:
        """A candidate's GPTCache rank and its score in [0, 1] (as ``hit_callback`` gets it)."""
        rank = self._parts.rank
        if rank is None:
            sim = float(candidate.similarity)
            return sim, sim
        value = rank.rank(request, candidate)
        return value, rank.score(value)

    def choose(self, request: CacheRequest, candidates: Sequence[Candidate]) -> Any:
        """The post-processor's answer among accepted candidates (best first)."""
        answers = [decode_answer(c.entry) for c in candidates]
        func = self._parts.post_func
        start = time.perf_counter()
        try:
            if func is post.temperature_softmax:
                ranks = [self.score(request, c)[0] for c in candidates]
                return func(answers, ranks, temperature=request.temperature)
            return func(answers)
        finally:
            self.step("post_process", time.perf_counter() - start, "post")

    # -- management -------------------------------------------------------------------------

    def store(self, request: CacheRequest, data: Any) -> Entry | None:
        """Store what GPTCache code gave as an answer (a cache fault is logged, not raised)."""
        text, payload = encode_answer(data)
        entry = self.native.store_answer(request, Answer(text, payload))
        if entry is not None and request.scope == self.prompt_scope():
            self.mark_unscoped()
        return entry

    def import_data(self, questions: Sequence[Any], answers: Sequence[Any],
                    embedding_datas: Sequence[Any] | None = None,
                    session_ids: Sequence[str | None] | None = None) -> None:
        """Store question/answer pairs (GPTCache's API; embeddings are computed here)."""
        if len(questions) != len(answers):
            raise InvalidRequest(f"{len(questions)} questions but {len(answers)} answers")
        if session_ids is not None and len(session_ids) != len(questions):
            raise InvalidRequest(f"{len(questions)} questions but {len(session_ids)} sessions")
        native = self.native
        scope = self.prompt_scope()
        if questions:
            self.mark_unscoped()
        for i, (question, answer) in enumerate(zip(questions, answers, strict=True)):
            request = self.key_request(question, scope)
            if request is None:
                raise InvalidRequest(f"question {i} is empty")
            text, payload = encode_answer(answer)
            entry = native.put_request(request, Answer(text, payload))
            if session_ids is not None and session_ids[i]:
                from .session import add_session

                add_session(self, entry.id, str(session_ids[i]))

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
            self.has_init = False
        if native is not None:
            native.close()
        if tmp is not None:
            tmp.cleanup()


def _scorer(evaluator: Evaluator | None, evaluation: Any, embedder: Embedder | None
            ) -> RankEvaluator | None:
    """What gives a candidate GPTCache's score (for ``hit_callback`` and
    ``temperature_softmax``): the evaluator's rule, else the evaluation's own scores (not a
    model evaluation's: its score would run the model again)."""
    if isinstance(evaluator, RankEvaluator):
        return evaluator
    if isinstance(evaluator, Pipeline):
        found = next((e for e in evaluator.walk() if isinstance(e, RankEvaluator)), None)
        if found is not None:
            return found
    if is_evaluation(evaluation) and not isinstance(evaluation, OnnxModelEvaluation):
        return RankEvaluator(evaluation, GPTCACHE_THRESHOLD, embedder)
    return None


def _accepted(look: Lookup, sink: list[Candidate], top_k: int | None) -> list[Candidate]:
    if not look.hit or look.entry is None:
        return []
    if look.kind is HitKind.EXACT or not sink:
        found = [Candidate(look.entry, 1.0 if look.similarity is None else look.similarity)]
    else:
        seen: set[int] = set()
        found = []
        for cand in sorted(sink, key=lambda c: c.similarity, reverse=True):
            if cand.entry.id not in seen:
                seen.add(cand.entry.id)
                found.append(cand)
    if top_k is not None and top_k > 0:
        found = found[:top_k]
    return found


def _custom_post(func: Callable[..., Any]) -> PostProcessor:
    """A GPTCache post-processor (answers -> one answer) as a gistcache one."""

    def choose(candidates: Sequence[Candidate], temperature: float, rng: random.Random
               ) -> Candidate:
        answers = [decode_answer(c.entry) for c in candidates]
        chosen = func(answers)
        for cand, answer in zip(candidates, answers, strict=True):
            if answer == chosen:
                return cand
        return candidates[0]

    return choose


def _tell_where(config: NativeConfig) -> None:
    """Say where the data lives, and point at the importer when GPTCache's files are there."""
    if config.in_memory:
        return
    where = Path(config.data_dir)
    log.info("gistcache.gptcache: cache data in %s (gistcache.db and index/; GPTCache kept "
             "sqlite.db and faiss.index)", where.resolve())
    found = [name for name in _GPTCACHE_FILES if (where / name).exists()]
    if found:
        log.warning("%s holds GPTCache's %s, which gistcache does not read; bring its entries "
                    "over with: gistcache import --from-gptcache %s --data-dir %s",
                    where, ", ".join(found), where, where)


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
