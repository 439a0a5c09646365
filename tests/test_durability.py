"""A process killed with SIGKILL while writing loses no acknowledged put; on reopen the index
and the rows agree.

One long run with the background thread saving the index every 50 ms, and a property test
(hypothesis, seeded and bounded) that kills writers at random points of write bursts, index
saves and deletes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder

WRITER = textwrap.dedent(
    """
    import sys
    from gistcache import Cache, Config
    from gistcache.embedders import WordHashEmbedder

    cfg = Config(data_dir=sys.argv[1], save_interval=0.05, flush_interval=0.01,
                 sync_interval=0.01)
    cache = Cache(cfg, embedder=WordHashEmbedder(64))
    def text(i):
        return f"question number {i} about topic {i % 7}"

    i = 0
    while True:
        entry = cache.put(text(i), f"answer {i}")
        cache.get(text(i // 2))
        if i % 10 == 9:
            gone = i - 5
            cache.delete([cache.store.get_by_exact_key(cache.request(text(gone)).exact_key).id])
            print("deleted", gone, flush=True)  # acknowledged: delete returned
        print("put", i, flush=True)  # acknowledged: put returned
        i += 1
    """
)


def test_sigkill_while_writing_loses_no_acknowledged_put(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert proc.stdout is not None
    acked: list[int] = []
    deleted: set[int] = set()
    deadline = time.monotonic() + 60
    while len(acked) < 300 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        what, number = line.split()
        (acked.append if what == "put" else deleted.add)(int(number))
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    # what the writer printed before it died was acknowledged too (a delete of a put read
    # above may have been done after the last line read)
    for line in proc.stdout.read().splitlines():
        what, number = line.split()
        (acked.append if what == "put" else deleted.add)(int(number))
    proc.stdout.close()
    assert len(acked) >= 300, "the writer did not get far enough"

    cache = Cache(Config(data_dir=str(data)), embedder=WordHashEmbedder(64), background=False)
    try:
        rows = cache.store.all_ids(with_vector=True)
        assert cache.index is not None
        assert cache.index.ids() == set(rows)
        assert deleted, "the writer deleted nothing"
        # the step after the last line may have deleted an earlier put before it printed
        following = max(acked) + 1
        in_flight = following - 5 if following % 10 == 9 else None
        for i in acked:
            answer = cache.get(f"question number {i} about topic {i % 7}")
            # every acknowledged put is there, and every acknowledged delete is gone
            if i == in_flight:
                assert answer in (None, f"answer {i}"), i
            else:
                assert answer == (None if i in deleted else f"answer {i}"), i
    finally:
        cache.close()


#: a writer whose bursts, saves and deletes are set by its arguments; it prints each
#: acknowledged operation (after the call returned) and runs until it is killed
BURST_WRITER = textwrap.dedent(
    """
    import sys
    from gistcache import Cache, Config
    from gistcache.embedders import WordHashEmbedder

    data, (save_every, delete_every, namespaces, start) = sys.argv[1], map(int, sys.argv[2:6])
    cache = Cache(Config(data_dir=data, verifier=False), embedder=WordHashEmbedder(64),
                  background=False)
    print("ready", flush=True)
    i = start
    while True:
        text = f"burst question {i} on subject {i % 5}"
        cache.put(text, f"answer {i}", namespace=f"ns{i % namespaces}")
        print("put", i, flush=True)
        if (i - start) % delete_every == delete_every - 1:
            gone = i - 2
            key = cache.request(f"burst question {gone} on subject {gone % 5}",
                                namespace=f"ns{gone % namespaces}").exact_key
            entry = cache.store.get_by_exact_key(key)
            cache.delete([entry.id])
            print("deleted", gone, flush=True)
        if (i - start) % save_every == save_every - 1:
            cache.maintain(force=True)  # hit counts, index save: a kill may land inside
        i += 1
    """
)


def _run_until_killed(data: Path, kill_after: int, save_every: int, delete_every: int,
                      namespaces: int, start: int) -> tuple[list[int], set[int], set[int]]:
    """Start a writer and kill it with SIGKILL once ``kill_after`` puts were read; returns
    the puts and deletes it acknowledged (every line it printed, read after its death too)
    and the put whose delete may have been in flight when it died."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", BURST_WRITER, str(data), str(save_every), str(delete_every),
         str(namespaces), str(start)], stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        assert proc.stdout.readline().strip() == "ready"
        while sum(1 for line in lines if line.startswith("put")) < kill_after:
            line = proc.stdout.readline()
            assert line, "the writer stopped before it was killed"
            lines.append(line)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    # the writer may have run ahead of what was read: what it printed before dying was
    # acknowledged all the same
    lines += proc.stdout.read().splitlines()
    proc.stdout.close()
    acked = [int(line.split()[1]) for line in lines if line.startswith("put")]
    deleted = {int(line.split()[1]) for line in lines if line.startswith("deleted")}
    last = acked[-1]
    in_flight = {last - 2} if (last - start) % delete_every == delete_every - 1 \
        and lines[-1].startswith("put") else set()
    return acked, deleted, in_flight


def test_random_kill_points_lose_nothing_acknowledged(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    figures: Counter[str] = Counter()

    @settings(max_examples=8, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(kill_after=st.integers(1, 120), save_every=st.integers(1, 25),
           delete_every=st.integers(3, 12), namespaces=st.integers(1, 3),
           restarts=st.integers(1, 2))
    def run(kill_after: int, save_every: int, delete_every: int, namespaces: int,
            restarts: int) -> None:
        data = tmp_path_factory.mktemp("kill") / "data"
        acked: list[int] = []
        deleted: set[int] = set()
        either: set[int] = set()  # deleted or not: the delete was in flight
        # kill, restart on the same data, kill again: each restart recovers from the last
        for run_number in range(restarts):  # questions of each run are new ones
            more, gone, maybe = _run_until_killed(data, kill_after, save_every, delete_every,
                                                  namespaces, start=run_number * 100_000)
            figures["kill points"] += 1
            acked += more
            deleted |= gone
            either |= maybe
        with Cache(Config(data_dir=str(data), verifier=False), embedder=WordHashEmbedder(64),
                   background=False) as cache:
            rows = cache.store.all_ids(with_vector=True)
            assert cache.index is not None
            assert cache.index.ids() == set(rows)  # the index agrees with the rows
            vectors = cache.store.vectors(list(rows))
            for entry_id, (scope_key, blob) in vectors.items():
                vector = np.frombuffer(blob, dtype=np.float32)
                hits = cache.index.search(scope_key, vector, 1)
                assert hits and hits[0][0] == entry_id  # and every row can be found
            for i in acked:
                answer = cache.get(f"burst question {i} on subject {i % 5}",
                                   namespace=f"ns{i % namespaces}")
                # every acknowledged put is there, every acknowledged delete is gone
                if i in either:
                    assert answer in (None, f"answer {i}"), i
                else:
                    assert answer == (None if i in deleted else f"answer {i}"), i
            figures["acknowledged puts checked"] += len(acked)
            figures["acknowledged deletes checked"] += len(deleted)

    run()
    print(f"\nkill -9 property: {dict(figures)}")
    assert figures["kill points"] >= 8 and figures["acknowledged deletes checked"] > 0
