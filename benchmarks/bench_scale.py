"""A million entries through the whole cache: bulk import, save, start-up, memory, lookups.

Run (about 10 minutes at 1M on 2 cores)::

    .venv/bin/python benchmarks/bench_scale.py --entries 1000000 --out benchmarks/results/scale.md

Entries are bench_index's *copies* vectors (2,000 real QQP questions embedded by the default
OnnxEmbedder, each followed by noisy copies at cosine ~0.90) under distinct texts, served by a
lookup-table embedder, so every figure excludes embedding (the real embedder's cost is in
bench_core.py). Each step runs in its own process, so that start-up and resident memory are
what a fresh process pays:

1. *import*: ``Cache.bulk()`` with ``put_many`` batches of 1,000 into an empty data directory
   (SQLite rows in one transaction per batch; the index built once, in bulk, at the end), then
   ``close()``, which saves the index;
2. *open*: a new process opens the data directory (the saved index is up to date: no rebuild),
   then times lookups: exact repeats (first read from SQLite, then from the hot tier), semantic
   lookups of paraphrases (cosine ~0.97 to a stored entry; the evaluator is the threshold and
   the guards, since the pair verifier needs the default embedder), and misses.

The in-process index is given ``vector_dtype="float16"`` (half the memory of the default
float32; the cosine error is ~1e-3): at a million entries this is the setting to use.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, now_utc, summarize
from bench_index import make_dataset, rss_bytes

from gistcache.embedders import Embedder

F32 = npt.NDArray[np.float32]
DIM = 384
BATCH = 1000
LOOKUPS = 2000


def _code(i: int) -> str:
    """``i`` in lower-case letters: texts without digits, which the number guard would read."""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out = chr(97 + r) + out
        if i == 0:
            return out


def _number(code: str) -> int:
    value = 0
    for ch in code:
        value = value * 26 + ord(ch) - 97
    return value


def text_of(i: int) -> str:
    return f"stored question {_code(i)}"


def query_of(i: int) -> str:
    return f"query {_code(i)}"


class TableEmbedder(Embedder):
    """Vectors looked up by the number in the text: embedding costs ~nothing."""

    name = "table"
    dimension = DIM

    def __init__(self, stored: F32, queries: F32) -> None:
        self.stored, self.queries = stored, queries

    def embed(self, texts: Sequence[str]) -> F32:
        rows = [(self.queries if t.startswith("query") else self.stored)[
            _number(t.rsplit(" ", 1)[1])] for t in texts]
        return np.stack(rows).astype(np.float32)


def _cache(data_dir: str, embedder: TableEmbedder) -> Any:
    from gistcache import Cache, Config
    from gistcache.index import InMemoryIndex

    return Cache(Config(data_dir=data_dir, verifier=False), embedder=embedder,
                 background=False, index=InMemoryIndex(DIM, vector_dtype="float16"))


def child_import(data_dir: str, n: int) -> dict[str, Any]:
    from gistcache import CacheRequest, Scope

    embedder = TableEmbedder(*make_dataset("copies", n, LOOKUPS))
    rss0 = rss_bytes()
    cache = _cache(data_dir, embedder)
    res: dict[str, Any] = {}
    scope = Scope()
    start = time.perf_counter()
    with cache.bulk():
        for s in range(0, n, BATCH):
            cache.put_many([(CacheRequest(text_of(i), scope), f"answer {i}")
                            for i in range(s, min(n, s + BATCH))])
        res["rows_s"] = time.perf_counter() - start
    res["import_s"] = time.perf_counter() - start
    res["index_build_s"] = res["import_s"] - res["rows_s"]
    res["rss_after_import_mb"] = (rss_bytes() - rss0) / 2**20
    t = time.perf_counter()
    cache.close()
    res["close_save_s"] = time.perf_counter() - t
    res["files_mb"] = sum(f.stat().st_size for f in Path(data_dir).rglob("*") if f.is_file()
                          ) / 2**20
    return res


def child_open(data_dir: str, n: int) -> dict[str, Any]:
    from gistcache import CacheRequest, HitKind, Scope

    data, queries = make_dataset("copies", n, LOOKUPS)
    embedder = TableEmbedder(data, queries)
    rss0 = rss_bytes()  # the interpreter, numpy and the benchmark's own vectors
    t0 = time.perf_counter()
    cache = _cache(data_dir, embedder)
    res: dict[str, Any] = {"open_s": time.perf_counter() - t0}
    res["rss_mb"] = rss_bytes() / 2**20
    res["cache_rss_mb"] = (rss_bytes() - rss0) / 2**20
    res["before_mb"] = rss0 / 2**20
    res["index_entries"] = len(cache.index)
    scope = Scope()
    rng = np.random.default_rng(5)
    half = LOOKUPS // 2
    targets = rng.integers(0, n, half)

    def timed(requests: list[Any]) -> tuple[dict[str, float], list[Any]]:
        seconds, out = [], []
        for request in requests:
            t = time.perf_counter()
            out.append(cache.lookup(request))
            seconds.append(time.perf_counter() - t)
        return summarize(seconds), out

    exact = [CacheRequest(text_of(int(i)), scope) for i in targets]
    res["exact"], got = timed(exact)
    res["exact_hits"] = sum(g.kind is HitKind.EXACT for g in got)
    res["exact_hot"], _ = timed(exact)
    # make_dataset's first half of queries paraphrase stored entries (cosine ~0.97)
    para = [CacheRequest(query_of(q), scope) for q in range(half)]
    res["semantic"], got = timed(para)
    res["semantic_hits"] = sum(g.kind is HitKind.SEMANTIC for g in got)
    truth = np.concatenate([(queries[s : s + 100] @ data.T).argmax(axis=1)
                            for s in range(0, half, 100)])
    res["semantic_right"] = sum(g.entry is not None and g.entry.key_text == text_of(int(t))
                                for g, t in zip(got, truth, strict=True))
    misses = [CacheRequest(query_of(q), Scope(model="never-stored"))
              for q in range(half, LOOKUPS)]
    res["miss"], _ = timed(misses)
    res["latency"] = {k: v for k, v in cache.metrics.snapshot().get("latency", {}).items()
                      if k in ("search", "fetch", "evaluate", "exact_store")}
    cache.close()
    return res


def spawn(mode: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, *args],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ms(stats: dict[str, float], key: str = "p50") -> str:
    """One quantile of ``summarize`` (already in ms)."""
    return f"{stats[key]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, data_dir, n = args.child[0], args.child[1], int(args.child[2])
        res = child_import(data_dir, n) if mode == "import" else child_open(data_dir, n)
        print(json.dumps(res))
        return
    n = args.entries
    started = time.perf_counter()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        imp = spawn("import", tmp, str(n))
        print(f"import: {imp}", file=sys.stderr, flush=True)
        opened = spawn("open", tmp, str(n)) if "error" not in imp else imp
        print(f"open: {opened}", file=sys.stderr, flush=True)
    if "error" in imp or "error" in opened:
        raise SystemExit(f"failed: {imp.get('error') or opened.get('error')}")
    m = machine()
    lines = [
        "# A million entries through the whole cache",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_scale.py --entries {n}`  ",
        f"Date: {now_utc()}; {time.perf_counter() - started:.0f} s in all  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; 1-minute load "
        f"{load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        "",
        "Method: see the docstring of `benchmarks/bench_scale.py` (embedding excluded: a "
        "lookup-table embedder; index rows stored as float16).",
        "",
        "## Import, save, start-up, memory",
        "",
        md_table(["step", "figure"], [
            ["import: rows stored (put_many, batches of 1,000)",
             f"{imp['rows_s']:.1f} s ({n / imp['rows_s']:,.0f} entries/s)"],
            ["import: index built at the end (one add per scope; in bulk from 65,536)",
             f"{imp['index_build_s']:.1f} s"],
            ["import in all, embedding excluded",
             f"{imp['import_s']:.1f} s ({n / imp['import_s']:,.0f} entries/s)"],
            ["close (index saved)", f"{imp['close_save_s']:.1f} s"],
            ["data directory on disk", f"{imp['files_mb']:,.0f} MB"],
            ["start-up of a new process (saved index up to date)",
             f"{opened['open_s']:.1f} s, {opened['index_entries']:,} entries in the index"],
            ["memory the open cache adds to the process (RSS after start-up minus before)",
             f"{opened['cache_rss_mb']:,.0f} MB (process {opened['rss_mb']:,.0f} MB, of which "
             f"{opened['before_mb']:,.0f} MB were the interpreter and the benchmark's own "
             "copy of the vectors)"],
            ["memory the import added (RSS after import minus before opening)",
             f"{imp['rss_after_import_mb']:,.0f} MB"],
        ]),
        "",
        "## Lookups at this size (ms, embedding excluded)",
        "",
        md_table(["lookup", "n", "p50", "p90", "p99", "max", "result"], [
            ["exact repeat (row read from SQLite)", str(LOOKUPS // 2), ms(opened["exact"]),
             ms(opened["exact"], "p90"), ms(opened["exact"], "p99"), ms(opened["exact"], "max"),
             f"{opened['exact_hits']} exact hits"],
            ["exact repeat (hot tier)", str(LOOKUPS // 2), ms(opened["exact_hot"]),
             ms(opened["exact_hot"], "p90"), ms(opened["exact_hot"], "p99"),
             ms(opened["exact_hot"], "max"), ""],
            ["paraphrase (semantic)", str(LOOKUPS // 2), ms(opened["semantic"]),
             ms(opened["semantic"], "p90"), ms(opened["semantic"], "p99"),
             ms(opened["semantic"], "max"),
             f"{opened['semantic_hits']} hits, {opened['semantic_right']} of them the exact "
             "nearest entry"],
            ["miss (empty scope)", str(LOOKUPS // 2), ms(opened["miss"]),
             ms(opened["miss"], "p90"), ms(opened["miss"], "p99"), ms(opened["miss"], "max"),
             ""],
        ]),
        "",
        "Stage p50 (ms) from `cache.metrics`: " + ", ".join(
            f"{k} {v['p50'] * 1000:.3f}" for k, v in sorted(opened["latency"].items())),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
