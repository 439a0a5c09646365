"""Shared fixtures: real SQLite files in temp dirs, a controllable clock, fast embedders."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_cache(tmp_path: Path, clock: FakeClock) -> Iterator[object]:
    """Build caches on a real SQLite file with the fast lexical embedder; closed afterwards."""
    made: list[Cache] = []

    def make(data_dir: Path | None = None, **settings: object) -> Cache:
        kwargs = {k: settings.pop(k) for k in list(settings)
                  if k in ("embedder", "index", "store", "evaluator", "eviction", "postprocess",
                           "next_cache", "exact_only", "rng")}
        # the mechanics are tested with a lexical embedder; the pair verifier has its own tests
        settings.setdefault("verifier", False)
        cfg = Config(data_dir=str(data_dir or tmp_path / "data"), **settings)  # type: ignore[arg-type]
        if "embedder" not in kwargs and not kwargs.get("exact_only"):
            kwargs["embedder"] = WordHashEmbedder(256)
        kwargs.setdefault("rng", random.Random(7))
        cache = Cache(cfg, clock=clock, background=False, **kwargs)  # type: ignore[arg-type]
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.close()
