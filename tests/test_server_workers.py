"""``gistcache serve`` as real processes: two workers sharing one store, and --fake-upstream."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gistcache.testing import FakeOpenAI, free_port, wait_ready

MODEL = "gpt-4o-mini"




def _body(text: str) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": text}]}


class Served:
    """A ``gistcache serve`` subprocess, stopped with SIGINT like Ctrl-C."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gistcache.cli", "serve", "--port", str(self.port), *args],
            env={**os.environ, **env}, stdout=self._out, stderr=subprocess.STDOUT)

    def wait_ready(self, limit: float = 90.0) -> None:
        wait_ready(self.proc, self.url, limit,
                   detail=lambda: f": {self.log.read_text()}", poll=0.1)

    def chat(self, text: str, **headers: str) -> httpx.Response:
        # a new connection each time, so that the kernel may pick either worker
        return httpx.post(self.url + "/v1/chat/completions", json=_body(text),
                          headers={"connection": "close", **headers}, timeout=30)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        return int(self.proc.returncode)


@pytest.fixture
def upstream() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def test_two_workers_share_writes_and_deletes(tmp_path: Path, upstream: FakeOpenAI) -> None:
    served = Served(["--workers", "2", "--data-dir", str(tmp_path / "data"),
                     "--upstream", upstream.base_url],
                    {"GISTCACHE_UPSTREAM_KEY": upstream.api_key}, tmp_path / "serve.log")
    try:
        served.wait_ready()
        first = served.chat("what's github")
        assert first.headers["x-gistcache"] == "miss"
        writer = first.headers["x-gistcache-worker"]

        # Exact repeats hit on every worker. (They used to hit at once, the exact tier reading
        # the store; since the cache keeps a set of known exact keys, another worker knows the
        # key only after its next sync, so early probes may miss: no-store keeps them from
        # storing duplicates.)
        seen: collections.Counter[tuple[str, str]] = collections.Counter()
        deadline = time.monotonic() + 30  # a guard against hanging, not a speed claim
        while time.monotonic() < deadline:
            response = served.chat("what's github", **{"cache-control": "no-store"})
            seen[(response.headers["x-gistcache"], response.headers["x-gistcache-worker"])] += 1
            if len({w for kind, w in seen if kind == "hit-exact"}) == 2:
                break
        assert {kind for kind, _ in seen} <= {"hit-exact", "miss"}
        assert len({w for kind, w in seen if kind == "hit-exact"}) == 2, \
            f"a worker never served the exact repeat: {seen}"
        exact_misses = sum(n for (kind, _), n in seen.items() if kind == "miss")

        # a paraphrase needs the other worker's index to have picked the vector up (its
        # sync runs every 0.5 s); no-store keeps the probes from storing anything themselves
        other_hit: httpx.Response | None = None
        probe_misses = 0
        deadline = time.monotonic() + 30  # a guard against hanging, not a speed claim
        while other_hit is None and time.monotonic() < deadline:
            probe = served.chat("can you explain what GitHub is", **{"cache-control": "no-store"})
            probe_misses += probe.headers["x-gistcache"] == "miss"
            if probe.headers["x-gistcache-worker"] != writer \
                    and probe.headers["x-gistcache"] == "hit-semantic":
                other_hit = probe
        assert other_hit is not None, "the other worker never served the paraphrase"
        assert other_hit.json()["choices"][0]["message"]["content"] == \
            first.json()["choices"][0]["message"]["content"]
        # every hit was answered without the model
        assert upstream.call_count("/chat/completions") == 1 + exact_misses + probe_misses
        entry_id = other_hit.headers["x-gistcache-entry"]

        # a delete through either worker reaches the other one (tombstones)
        assert httpx.delete(f"{served.url}/entries/{entry_id}").status_code == 200
        misses: set[str] = set()
        deadline = time.monotonic() + 30
        while len(misses) < 2 and time.monotonic() < deadline:
            probe = served.chat("can you explain what GitHub is", **{"cache-control": "no-store"})
            if probe.headers["x-gistcache"] == "miss":
                misses.add(probe.headers["x-gistcache-worker"])
        assert len(misses) == 2, "a worker still served the deleted entry"
    finally:
        code = served.stop()
    assert code == 0
    assert upstream.api_key not in served.log.read_text()


def test_fake_upstream_flag_serves_offline(tmp_path: Path) -> None:
    served = Served(["--fake-upstream", "--fake-latency", "0", "--data-dir",
                     str(tmp_path / "data")],
                    {"GISTCACHE_EMBEDDER": "hash", "OPENAI_API_KEY": ""}, tmp_path / "serve.log")
    try:
        served.wait_ready()
        first = served.chat("hello there")
        second = served.chat("hello there")
    finally:
        code = served.stop()
    assert first.status_code == 200 and "[fake gpt-4o-mini]" in first.text
    assert (first.headers["x-gistcache"], second.headers["x-gistcache"]) == ("miss", "hit-exact")
    assert code == 0
    assert "FAKE OpenAI server" in served.log.read_text()
