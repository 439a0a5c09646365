"""The cache: the request path from scope and key text to an answer, and the store path back.

    request -> exact tier (hash of scope + normalized text) -> embed -> index search (in scope)
            -> fetch entries -> evaluate -> choose -> answer
    miss    -> call the model (identical concurrent misses coalesced) -> store entry -> answer

A fault in any part (store, index, embedder) never fails the caller: the lookup becomes a miss
(or the store is skipped), is logged, and is counted in :attr:`Cache.metrics`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import math
import random
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import processors
from ._coalesce import Coalescer
from ._errors import CacheFault, ConfigError, IncompatibleParts, InvalidRequest
from ._hot import HotTier
from ._locks import try_lock
from ._types import (
    MAX_ID,
    CacheRequest,
    Candidate,
    Entry,
    HitKind,
    Lookup,
    Scope,
    check_text,
    normalize_text,
)
from .config import Config
from .embedders import Embedder, make_embedder
from .evaluators import Evaluator, PairVerifierEvaluator, Pipeline, default_evaluator
from .evaluators.conversation import ConversationMatcher
from .eviction import Budget, EvictionPolicy, get_policy
from .index import VectorIndex
from .metrics import Metrics
from .processors import POSTPROCESSORS, PostProcessor
from .stores import EntryStore, NewEntry, PutResult, SQLStore, sqlite_url

__all__ = ["Answer", "Cache"]

log = logging.getLogger("gistcache")


def _cut_off(entry: Entry) -> bool:
    """Whether a stored answer ended because it reached its request's token limit."""
    payload = entry.payload
    if not payload:
        return False
    choices = payload.get("choices")
    return isinstance(choices, list) and any(
        isinstance(c, Mapping) and c.get("finish_reason") == "length" for c in choices)


def _within_limit(limit: int | None, entry: Entry) -> bool:
    stored = (entry.payload or {}).get("max_tokens")
    return limit is not None and isinstance(stored, int) and limit <= stored


def _entry_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"an entry id must be an integer, got {type(value).__name__}")
    return value


def _walk(evaluator: Evaluator) -> Iterable[Evaluator]:
    if isinstance(evaluator, Pipeline):
        yield from evaluator.walk()
    else:
        yield evaluator


def _short(exact_key: str) -> bytes:
    """The first 128 bits of an exact key: enough to tell stored texts apart in memory."""
    return bytes.fromhex(exact_key[:32])


@dataclass(frozen=True)
class Answer:
    """What a model call returned, as the cache stores it."""

    text: str
    payload: Mapping[str, Any] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: False for answers that must not be stored (errors, truncated streams, ...)
    cacheable: bool = True


#: how a follower of a coalesced call is reported: it shared the leader's fresh answer
_COALESCED = Lookup(HitKind.EXACT, None, 1.0, reason="coalesced")


#: how an answer is stored: (request, answer, ttl) -> anything
Keep = Callable[[CacheRequest, "Answer", "float | None"], object]


def _shareable(answer: Answer | None) -> Answer | None:
    """What followers of a coalesced call may be given: only a storable answer."""
    return answer if answer is not None and answer.cacheable else None


class Cache:
    """A semantic cache built from its parts; ``Cache()`` is the embedded default.

    Parts passed in replace the defaults that ``config`` would build: ``embedder`` (all-MiniLM
    ONNX), ``index`` (in-process ANN), ``store`` (SQLite in ``config.data_dir``), ``evaluator``
    (cosine threshold + meaning guards + feedback), ``postprocess`` (temperature softmax).
    ``next_cache`` is consulted on a miss (multi-level). ``exact_only=True`` skips the semantic
    tier and needs no embedder. ``clock`` and ``rng`` are injectable for exact tests;
    ``background=False`` leaves periodic work (flushing hit counts, syncing with other
    processes, saving the index) to explicit :meth:`maintain` calls.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        embedder: Embedder | None = None,
        index: VectorIndex | None = None,
        store: EntryStore | None = None,
        evaluator: Evaluator | None = None,
        eviction: str | EvictionPolicy | None = None,
        postprocess: str | PostProcessor | None = None,
        next_cache: Cache | None = None,
        exact_only: bool = False,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        background: bool = True,
    ) -> None:
        self.config = config if config is not None else Config.from_env()
        cfg = self.config
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()
        self.metrics = Metrics(cfg.prices)
        self.exact_only = exact_only
        self.next_cache = next_cache
        self.budget = Budget(cfg.max_entries, cfg.max_bytes)
        self.policy = get_policy(eviction if eviction is not None else cfg.eviction)
        post = postprocess if postprocess is not None else cfg.postprocess
        if isinstance(post, str):
            if post not in POSTPROCESSORS:
                raise ConfigError(f"unknown postprocess {post!r}; choose one of "
                                  f"{', '.join(sorted(POSTPROCESSORS))}")
            post = POSTPROCESSORS[post]
        self.postprocess: PostProcessor = post
        self._data_dir = self._prepare_data_dir()
        self.store: EntryStore = store if store is not None else self._default_store()
        self.embedder: Embedder | None = embedder
        if self.embedder is None and not exact_only:
            self.embedder = self._default_embedder()
        self.index: VectorIndex | None = index
        if self.index is None and not exact_only and self.embedder is not None:
            from .index import open_index

            self.index = open_index(cfg.index_url, self.embedder.dimension)
        self.evaluator: Evaluator = evaluator if evaluator is not None else default_evaluator(
            cfg, self.embedder.name if self.embedder is not None else None)
        self._validate_parts()
        self._share_token_states()
        self.hot = HotTier(cfg.memory_bytes)
        self._write_lock = threading.RLock()
        self._pending_lock = threading.Lock()
        self._pending: dict[int, list[float]] = {}
        self._vectors: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._context_memo: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._vectors_lock = threading.Lock()
        #: identical misses in flight, per caller (see :mod:`gistcache._coalesce`)
        self.inflight: Coalescer[Answer] = Coalescer()
        self._index_dirty = False
        self._closed = False
        self._bulk = 0  # inside bulk(): vectors are indexed at its end, not put by put
        self._open_state()
        now = time.monotonic()
        self._last = {"flush": now, "sync": now, "save": now, "totals": now}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if background:
            self._start_background()

    # -- construction -----------------------------------------------------------------------

    def _share_token_states(self) -> None:
        """Let the pair verifier read the embedder's run over a question instead of running the
        same model again: the default English embedder and the verifier's token encoder are
        both all-MiniLM-L6-v2, so a lookup's query (and a put's question, which later hits
        compare against) is encoded once."""
        from .embedders.onnx import OnnxEmbedder
        from .embedders.routed import RoutedEmbedder

        emb = self.embedder
        onnx = emb.english if isinstance(emb, RoutedEmbedder) else emb
        if not isinstance(onnx, OnnxEmbedder):
            return
        for part in _walk(self.evaluator):
            if isinstance(part, PairVerifierEvaluator):
                onnx.on_token_states(partial(part.offer_token_states, onnx.model_path))

    def _prepare_data_dir(self) -> Path | None:
        if self.config.in_memory:
            return None
        path = Path(self.config.data_dir).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / ".gistcache-write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(f"the data directory {path} is not usable: {exc}") from exc
        return path

    def _default_store(self) -> EntryStore:
        cfg = self.config
        if cfg.store_url:
            url = cfg.store_url
        elif self._data_dir is None:
            url = "sqlite:///:memory:"
        else:
            self._check_empty_database(self._data_dir / "gistcache.db")
            url = sqlite_url(self._data_dir / "gistcache.db")
        store: EntryStore = SQLStore(url, sqlite_synchronous=cfg.sqlite_synchronous)
        if cfg.redis_url:
            from .stores.redis import RedisExactTier

            store = RedisExactTier(store, cfg.redis_url, prefix=cfg.redis_prefix,
                                   clock=self.clock)
        return store

    def _check_empty_database(self, db: Path) -> None:
        """A zero-length database file: refused when a saved index shows that entries were
        stored here (the rows are lost), else started empty with a warning."""
        try:
            if db.stat().st_size != 0:
                return
        except FileNotFoundError:
            return  # a new data directory
        wal = db.with_name(db.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # SQLite recovers the rows from its write-ahead log
        index = db.parent / "index"
        if index.is_dir() and any(index.iterdir()):
            raise ConfigError(
                f"the database file {db} is empty (0 bytes), but {index} holds a vector index "
                "saved from its entries: the rows were lost (a truncated copy, a full disk?). "
                f"Restore {db.name} from a backup, or delete {db.name} and {index.name}/ to "
                "start an empty cache")
        log.warning("the database file %s is empty (0 bytes): starting an empty cache in it",
                    db)

    def _default_embedder(self) -> Embedder:
        return make_embedder(self.config)

    def _validate_parts(self) -> None:
        """Refuse a bad pairing of parts with one clear message, before anything is stored."""
        problems: list[str] = []
        emb, idx = self.embedder, self.index
        if not self.exact_only:
            if emb is None or idx is None:
                problems.append("the semantic tier needs an embedder and a vector index "
                                "(or pass exact_only=True)")
            else:
                if emb.dimension != idx.dimension:
                    problems.append(f"embedder {emb.name!r} makes {emb.dimension}-dimensional "
                                    f"vectors but the index holds {idx.dimension}-dimensional ones")
                if not emb.semantic:
                    problems.append(f"embedder {emb.name!r} is exact-only (its vectors carry no "
                                    "meaning), so a similarity search would only find noise: "
                                    "use a semantic embedder, or pass exact_only=True")
        missing = self.evaluator.requires - self.store.keeps
        if missing:
            problems.append(f"evaluator {type(self.evaluator).__name__} needs "
                            f"{', '.join(sorted(missing))}, which store "
                            f"{type(self.store).__name__} does not keep")
        if emb is not None and not self.exact_only:
            stored = self.store.get_meta("embedder")
            compatible = {f"{n}/{emb.dimension}" for n in (emb.name, *emb.compatible)}
            if stored is not None and stored not in compatible:
                problems.append(f"this store was filled by embedder {stored!r}, not "
                                f"{emb.name}/{emb.dimension}: its vectors are not comparable; "
                                "use the same embedder or another data directory")
        if problems:
            raise IncompatibleParts("cannot build this cache: " + "; ".join(problems))
        if emb is not None and not self.exact_only and self.store.get_meta("embedder") is None:
            self.store.set_meta("embedder", f"{emb.name}/{emb.dimension}")

    def _open_state(self) -> None:
        """Load or rebuild the index so that it agrees with the store's rows."""
        stats = self.store.stats()
        self._count, self._size = stats.count, stats.size
        self._seen_id, self._seen_tomb = stats.max_id, stats.max_tombstone
        self._load_known()
        if self.index is None:
            return
        loaded = False
        if self._data_dir is not None:
            try:
                loaded = self.index.load(self._data_dir / "index")
            except Exception as exc:  # a corrupt index is derived data: rebuild it
                log.warning("index in %s is unusable, rebuilding from the store: %s",
                            self._data_dir, exc)
                self.metrics.fault("index_load")
        self.reconcile(assume_empty=not loaded)

    def _load_known(self) -> None:
        # Deleted keys may linger in the set (a lookup then finds no row): rebuilt when many.
        self._known: set[bytes] = {_short(k) for k in self.store.exact_keys()}
        self._known_stale = 0

    def reconcile(self, *, assume_empty: bool = False) -> tuple[int, int]:
        """Make the index hold exactly the store's vectors; returns (added, removed)."""
        if self.index is None:
            return 0, 0
        with self._write_lock:
            wanted = self.store.all_ids(with_vector=True)
            have = set() if assume_empty else self.index.ids()
            extra = have - wanted.keys()
            missing = [i for i in wanted if i not in have]
            if extra:
                self.index.remove(extra)
            by_scope: dict[str, list[int]] = {}
            for entry_id in missing:
                by_scope.setdefault(wanted[entry_id], []).append(entry_id)
            bulk_from = getattr(self.index, "bulk_from", None)
            for scope_key, ids in by_scope.items():
                # A scope large enough for the in-process index's bulk build goes in one add (far
                # faster than in pieces); a smaller one in pieces, routed as puts are.
                step = len(ids) if bulk_from is not None and len(ids) >= bulk_from else 2000
                for start in range(0, len(ids), step):
                    found, vectors = self._stored_vectors(ids[start : start + step])
                    if found:  # not all deleted meanwhile by another process
                        self.index.add(scope_key, found, vectors)
            if extra or missing:
                self._index_dirty = True
                log.info("index reconciled with store: %d added, %d removed",
                         len(missing), len(extra))
            return len(missing), len(extra)

    def _stored_vectors(self, ids: list[int]) -> tuple[list[int], npt.NDArray[np.float32]]:
        """The ids still stored with a vector (deleted ones are skipped), in the order the store
        returns them, and their vectors, read 2,000 at a time into one matrix (a million vectors:
        no list of a million small arrays on the way)."""
        assert self.index is not None
        out = np.empty((len(ids), self.index.dimension), dtype=np.float32)
        found: list[int] = []
        for start in range(0, len(ids), 2000):
            for entry_id, (_, blob) in self.store.vectors(ids[start : start + 2000]).items():
                out[len(found)] = np.frombuffer(blob, dtype=np.float32)
                found.append(entry_id)
        return found, out[: len(found)]

    # -- lookups ----------------------------------------------------------------------------

    def lookup(self, request: CacheRequest) -> Lookup:
        """Find a stored answer for the request; never raises a cache fault (it is a miss)."""
        bypass = self._temperature_bypass(request)
        if bypass is not None:
            return bypass
        return self._lookup_after_bypass_check(request)

    def _temperature_bypass(self, request: CacheRequest) -> Lookup | None:
        # The seed's semantics: 0 always looks up, >= 2 never does, in between the chance of
        # skipping the cache grows with the temperature.
        t = request.temperature
        if t >= 2 or (t > 0 and self.rng.random() < t / 2):
            self.metrics.count("bypasses")
            return Lookup(HitKind.BYPASS, reason=f"temperature {t}")
        return None

    def _account(self, result: Lookup, seconds: float) -> None:
        kind = {HitKind.EXACT: "exact_hits", HitKind.SEMANTIC: "semantic_hits"}.get(
            result.kind, "misses")
        self.metrics.count(kind)
        self.metrics.observe("hit" if result.hit else "miss", seconds)
        if result.hit and result.entry is not None:
            entry = result.entry
            self.metrics.saved(entry.model, entry.prompt_tokens, entry.completion_tokens)
            self._record_hit(entry.id)

    def _usable(self, entry: Entry, request: CacheRequest, now: float) -> bool:
        if entry.expires_at is not None and entry.expires_at <= now:
            return False
        if _cut_off(entry) and not _within_limit(request.max_tokens, entry):
            return False  # an answer cut off by its limit does not answer a larger limit
        return request.max_age is None or now - entry.created_at <= request.max_age

    def routed(self, request: CacheRequest) -> CacheRequest:
        """The request with its embedder route in the scope (vectors of two routes never meet).

        The default embedder sends non-ASCII text to a multilingual model: such requests get
        ``route`` in their scope parameters, so they are stored and searched apart.
        """
        if self.embedder is None or request.exact or "route" in request.scope.params:
            return request
        route = self.embedder.route(request.key_text)
        if not route:
            return request
        scope = dataclasses.replace(request.scope, params={**request.scope.params, "route": route})
        return dataclasses.replace(request, scope=scope)

    def exact_lookup(self, request: CacheRequest) -> Lookup | None:
        """The exact tier from memory only: a hit, or None (no I/O, no embedding)."""
        if self.store.shared:
            # another replica may have replaced or deleted what memory holds: the shared tier
            # (Redis), asked by _lookup, is the one to trust
            return None
        request = self.routed(request)
        entry = self.hot.by_exact(request.exact_key)
        if entry is None or not self._usable(entry, request, self.clock()):
            return None
        return Lookup(HitKind.EXACT, entry, 1.0)

    def _lookup(self, request: CacheRequest) -> Lookup:
        request = self.routed(request)
        now = self.clock()
        hot = self.exact_lookup(request)
        if hot is not None:
            return hot
        t = time.perf_counter()
        # The set of stored exact keys spares the database a query for texts never stored
        # (a shared exact tier is asked anyway: other replicas write to it).
        if self.store.shared or _short(request.exact_key) in self._known:
            entry = self.store.get_by_exact_key(request.exact_key)
            self.metrics.observe("exact_store", time.perf_counter() - t)
            if entry is not None and self._usable(entry, request, now):
                self.hot.put(entry)
                return Lookup(HitKind.EXACT, entry, 1.0)
        if self.exact_only or self.index is None or request.exact:
            return Lookup(HitKind.MISS, reason="no exact match")
        vector = self._embed(request.key_text)
        t = time.perf_counter()
        hits = self.index.search(request.scope.key, vector, self.config.top_k)
        self.metrics.observe("search", time.perf_counter() - t)
        if not hits:
            return Lookup(HitKind.MISS, reason="no entry in scope")
        floor = max(self.evaluator.floor, request.min_similarity or -1.0)
        best = hits[0][1]
        hits = [(i, s) for i, s in hits if s >= floor]
        if not hits:
            return Lookup(HitKind.MISS, reason=f"best similarity {best:.3f} < {floor:.3f}")
        entries = self._entries([i for i, _ in hits])
        t = time.perf_counter()
        accepted: list[Candidate] = []
        reason = ""
        # The index returns hits best first; when the choice among accepted candidates is the
        # best (or the first) one, judging stops at the first accepted: the result is the same,
        # and a hit does not pay the verifier for the near-misses ranked below it.
        decisive = self.postprocess in (processors.first, processors.best) or (
            self.postprocess is processors.temperature_softmax and request.temperature <= 0)
        for entry_id, sim in hits:
            found = entries.get(entry_id)
            if found is None or found.scope_key != request.scope.key:
                continue
            if not self._usable(found, request, now):
                reason = reason or "entry expired or too old"
                continue
            if not self._same_conversation(request, found):
                reason = reason or "asked in another conversation"
                continue
            cand = Candidate(found, sim)
            verdict = self.evaluator.judge(request, cand)
            if verdict.accepted:
                accepted.append(cand)
                if decisive:
                    break
            else:
                reason = reason or verdict.reason
        self.metrics.observe("evaluate", time.perf_counter() - t)
        if not accepted:
            return Lookup(HitKind.MISS, reason=reason or "no acceptable entry")
        chosen = self.postprocess(accepted, request.temperature, self.rng)
        return Lookup(HitKind.SEMANTIC, chosen.entry, chosen.similarity)

    def _same_conversation(self, request: CacheRequest, entry: Entry) -> bool:
        """Whether the entry was asked in a conversation that makes its question mean the same.

        Equal (normalized) conversations match; otherwise the turns that matter are compared
        (:class:`~gistcache.evaluators.conversation.ConversationMatcher`): the assistant's last
        turn, and every earlier turn related to the question, must have a counterpart the pair
        verifier finds the same; unrelated history and chatter are ignored.
        """
        mine, theirs = normalize_text(request.context), normalize_text(entry.context)
        if mine == theirs:
            return True
        if self.embedder is None or self.exact_only:
            return False
        same, _ = self._conversation_matcher().same(request.context, entry.context,
                                                    request.key_text)
        return same

    def _conversation_matcher(self) -> ConversationMatcher:
        matcher = self.__dict__.get("_matcher")
        if matcher is None:
            verifier = next((e for e in _walk(self.evaluator)
                             if isinstance(e, PairVerifierEvaluator)), None)
            matcher = ConversationMatcher(
                lambda texts: self._context_vectors(*texts),
                verifier.verifier.probabilities if verifier is not None else None,
                # earlier turns need only be about the same things (a changed detail scores
                # far lower); the question itself is held to the verifier's full bar
                bar=min(0.5, verifier.threshold) if verifier is not None else 1.0,
                counterpart=self.config.context_threshold)
            self.__dict__["_matcher"] = matcher
        return matcher

    def _context_vectors(self, *texts: str) -> list[npt.NDArray[np.float32]]:
        assert self.embedder is not None
        out: list[npt.NDArray[np.float32] | None] = []
        with self._vectors_lock:
            for text in texts:
                vec = self._context_memo.get(text)
                if vec is not None:
                    self._context_memo.move_to_end(text)
                out.append(vec)
        todo = [t for t, v in zip(texts, out, strict=True) if v is None]
        if todo:
            t0 = time.perf_counter()
            fresh = self.embedder.embed(todo)
            self.metrics.observe("embed_context", time.perf_counter() - t0)
            with self._vectors_lock:
                for text, vec in zip(todo, fresh, strict=True):
                    self._context_memo[text] = vec
                while len(self._context_memo) > 1024:
                    self._context_memo.popitem(last=False)
            it = iter(fresh)
            out = [v if v is not None else next(it) for v in out]
        return [v for v in out if v is not None]

    def _lookup_next(self, request: CacheRequest, miss: Lookup) -> Lookup:
        assert self.next_cache is not None
        lower = self.next_cache.lookup(request)
        if not lower.hit or lower.entry is None:
            return miss
        entry = lower.entry
        self.store_answer(
            request,
            Answer(entry.answer, entry.payload, entry.prompt_tokens, entry.completion_tokens),
        )
        return lower

    def _entries(self, ids: list[int]) -> dict[int, Entry]:
        found: dict[int, Entry] = {}
        missing = []
        for entry_id in ids:
            # rows of a shared store may have been replaced or deleted by another replica
            entry = None if self.store.shared else self.hot.get(entry_id)
            if entry is None:
                missing.append(entry_id)
            else:
                found[entry_id] = entry
        if missing:
            t = time.perf_counter()
            rows = self.store.get_many(missing)
            self.metrics.observe("fetch", time.perf_counter() - t)
            for entry_id, entry in rows.items():
                self.hot.put(entry)
                found[entry_id] = entry
            stale = [i for i in missing if i not in rows]
            if stale and self.index is not None:
                self.index.remove(stale)  # deleted by another process since our last sync
        return found

    def _embed(self, text: str) -> npt.NDArray[np.float32]:
        with self._vectors_lock:
            known = self._vectors.get(text)
            if known is not None:
                self._vectors.move_to_end(text)
                return known
        assert self.embedder is not None
        t = time.perf_counter()
        vec: npt.NDArray[np.float32] = self.embedder.embed([text])[0]
        self.metrics.observe("embed", time.perf_counter() - t)
        if vec.shape != (self.embedder.dimension,):
            raise InvalidRequest(f"embedder returned shape {vec.shape}, expected "
                                 f"({self.embedder.dimension},)")
        with self._vectors_lock:
            # a miss is usually followed by a store of the same text: embed it only once
            self._vectors[text] = vec
            while len(self._vectors) > 256:
                self._vectors.popitem(last=False)
        return vec

    def _record_hit(self, entry_id: int) -> None:
        # Hits are counted in memory and written in batches: a hit never waits for a commit.
        now = self.clock()
        with self._pending_lock:
            slot = self._pending.get(entry_id)
            if slot is None:
                self._pending[entry_id] = [1, now]
            else:
                slot[0] += 1
                slot[1] = now

    # -- stores -----------------------------------------------------------------------------

    def store_answer(
        self, request: CacheRequest, answer: Answer | str, *, ttl: float | None = None
    ) -> Entry | None:
        """Store an answer on the LLM path: a fault is logged, counted and returns None."""
        try:
            return self.put_request(request, answer, ttl=ttl)
        except Exception as exc:  # never fail the caller's LLM call because the store failed
            log.warning("cache store failed, answer not cached: %s", exc, exc_info=exc)
            self.metrics.fault("store")
            return None

    def put_request(
        self, request: CacheRequest, answer: Answer | str, *, ttl: float | None = None
    ) -> Entry:
        """Store an answer for a request (raises on faults; see :meth:`store_answer`)."""
        return self.put_many([(request, answer)], ttl=ttl)[0]

    def put_many(
        self,
        items: Sequence[tuple[CacheRequest, Answer | str]],
        *,
        ttl: float | None = None,
        times: Sequence[tuple[float, float | None]] | None = None,
    ) -> list[Entry]:
        """Store answers for several requests at once: one embedding call for the batch, one
        store transaction, one index add per scope. The entries, in order (a request whose
        exact key comes again later in the batch is replaced by the later one, as single puts
        would). Raises on faults, like :meth:`put_request`.

        ``times``: each entry's (created_at, expires_at), for an import that keeps them;
        default now, and now + ``ttl`` (an entry given no expiry gets created_at + ``ttl``).
        """
        if self._closed:
            raise InvalidRequest("this cache is closed")
        start = time.perf_counter()
        now = self.clock()
        ttl = ttl if ttl is not None else self.config.ttl
        if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float))
                                or not math.isfinite(ttl) or ttl <= 0):
            # NaN would compare false forever: an entry that never expires
            raise InvalidRequest(f"ttl must be a finite number of seconds > 0 (None: no "
                                 f"expiry), got {ttl!r}")
        if times is None:
            times = [(now, now + ttl if ttl is not None else None)] * len(items)
        elif len(times) != len(items):
            raise InvalidRequest(f"{len(items)} items for {len(times)} times")
        elif ttl is not None:
            times = [(c, e if e is not None else c + ttl) for c, e in times]
        requests: list[CacheRequest] = []
        answers: list[Answer] = []
        for request, answer in items:
            if isinstance(answer, str):
                answer = Answer(answer)
            elif not isinstance(answer, Answer):
                raise InvalidRequest(
                    f"the answer must be a string, got {type(answer).__name__}")
            check_text("the answer", answer.text)
            requests.append(self.routed(request))
            answers.append(answer)
        vectors = self._embed_many(requests)
        news = [self._new_entry(r, a, v, *when)
                for r, a, v, when in zip(requests, answers, vectors, times, strict=True)]
        t = time.perf_counter()
        with self._write_lock:
            fresh: list[bool] = []
            batch: set[bytes] = set()
            for n in news:  # a key given twice in the batch: the second one replaces
                key = _short(n.exact_key)
                fresh.append(key not in self._known and key not in batch)
                batch.add(key)
            results = self.store.put_many(news, known_new=fresh)
            self.metrics.observe("store_put", (time.perf_counter() - t) / max(1, len(news)))
            entries = [self._admitted(r, v) for r, v in zip(results, vectors, strict=True)]
            if not self._bulk:
                gone = {r.replaced_id for r in results if r.replaced_id is not None}
                self._index_vectors([(e, v) for e, v in zip(entries, vectors, strict=True)
                                     if e.id not in gone])
            # Only now: when the index add fails (a shared index that is down), the rows stay
            # past the last one seen, and sync() adds their vectors once the index is back.
            for entry in entries:
                if entry.id == self._seen_id + 1:
                    self._seen_id = entry.id
            self._evict_if_needed()
        self.metrics.count("stores", len(entries))
        self.metrics.observe("put", (time.perf_counter() - start) / max(1, len(entries)))
        return entries

    @contextlib.contextmanager
    def bulk(self) -> Iterator[Cache]:
        """Put many entries (an import) with the vector index brought up to date once, at the
        end, in bulk (:meth:`reconcile`), instead of entry by entry.

        Meanwhile the new entries are stored and found by exact key, but not yet by meaning.
        """
        with self._write_lock:
            self._bulk += 1
        try:
            yield self
        finally:
            with self._write_lock:
                self._bulk -= 1
            if not self._bulk:
                self.reconcile()

    def _embed_many(self, requests: list[CacheRequest]
                    ) -> list[npt.NDArray[np.float32] | None]:
        """Each request's vector (None for exact-only ones), the batch embedded in one call."""
        out: list[npt.NDArray[np.float32] | None] = [None] * len(requests)
        if self.exact_only:
            return out
        todo = [n for n, r in enumerate(requests) if not r.exact]
        if len(todo) == 1:
            out[todo[0]] = self._embed(requests[todo[0]].key_text)
        elif todo:
            assert self.embedder is not None
            t = time.perf_counter()
            matrix = np.asarray(self.embedder.embed([requests[n].key_text for n in todo]),
                                dtype=np.float32)
            self.metrics.observe("embed", (time.perf_counter() - t) / len(todo))
            if matrix.shape != (len(todo), self.embedder.dimension):
                raise InvalidRequest(f"embedder returned shape {matrix.shape}, expected "
                                     f"({len(todo)}, {self.embedder.dimension})")
            for row, n in enumerate(todo):
                out[n] = matrix[row]
        return out

    def _new_entry(self, request: CacheRequest, answer: Answer,
                   vector: npt.NDArray[np.float32] | None, created: float,
                   expires: float | None) -> NewEntry:
        fields = dict(answer.payload) if answer.payload else None
        if fields is not None and request.max_tokens is not None:
            fields["max_tokens"] = request.max_tokens  # read back by _usable for cut-off answers
        payload = json.dumps(fields, separators=(",", ":")) if fields else None
        blob = vector.astype(np.float32).tobytes() if vector is not None else None
        scope = request.scope
        size = (len(request.key_text.encode()) + len(answer.text.encode())
                + len(request.context.encode()) + len(payload or "") + len(blob or b"") + 256)
        return NewEntry(
            scope_key=scope.key, exact_key=request.exact_key, key_text=request.key_text,
            answer=answer.text, scope_json=scope.to_json(), payload=payload, embedding=blob,
            created_at=created, expires_at=expires, size=size,
            model=scope.model, namespace=scope.namespace,
            prompt_tokens=answer.prompt_tokens, completion_tokens=answer.completion_tokens,
            context=request.context,
        )

    def _admitted(self, result: PutResult, vector: npt.NDArray[np.float32] | None) -> Entry:
        """Account for one stored row (under the write lock): totals, hot tier, known keys,
        and the replaced row's removal."""
        entry = result.entry
        if result.replaced_id is not None:
            self.hot.drop(result.replaced_id)
            if self.index is not None:
                self.index.remove([result.replaced_id])
            self._count -= 1
            self._size -= result.replaced_size
            self._known_stale += 1
        if vector is not None and self.index is not None:
            self._index_dirty = True
        self._count += 1
        self._size += entry.size
        entry.embedding = None  # the index holds it; keep the hot tier small
        self.hot.put(entry)
        self._known.add(_short(entry.exact_key))
        return entry

    def _index_vectors(self, stored: list[tuple[Entry, npt.NDArray[np.float32] | None]]
                       ) -> None:
        """Add the stored entries' vectors to the index, one call per scope."""
        if self.index is None:
            return
        by_scope: dict[str, tuple[list[int], list[npt.NDArray[np.float32]]]] = {}
        for entry, vector in stored:
            if vector is not None:
                ids, vecs = by_scope.setdefault(entry.scope_key, ([], []))
                ids.append(entry.id)
                vecs.append(vector)
        for scope_key, (ids, vecs) in by_scope.items():
            self.index.add(scope_key, ids, np.stack(vecs))

    def _evict_if_needed(self) -> None:
        over_n, over_b = self.budget.excess(self._count, self._size)
        if over_n <= 0 and over_b <= 0:
            return
        self.flush()  # so that LRU/LFU see every hit
        victims = self.store.victims(self.policy, self.clock(), over_n, over_b)
        self._drop(victims)
        self.metrics.count("evictions", len(victims))

    def _drop(self, ids: Iterable[int]) -> list[int]:
        wanted = list(ids)
        if not wanted:
            return []
        sizes = {i: e.size for i in wanted if (e := self.hot.get(i)) is not None}
        with self._write_lock:
            done = self.store.delete(wanted)
            if self.index is not None and done:
                self.index.remove(done)
                self._index_dirty = True
            for entry_id in done:
                self.hot.drop(entry_id)
            with self._pending_lock:
                for entry_id in done:
                    self._pending.pop(entry_id, None)
            self._count -= len(done)
            self._known_stale += len(done)
            missing_sizes = [i for i in done if i not in sizes]
            if missing_sizes:
                self._size = self.store.stats().size
            else:
                self._size -= sum(sizes[i] for i in done)
        return done

    # -- the LLM path -----------------------------------------------------------------------

    def get_or_call(
        self,
        request: CacheRequest,
        call: Callable[[], Answer | str],
        *,
        lookup: bool = True,
        store: bool = True,
        ttl: float | None = None,
        caller: str = "",
        keep: Keep | None = None,
    ) -> tuple[Answer, Lookup]:
        """The answer from the cache, or from ``call()`` (stored afterwards, by ``keep`` when
        given instead of :meth:`store_answer`).

        Identical requests of one ``caller`` (see :func:`caller_id`) in flight at once make one
        call; the others wait for it and share its answer if it is storable. When that call
        fails, each of them calls for itself: errors reach only the caller whose call raised
        them, and are never cached.
        """
        result = self.lookup(request) if lookup else Lookup(HitKind.BYPASS, reason="no lookup")
        if result.hit and result.entry is not None:
            return self._answer_of(result.entry), result
        key = (request.exact_key, caller)
        leader, future = self.inflight.join(key)
        if not leader:
            shared = future.result()
            if shared is not None:
                self.metrics.count("coalesced")
                return shared, _COALESCED
            return self._call_and_store(request, call, store, ttl, keep), result
        answer: Answer | None = None
        try:
            token, across = self._claim_across(request, store)
            if across is not None and across.entry is not None:
                answer = self._answer_of(across.entry)
                return answer, across
            try:
                answer = self._call_and_store(request, call, store, ttl, keep)
            finally:
                self._release_across(request, token)
        finally:
            self.inflight.release(key, future, _shareable(answer))
        return answer, result

    def _claim_across(self, request: CacheRequest, store: bool
                      ) -> tuple[str | None, Lookup | None]:
        """Coalescing between processes, when the store has in-flight markers (Redis): the
        marker's token to release after our call, or the row another process's call stored."""
        markers = self.store.inflight
        if markers is None or not store:
            return None, None
        try:
            token = markers.claim(request.exact_key)
            if token is not None:
                return token, None
            entry = markers.wait(request.exact_key)
        except CacheFault as exc:  # no coalescing this time; the call goes ahead
            log.warning("in-flight markers failed: %s", exc)
            self.metrics.fault("inflight")
            return None, None
        if entry is None or not self._usable(entry, request, self.clock()):
            return None, None
        self.metrics.count("coalesced")
        return None, Lookup(HitKind.EXACT, entry, 1.0, reason="coalesced across processes")

    def _release_across(self, request: CacheRequest, token: str | None) -> None:
        if token is not None and self.store.inflight is not None:
            try:
                self.store.inflight.release(request.exact_key, token)
            except CacheFault as exc:  # the marker expires by itself
                log.warning("releasing an in-flight marker failed: %s", exc)
                self.metrics.fault("inflight")

    def _call_and_store(self, request: CacheRequest, call: Callable[[], Answer | str],
                        store: bool, ttl: float | None, keep: Keep | None) -> Answer:
        got = call()
        answer = Answer(got) if isinstance(got, str) else got
        if store and answer.cacheable:
            # stored before followers are released: the next identical request is a hit
            (keep or self._keep)(request, answer, ttl)
        return answer

    def _keep(self, request: CacheRequest, answer: Answer, ttl: float | None) -> None:
        self.store_answer(request, answer, ttl=ttl)

    async def aget_or_call(
        self,
        request: CacheRequest,
        call: Callable[[], Awaitable[Answer | str]],
        *,
        lookup: bool = True,
        store: bool = True,
        ttl: float | None = None,
        caller: str = "",
        keep: Keep | None = None,
    ) -> tuple[Answer, Lookup]:
        """Async :meth:`get_or_call`: embedding and database work run off the event loop."""
        result = await self.alookup(request) if lookup else Lookup(HitKind.BYPASS,
                                                                    reason="no lookup")
        if result.hit and result.entry is not None:
            return self._answer_of(result.entry), result
        key = (request.exact_key, caller)
        leader, future = self.inflight.ajoin(key)
        if not leader:
            shared = await asyncio.shield(future)
            if shared is not None:
                self.metrics.count("coalesced")
                return shared, _COALESCED
            return await self._acall_and_store(request, call, store, ttl, keep), result
        answer: Answer | None = None
        try:
            token, across = (await asyncio.to_thread(self._claim_across, request, store)
                             if self.store.inflight is not None else (None, None))
            if across is not None and across.entry is not None:
                answer = self._answer_of(across.entry)
                return answer, across
            try:
                answer = await self._acall_and_store(request, call, store, ttl, keep)
            finally:
                if token is not None:
                    await asyncio.to_thread(self._release_across, request, token)
        finally:
            self.inflight.arelease(key, future, _shareable(answer))
        return answer, result

    async def _acall_and_store(self, request: CacheRequest,
                               call: Callable[[], Awaitable[Answer | str]], store: bool,
                               ttl: float | None, keep: Keep | None) -> Answer:
        got = await call()
        answer = Answer(got) if isinstance(got, str) else got
        if store and answer.cacheable:
            await asyncio.to_thread(keep or self._keep, request, answer, ttl)
        return answer

    @staticmethod
    def _answer_of(entry: Entry) -> Answer:
        return Answer(entry.answer, entry.payload, entry.prompt_tokens, entry.completion_tokens)

    async def alookup(self, request: CacheRequest) -> Lookup:
        """Async :meth:`lookup`; an exact hit held in memory is answered without a thread hop."""
        if self._temperature_bypass(request) is None:
            start = time.perf_counter()
            hot = self.exact_lookup(request)
            if hot is not None:
                self._account(hot, time.perf_counter() - start)
                return hot
            return await asyncio.to_thread(self._lookup_after_bypass_check, request)
        return Lookup(HitKind.BYPASS, reason=f"temperature {request.temperature}")

    def _lookup_after_bypass_check(self, request: CacheRequest) -> Lookup:
        start = time.perf_counter()
        try:
            result = self._lookup(request)
        except Exception as exc:  # the one place a fault becomes a miss: logged and counted
            log.warning("cache lookup failed, serving as a miss: %s", exc, exc_info=exc)
            self.metrics.fault("lookup")
            result = Lookup(HitKind.MISS, reason=f"cache fault: {type(exc).__name__}")
        if not result.hit and self.next_cache is not None:
            result = self._lookup_next(request, result)
        self._account(result, time.perf_counter() - start)
        return result

    async def astore_answer(
        self, request: CacheRequest, answer: Answer | str, *, ttl: float | None = None
    ) -> Entry | None:
        """Async :meth:`store_answer`."""
        return await asyncio.to_thread(self.store_answer, request, answer, ttl=ttl)

    # -- plain text API ---------------------------------------------------------------------

    def request(
        self,
        prompt: str,
        *,
        model: str = "",
        namespace: str | None = None,
        system: str = "",
        params: Mapping[str, Any] | None = None,
        temperature: float = 0.0,
        min_similarity: float | None = None,
        max_age: float | None = None,
        exact: bool = False,
        context: str = "",
    ) -> CacheRequest:
        """A request for plain text in a scope (namespace defaults to the config's).

        ``context`` is the conversation the prompt is asked in, as text: it must mean the same
        as a stored entry's for that entry to answer.
        """
        if params is not None and not isinstance(params, Mapping):
            raise InvalidRequest(f"params must be a mapping, got {type(params).__name__}")
        scope = Scope(namespace=namespace or self.config.namespace, model=model, system=system,
                      params=dict(params or {}), context="conversation" if context else "")
        return CacheRequest(prompt, scope, temperature, min_similarity, max_age, exact, context)

    def get(self, prompt: str, **scope: Any) -> str | None:
        """The stored answer for a prompt, or None (faults are misses)."""
        return self.lookup(self.request(prompt, **scope)).answer

    def put(self, prompt: str, answer: str, *, ttl: float | None = None, **scope: Any) -> Entry:
        """Store an answer for a prompt (raises on faults: this is an explicit write)."""
        return self.put_request(self.request(prompt, **scope), answer, ttl=ttl)

    async def aget(self, prompt: str, **scope: Any) -> str | None:
        """Async :meth:`get`."""
        return (await self.alookup(self.request(prompt, **scope))).answer

    async def aput(self, prompt: str, answer: str, *, ttl: float | None = None, **scope: Any
                   ) -> Entry:
        """Async :meth:`put`."""
        return await asyncio.to_thread(self.put, prompt, answer, ttl=ttl, **scope)

    # -- management -------------------------------------------------------------------------

    def delete(self, ids: Iterable[int]) -> list[int]:
        """Delete entries by id; returns those that existed."""
        wanted = [_entry_id(i) for i in ids]
        return self._drop(i for i in wanted if 0 <= i <= MAX_ID)  # no row has another id

    def clear(self, namespace: str | None = None) -> int:
        """Delete every entry (of one namespace); returns how many."""
        ids = list(self.store.all_ids(namespace=namespace))
        return len(self._drop(ids))

    def set_threshold(self, similarity_threshold: float) -> None:
        """Change the cosine threshold, rebuilding the default evaluator pipeline with it."""
        self.config = self.config.replace(similarity_threshold=similarity_threshold)
        self.evaluator = default_evaluator(
            self.config, self.embedder.name if self.embedder is not None else None)

    def feedback(self, entry_id: int, correct: bool) -> Entry | None:
        """Report a hit of an entry as right or wrong; wrong hits raise that entry's bar."""
        if not 0 <= _entry_id(entry_id) <= MAX_ID:
            return None
        entry = self.store.feedback(entry_id, correct)
        if entry is not None:
            self.hot.drop(entry_id)
            self.hot.put(entry)
            self.metrics.count("feedback_right" if correct else "feedback_wrong")
        return entry

    def entries(self, *, namespace: str | None = None, after_id: int = 0, limit: int = 100
                ) -> list[Entry]:
        """Stored entries in id order (without vectors), for listing."""
        if _entry_id(after_id) >= MAX_ID:
            return []
        out: list[Entry] = []
        for batch in self.store.scan(after_id=after_id, batch=max(limit, 1),
                                     with_embedding=False):
            out.extend(e for e in batch if namespace is None or e.namespace == namespace)
            if len(out) >= limit:
                break
        return out[:limit]

    def stats(self) -> dict[str, Any]:
        """Metrics plus sizes."""
        snap = self.metrics.snapshot()
        snap.update(entries=self._count, bytes=self._size, hot_entries=len(self.hot),
                    index_entries=len(self.index) if self.index is not None else 0)
        return snap

    def flush(self) -> None:
        """Write batched hit counts and access times to the store."""
        with self._pending_lock:
            pending, self._pending = self._pending, {}
        if pending:
            self.store.touch({i: (int(c), at) for i, (c, at) in pending.items()})

    def sync(self) -> None:
        """Pick up other processes' writes and deletes (new rows, tombstones, totals)."""
        max_id, max_tomb = self.store.markers()
        changed = max_id > self._seen_id or max_tomb > self._seen_tomb
        with self._write_lock:
            if max_tomb > self._seen_tomb:
                gone, self._seen_tomb = self.store.tombstones_since(self._seen_tomb)
                if self.index is not None:
                    self.index.remove(gone)
                for entry_id in gone:
                    self.hot.drop(entry_id)
                self._known_stale += len(gone)
            if max_id > self._seen_id:
                with_vectors = self.index is not None
                for batch in self.store.scan(after_id=self._seen_id, batch=2000,
                                             with_embedding=with_vectors):
                    for entry in batch:
                        self._known.add(_short(entry.exact_key))
                        if self.index is not None and entry.embedding is not None:
                            vec = np.frombuffer(entry.embedding, dtype=np.float32)[None, :]
                            self.index.add(entry.scope_key, [entry.id], vec)
                    self._seen_id = max(self._seen_id, batch[-1].id)
            if self._known_stale > max(1000, len(self._known) // 4):
                self._load_known()
        # Totals scan the table: read them when a budget needs them, else now and then.
        now = time.monotonic()
        budgeted = self.budget.max_entries is not None or self.budget.max_bytes is not None
        if (changed and budgeted) or now - self._last.get("totals", 0.0) >= 30.0:
            stats = self.store.stats()
            with self._write_lock:
                self._count, self._size = stats.count, stats.size
            self._last["totals"] = now

    def expire(self) -> int:
        """Delete entries past their expiry time; returns how many."""
        ids = self.store.expired(self.clock())
        return len(self._drop(ids))

    def save(self) -> None:
        """Persist the index next to the store (the store itself is always durable)."""
        if self.index is None or self._data_dir is None:
            return
        # Not under the write lock: puts go on while the index is written (the index guards
        # itself), and whatever a save misses is reconciled from the store at the next open.
        # Several processes may share the data directory: one saves at a time, the others skip.
        self._index_dirty = False
        with try_lock(self._data_dir / "index.lock") as locked:
            if not locked:
                log.debug("another process is saving the index; skipped")
                return
            self.index.save(self._data_dir / "index")

    def maintain(self, *, force: bool = False) -> None:
        """Periodic work: flush hit counts, sync with other processes, expire, save the index."""
        now = time.monotonic()
        cfg = self.config
        if force or now - self._last["flush"] >= cfg.flush_interval:
            self.flush()
            self.expire()
            self._last["flush"] = now
        if force or now - self._last["sync"] >= cfg.sync_interval:
            self.sync()
            self._last["sync"] = now
        if (force or now - self._last["save"] >= cfg.save_interval) and self._index_dirty:
            if self.index is not None:
                with self._write_lock:
                    self.index.maintain()  # re-check that every entry is still reachable
            self.save()
            self._last["save"] = now

    def _start_background(self) -> None:
        ref = weakref.ref(self)
        stop = self._stop
        interval = min(self.config.flush_interval, self.config.sync_interval)

        def run() -> None:
            while not stop.wait(interval):
                cache = ref()
                if cache is None:
                    return
                try:
                    cache.maintain()
                except Exception as exc:  # keep maintaining; the fault is logged and counted
                    log.warning("cache maintenance failed: %s", exc, exc_info=exc)
                    cache.metrics.fault("maintenance")
                del cache

        self._thread = threading.Thread(target=run, name="gistcache-maintenance", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Flush, save the index and release every part."""
        if self._closed:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.flush()
            self.save()
        finally:
            self._closed = True
            self.store.close()
            if self.index is not None:
                self.index.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
