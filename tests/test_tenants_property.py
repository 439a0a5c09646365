"""Property tests (hypothesis): whatever the interleaving of puts, gets, deletes, clears and
the passing of time across namespaces and API-key tenants, a lookup never returns another
tenant's entry, nor a deleted or expired one.

Two layers, both on real parts: the library (a cache on a real SQLite file, the lexical
embedder so that paraphrases hit semantically) and the proxy server with
``namespace_from_key`` (uvicorn on 127.0.0.1, the fake OpenAI upstream, the official HTTP
routes), where tenants are API keys and one of them keeps sending another's namespace header.
The clock is injected: time passes only when a step says so. Runs are seeded (derandomize)
and bounded (max_examples).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import FakeClock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_server_support import ServerThread

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app
from gistcache.server._http import key_namespace
from gistcache.testing import FakeOpenAI

#: questions shared by every tenant, with paraphrases that the lexical embedder scores close
QUESTIONS = [
    "what is the refund policy", "what is the refund policy for orders",
    "how do I reset my password", "how do I reset my password today",
]
TENANTS = ["alice", "bob", "carol"]
SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Stored:
    """What the model knows of one entry."""

    tenant: str
    question: str
    answer: str
    exact_key: str
    expires_at: float | None
    alive: bool = True


@dataclass
class Model:
    """The entries that may be served: by id."""

    entries: dict[int, Stored] = field(default_factory=dict)

    def stored(self, entry_id: int, item: Stored) -> None:
        for other in self.entries.values():  # an exact repeat replaces the old entry
            if other.exact_key == item.exact_key:
                other.alive = False
        self.entries[entry_id] = item

    def others_hold(self, tenant: str, question: str) -> bool:
        """Another tenant holds a live entry for this very question."""
        return any(item.alive and item.tenant != tenant and item.question == question
                   for item in self.entries.values())

    def check_served(self, entry_id: int, tenant: str, answer: str, now: float) -> None:
        item = self.entries.get(entry_id)
        assert item is not None, f"entry {entry_id} was never stored"
        assert item.tenant == tenant, f"{tenant} got {item.tenant}'s entry {entry_id}"
        assert item.alive, f"entry {entry_id} was deleted"
        assert item.expires_at is None or item.expires_at > now, f"entry {entry_id} expired"
        assert answer == item.answer


# -- the library ------------------------------------------------------------------------------

_put = st.tuples(st.just("put"), st.sampled_from(TENANTS), st.sampled_from(QUESTIONS),
                 st.one_of(st.none(), st.sampled_from([5.0, 30.0])))
_get = st.tuples(st.just("get"), st.sampled_from(TENANTS), st.sampled_from(QUESTIONS))
_steps = st.lists(st.one_of(
    _put, _get, _get, _get,
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("clear"), st.sampled_from(TENANTS)),
    st.tuples(st.just("wait"), st.sampled_from([1.0, 10.0, 40.0])),
    st.tuples(st.just("expire")),
), min_size=10, max_size=40)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[Cache, FakeClock]]:
    clock = FakeClock()
    cache = Cache(Config(data_dir=str(tmp_path / "lib"), verifier=False,
                         similarity_threshold=0.6),
                  embedder=WordHashEmbedder(256), clock=clock, background=False,
                  rng=random.Random(5))
    yield cache, clock
    cache.close()


def test_library_never_serves_another_tenants_entry(library: tuple[Cache, FakeClock]) -> None:
    cache, clock = library
    counts: Counter[str] = Counter()

    @SETTINGS
    @given(steps=_steps)
    def run(steps: list[tuple[Any, ...]]) -> None:
        cache.clear()
        model = Model()
        counts["examples"] += 1
        for step in steps:
            kind = step[0]
            counts["steps"] += 1
            if kind == "put":
                _, tenant, question, ttl = step
                answer = f"{tenant}: {question} #{len(model.entries)}"
                entry = cache.put(question, answer, namespace=tenant, ttl=ttl)
                model.stored(entry.id, Stored(tenant, question, answer, entry.exact_key,
                                              entry.expires_at))
            elif kind == "get":
                _, tenant, question = step
                if model.others_hold(tenant, question):
                    counts["lookups another tenant could have answered"] += 1
                found = cache.lookup(cache.request(question, namespace=tenant))
                if found.hit:
                    assert found.entry is not None
                    model.check_served(found.entry.id, tenant, found.entry.answer, clock())
                    counts[found.kind.value] += 1
            elif kind == "delete":
                ids = sorted(model.entries)
                if ids:
                    victim = ids[step[1] % len(ids)]
                    cache.delete([victim])
                    model.entries[victim].alive = False
            elif kind == "clear":
                cache.clear(step[1])
                for item in model.entries.values():
                    if item.tenant == step[1]:
                        item.alive = False
            elif kind == "wait":
                clock.advance(step[1])
            else:
                cache.expire()
        # every row still listed is one the model holds alive, and every live, unexpired
        # entry is still listed (expired rows linger until expire() drops them, unserved)
        now = clock()
        listed = {e.id for e in cache.entries(limit=1000)}
        assert all(model.entries[i].alive for i in listed)
        assert {i for i, item in model.entries.items()
                if item.alive and (item.expires_at is None or item.expires_at > now)} <= listed

    run()
    print(f"\nlibrary interleavings: {dict(counts)}")
    assert counts["hit-exact"] > 0 and counts["hit-semantic"] > 0
    assert counts["lookups another tenant could have answered"] > 0


# -- the server, tenants by API key -----------------------------------------------------------

ADMIN = "adm-tenants"


@dataclass
class Proxy:
    url: str
    cache: Cache
    clock: FakeClock
    http: httpx.Client


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Proxy]:
    clock = FakeClock()

    def answer(body: dict[str, Any]) -> str:
        # the tenant that asked is in the answer: a leak shows as another tenant's name
        return f"{body.get('user')}: {body['messages'][-1]['content']}"

    with FakeOpenAI(require_key=False, answer_fn=answer) as up:
        cache = Cache(Config(data_dir=str(tmp_path / "srv"), verifier=False,
                             similarity_threshold=0.6),
                      embedder=WordHashEmbedder(256), clock=clock, background=False,
                      rng=random.Random(5))
        settings_ = ServerSettings(upstream=up.base_url, admin_key=ADMIN,
                                   namespace_from_key=True)
        with ServerThread(create_app(cache, settings_, clock=clock)) as thread, \
                httpx.Client(timeout=30) as http:
            yield Proxy(thread.url, cache, clock, http)
        cache.close()


_server_steps = st.lists(st.one_of(
    st.tuples(st.just("put"), st.sampled_from(TENANTS), st.sampled_from(QUESTIONS)),
    st.tuples(st.just("chat"), st.sampled_from(TENANTS), st.sampled_from(QUESTIONS),
              st.one_of(st.none(), st.sampled_from(["5", "30"])), st.booleans()),
    st.tuples(st.just("get"), st.sampled_from(TENANTS), st.sampled_from(QUESTIONS),
              st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("wait"), st.sampled_from([1.0, 10.0, 40.0])),
), min_size=8, max_size=20)


def _headers(tenant: str, spoof: bool) -> dict[str, str]:
    headers = {"authorization": f"Bearer sk-{tenant}"}
    if spoof:  # claim the first tenant's namespace: ignored with namespace_from_key
        headers["x-gistcache-namespace"] = key_namespace(f"sk-{TENANTS[0]}")
    return headers


def test_server_never_serves_another_api_keys_entry(proxy: Proxy) -> None:
    counts: Counter[str] = Counter()

    @settings(derandomize=True, database=None, deadline=None, max_examples=40,
              suppress_health_check=[HealthCheck.too_slow])
    @given(steps=_server_steps)
    def run(steps: list[tuple[Any, ...]]) -> None:
        proxy.cache.clear()
        deleted: set[int] = set()
        counts["examples"] += 1
        for step in steps:
            kind = step[0]
            counts["requests"] += 1
            if kind == "chat":
                _, tenant, question, ttl, spoof = step
                headers = _headers(tenant, spoof)
                if ttl is not None:
                    headers["x-gistcache-ttl"] = ttl
                response = proxy.http.post(
                    proxy.url + "/v1/chat/completions", headers=headers,
                    json={"model": "gpt-4o-mini", "user": tenant,
                          "messages": [{"role": "user", "content": question}]})
                assert response.status_code == 200, response.text
                text = response.json()["choices"][0]["message"]["content"]
                assert text.startswith(f"{tenant}: "), f"{tenant} was served {text!r}"
                counts[response.headers["x-gistcache"]] += 1
                if response.headers["x-gistcache"].startswith("hit"):
                    assert int(response.headers["x-gistcache-entry"]) not in deleted
                    counts["hits with a spoofed namespace header"] += spoof
            elif kind == "put":  # the admin stores into a tenant's namespace (its key)
                _, tenant, question = step
                stored = proxy.http.post(
                    proxy.url + "/put", json={"prompt": question, "answer": f"{tenant}: put"},
                    headers={"x-gistcache-admin-key": ADMIN,
                             "authorization": f"Bearer sk-{tenant}"})
                assert stored.status_code == 200, stored.text
            elif kind == "get":
                _, tenant, question, spoof = step
                response = proxy.http.post(proxy.url + "/get", json={"prompt": question},
                                           headers=_headers(tenant, spoof))
                assert response.status_code == 200, response.text
                answer = response.json()["answer"]
                assert answer is None or answer.startswith(f"{tenant}: "), \
                    f"{tenant} was served {answer!r}"
                counts["/get " + response.headers["x-gistcache"]] += 1
            elif kind == "delete":
                ids = sorted(e.id for e in proxy.cache.entries(limit=1000))
                if ids:
                    victim = ids[step[1] % len(ids)]
                    gone = proxy.http.delete(f"{proxy.url}/entries/{victim}",
                                             headers={"x-gistcache-admin-key": ADMIN})
                    assert gone.status_code == 200
                    deleted.add(victim)
            else:
                proxy.clock.advance(step[1])
        for entry in proxy.cache.entries(limit=1000):
            tenant = entry.answer.split(":", 1)[0]
            assert entry.namespace == key_namespace(f"sk-{tenant}")

    run()
    print(f"\nserver interleavings: {dict(counts)}")
    assert counts["hit-exact"] > 0 and counts["miss"] > 0
    assert counts["/get hit-exact"] + counts["/get hit-semantic"] > 0
