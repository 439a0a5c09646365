"""Hit, miss and put latency of gistcache and GPTCache 0.1.44, embedding split from machinery.

Run (25 minutes on this 2-core machine while other processes kept its load average at 6-8; the
100k fill through ``Cache.put`` at ~200/s takes 8 of them. ``--sizes 10000`` or ``--quick`` for a
short run)::

    .venv/bin/python benchmarks/bench_core.py

It writes ``benchmarks/results/core.md`` and ``benchmarks/results/core_latency.png``.

Both systems get the same vectors: a few thousand real questions of Quora Question Pairs are
embedded once with gistcache's default OnnxEmbedder (all-MiniLM-L6-v2 int8, 384-d); the other
stored entries are those vectors plus Gaussian noise (cosine ~0.90 to their source), re-normalised,
under distinct synthetic texts. A lookup-table embedder serves these vectors by text to gistcache
(an ``Embedder``) and to GPTCache (its ``embedding_func``), and times itself, so that
"machinery" = total - embedding exactly. The real OnnxEmbedder's one-query latency is measured in
the same run and added back for the "total" figures. The lookup-table embedder carries the default
embedder's name (its vectors are that model's), so ``Cache()`` builds exactly the evaluator it
builds for the default embedder -- the pair verifier included. The report names every evaluator
that ran and splits a semantic hit's time into embedding, evaluator time per evaluator (the
verifier's inference among them), index search and the rest.

Workloads per cache size:

* semantic hit -- a paraphrase-like query: a noisy copy of a stored vector (cosine ~0.97) under a
  new text; it must return that entry's answer;
* exact repeat -- a stored text again. gistcache answers from its exact tier without embedding
  ("cold": the row comes from SQLite; "hot": asked a second time, from the in-memory hot tier);
  GPTCache embeds and searches, as it always does;
* miss -- an unrelated question (real held-out questions plus noise, cosine < 0.80 to every stored
  vector): it must miss;
* put -- new entries after the fill, vectors precomputed.

gistcache runs with its defaults (InMemoryIndex, SQLite, ``Cache()``'s default evaluator), once
with the background maintenance thread off and once on (the default); the fill is
done once with the thread off and the cache reopened for each mode. GPTCache runs with
``manager_factory("sqlite,faiss")`` (faiss ``IDMap,Flat`` L2), ``SearchDistanceEvaluation``,
``get_prompt`` and ``get``/``put`` of ``gptcache.adapter.api``; its default LRU size (1,000) is
raised so that it holds the fill, and its threshold is set to 0.93, the equivalent of gistcache's
cosine 0.86 (rank = 4 - squared L2 distance = 2 + 2 cos). It is filled with
``data_manager.import_data`` (its fastest path). Every answer is checked; "wrong" counts a wrong
entry served, a missed hit or a false hit (the goals list wrong answers served apart). SQL writes
are counted with a SQLAlchemy event hook.
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import QUANTILES, machine, md_table, ms, now_utc, summarize

import gistcache
from gistcache import Cache, Config
from gistcache.embedders import Embedder, OnnxEmbedder
from gistcache.metrics import Metrics

F32 = npt.NDArray[np.float32]

ROOT = Path(__file__).resolve().parent.parent
QQP = Path("/work/shared/data/qqp_pairs.jsonl.gz")
RESULTS = ROOT / "benchmarks" / "results"
DIM = 384
#: per-dimension noise: cosine ~0.90 between a synthetic entry and its real source vector
STORE_SIGMA = 0.0247
#: per-dimension noise of a paraphrase-like query: cosine ~0.97 to its target
QUERY_SIGMA = 0.0128
#: a miss query's cosine to every stored vector stays below this
MISS_MAX_COS = 0.80
#: gistcache's default cosine threshold, as GPTCache's SearchDistanceEvaluation rank fraction
GPT_THRESHOLD = (4.0 - (2.0 - 2.0 * gistcache.DEFAULT_THRESHOLD)) / 4.0
WARMUP = 50
WORKLOADS = ("semantic hit", "exact repeat", "exact repeat (hot)", "miss", "put")
GIST_OFF, GIST_ON, GPT = "gistcache (bg off)", "gistcache", "GPTCache 0.1.44"

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def tag(i: int) -> str:
    """A distinct pronounceable lowercase word for ``i`` (no digits: a guard compares numbers)."""
    n = i + 70 * 70  # at least three syllables
    out = []
    while n:
        n, r = divmod(n, len(_CONSONANTS) * len(_VOWELS))
        out.append(_CONSONANTS[r % len(_CONSONANTS)] + _VOWELS[r // len(_CONSONANTS)])
    return "".join(out)


def unit(x: F32) -> F32:
    """Rows scaled to norm 1."""
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


# -- data ----------------------------------------------------------------------------------------


def load_questions(count: int, seed: int) -> list[str]:
    """``count`` distinct QQP questions of ordinary length, shuffled."""
    seen: dict[str, None] = {}
    with gzip.open(QQP, "rt", encoding="utf-8") as fh:
        for row in fh:
            pair = json.loads(row)
            for text in (pair["a"], pair["b"]):
                text = " ".join(text.split())
                if 15 <= len(text) <= 160 and text.endswith("?"):
                    seen.setdefault(text, None)
    pool = list(seen)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(pool))[:count]
    return [pool[i] for i in order]


@dataclass
class Bank:
    """Every text the benchmark asks about, and its vector."""

    real_texts: list[str]
    stored: F32  # (max_n, DIM): rows [0, n_real) real, the rest noisy copies
    miss_texts: list[str]
    miss_vectors: F32
    table: dict[str, F32] = field(default_factory=dict)

    @property
    def n_real(self) -> int:
        return len(self.real_texts)

    def text(self, i: int) -> str:
        """The stored question of entry ``i``."""
        base = self.real_texts[i % self.n_real]
        return base if i < self.n_real else f"{base[:-1]} {tag(i)}?"

    @staticmethod
    def answer(i: int) -> str:
        """Entry ``i``'s answer: unique, about 300 characters like a short model answer."""
        return f"Answer #{i}. " + "This is the stored answer text of a cached model reply. " * 5

    def paraphrase(self, i: int) -> str:
        """A new text whose vector is a noisy copy of entry ``i``'s; registered in the table."""
        text = f"hey, {self.text(i)}"
        if text not in self.table:
            noise = np.random.default_rng(10_000_000 + i).standard_normal(DIM, dtype=np.float32)
            self.table[text] = unit(self.stored[i] + noise * QUERY_SIGMA)
        return text

    def new_entry(self, i: int) -> str:
        """A text for a put after the fill (``i`` beyond every stored entry); registered."""
        text = f"{self.text(i)[:-1]} then?"
        if text not in self.table:
            base = self.stored[i % self.n_real]
            noise = np.random.default_rng(20_000_000 + i).standard_normal(DIM, dtype=np.float32)
            self.table[text] = unit(base + noise * STORE_SIGMA)
        return text


def build_bank(real: F32, real_texts: list[str], held: F32, held_texts: list[str], max_n: int,
               n_miss: int, seed: int) -> Bank:
    """Stored vectors for ``max_n`` entries and ``n_miss`` miss queries far from all of them."""
    rng = np.random.default_rng(seed)
    n_real = len(real_texts)
    stored = np.empty((max_n, DIM), dtype=np.float32)
    stored[: min(n_real, max_n)] = real[:max_n]
    for start in range(n_real, max_n, 20_000):
        end = min(start + 20_000, max_n)
        src = real[np.arange(start, end) % n_real]
        stored[start:end] = unit(src + rng.standard_normal(src.shape, dtype=np.float32)
                                 * STORE_SIGMA)
    # Misses: held-out questions plus noise, kept only when far from every stored vector.
    cand = unit(held[np.arange(3 * n_miss) % len(held)]
                + rng.standard_normal((3 * n_miss, DIM), dtype=np.float32) * STORE_SIGMA)
    best = np.full(len(cand), -1.0, dtype=np.float32)
    for start in range(0, max_n, 20_000):
        best = np.maximum(best, (cand @ stored[start : start + 20_000].T).max(axis=1))
    keep = np.flatnonzero(best < MISS_MAX_COS)[:n_miss]
    if len(keep) < n_miss:
        raise SystemExit(f"only {len(keep)} of {n_miss} miss queries are far enough from the "
                         "stored vectors; use more held-out questions")
    miss_texts = [f"{held_texts[k % len(held)][:-1]} {tag(k)}?" for k in keep]
    bank = Bank(real_texts, stored, miss_texts, cand[keep])
    for i in range(max_n):
        bank.table[bank.text(i)] = stored[i]
    for t, v in zip(miss_texts, bank.miss_vectors, strict=True):
        bank.table[t] = v
    if len(bank.table) != max_n + len(miss_texts):
        raise SystemExit("synthetic texts collide; change the seed")
    return bank


class TableEmbedder(Embedder):
    """Serves precomputed vectors by text and adds the time it takes to ``spent``.

    Named like the default embedder, whose vectors it serves, so that the cache builds the
    evaluator it builds for the default embedder (a verifier is tied to its embedder).
    """

    dimension = DIM
    name = OnnxEmbedder.name

    def __init__(self, table: dict[str, F32]) -> None:
        self.table = table
        self.spent = 0.0

    def embed(self, texts: Sequence[str]) -> F32:
        start = time.perf_counter()
        out = np.stack([self.table[t] for t in texts])
        self.spent += time.perf_counter() - start
        return out

    def gptcache_func(self, data: str, **_: Any) -> F32:
        """GPTCache's ``embedding_func(data, extra_param=None)``."""
        start = time.perf_counter()
        out = self.table[data]
        self.spent += time.perf_counter() - start
        return out


# -- measurement ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One workload on one system at one size."""

    system: str
    size: int
    workload: str
    machinery: list[float]
    embedding: list[float]
    hits: int = 0
    misses: int = 0
    wrong: int = 0
    #: of those, answers served that were another entry's (a miss is not one)
    served_wrong: int = 0
    writes: int = 0
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    #: seconds spent in each evaluator's judge() per timed operation, by evaluator class
    judged: dict[str, list[float]] = field(default_factory=dict)
    #: positions (among the timed operations) of the wrong answers
    wrong_at: list[int] = field(default_factory=list)

    @property
    def stats(self) -> dict[str, float]:
        return summarize(self.machinery)


class WriteCounter:
    """Counts INSERT/UPDATE/DELETE statements sent through a SQLAlchemy engine."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE", "REPLAC"):
            self.count += 1


class JudgeTimer:
    """Times every evaluator's ``judge`` inside a cache's evaluator, by evaluator class.

    Wraps the bound methods of the evaluator objects the cache holds (their code is untouched):
    a pipeline's parts are each timed, so a verifier's inference shows apart from the cheap checks.
    """

    def __init__(self, evaluator: Any) -> None:
        self.spent: dict[str, float] = {}
        parts = list(evaluator.walk()) if hasattr(evaluator, "walk") else [evaluator]
        self.names = [type(part).__name__ for part in parts]
        for part in parts:
            self._wrap(part, type(part).__name__)

    def _wrap(self, part: Any, name: str) -> None:
        judge = part.judge
        spent = self.spent

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return judge(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        part.judge = timed


def describe_evaluator(evaluator: Any) -> str:
    """The evaluator's class, and its parts in order when it is a pipeline."""
    if hasattr(evaluator, "walk"):
        parts = ", ".join(type(p).__name__ for p in evaluator.walk())
        return f"{type(evaluator).__name__}({parts})"
    return type(evaluator).__name__


def measure(system: str, size: int, workload: str, call: Callable[[str], str | None],
            texts: list[str], expected: list[str | None], emb: TableEmbedder,
            writes: WriteCounter, judges: JudgeTimer | None = None) -> Run:
    """Time ``call`` on each text after a warm-up on the first ``WARMUP`` texts (not counted)."""
    for text in texts[:WARMUP]:
        call(text)
    run = Run(system, size, workload, [], [])
    before = writes.count
    clock = time.perf_counter
    for k, (text, want) in enumerate(zip(texts[WARMUP:], expected[WARMUP:], strict=True)):
        emb.spent = 0.0
        if judges is not None:
            judges.spent.clear()
        start = clock()
        got = call(text)
        total = clock() - start
        run.machinery.append(total - emb.spent)
        run.embedding.append(emb.spent)
        if judges is not None:
            for name in judges.names:
                run.judged.setdefault(name, []).append(judges.spent.get(name, 0.0))
        if got is None:
            run.misses += 1
        else:
            run.hits += 1
        if got != want:
            run.wrong += 1
            run.wrong_at.append(k)
            run.served_wrong += got is not None
    run.writes = writes.count - before
    return run


class Targets:
    """Entry ids for the workloads, drawn without replacement while they last."""

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.rng = np.random.default_rng(seed)
        self.left: list[int] = []

    def take(self, count: int) -> list[int]:
        out: list[int] = []
        while len(out) < count:
            if not self.left:
                self.left = self.rng.permutation(self.size).tolist()
            out.append(self.left.pop())
        return out


def gistcache_runs(bank: Bank, size: int, args: argparse.Namespace, targets: Targets,
                   workdir: Path, put_base: int) -> tuple[list[Run], dict[str, Any]]:
    """Fill gistcache with ``size`` entries, then measure every workload with the background
    thread off and on."""
    emb = TableEmbedder(bank.table)
    config = Config(data_dir=str(workdir / f"gistcache-{size}"))
    info: dict[str, Any] = {}
    cache = Cache(config, embedder=emb, background=False)
    start = time.perf_counter()
    for i in range(size):
        cache.put(bank.text(i), bank.answer(i))
    info["fill_s"] = time.perf_counter() - start
    print(f"  gistcache: filled {size:,} entries with put() in {info['fill_s']:.1f} s "
          f"({size / info['fill_s']:,.0f}/s, embedding excluded)", flush=True)
    # What the background thread's sync and expire cost at this size (each runs every second).
    for name, query in (("store.stats() (sync, every 1 s)", cache.store.stats),
                        ("store.expired() (expire, every 1 s)",
                         lambda: cache.store.expired(time.time()))):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            query()
            times.append(time.perf_counter() - start)
        info[f"{name} p50"] = f"{summarize(times)['p50']:.1f} ms"
    start = time.perf_counter()
    cache.close()
    info["close_s"] = time.perf_counter() - start
    runs: list[Run] = []
    n = args.iters + WARMUP
    for mode, background in ((GIST_OFF, False), (GIST_ON, True)):
        start = time.perf_counter()
        cache = Cache(config, embedder=emb, background=background)
        info[f"open_s {mode}"] = time.perf_counter() - start
        info["evaluator"] = describe_evaluator(cache.evaluator)
        print(f"  {mode}: evaluator {info['evaluator']}", flush=True)
        judges = JudgeTimer(cache.evaluator)
        saves = [0]
        save = cache.save

        def counting_save(save: Callable[[], None] = save, saves: list[int] = saves) -> None:
            saves[0] += 1
            save()

        cache.save = counting_save  # type: ignore[method-assign]
        writes = WriteCounter(cache.store.engine)

        def lookup(text: str, cache: Cache = cache) -> str | None:
            return cache.lookup(cache.request(text)).answer

        def put(text: str, cache: Cache = cache) -> str | None:
            return cache.put(text, "a new answer").answer

        hit_ids = targets.take(n)
        work: list[tuple[str, Callable[[str], str | None], list[str], list[str | None]]] = [
            ("semantic hit", lookup, [bank.paraphrase(i) for i in hit_ids],
             [bank.answer(i) for i in hit_ids]),
        ]
        ids = targets.take(n)
        exact = [bank.text(i) for i in ids]
        work += [
            ("exact repeat", lookup, exact, [bank.answer(i) for i in ids]),
            ("exact repeat (hot)", lookup, exact, [bank.answer(i) for i in ids]),
            ("miss", lookup, bank.miss_texts[:n], [None] * n),
        ]
        new = [bank.new_entry(put_base + j) for j in range(args.puts + WARMUP)]
        put_base += args.puts + WARMUP
        work.append(("put", put, new, ["a new answer"] * len(new)))
        for workload, call, texts, expected in work:
            cache.metrics = Metrics()
            run = measure(mode, size, workload, call, texts, expected, emb, writes, judges)
            run.stages = {stage: summarize(h.recent)
                          for stage, h in cache.metrics.latency.items()}
            runs.append(run)
            report(run)
        # Why semantic hits went wrong: was the target among the index's top-k at all?
        hit_run = next(r for r in runs if r.system == mode and r.workload == "semantic hit")
        lost = 0
        for k in hit_run.wrong_at:
            i = hit_ids[WARMUP + k]
            request = cache.request(bank.text(i))
            target = cache.store.get_by_exact_key(request.exact_key)
            found = cache.index.search(request.scope.key, bank.table[bank.paraphrase(i)],
                                       cache.config.top_k) if cache.index is not None else []
            lost += target is not None and all(h[0] != target.id for h in found)
        info[f"semantic-hit wrong answers whose target the index did not return {mode}"] = (
            f"{lost} of {hit_run.wrong}")
        # The puts are stored: each must be an exact hit now.
        check = [t for t in new[WARMUP:]][:: max(1, args.puts // 100)]
        runs[-1].wrong += sum(lookup(t) != "a new answer" for t in check)
        info[f"saves {mode}"] = saves[0]
        info[f"hot entries {mode}"] = len(cache.hot)
        info[f"entries at the end {mode}"] = cache.stats()["entries"]
        start = time.perf_counter()
        cache.close()
        info[f"close_s {mode}"] = time.perf_counter() - start
    shutil.rmtree(config.data_dir, ignore_errors=True)
    return runs, info


def gptcache_runs(bank: Bank, size: int, args: argparse.Namespace, targets: Targets,
                  workdir: Path, put_base: int) -> tuple[list[Run], dict[str, Any]]:
    """Fill GPTCache (sqlite + faiss) with ``size`` entries, then measure every workload."""
    from gptcache import Cache as GCache
    from gptcache import Config as GConfig
    from gptcache.adapter.api import get as gget
    from gptcache.adapter.api import put as gput
    from gptcache.manager import manager_factory
    from gptcache.processor.pre import get_prompt
    from gptcache.similarity_evaluation.distance import SearchDistanceEvaluation

    emb = TableEmbedder(bank.table)
    data_dir = workdir / f"gptcache-{size}"
    data_dir.mkdir()
    info: dict[str, Any] = {}
    manager = manager_factory(
        "sqlite,faiss", data_dir=str(data_dir), vector_params={"dimension": DIM},
        eviction_params={"max_size": size + 10 * (args.puts + WARMUP) + 1000},
    )
    gcache = GCache()
    gcache.init(pre_embedding_func=get_prompt, embedding_func=emb.gptcache_func,
                data_manager=manager, similarity_evaluation=SearchDistanceEvaluation(),
                config=GConfig(similarity_threshold=GPT_THRESHOLD))
    start = time.perf_counter()
    for lo in range(0, size, 5000):
        hi = min(lo + 5000, size)
        manager.import_data([bank.text(i) for i in range(lo, hi)],
                            [bank.answer(i) for i in range(lo, hi)],
                            [bank.stored[i] for i in range(lo, hi)], [None] * (hi - lo))
    info["fill_s"] = time.perf_counter() - start
    print(f"  GPTCache: filled {size:,} entries with import_data in {info['fill_s']:.1f} s "
          f"({size / info['fill_s']:,.0f}/s)", flush=True)
    writes = WriteCounter(manager.s._engine)

    def lookup(text: str) -> str | None:
        got = gget(text, cache_obj=gcache)
        return got if got is None else str(got)

    def put(text: str) -> str | None:
        gput(text, "a new answer", cache_obj=gcache)
        return "a new answer"

    n = args.gpt_iters + WARMUP
    ids = targets.take(n)
    work: list[tuple[str, Callable[[str], str | None], list[str], list[str | None]]] = [
        ("semantic hit", lookup, [bank.paraphrase(i) for i in ids], [bank.answer(i) for i in ids]),
    ]
    ids = targets.take(n)
    work += [
        ("exact repeat", lookup, [bank.text(i) for i in ids], [bank.answer(i) for i in ids]),
        ("miss", lookup, bank.miss_texts[:n], [None] * n),
    ]
    new = [bank.new_entry(put_base + j) for j in range(min(args.puts, args.gpt_iters) + WARMUP)]
    work.append(("put", put, new, ["a new answer"] * len(new)))
    runs = []
    for workload, call, texts, expected in work:
        run = measure(GPT, size, workload, call, texts, expected, emb, writes)
        runs.append(run)
        report(run)
    check = new[WARMUP:][:: max(1, len(new) // 100)]
    runs[-1].wrong += sum(lookup(t) != "a new answer" for t in check)
    # GPTCache registered an atexit hook that flushes its faiss index into data_dir; the
    # directory is removed by our own atexit hook, registered earlier, so it runs afterwards.
    return runs, info


def report(run: Run) -> None:
    """One progress line."""
    s = run.stats
    print(f"    {run.system:<20} {run.workload:<19} n={s['n']:<5} machinery p50 {ms(s['p50'])} "
          f"p99 {ms(s['p99'])} max {ms(s['max'])} ms; hits {run.hits} misses {run.misses} "
          f"wrong {run.wrong} writes {run.writes}", flush=True)


def embed_latency(embedder: OnnxEmbedder, texts: list[str]) -> list[float]:
    """One-text embedding latency of the real embedder (after 20 warm-up calls)."""
    for text in texts[:20]:
        embedder.embed([text])
    out = []
    for text in texts[20:]:
        start = time.perf_counter()
        embedder.embed([text])
        out.append(time.perf_counter() - start)
    return out


# -- output --------------------------------------------------------------------------------------


def find(runs: list[Run], system: str, size: int, workload: str) -> Run | None:
    for run in runs:
        if (run.system, run.size, run.workload) == (system, size, workload):
            return run
    return None


def per_op_writes(run: Run) -> str:
    return f"{run.writes / max(1, len(run.machinery)):.2f}"


def main_table(runs: list[Run]) -> str:
    rows = []
    for run in runs:
        s = run.stats
        emb = summarize(run.embedding)
        rows.append([f"{run.size:,}", run.system, run.workload, s["n"],
                     *(ms(s[q]) for q in QUANTILES), ms(emb["p50"]),
                     run.hits, run.misses, run.wrong, per_op_writes(run)])
    return md_table(["entries", "system", "workload", "n", "p50 ms", "p90 ms", "p99 ms",
                     "max ms", "lookup-table embed p50 ms", "hits", "misses", "wrong",
                     "SQL writes/op"], rows)


def ratio_table(runs: list[Run], sizes: list[int]) -> str:
    rows = []
    for size in sizes:
        for workload in ("semantic hit", "exact repeat", "miss", "put"):
            ours, theirs = find(runs, GIST_ON, size, workload), find(runs, GPT, size, workload)
            if ours is None or theirs is None:
                continue
            a, b = ours.stats, theirs.stats
            rows.append([f"{size:,}", workload, ms(a["p50"]), ms(b["p50"]),
                         f"{b['p50'] / a['p50']:.0f}×", f"{b['p99'] / a['p99']:.0f}×"])
    return md_table(["entries", "workload", "gistcache p50 ms", "GPTCache p50 ms",
                     "GPTCache/gistcache p50", "GPTCache/gistcache p99"], rows)


def total_table(runs: list[Run], sizes: list[int], embed: list[float]) -> str:
    """Embedding + machinery, the real embedder's samples paired at random with machinery's."""
    rng = np.random.default_rng(0)
    emb = np.asarray(embed)
    rows = []
    for size in sizes:
        for system in (GIST_ON, GPT):
            for workload in ("semantic hit", "exact repeat", "miss"):
                run = find(runs, system, size, workload)
                if run is None:
                    continue
                mach = np.asarray(run.machinery)
                embeds = system == GPT or workload != "exact repeat"
                extra = rng.choice(emb, size=len(mach)) if embeds else np.zeros(len(mach))
                t = summarize(mach + extra)
                rows.append([f"{size:,}", system, workload,
                             ms(float(np.median(extra)) * 1000 if embeds else 0.0),
                             ms(run.stats["p50"]), *(ms(t[q]) for q in QUANTILES)])
    return md_table(["entries", "system", "workload", "embedding p50 ms", "machinery p50 ms",
                     "total p50 ms", "total p90 ms", "total p99 ms", "total max ms"], rows)


def stage_table(runs: list[Run]) -> str:
    rows = []
    for run in runs:
        if not run.stages:
            continue
        cells = []
        for stage in ("exact_store", "embed", "search", "fetch", "evaluate", "store_put"):
            st = run.stages.get(stage)
            cells.append(f"{ms(st['p50'])} ({st['n']})" if st else "—")
        rows.append([f"{run.size:,}", run.system, run.workload, *cells])
    return md_table(["entries", "system", "workload", "exact_store", "embed", "search", "fetch",
                     "evaluate", "store_put"], rows)


def split_table(runs: list[Run], embed: list[float]) -> str:
    """Where a lookup's time goes: embedding, each evaluator, the index search, the rest (p50)."""
    rows = []
    emb50 = summarize(embed)["p50"]
    for run in runs:
        if run.system != GIST_ON or not run.judged or run.workload == "put":
            continue
        judged = np.sum([np.asarray(v) for v in run.judged.values()], axis=0)
        rest = np.asarray(run.machinery) - judged
        search = run.stages.get("search")
        embeds = run.workload in ("semantic hit", "miss")
        cells = [ms(summarize(v)["p50"]) for v in run.judged.values()]
        rows.append([f"{run.size:,}", run.workload, ms(emb50) if embeds else "0 (not embedded)",
                     *cells, ms(summarize(judged)["p50"]),
                     ms(search["p50"]) if search else "—", ms(summarize(rest)["p50"]),
                     ms(run.stats["p50"])])
    names = next((list(r.judged) for r in runs if r.judged), [])
    return md_table(["entries", "workload", "embedding (real OnnxEmbedder)",
                     *(f"{n}.judge" for n in names), "all evaluators", "index search",
                     "machinery − evaluators", "machinery"], rows)


def goals(runs: list[Run], sizes: list[int]) -> list[tuple[str, str, bool]]:
    size = max(sizes)
    out = []
    hit = find(runs, GIST_ON, size, "semantic hit")
    if hit is not None:
        v = hit.stats["p50"]
        out.append((f"semantic hit machinery p50 ≤ 0.5 ms at {size:,} entries",
                    f"{ms(v)} ms", v <= 0.5))
    for workload in ("exact repeat", "exact repeat (hot)"):
        run = find(runs, GIST_ON, size, workload)
        if run is not None:
            v = run.stats["p50"]
            out.append((f"{workload} p50 ≤ 0.1 ms at {size:,} entries", f"{ms(v)} ms", v <= 0.1))
    put = find(runs, GIST_ON, size, "put")
    if put is not None:
        rate = len(put.machinery) / sum(put.machinery)
        out.append((f"put ≥ 1,000/s excluding embedding at {size:,} entries",
                    f"{rate:,.0f}/s", rate >= 1000))
    wrong = sum(r.wrong for r in runs)
    served = sum(r.served_wrong for r in runs)
    out.append(("no wrong answer served (both systems)", f"{served} served wrong", served == 0))
    out.append(("every answer right, misses of expected hits included (both systems)",
                f"{wrong} not right", wrong == 0))
    return out


def plot(runs: list[Run], sizes: list[int], embed: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = [(GIST_OFF, "#9ecae1"), (GIST_ON, "#3182bd"), (GPT, "#e6550d")]
    fig, axes = plt.subplots(1, len(sizes) + 1, figsize=(5.2 * (len(sizes) + 1), 4.6),
                             gridspec_kw={"width_ratios": [3] * len(sizes) + [2]})
    width = 0.27
    for ax, size in zip(axes, sizes, strict=False):
        for k, (system, colour) in enumerate(systems):
            xs, p50, p99 = [], [], []
            for x, workload in enumerate(WORKLOADS):
                run = find(runs, system, size, workload)
                if run is None:
                    continue
                s = run.stats
                xs.append(x + (k - 1) * width)
                p50.append(s["p50"])
                p99.append(s["p99"])
            ax.bar(xs, p50, width, color=colour, label=system)
            ax.errorbar(xs, p50, yerr=[[0] * len(p50), np.subtract(p99, p50)], fmt="none",
                        ecolor="black", capsize=2, lw=0.8)
        ax.set_yscale("log")
        ax.set_xticks(range(len(WORKLOADS)))
        ax.set_xticklabels([w.replace(" (", "\n(") for w in WORKLOADS], fontsize=8)
        ax.set_title(f"{size:,} entries: machinery (embedding excluded)", fontsize=10)
        ax.set_ylabel("ms per operation (bar p50, whisker p99)")
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    ax = axes[-1]
    size = max(sizes)
    emb50 = float(np.median(embed)) * 1000
    labels, machs, embs = [], [], []
    for system, workload, embeds in ((GIST_ON, "semantic hit", True), (GPT, "semantic hit", True),
                                     (GIST_ON, "exact repeat", False), (GPT, "exact repeat", True)):
        run = find(runs, system, size, workload)
        if run is None:
            continue
        labels.append(f"{system.split()[0]}\n{workload}")
        machs.append(run.stats["p50"])
        embs.append(emb50 if embeds else 0.0)
    ax.bar(labels, embs, color="#bdbdbd", label="embedding (OnnxEmbedder, p50)")
    ax.bar(labels, machs, bottom=embs, color="#636363", label="machinery (p50)")
    ax.set_title(f"total lookup latency, {size:,} entries", fontsize=10)
    ax.set_ylabel("ms (p50)")
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_markdown(path: Path, args: argparse.Namespace, runs: list[Run], sizes: list[int],
                   embed: list[float], batch_rate: float, infos: dict[str, Any],
                   loads: tuple[tuple[float, ...], tuple[float, ...]], elapsed: float,
                   command: str, plot_path: Path) -> str:
    import faiss
    import gptcache
    import onnxruntime

    m = machine()
    e = summarize(embed)
    lines = [
        "# Core latency: gistcache vs GPTCache 0.1.44",
        "",
        f"Command: `{command}` ({elapsed / 60:.1f} min{', quick run' if args.quick else ''})  ",
        f"Date: {now_utc()}  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}; "
        f"gistcache {gistcache.__version__}, gptcache {gptcache.__version__}, "
        f"faiss {faiss.__version__}, onnxruntime {onnxruntime.__version__}, "
        f"numpy {np.__version__}  ",
        f"Load average (1/5/15 min) before: {'/'.join(f'{x:.2f}' for x in loads[0])}, "
        f"after: {'/'.join(f'{x:.2f}' for x in loads[1])}"
        + (" — other processes were loading the machine: every figure is inflated, tails most"
           if max(loads[0][0], loads[1][0]) > 0.5 * (os.cpu_count() or 1) else ""),
        "",
        "Method: see the docstring of `benchmarks/bench_core.py`. Vectors are precomputed "
        f"({args.real:,} real QQP questions embedded by OnnxEmbedder, the other entries noisy "
        "copies under distinct texts) and served by a lookup table, so *machinery* = total − "
        "embedding. The real embedder's cost is measured separately and added in the second "
        f"table. gistcache: {args.iters:,} timed operations per workload; GPTCache: "
        f"{args.gpt_iters:,} (its operations are slower); {WARMUP} untimed warm-up operations "
        "each. Latencies in ms.",
        "",
        "## Machinery latency per operation (embedding excluded)",
        "",
        main_table(runs),
        "",
        "`exact repeat`: a stored text asked for the first time since the cache was opened "
        "(gistcache reads the row from SQLite); `(hot)`: the same texts asked again (gistcache's "
        "in-memory hot tier). GPTCache always embeds and searches. `put` for GPTCache is its "
        "`put()` API (one transaction per entry).",
        "",
        "## GPTCache / gistcache (gistcache with its default background thread on)",
        "",
        ratio_table(runs, sizes),
        "",
        "## Total lookup latency = embedding + machinery",
        "",
        f"Real OnnxEmbedder (all-MiniLM-L6-v2 int8), one question per call: p50 {ms(e['p50'])}, "
        f"p90 {ms(e['p90'])}, p99 {ms(e['p99'])}, max {ms(e['max'])} ms (n={e['n']}); "
        f"batches of 64: {batch_rate:,.0f} questions/s. Totals pair each machinery sample with a "
        "random embedding sample. gistcache's exact repeat does not embed.",
        "",
        total_table(runs, sizes, embed),
        "",
        "## Where a gistcache lookup's time goes (p50 ms per operation)",
        "",
        f"Evaluator that ran: `{infos.get('evaluator', '?')}` (`Cache()`'s default for the default "
        "embedder). Each evaluator's `judge()` is timed per operation (summed over the candidates "
        "it judged); *all evaluators* is their sum, *machinery − evaluators* the rest of the "
        "lookup (exact tier, index search, SQLite fetch, bookkeeping). Embedding is the real "
        "OnnxEmbedder's one-question p50, measured in this run. Columns are medians of each "
        "series, so they do not add up exactly.",
        "",
        split_table(runs, embed),
        "",
        "## gistcache per-stage p50 ms (count)",
        "",
        "From `cache.metrics.latency`; `exact_store` is the SQLite exact-key lookup made when the "
        "hot tier does not hold the text, `fetch` the SQLite read of candidates not in the hot "
        "tier. `evaluate` is timed from before the fetch, so it includes `fetch`.",
        "",
        stage_table(runs),
        "",
        "## Goals",
        "",
        md_table(["goal", "measured", "met"],
                 [(g, v, "yes" if ok else "**no**") for g, v, ok in goals(runs, sizes)]),
        "",
        "## Database writes on hits",
        "",
    ]
    for size in sizes:
        for system in (GIST_OFF, GIST_ON, GPT):
            hits = [r for r in runs if r.system == system and r.size == size
                    and r.workload in ("semantic hit", "exact repeat", "exact repeat (hot)")]
            if hits:
                n = sum(r.hits for r in hits)
                w = sum(r.writes for r in hits)
                lines.append(f"- {size:,} entries, {system}: {w:,} SQL writes during {n:,} hits "
                             f"({w / max(1, n):.3f} per hit)")
    lines += [
        "",
        "gistcache counts hits in memory; with the background thread on, they reach SQLite as "
        "one batched UPDATE per flush interval (1 s). GPTCache updates `last_access` of the "
        "candidate row and inserts a report row on every hit, each in its own transaction.",
        "",
        "## Other facts of this run",
        "",
    ]
    for key, value in infos.items():
        lines.append(f"- {key}: {value}")
    lines += ["", f"![latency]({plot_path.name})", ""]
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return text


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated cache sizes (default 10000,100000)")
    parser.add_argument("--quick", action="store_true",
                        help="few iterations and embeddings: a smoke run, not a result")
    parser.add_argument("--iters", type=int, default=None,
                        help="timed lookups per workload for gistcache (default 2000)")
    parser.add_argument("--gpt-iters", type=int, default=None,
                        help="timed lookups per workload for GPTCache (default 400)")
    parser.add_argument("--puts", type=int, default=None, help="timed puts (default 2000)")
    parser.add_argument("--real", type=int, default=None,
                        help="real questions embedded (default 2000)")
    parser.add_argument("--out", type=Path, default=RESULTS / "core.md")
    parser.add_argument("--plot", type=Path, default=RESULTS / "core_latency.png")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    quick = args.quick
    args.iters = args.iters or (300 if quick else 2000)
    args.gpt_iters = args.gpt_iters or (100 if quick else 400)
    args.puts = args.puts or (300 if quick else 2000)
    args.real = args.real or (800 if quick else 2000)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    command = " ".join([".venv/bin/python", "benchmarks/bench_core.py", *sys.argv[1:]])
    t0 = time.perf_counter()
    load_before = os.getloadavg()
    print(f"load average before: {load_before}", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="gistcache-bench-core-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)

    n_miss = max(args.iters, args.gpt_iters) + WARMUP
    n_held = max(300, n_miss // 4)
    texts = load_questions(args.real + n_held, args.seed)
    real_texts, held_texts = texts[: args.real], texts[args.real :]
    onnx = OnnxEmbedder()
    start = time.perf_counter()
    vectors = np.concatenate([onnx.embed(texts[i : i + 64]) for i in range(0, len(texts), 64)])
    batch_rate = len(texts) / (time.perf_counter() - start)
    print(f"embedded {len(texts):,} real questions at {batch_rate:,.0f}/s", flush=True)
    embed = embed_latency(onnx, held_texts + real_texts[: (100 if quick else 600) + 20])
    e = summarize(embed)
    print(f"OnnxEmbedder one question: p50 {ms(e['p50'])} p99 {ms(e['p99'])} ms", flush=True)
    onnx.close()

    bank = build_bank(vectors[: args.real], real_texts, vectors[args.real :], held_texts,
                      max(sizes), n_miss, args.seed)
    runs: list[Run] = []
    infos: dict[str, Any] = {}
    for size in sizes:
        print(f"{size:,} entries", flush=True)
        put_base = max(sizes) + 10 * size  # texts of new entries, distinct per size
        ours, info = gistcache_runs(bank, size, args, Targets(size, args.seed + 1), workdir,
                                    put_base)
        runs += ours
        infos.setdefault("evaluator", info["evaluator"])
        infos.update({f"gistcache {size:,}: {k}": _fmt(v) for k, v in info.items()
                      if k != "evaluator"})
        theirs, info = gptcache_runs(bank, size, args, Targets(size, args.seed + 2), workdir,
                                     put_base + 5 * (args.puts + WARMUP))
        runs += theirs
        infos.update({f"GPTCache {size:,}: {k}": _fmt(v) for k, v in info.items()})

    load_after = os.getloadavg()
    print(f"load average after: {load_after}", flush=True)
    elapsed = time.perf_counter() - t0
    print()
    print(main_table(runs))
    print()
    print(ratio_table(runs, sizes))
    print()
    print(total_table(runs, sizes, embed))
    print()
    print(stage_table(runs))
    print()
    print(split_table(runs, embed))
    print()
    for goal, value, ok in goals(runs, sizes):
        print(f"{'MET    ' if ok else 'NOT MET'} {goal}: {value}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    plot(runs, sizes, embed, args.plot)
    write_markdown(args.out, args, runs, sizes, embed, batch_rate, infos,
                   (load_before, load_after), elapsed, command, args.plot)
    print(f"\nwrote {args.out} and {args.plot} in {elapsed / 60:.1f} min", flush=True)


def _fmt(value: Any) -> str:
    return f"{value:.2f} s" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
