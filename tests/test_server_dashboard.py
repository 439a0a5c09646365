"""The dashboard: its JSON, its self-containment, and its live rendering in headless Chromium."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

ADMIN = "adm-dash"


@pytest.fixture
def proxy(tmp_path: Path, clock: Any) -> Iterator[ServerThread]:
    with FakeOpenAI() as up:
        cache = Cache(Config(data_dir=str(tmp_path / "data"), similarity_threshold=0.5),
                      embedder=WordHashEmbedder(256), clock=clock, background=False,
                      rng=random.Random(7))
        settings = ServerSettings(upstream=up.base_url, upstream_key=up.api_key,
                                  admin_key=ADMIN)
        with ServerThread(create_app(cache, settings, clock=clock)) as server:
            for text in ("what is a dashboard", "what is a dashboard", "what is a dashboard"):
                httpx.post(server.base_url + "/chat/completions",
                           json={"model": "gpt-4o", "messages": [{"role": "user",
                                                                   "content": text}]})
            yield server
        cache.close()


def test_dashboard_data_has_live_figures(proxy: ServerThread, clock: Any) -> None:
    url = proxy.url + "/dashboard/data"
    assert httpx.get(url).status_code == 401
    data = httpx.get(url, headers={"x-gistcache-admin-key": ADMIN}).json()
    assert (data["hits"], data["requests"]) == (2, 3)
    assert data["outcomes"] == {"miss": 1, "hit-exact": 2}
    assert data["top_entries"][0]["hits"] == 2
    assert data["top_entries"][0]["key_text"] == "what is a dashboard"
    assert data["cost_saved_usd"] > 0 and data["latency_ms"]["hit"]["p50"] is not None
    clock.advance(5)
    later = httpx.get(url, headers={"x-gistcache-admin-key": ADMIN}).json()
    assert len(later["series"]) == 2  # one sample per interval, for the chart


def test_dashboard_page_is_self_contained(proxy: ServerThread) -> None:
    html = httpx.get(proxy.url + "/dashboard").text
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}  # an XML namespace name, never fetched
    assert "<script src" not in html and "<link" not in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None,
                    reason="headless Chromium is not installed (apt-get install -y chromium)")
def test_dashboard_renders_live_numbers_in_headless_chromium(proxy: ServerThread,
                                                             tmp_path: Path) -> None:
    browser = _chromium()
    assert browser is not None
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
         # run the page's timers and fetches before the DOM is dumped
         "--virtual-time-budget=5000", "--dump-dom",
         f"{proxy.url}/dashboard#key={ADMIN}"],
        capture_output=True, text=True, timeout=120, check=False)
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert '<span id="hits">2</span>' in dom
    assert '<span id="requests">3</span>' in dom
    assert '<div class="value" id="hit-rate">66.7%</div>' in dom
    assert "what is a dashboard" in dom  # the most-hit entries table
    assert "<polyline" in dom or "<circle" in dom  # the hit-rate chart was drawn
    assert "live, updated" in dom
