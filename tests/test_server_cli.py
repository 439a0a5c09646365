"""Server settings (YAML, environment, flags) and the ``gistcache`` command line."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config, ConfigError, HitKind
from gistcache.cli import SUBCOMMANDS, build_parser, main
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app, load_settings, worker_app
from gistcache.server.app import SPEC_ENV
from gistcache.server.settings import dump_spec, load_spec
from gistcache.testing import FakeOpenAI

# -- settings -----------------------------------------------------------------------------------


def test_defaults_make_workers_sync_every_half_second() -> None:
    config, settings = load_settings(environ={})
    assert config.sync_interval == 0.5
    assert settings.upstream == "https://api.openai.com/v1"
    assert (settings.host, settings.port, settings.embed_deadline) == ("127.0.0.1", 8000, 2.0)
    assert settings.max_body_bytes == 4 * 1024 * 1024


def test_yaml_then_environment_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "gistcache.yaml"
    path.write_text(
        "similarity_threshold: 0.9\nsync_interval: 2\nport: 9000\n"
        "server:\n  upstream: http://yaml.example/v1\n  admin_key: from-yaml\n"
        "  namespace_from_key: true\n", encoding="utf-8")
    env = {"GISTCACHE_PORT": "9100", "GISTCACHE_SIMILARITY_THRESHOLD": "0.8",
           "OPENAI_API_KEY": "sk-env"}
    config, settings = load_settings(path, environ=env,
                                     cache_overrides={"data_dir": str(tmp_path / "d")},
                                     server_overrides={"upstream": "http://flag.example/v1/"})
    assert config.similarity_threshold == 0.8 and config.sync_interval == 2.0
    assert config.data_dir == str(tmp_path / "d")
    assert settings.port == 9100 and settings.admin_key == "from-yaml"
    assert settings.namespace_from_key is True
    assert settings.upstream == "http://flag.example/v1"
    assert settings.upstream_key == "sk-env"
    _, own = load_settings(environ={"OPENAI_API_KEY": "sk-a", "GISTCACHE_UPSTREAM_KEY": "sk-b"})
    assert own.upstream_key == "sk-b"


@pytest.mark.parametrize(("yaml", "env", "words"), [
    ("prot: 1\n", {}, "unknown setting 'prot'"),
    ("server:\n  colour: red\n", {}, "unknown server setting 'colour'"),
    ("", {"GISTCACHE_WORKERS": "many"}, "'workers'"),
    ("", {"GISTCACHE_NAMESPACE_FROM_KEY": "perhaps"}, "namespace_from_key"),
    ("upstream: ftp://example\n", {}, "http(s) URL"),
    ("embed_deadline: 0\n", {}, "embed_deadline"),
    ("server: [1, 2]\n", {}, "'server'"),
    ("- a\n", {}, "mapping"),
])
def test_bad_settings_name_what_is_wrong(tmp_path: Path, yaml: str, env: dict[str, str],
                                         words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml, encoding="utf-8")
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_settings(path, environ=env)


def test_bad_key_values_are_not_echoed() -> None:
    with pytest.raises(ConfigError) as err:
        ServerSettings.from_mapping({"admin_key": ["sk-secret-list"]})
    assert "sk-secret-list" not in str(err.value) and "<hidden>" in str(err.value)


def test_worker_spec_round_trips() -> None:
    config = Config(data_dir="/tmp/x", similarity_threshold=0.7,
                    prices={"m": (1.0, 2.0)}, guards=["negation"])
    settings = ServerSettings(workers=3, upstream_key="sk-k", admin_key="a")
    got_config, got_settings = load_spec(dump_spec(config, settings))
    assert got_config == config and got_settings == settings
    with pytest.raises(ConfigError, match="unreadable"):
        load_spec("{}")


def test_worker_factory_needs_the_settings_of_gistcache_serve(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_ENV, raising=False)
    with pytest.raises(ConfigError, match="gistcache serve"):
        worker_app()
    monkeypatch.setenv(SPEC_ENV, dump_spec(Config(data_dir=":memory:"),
                                           ServerSettings(port=1234)))
    assert worker_app().title == "gistcache"


# -- the command line ---------------------------------------------------------------------------


def test_every_subcommand_is_registered_and_documented(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert set(SUBCOMMANDS) >= {"serve", "stats", "export", "import", "flush"}
    parser = build_parser()
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as done:
            parser.parse_args([name, "--help"])
        assert done.value.code == 0
        assert "usage: gistcache " + name in capsys.readouterr().out
    assert main([]) == 2


def test_serve_with_bad_settings_exits_2_with_the_reason(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["serve", "--upstream", "ftp://nowhere", "--data-dir", ":memory:"]) == 2
    assert "upstream must be an http(s) URL" in capsys.readouterr().err


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Path]:
    """A data directory with a chat entry, an exact-only entry and an expired one."""
    data = tmp_path / "source"
    times = iter([1_000.0, 2_000.0, 3_000.0])
    now = {"t": 0.0}
    cache = Cache(Config(data_dir=str(data)), embedder=WordHashEmbedder(256), background=False,
                  clock=lambda: now["t"], rng=random.Random(1))
    now["t"] = next(times) + 1.7e9
    cache.put("what is the boiling point of water", "100 C at sea level", model="gpt-4o",
              namespace="science")
    now["t"] = next(times) + 1.7e9
    cache.put_request(cache.request("ab" * 32, model="whisper-1", exact=True), "a transcript")
    now["t"] = next(times)
    cache.put("an old question", "an old answer", ttl=10)  # expired long ago
    cache.close()
    yield data


def test_export_writes_json_lines_without_vectors(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "entries.jsonl"
    assert main(["export", "--data-dir", str(filled), "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["answer"] for line in lines] == ["100 C at sea level", "a transcript",
                                                  "an old answer"]
    first = lines[0]
    assert first["namespace"] == "science" and first["scope"]["model"] == "gpt-4o"
    assert first["created_at"] == 1_000.0 + 1.7e9 and first["exact"] is False
    assert lines[1]["exact"] is True
    assert not any("embedding" in line or "vector" in line for line in lines)
    only = tmp_path / "science.jsonl"
    main(["export", "--data-dir", str(filled), "--namespace", "science", "-o", str(only)])
    assert len(only.read_text(encoding="utf-8").splitlines()) == 1


def test_import_re_embeds_with_the_target_embedder(filled: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "entries.jsonl"
    main(["export", "--data-dir", str(filled), "-o", str(dump)])
    target = tmp_path / "target"
    # the target uses the default embedder (all-MiniLM), not the source's lexical one
    assert main(["import", str(dump), "--data-dir", str(target)]) == 0
    err = capsys.readouterr().err
    assert "imported 2 entries, skipped 1 expired" in err
    assert "100.0% 3/3" in err  # the progress bar, over the file's lines
    cache = Cache(Config(data_dir=str(target)), background=False)
    try:
        para = cache.lookup(cache.request("tell me the boiling point of water",
                                          model="gpt-4o", namespace="science"))
        assert para.kind is HitKind.SEMANTIC and para.answer == "100 C at sea level"
        assert para.entry is not None and para.entry.created_at == 1_000.0 + 1.7e9
        exact = cache.lookup(cache.request("ab" * 32, model="whisper-1", exact=True))
        assert exact.answer == "a transcript"
        assert cache.store.get_meta("embedder") == f"{cache.embedder.name}/384"  # type: ignore[union-attr]
    finally:
        cache.close()


def test_import_reports_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "bad.jsonl"
    dump.write_text('{"key_text": "q", "answer": "a", "scope": {}}\n{"answer": 5}\n',
                    encoding="utf-8")
    assert main(["import", str(dump), "--data-dir", str(tmp_path / "t")]) == 2
    assert "line 2" in capsys.readouterr().err


def test_stats_of_a_data_directory(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--data-dir", str(filled), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entries"] == 3 and data["namespaces"] == {"default": 2, "science": 1}
    assert data["embedder"] == "words-256/256"
    assert main(["stats", "--data-dir", str(filled)]) == 0
    assert "namespace science: 1" in capsys.readouterr().out


def test_stats_of_a_running_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI() as up:
        cache = Cache(Config(data_dir=str(tmp_path / "d")), embedder=WordHashEmbedder(256),
                      background=False)
        settings = ServerSettings(upstream=up.base_url, admin_key="adm")
        with ServerThread(create_app(cache, settings)) as server:
            cache.put("q", "a")
            assert main(["stats", "--url", server.url, "--admin-key", "adm"]) == 0
            assert json.loads(capsys.readouterr().out)["cache"]["entries"] == 1
            assert main(["stats", "--url", server.url]) == 2
            assert "401" in capsys.readouterr().err
        cache.close()


def test_flush_needs_yes_and_can_keep_other_namespaces(filled: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert main(["flush", "--data-dir", str(filled)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["flush", "--data-dir", str(filled), "--namespace", "science", "--yes"]) == 0
    assert "deleted 1 entries from namespace 'science'" in capsys.readouterr().err
    main(["stats", "--data-dir", str(filled), "--json"])
    assert json.loads(capsys.readouterr().out)["namespaces"] == {"default": 2}
    assert main(["flush", "--data-dir", str(filled), "--yes"]) == 0
    main(["stats", "--data-dir", str(filled), "--json"])
    assert json.loads(capsys.readouterr().out)["entries"] == 0


def test_commands_on_another_embedders_data_say_so(filled: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_text("", encoding="utf-8")
    # importing into the lexical store with the default embedder would mix vectors
    assert main(["import", str(dump), "--data-dir", str(filled)]) == 2
    assert "not comparable" in capsys.readouterr().err
