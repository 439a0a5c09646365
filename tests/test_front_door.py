"""The front door, tried as a new user would: the upstream in the scope, ``gistcache serve``
starting and stopping, its help."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from test_server_support import ServerThread

from gistcache import DEFAULT_THRESHOLD, Cache, Config, HitKind
from gistcache.cli import build_parser
from gistcache.embedders import WordHashEmbedder
from gistcache.openai import cache_info, default_client, wrap
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI, free_port

SRC = Path(__file__).resolve().parents[1] / "src"
MODEL = "gpt-4o-mini"
ASK = [{"role": "user", "content": "what is the tallest mountain"}]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(Config(data_dir=str(tmp_path / "data")), embedder=WordHashEmbedder(256),
               background=False) as made:
        yield made


def _kind(reply: Any) -> HitKind:
    info = cache_info(reply)
    assert info is not None
    return info.kind


def test_answers_of_one_upstream_are_never_served_for_another(cache: Cache) -> None:
    with FakeOpenAI() as one, FakeOpenAI() as other:
        first = wrap(openai.OpenAI(base_url=one.base_url, api_key=one.api_key), cache)
        second = wrap(openai.OpenAI(base_url=other.base_url, api_key=other.api_key), cache)
        assert _kind(first.chat.completions.create(model=MODEL, messages=ASK)) is HitKind.MISS
        assert _kind(first.chat.completions.create(model=MODEL, messages=ASK)) is HitKind.EXACT
        assert _kind(second.chat.completions.create(model=MODEL, messages=ASK)) is HitKind.MISS
        assert one.call_count() == other.call_count() == 1


def test_the_fake_models_answers_stay_apart(cache: Cache, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake = wrap(default_client(max_retries=0), cache)
    assert "FAKE model" in capsys.readouterr().err
    assert _kind(fake.chat.completions.create(model=MODEL, messages=ASK)) is HitKind.MISS
    assert _kind(fake.chat.completions.create(model=MODEL, messages=ASK)) is HitKind.EXACT
    # with a key, the same data directory does not serve the fake's answers
    with FakeOpenAI() as real:
        monkeypatch.setenv("OPENAI_API_KEY", real.api_key)
        client = wrap(default_client(base_url=real.base_url, max_retries=0), cache)
        assert _kind(client.chat.completions.create(model=MODEL, messages=ASK)) \
            is HitKind.MISS
        assert real.call_count() == 1


def test_the_server_keeps_a_fake_upstreams_entries_apart(cache: Cache) -> None:
    with FakeOpenAI() as up:
        fake = ServerSettings(upstream=up.base_url, upstream_scope="fake-openai")
        for settings, kinds in ((fake, ("miss", "hit-exact")),
                                (ServerSettings(upstream=up.base_url), ("miss",))):
            with ServerThread(create_app(cache, settings)) as server, \
                    openai.OpenAI(base_url=server.base_url, api_key=up.api_key) as client:
                for want in kinds:
                    raw = client.chat.completions.with_raw_response.create(model=MODEL,
                                                                           messages=ASK)
                    assert raw.headers["x-gistcache"] == want
        assert up.call_count() == 2


def test_serve_help_gives_the_real_similarity_default(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    assert f"(default {DEFAULT_THRESHOLD:.2f})" in " ".join(capsys.readouterr().out.split())




@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_serve_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "GISTCACHE_EMBEDDER": "hash"}
    env.pop("OPENAI_API_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gistcache.cli import main; raise SystemExit(main())",
         "serve", "--fake-upstream", "--fake-latency", "0", "--port", str(port),
         "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(timeout=1) as http:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # waiting for start-up, not for time to pass
                try:
                    if http.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    try:
                        proc.wait(timeout=0.05)
                        break  # it exited: the assertions below say why
                    except subprocess.TimeoutExpired:
                        continue
            answer = http.post(f"http://127.0.0.1:{port}/v1/chat/completions",
                               json={"model": MODEL, "messages": ASK}, timeout=10)
            assert answer.status_code == 200 and answer.headers["x-gistcache"] == "miss"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "gistcache stopped" in out
    assert "upstream=fake-openai" in err  # it said at start-up that the fake's entries are apart


def test_the_package_imports_where_there_is_no_fcntl(tmp_path: Path) -> None:
    # Windows has no fcntl: the package must import there (the index lock uses msvcrt)
    code = ("import sys\nsys.modules['fcntl'] = None\n"
            "import gistcache, gistcache.openai, gistcache.server, gistcache.gptcache\n"
            "print('imported')\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "imported"
