"""The EntryStore contract, run against every SQL engine: a SQLite file, and this machine's
PostgreSQL and MariaDB (each test in a schema or database of its own, dropped afterwards; skipped
with the reason when a server is unreachable). Then schema versioning and the errors of the
constructor."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from conftest import REDIS_URL, SQLTarget

from gistcache import HitKind
from gistcache._errors import ConfigError, InvalidRequest, StoreError
from gistcache.eviction import POLICIES
from gistcache.stores import EntryStore, NewEntry, SQLStore
from gistcache.stores.redis import RedisExactTier
from gistcache.stores.sql import SCHEMA_VERSION

T0 = 1_760_000_000.123456  # a real epoch time with microseconds: FLOAT columns would round it

OpenStore = Callable[[], SQLStore]


#: every backend of the contract: the three SQL engines, and the Redis exact tier in front of
#: PostgreSQL (the shared deployment)
STORES = ["sqlite", "postgresql", "mariadb", "redis+postgresql"]
_TARGETS = {"sqlite": "sqlite_target", "postgresql": "postgres_target", "mariadb": "mysql_target"}


@pytest.fixture(params=STORES)
def open_store(request: pytest.FixtureRequest) -> Iterator[OpenStore]:
    """Opens stores on this test's target (several: they stand for several processes)."""
    kind: str = request.param
    target: SQLTarget = request.getfixturevalue(_TARGETS[kind.split("+")[-1]])
    prefix: str | None = (request.getfixturevalue("redis_prefix") if kind.startswith("redis+")
                          else None)
    made: list[EntryStore] = []

    def make() -> Any:
        store: EntryStore = SQLStore(target.url, schema=target.schema)
        if prefix is not None:
            store = RedisExactTier(store, REDIS_URL, prefix=prefix)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def store(open_store: OpenStore) -> SQLStore:
    return open_store()


def new(key: str, *, answer: str | None = None, created: float = T0, expires: float | None = None,
        size: int = 100, namespace: str = "default", vector: bool = True,
        scope: str = "s1") -> NewEntry:
    emb = np.arange(8, dtype=np.float32).tobytes() if vector else None
    return NewEntry(
        scope_key=scope, exact_key=f"x-{key}", key_text=f"question {key}",
        answer=answer if answer is not None else f"answer {key}", scope_json='{"model": "m"}',
        payload=None, embedding=emb, created_at=created, expires_at=expires, size=size,
        model="m", namespace=namespace)


# --- rows ---------------------------------------------------------------------------------------


def test_every_field_round_trips_exactly(store: SQLStore) -> None:
    long_answer = "장문의 답변 🚀 " * 20_000  # ~360 KB of UTF-8: past MySQL TEXT's 64 KiB
    payload = json.dumps({"finish_reason": "stop", "tool_calls": [{"id": "c1"}]})
    vec = np.linspace(-1, 1, 384, dtype=np.float32).tobytes()
    entry = NewEntry(
        scope_key="a" * 64, exact_key="b" * 64, key_text="서울의 날씨는 어때요? ☔",
        answer=long_answer, scope_json='{"model": "gpt-x", "system": "be brief"}',
        payload=payload, embedding=vec, created_at=T0, expires_at=T0 + 3600.5, size=12345,
        model="gpt-x", namespace="tenant-Ä", prompt_tokens=17, completion_tokens=4242,
        context="user: hi\nassistant: hello")
    put = store.put(entry)
    assert put.replaced_id is None
    for got in (store.get_many([put.entry.id])[put.entry.id], store.get_by_exact_key("b" * 64)):
        assert got is not None
        assert (got.id, got.scope_key, got.exact_key) == (put.entry.id, "a" * 64, "b" * 64)
        assert got.key_text == entry.key_text and got.answer == long_answer
        assert got.scope_json == entry.scope_json and got.payload == json.loads(payload)
        assert got.created_at == T0 and got.accessed_at == T0 and got.expires_at == T0 + 3600.5
        assert (got.size, got.model, got.namespace) == (12345, "gpt-x", "tenant-Ä")
        assert (got.prompt_tokens, got.completion_tokens) == (17, 4242)
        assert (got.hits, got.wrong_hits) == (0, 0)
        assert got.context == entry.context
    assert store.vectors([put.entry.id]) == {put.entry.id: ("a" * 64, vec)}
    assert put.entry.answer == long_answer and put.entry.created_at == T0


def test_missing_rows_are_absent_not_errors(store: SQLStore) -> None:
    assert store.get_many([]) == {}
    assert store.get_many([12345]) == {}
    assert store.get_by_exact_key("nope") is None
    assert store.feedback(12345, correct=False) is None
    assert store.delete([12345]) == []
    assert store.vectors([12345]) == {}


def test_put_of_the_same_exact_key_replaces_and_tombstones(store: SQLStore) -> None:
    first = store.put(new("q", size=10))
    _, seq = store.tombstones_since(0)
    second = store.put(new("q", answer="newer", size=30))
    assert second.replaced_id == first.entry.id and second.replaced_size == 10
    assert second.entry.id > first.entry.id
    assert store.get_many([first.entry.id]) == {}
    got = store.get_by_exact_key("x-q")
    assert got is not None and got.answer == "newer"
    assert store.tombstones_since(seq)[0] == [first.entry.id]
    assert store.stats().count == 1 and store.stats().size == 30


def test_known_new_hint_that_is_wrong_still_replaces(store: SQLStore) -> None:
    first = store.put(new("q"))
    second = store.put(new("q", answer="again"), known_new=True)
    assert second.replaced_id == first.entry.id
    assert store.all_ids() == {second.entry.id: "s1"}


def test_put_many_equals_puts_one_by_one(store: SQLStore) -> None:
    """One batch (one transaction in SQL): the rows, ids and replacements that single puts in
    the same order would give, a key repeated inside the batch included."""
    old = store.put(new("a", size=5))
    _, seq = store.tombstones_since(0)
    batch = [new("b"), new("a", answer="a2", size=7), new("c"), new("b", answer="b2")]
    results = store.put_many(batch, known_new=[True, False, True, False])
    ids = [r.entry.id for r in results]
    assert ids == sorted(ids) and ids[0] > old.entry.id
    assert [r.replaced_id for r in results] == [None, old.entry.id, None, ids[0]]
    assert results[1].replaced_size == 5
    assert {i: e.answer for i, e in store.get_many(ids).items()} == {
        ids[1]: "a2", ids[2]: "answer c", ids[3]: "b2"}
    assert sorted(store.tombstones_since(seq)[0]) == sorted([old.entry.id, ids[0]])
    assert store.stats().count == 3
    with pytest.raises(InvalidRequest, match="hints"):
        store.put_many(batch, known_new=[True])


def test_put_many_with_a_wrong_known_new_hint_still_replaces(store: SQLStore) -> None:
    first = store.put(new("q"))
    results = store.put_many([new("q", answer="again"), new("r")], known_new=[True, True])
    assert results[0].replaced_id == first.entry.id
    assert set(store.all_ids()) == {results[0].entry.id, results[1].entry.id}


def test_ids_are_never_reused(store: SQLStore) -> None:
    ids = [store.put(new(f"k{i}")).entry.id for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    store.delete([ids[-1]])
    assert store.put(new("later")).entry.id > ids[-1]


def test_delete_records_tombstones_in_order(store: SQLStore) -> None:
    ids = [store.put(new(f"k{i}")).entry.id for i in range(5)]
    assert store.tombstones_since(0) == ([], 0)
    assert sorted(store.delete([ids[3], ids[1], 999_999, ids[1]])) == [ids[1], ids[3]]
    gone, seq = store.tombstones_since(0)
    assert sorted(gone) == [ids[1], ids[3]] and seq > 0
    assert store.delete([ids[0]]) == [ids[0]]
    assert store.tombstones_since(seq)[0] == [ids[0]]
    assert store.delete([]) == []
    assert set(store.all_ids()) == {ids[2], ids[4]}


def test_delete_of_many_ids_in_one_call(store: SQLStore) -> None:
    ids = [store.put(new(f"k{i}", size=1)).entry.id for i in range(1200)]
    assert sorted(store.delete(ids[:1100])) == ids[:1100]
    assert set(store.all_ids()) == set(ids[1100:])


def test_touch_adds_hits_and_never_moves_access_time_back(store: SQLStore) -> None:
    a = store.put(new("a")).entry.id
    b = store.put(new("b")).entry.id
    store.touch({a: (3, T0 + 10.25), b: (1, T0 - 50)})
    store.touch({a: (2, T0 + 5)})
    store.touch({})
    rows = store.get_many([a, b])
    assert (rows[a].hits, rows[a].accessed_at) == (5, T0 + 10.25)
    assert (rows[b].hits, rows[b].accessed_at) == (1, T0)


def test_feedback_counts_wrong_hits(store: SQLStore) -> None:
    a = store.put(new("a")).entry.id
    after = store.feedback(a, correct=False)
    assert after is not None and after.wrong_hits == 1
    after = store.feedback(a, correct=True)
    assert after is not None and after.wrong_hits == 1


# --- reading all of it --------------------------------------------------------------------------


def test_scan_pages_in_id_order(store: SQLStore) -> None:
    ids = [store.put(new(f"k{i}", vector=i % 2 == 0)).entry.id for i in range(7)]
    batches = list(store.scan(batch=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [e.id for b in batches for e in b] == ids
    assert [e.embedding is not None for b in batches for e in b] == [i % 2 == 0 for i in range(7)]
    assert all(e.embedding is None for b in store.scan(with_embedding=False) for e in b)
    assert [e.id for b in store.scan(after_id=ids[4]) for e in b] == ids[5:]


def test_namespaces_and_meta_keys_are_case_sensitive(store: SQLStore) -> None:
    upper = store.put(new("a", namespace="Acme")).entry.id
    lower = store.put(new("b", namespace="acme")).entry.id
    assert store.all_ids(namespace="Acme") == {upper: "s1"}
    assert store.all_ids(namespace="acme") == {lower: "s1"}
    store.set_meta("Key", "upper")
    store.set_meta("key", "lower")
    assert (store.get_meta("Key"), store.get_meta("key")) == ("upper", "lower")


def test_exact_keys_differing_in_case_are_two_rows(store: SQLStore) -> None:
    a = store.put(new("abc"))
    b = store.put(new("ABC"))
    assert b.replaced_id is None
    assert sorted(store.exact_keys()) == sorted(["x-abc", "x-ABC"])
    assert store.get_by_exact_key("x-abc") == store.get_many([a.entry.id])[a.entry.id]


def test_all_ids_vectors_and_exact_keys(store: SQLStore) -> None:
    with_vec = store.put(new("v", scope="s1")).entry.id
    no_vec = store.put(new("n", scope="s2", vector=False)).entry.id
    assert store.all_ids() == {with_vec: "s1", no_vec: "s2"}
    assert store.all_ids(with_vector=True) == {with_vec: "s1"}
    assert set(store.vectors([with_vec, no_vec])) == {with_vec}
    assert sorted(store.exact_keys()) == ["x-n", "x-v"]


def test_stats_and_markers_follow_writes(store: SQLStore) -> None:
    assert store.stats().count == 0 and store.markers() == (0, 0)
    a = store.put(new("a", size=7)).entry.id
    b = store.put(new("b", size=5)).entry.id
    store.delete([a])
    stats = store.stats()
    assert (stats.count, stats.size, stats.max_id) == (1, 5, b)
    assert store.markers() == (b, stats.max_tombstone) and stats.max_tombstone > 0


def test_meta_set_overwrites(store: SQLStore) -> None:
    assert store.get_meta("embedder") is None
    store.set_meta("embedder", "one/384")
    store.set_meta("embedder", "two/768")
    assert store.get_meta("embedder") == "two/768"
    assert store.get_meta("schema_version") == SCHEMA_VERSION


# --- expiry and eviction ------------------------------------------------------------------------


def test_expired_lists_rows_past_their_time(store: SQLStore) -> None:
    past = [store.put(new(f"p{i}", expires=T0 + i)).entry.id for i in range(4)]
    store.put(new("future", expires=T0 + 1000))
    store.put(new("never"))
    assert sorted(store.expired(T0 + 100)) == past
    assert len(store.expired(T0 + 100, limit=2)) == 2
    assert store.expired(T0 - 1) == []


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_victims_take_expired_rows_then_policy_order(store: SQLStore, policy: str) -> None:
    a = store.put(new("a", created=T0, size=10)).entry.id
    b = store.put(new("b", created=T0 + 1, size=20, expires=T0 + 500)).entry.id
    c = store.put(new("c", created=T0 + 2, size=30, expires=T0 + 5)).entry.id  # expired below
    d = store.put(new("d", created=T0 + 3, size=40, expires=T0 + 100)).entry.id
    store.touch({a: (5, T0 + 50), b: (1, T0 + 40), d: (9, T0 + 30)})
    now = T0 + 10
    expected = {
        "lru": [c, d, b, a],   # accessed: d 30, b 40, a 50
        "lfu": [c, b, a, d],   # hits: b 1, a 5, d 9
        "fifo": [c, a, b, d],  # created
        "ttl": [c, d, b, a],   # expires: d 100, b 500, a never
    }[policy]
    pol = POLICIES[policy]
    assert store.victims(pol, now, 0, 0) == []
    assert store.victims(pol, now, 1, 0) == expected[:1]
    assert store.victims(pol, now, 2, 0) == expected[:2]
    sizes = {a: 10, b: 20, c: 30, d: 40}
    need = sizes[expected[0]] + 1  # one byte more than the first victim frees
    assert store.victims(pol, now, 0, need) == expected[:2]
    assert store.victims(pol, now, 10, 0) == expected


def test_defaults_of_the_contract_agree_with_the_sql_queries(store: SQLStore) -> None:
    """The base class answers the derived methods from scan/stats; SQLStore with queries."""
    ids = [store.put(new(f"k{i}", created=T0 + i, size=i + 1, vector=i % 3 != 0,
                         namespace="n1" if i % 2 else "n2",
                         expires=T0 + i if i % 4 == 0 else None)).entry.id for i in range(12)]
    store.touch({ids[5]: (4, T0 + 99), ids[2]: (1, T0 + 50)})
    store.delete([ids[7]])
    now = T0 + 6
    for pol in POLICIES.values():
        for over_n, over_b in ((3, 0), (0, 20), (20, 0)):
            assert (EntryStore.victims(store, pol, now, over_n, over_b)
                    == store.victims(pol, now, over_n, over_b))
    assert sorted(EntryStore.expired(store, now)) == sorted(store.expired(now))
    for ns in (None, "n1", "n2", "nope"):
        for vec in (False, True):
            assert (EntryStore.all_ids(store, namespace=ns, with_vector=vec)
                    == store.all_ids(namespace=ns, with_vector=vec))
    assert EntryStore.vectors(store, ids) == store.vectors(ids)
    assert sorted(EntryStore.exact_keys(store)) == sorted(store.exact_keys())
    assert EntryStore.markers(store) == store.markers()


# --- several processes on one store ------------------------------------------------------------


def test_a_second_store_sees_writes_and_deletes(open_store: OpenStore) -> None:
    one, two = open_store(), open_store()
    a = one.put(new("a")).entry.id
    assert two.get_by_exact_key("x-a") is not None
    assert two.markers()[0] == a
    _, seq = two.tombstones_since(0)
    one.delete([a])
    assert two.tombstones_since(seq)[0] == [a]
    assert two.get_many([a]) == {}


def test_concurrent_puts_of_one_key_leave_one_row(open_store: OpenStore) -> None:
    """Replicas that miss the same question at once both store it: one row must remain."""
    stores = [open_store() for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def writer(s: SQLStore, n: int) -> None:
        try:
            start.wait()
            for round_ in range(5):
                s.put(new("same", answer=f"from {n} round {round_}"), known_new=True)
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(stores[0].all_ids()) == 1
    row = stores[0].get_by_exact_key("x-same")
    assert row is not None and row.answer.startswith("from ")


# --- schema versioning --------------------------------------------------------------------------


def test_another_schema_version_is_refused_and_left_unchanged(sql_target: SQLTarget) -> None:
    store = SQLStore(sql_target.url, schema=sql_target.schema)
    kept = store.put(new("kept")).entry.id
    store.set_meta("schema_version", "999")
    with pytest.raises(ConfigError, match=r"schema version 999.*reads schema 1 only"):
        SQLStore(sql_target.url, schema=sql_target.schema)
    assert store.get_meta("schema_version") == "999"
    assert set(store.all_ids()) == {kept}
    store.close()


def test_tables_lacking_columns_are_refused_not_altered(sql_target: SQLTarget) -> None:
    engine = sa.create_engine(sql_target.url)
    if sql_target.schema:
        engine = engine.execution_options(schema_translate_map={None: sql_target.schema})
    foreign = sa.Table("gistcache_entries", sa.MetaData(),
                       sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("answer", sa.Text))
    try:
        foreign.create(engine)
        with pytest.raises(ConfigError, match=r"gistcache_entries lacks columns .*exact_key"):
            SQLStore(sql_target.url, schema=sql_target.schema)
        inspector = sa.inspect(engine)
        assert [c["name"] for c in inspector.get_columns("gistcache_entries",
                                                         schema=sql_target.schema)] == [
            "id", "answer"]
        # refused before anything was created
        assert "gistcache_meta" not in inspector.get_table_names(schema=sql_target.schema)
    finally:
        engine.dispose()


def test_a_new_store_records_its_schema_version(open_store: OpenStore) -> None:
    assert open_store().get_meta("schema_version") == SCHEMA_VERSION
    # reopening an existing store of this version works and keeps its rows
    first = open_store()
    a = first.put(new("a")).entry.id
    assert set(open_store().all_ids()) == {a}


# --- constructor errors (no server needed) ------------------------------------------------------


def test_unreachable_server_is_a_store_error_naming_it_without_the_password() -> None:
    url = "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/nothing"
    with pytest.raises(StoreError) as err:
        SQLStore(url, engine_kwargs={"connect_args": {"connect_timeout": 2}})
    text = str(err.value)
    assert "127.0.0.1:1/nothing" in text and "s3cret-pw" not in text


def test_schema_is_refused_for_sqlite() -> None:
    with pytest.raises(ConfigError, match="SQLite has one per file"):
        SQLStore("sqlite://", schema="x")


def test_a_missing_schema_is_named(postgres_server: sa.engine.Engine) -> None:
    from conftest import POSTGRES_URL

    with pytest.raises(StoreError, match=r"schema gc_absent_schema"):
        SQLStore(POSTGRES_URL, schema="gc_absent_schema")


def test_single_precision_timestamps_of_an_older_mysql_table_are_refused(
    mysql_target: SQLTarget,
) -> None:
    from gistcache.stores.sql import entries

    engine = sa.create_engine(mysql_target.url).execution_options(
        schema_translate_map={None: mysql_target.schema})
    old = sa.Table(entries.name, sa.MetaData(), *[
        sa.Column(c.name, sa.Float if c.name.endswith("_at") else c.type,
                  primary_key=c.primary_key) for c in entries.c])
    try:
        old.create(engine)
        with pytest.raises(ConfigError, match=r"accessed_at, created_at, expires_at are "
                                              r"single-precision FLOAT"):
            SQLStore(mysql_target.url, schema=mysql_target.schema)
    finally:
        engine.dispose()


# --- caches (replicas) on one shared store ------------------------------------------------------


def test_caches_on_one_store_agree_on_writes_replacements_and_deletes(
    open_store: OpenStore, make_cache: Any, tmp_path: Path
) -> None:
    """Two caches with their own data directories stand for two replicas on one database."""
    # (open_store first: its schema must outlive the caches, which flush hit counts on close)
    a = make_cache(tmp_path / "a", similarity_threshold=0.5, store=open_store())
    b = make_cache(tmp_path / "b", similarity_threshold=0.5, store=open_store())
    question, paraphrase = "how do I make a cup of green tea", "how do I make green tea quickly"
    first = a.put(question, "steep 2 minutes")
    assert a.get(question) == "steep 2 minutes"  # a now holds it in its memory tier
    b.sync()
    assert b.get(question) == "steep 2 minutes"
    hit = b.lookup(b.request(paraphrase))
    assert hit.kind is HitKind.SEMANTIC and hit.entry is not None and hit.entry.id == first.id
    # b replaces the answer; a must serve the new row, by its live id, never the replaced one
    second = b.put(question, "steep 3 minutes")
    a.sync()
    for text in (question, paraphrase):
        got = a.lookup(a.request(text))
        assert got.hit and got.entry is not None
        assert (got.entry.id, got.answer) == (second.id, "steep 3 minutes")
    assert a.delete([second.id]) == [second.id]
    b.sync()
    assert b.get(question) is None
    assert b.lookup(b.request(paraphrase)).kind is HitKind.MISS
