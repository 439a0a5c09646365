"""Entries imported per second from a GPTCache 0.1.44 data directory, and the share that came over.

Run (needs the bench extra: ``gptcache==0.1.44`` and ``faiss-cpu``)::

    .venv/bin/python benchmarks/bench_gptcache_import.py             # 100,000 entries
    .venv/bin/python benchmarks/bench_gptcache_import.py --entries 5000

GPTCache itself writes the source directory, in a process of its own started in an empty
temporary directory (it unpickles ``data_map.txt`` from the working directory at import):
``manager_factory("sqlite,faiss")`` filled by its ``import_data`` with distinct questions made
from templates (English, one in ten Korean), a cheap hashed 8-d embedding standing in for its
downloaded model, then one GPTCache hit (a report row) on one question in fifty and a session on
one in a hundred. Then ``gistcache import --from-gptcache DIR`` runs as users run it: the CLI,
the default embedder (all-MiniLM-L6-v2, multilingual-e5-small for Korean), SQLite, batches of
64. It prints the importer's own report (entries/s, share imported) and the wall time of the
command.

Result on this project's 2-core machine, shared with other jobs (load average 9-11)::

    GPTCache wrote 100000 entries in 364 s
    imported 100000 of 100000 GPTCache entries (100.0%) from .../gptcache_data in 2852.5 s
    (35/s), with 2000 hits and 1000 session links
      note: faiss.index ignored: every question is embedded again
    command wall time 2863 s for 100000 GPTCache entries (35 per second, model loading included)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

_WRITER = textwrap.dedent('''
    import hashlib, itertools, random, sys, time
    import numpy as np
    from gptcache import Cache, Config
    from gptcache.adapter.api import get
    from gptcache.manager import manager_factory
    from gptcache.processor.pre import get_prompt
    from gptcache.similarity_evaluation import SearchDistanceEvaluation

    n = int(sys.argv[1])

    def embed(text, **_):
        raw = np.frombuffer(hashlib.sha256(str(text).encode()).digest(), dtype=np.uint8)[:8]
        vec = raw.astype("float32") - 127.5
        return vec / np.linalg.norm(vec)

    verbs = ["install", "configure", "debug", "profile", "test", "deploy", "upgrade", "remove",
             "secure", "monitor", "back up", "restore", "rename", "migrate", "document"]
    things = ["a python package", "a postgres database", "a react component", "an nginx proxy",
              "a kubernetes pod", "a git branch", "a docker image", "a redis cache",
              "a cron job", "a rust crate", "an s3 bucket", "a linux service", "a vpn tunnel",
              "a jupyter kernel", "a kafka topic", "a terraform module", "an ssh key"]
    places = ["on ubuntu", "on windows", "on macos", "in production", "in a container",
              "behind a firewall", "for a small team", "without downtime", "on a raspberry pi",
              "in ci", "on aws", "on gcp", "on azure", "offline", "step by step"]
    asks = ["how do I", "what is the best way to", "can you explain how to", "why can't I",
            "is it safe to", "what happens when I"]
    ko = ["{v}하는 방법", "{v} 하려면 어떻게 해야 하나요", "{v}할 때 주의할 점은"]
    ko_verbs = ["설치", "설정", "배포", "백업", "복원", "삭제", "업그레이드", "모니터링"]
    extras = ["", " in 2024", " quickly", " safely", " as a beginner"]
    combos = itertools.product(extras, asks, verbs, things, places)
    questions = []
    for i, (e, a, v, t, p) in enumerate(combos):
        if len(questions) >= n:
            break
        if i % 10 == 9:
            questions.append(f"{t} {ko[i % 3].format(v=ko_verbs[i % 8])} ({p}, #{i})")
        else:
            questions.append(f"{a} {v} {t} {p}{e}?")
    assert len(set(questions)) == n, "not enough distinct questions"
    answers = [f"answer {i}: do it carefully" for i in range(n)]
    dm = manager_factory("sqlite,faiss", data_dir="gptcache_data",
                         vector_params={"dimension": 8},
                         eviction_params={"max_size": n + 1})
    cache = Cache()
    cache.init(pre_embedding_func=get_prompt, embedding_func=embed, data_manager=dm,
               similarity_evaluation=SearchDistanceEvaluation(),
               config=Config(similarity_threshold=0.99))
    t0 = time.time()
    for start in range(0, n, 5000):
        cache.import_data(questions[start:start + 5000], answers[start:start + 5000])
    for i in range(0, n, 50):
        get(questions[i], cache_obj=cache)
    ids = dm.s.get_ids(deleted=False)
    for i in range(0, len(ids), 100):
        dm.s.add_session(ids[i], f"session-{i % 7}", questions[i])
    cache.flush()
    print(f"GPTCache wrote {n} entries in {time.time() - t0:.0f} s", file=sys.stderr)
''')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DIR", help="write into DIR and keep it")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-import-"))
    root.mkdir(parents=True, exist_ok=True)
    source = root / "gptcache-run"
    source.mkdir(exist_ok=True)
    if any(source.iterdir()):
        print(f"using the GPTCache directory already in {source}", file=sys.stderr)
    else:
        # GPTCache runs `pip install` from inside some of its imports: never let it download
        subprocess.run([sys.executable, "-c", _WRITER, str(args.entries)], cwd=source,
                       check=True, timeout=6 * 3600, env={**os.environ, "PIP_NO_INDEX": "1"})
    target = root / "gistcache-data"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gistcache.cli", "import", "--from-gptcache",
                    str(source / "gptcache_data"), "--data-dir", str(target)],
                   check=True, env=env, timeout=6 * 3600)
    wall = time.perf_counter() - start
    print(f"command wall time {wall:.0f} s for {args.entries} GPTCache entries "
          f"({args.entries / wall:.0f} per second, model loading included); data in {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
