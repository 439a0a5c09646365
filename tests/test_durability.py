"""A process killed with SIGKILL while writing loses no acknowledged put; on reopen the index
and the rows agree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    assert len(acked) >= 300, "the writer did not get far enough"

    cache = Cache(Config(data_dir=str(data)), embedder=WordHashEmbedder(64), background=False)
    try:
        rows = cache.store.all_ids(with_vector=True)
        assert cache.index is not None
        assert cache.index.ids() == set(rows)
        assert deleted, "the writer deleted nothing"
        for i in acked:
            answer = cache.get(f"question number {i} about topic {i % 7}")
            # every acknowledged put is there, and every acknowledged delete is gone
            assert answer == (None if i in deleted else f"answer {i}"), i
    finally:
        cache.close()
