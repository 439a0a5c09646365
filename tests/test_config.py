"""Settings from code, the environment and YAML (safe loader only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gistcache import Cache, Config, ConfigError
from gistcache.embedders import WordHashEmbedder


def test_environment_overrides_defaults() -> None:
    cfg = Config.from_env({"GISTCACHE_SIMILARITY_THRESHOLD": "0.9", "GISTCACHE_TOP_K": "3",
                           "GISTCACHE_MAX_ENTRIES": "none", "GISTCACHE_GUARDS": "negation,numbers",
                           "OTHER": "x"})
    assert cfg.similarity_threshold == 0.9
    assert cfg.top_k == 3
    assert cfg.max_entries is None
    assert cfg.guards == ["negation", "numbers"]


def test_yaml_file_then_env_then_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("similarity_threshold: 0.8\nmax_entries: 100\neviction: lfu\n")
    monkeypatch.setenv("GISTCACHE_MAX_ENTRIES", "200")
    cfg = Config.load(path, eviction="fifo")
    assert (cfg.similarity_threshold, cfg.max_entries, cfg.eviction) == (0.8, 200, "fifo")


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("similarity_threshold: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Config.from_yaml(path)


def test_bad_settings_name_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("similarity_treshold: 0.8\n")
    with pytest.raises(ConfigError, match="similarity_treshold"):
        Config.from_yaml(path)
    with pytest.raises(ConfigError, match=r"cosine similarity in \[-1, 1\]"):
        Config(similarity_threshold=4.0)
    with pytest.raises(ConfigError, match="top_k"):
        Config.from_env({"GISTCACHE_TOP_K": "abc"})
    with pytest.raises(ConfigError, match="eviction policy"):
        Cache(Config(data_dir=":memory:", eviction="random"), embedder=WordHashEmbedder(),
              background=False)


def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError, match="data directory"):
        Cache(Config(data_dir=str(blocker / "sub")), embedder=WordHashEmbedder(),
              background=False)


def test_in_memory_cache_writes_no_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.chdir(tmp_path)
    with Cache(Config(data_dir=":memory:"), embedder=WordHashEmbedder(),
               background=False) as cache:
        cache.put("q", "a")
        assert cache.get("q") == "a"
    assert list(tmp_path.iterdir()) == []


def test_import_has_no_side_effects(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, threading, gistcache, gistcache.gptcache; "
            "assert 'onnxruntime' not in sys.modules, 'onnxruntime loaded at import'; "
            "assert threading.active_count() == 1; import os; print(sorted(os.listdir('.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("settings", "words"), [
    ({"max_entries": -1}, "max_entries must be an integer >= 1"),
    ({"max_entries": 0}, "max_entries must be an integer >= 1"),
    ({"max_bytes": 1.5}, "max_bytes must be an integer >= 1"),
    ({"ttl": float("nan")}, "ttl must be a finite number"),
    ({"ttl": float("inf")}, "ttl must be a finite number"),
    ({"ttl": -3}, "ttl must be a finite number"),
    ({"sync_interval": float("nan")}, "sync_interval must be a finite number"),
    ({"memory_bytes": -1}, "memory_bytes"),
    ({"context_threshold": 2}, "context_threshold is a cosine similarity"),
    ({"verifier_threshold": 1.5}, "verifier_threshold is a probability"),
    ({"top_k": 2.5}, "top_k must be an integer"),
])
def test_out_of_range_settings_are_refused_naming_them(settings: dict[str, object],
                                                       words: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        Config(**settings)  # type: ignore[arg-type]


def test_out_of_range_settings_from_the_environment_are_refused() -> None:
    with pytest.raises(ConfigError, match="max_entries"):
        Config.from_env({"GISTCACHE_MAX_ENTRIES": "-1"})
    with pytest.raises(ConfigError, match="ttl"):
        Config.from_env({"GISTCACHE_TTL": "nan"})
