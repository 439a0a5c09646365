"""What the server did, for ``/metrics`` (Prometheus), ``/stats`` and the dashboard.

The cache counts lookups, stage latencies and savings (:class:`gistcache.metrics.Metrics`);
the server adds what only it sees: responses by endpoint and outcome, end-to-end and upstream
latencies, upstream statuses, the most hit entries and a sampled history for the dashboard.
Every figure is per worker process.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from typing import Any

from .._cache import Cache
from .._types import Entry
from ..metrics import Metrics

__all__ = ["ServerStats", "prometheus_text"]

_TOP_KEEP = 2000  # entries whose hits are tracked for the dashboard's "most hit" table
_KEY_CHARS = 160


class ServerStats:
    """Counters and histograms of one server process (thread-safe; no global registry)."""

    def __init__(self, clock: Callable[[], float] = time.time, sample_every: float = 2.0,
                 history: int = 900) -> None:
        self.clock = clock
        self.started = clock()
        self.latency = Metrics(prices={})
        self._lock = threading.Lock()
        self.responses: Counter[tuple[str, str]] = Counter()
        self.upstream_status: Counter[tuple[str, int]] = Counter()
        self._top: dict[int, dict[str, Any]] = {}
        self._sample_every = sample_every
        self._series: deque[tuple[float, int, int, int]] = deque(maxlen=history)

    def response(self, endpoint: str, result: str, seconds: float) -> None:
        """Count one answered request by endpoint and outcome (hit-exact, miss, error, ...)."""
        with self._lock:
            self.responses[(endpoint, result)] += 1
        self.latency.observe(f"request:{result}", seconds)

    def upstream(self, endpoint: str, status: int, seconds: float) -> None:
        """Count one upstream call and its latency."""
        with self._lock:
            self.upstream_status[(endpoint, status)] += 1
        self.latency.observe(f"upstream:{endpoint}", seconds)

    def hit_entry(self, entry: Entry) -> None:
        """Remember that an entry answered a request (for the most-hit table)."""
        with self._lock:
            slot = self._top.get(entry.id)
            if slot is None:
                if len(self._top) >= _TOP_KEEP:
                    # forget the least hit half: the table shows the top few only
                    keep = sorted(self._top.items(), key=lambda kv: -int(kv[1]["hits"]))
                    self._top = dict(keep[: _TOP_KEEP // 2])
                slot = self._top[entry.id] = {
                    "id": entry.id, "hits": 0, "namespace": entry.namespace,
                    "model": entry.model, "key_text": entry.key_text[:_KEY_CHARS],
                }
            slot["hits"] = int(slot["hits"]) + 1

    def forget(self, entry_ids: list[int]) -> None:
        """Drop deleted entries from the most-hit table."""
        with self._lock:
            for entry_id in entry_ids:
                self._top.pop(entry_id, None)

    def outcomes(self) -> dict[str, int]:
        """Answered LLM requests by outcome, over every endpoint."""
        out: Counter[str] = Counter()
        with self._lock:
            for (_, result), n in self.responses.items():
                out[result] += n
        return dict(out)

    def dashboard(self, cache: Cache) -> dict[str, Any]:
        """The dashboard's JSON: totals, a sampled history, latencies, savings, top entries."""
        now = self.clock()
        results = self.outcomes()
        hits = results.get("hit-exact", 0) + results.get("hit-semantic", 0)
        answered = hits + results.get("miss", 0) + results.get("bypass", 0)
        with self._lock:
            if not self._series or now - self._series[-1][0] >= self._sample_every:
                self._series.append((now, hits, answered, results.get("error", 0)))
            series = [list(s) for s in self._series]
            top = sorted(self._top.values(), key=lambda s: -int(s["hits"]))[:10]
        snap = cache.stats()
        mine = self.latency.snapshot()["latency"]

        def ms(stats: dict[str, Any] | None) -> dict[str, float | None]:
            stats = stats or {}
            return {q: None if stats.get(q) is None else round(stats[q] * 1000, 3)
                    for q in ("p50", "p99")}

        return {
            "time": now,
            "uptime": now - self.started,
            "outcomes": results,
            "hits": hits,
            "requests": answered,
            "hit_rate": hits / answered if answered else 0.0,
            "series": series,
            "latency_ms": {
                "hit": ms(_merged(mine, "request:hit-exact", "request:hit-semantic")),
                "miss": ms(mine.get("request:miss")),
                "upstream": ms(_merged(mine, *(k for k in mine if k.startswith("upstream:")))),
            },
            "tokens_saved": snap["tokens_saved"],
            "cost_saved_usd": snap["cost_saved_usd"],
            "entries": snap["entries"],
            "bytes": snap["bytes"],
            "faults": sum(snap["errors"].values()),
            "top_entries": [dict(t) for t in top],
        }

    def snapshot(self) -> dict[str, Any]:
        """Server figures as plain data (for ``/stats``)."""
        with self._lock:
            responses = [{"endpoint": e, "result": r, "count": n}
                         for (e, r), n in sorted(self.responses.items())]
            upstream = [{"endpoint": e, "status": s, "count": n}
                        for (e, s), n in sorted(self.upstream_status.items())]
        return {"uptime": self.clock() - self.started, "responses": responses,
                "upstream": upstream, "latency": self.latency.snapshot()["latency"]}


def _merged(latency: dict[str, Any], *stages: str) -> dict[str, Any] | None:
    """Percentiles of several stages together (approximated by the busier one)."""
    found: list[dict[str, Any]] = [latency[s] for s in stages if s in latency]
    if not found:
        return None
    return max(found, key=lambda s: int(s["count"]))


# -- Prometheus text format ---------------------------------------------------------------


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: dict[str, str]) -> str:
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs.items()) + "}"


def _num(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class _Text:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, doc: str) -> None:
        self.lines.append(f"# HELP {name} {doc}")
        self.lines.append(f"# TYPE {name} {kind}")

    def sample(self, name: str, value: float, labels: dict[str, str] | None = None) -> None:
        self.lines.append(f"{name}{_labels(labels or {})} {_num(value)}")

    def histogram(self, name: str, stats: dict[str, Any], labels: dict[str, str]) -> None:
        running = 0
        for bound, count in stats["buckets"]:
            running += int(count)
            self.sample(f"{name}_bucket", running, {**labels, "le": repr(float(bound))})
        running += int(stats["overflow"])
        self.sample(f"{name}_bucket", running, {**labels, "le": "+Inf"})
        self.sample(f"{name}_sum", float(stats["sum"]), labels)
        self.sample(f"{name}_count", running, labels)


def _histograms(out: _Text, name: str, doc: str, label: str,
                stages: Iterator[tuple[str, dict[str, Any]]]) -> None:
    out.family(name, "histogram", doc)
    for stage, stats in stages:
        out.histogram(name, stats, {label: stage})


def prometheus_text(cache: Cache, stats: ServerStats) -> str:
    """Every figure of the cache and the server in the Prometheus text format (0.0.4)."""
    snap = cache.stats()
    counters: dict[str, int] = snap["counters"]
    out = _Text()
    out.family("gistcache_lookups_total", "counter", "Cache lookups by outcome.")
    for result, key in (("hit-exact", "exact_hits"), ("hit-semantic", "semantic_hits"),
                        ("miss", "misses"), ("bypass", "bypasses")):
        out.sample("gistcache_lookups_total", counters.get(key, 0), {"result": result})
    out.family("gistcache_faults_total", "counter",
               "Cache faults by stage (each became a miss or a skipped store).")
    for stage, n in sorted(snap["errors"].items()):
        out.sample("gistcache_faults_total", n, {"stage": stage})
    out.family("gistcache_events_total", "counter",
               "Other cache events: stores, evictions, coalesced calls, feedback.")
    for name in sorted(set(counters) - {"exact_hits", "semantic_hits", "misses", "bypasses"}):
        out.sample("gistcache_events_total", counters[name], {"event": name})
    out.family("gistcache_tokens_saved_total", "counter", "Tokens not sent to the model.")
    out.sample("gistcache_tokens_saved_total", snap["tokens_saved"])
    out.family("gistcache_cost_saved_usd_total", "counter",
               "Estimated USD not spent on the model (price table by model prefix).")
    out.sample("gistcache_cost_saved_usd_total", snap["cost_saved_usd"])
    for name, doc, key in (("gistcache_entries", "Stored entries.", "entries"),
                           ("gistcache_bytes", "Bytes of stored entries.", "bytes"),
                           ("gistcache_memory_entries", "Entries held in process memory.",
                            "hot_entries"),
                           ("gistcache_index_entries", "Vectors in the index.",
                            "index_entries")):
        out.family(name, "gauge", doc)
        out.sample(name, snap[key])
    _histograms(out, "gistcache_stage_latency_seconds", "Latency of each cache stage.", "stage",
                iter(sorted(snap["latency"].items())))
    mine = stats.snapshot()
    out.family("gistcache_responses_total", "counter",
               "Responses of the server by endpoint and outcome.")
    for row in mine["responses"]:
        out.sample("gistcache_responses_total", row["count"],
                   {"endpoint": row["endpoint"], "result": row["result"]})
    out.family("gistcache_upstream_responses_total", "counter",
               "Upstream calls by endpoint and HTTP status (502/504: unreachable/timeout).")
    for row in mine["upstream"]:
        out.sample("gistcache_upstream_responses_total", row["count"],
                   {"endpoint": row["endpoint"], "status": str(row["status"])})
    latency: dict[str, Any] = mine["latency"]
    _histograms(out, "gistcache_request_latency_seconds",
                "End-to-end latency of answered requests by outcome.", "result",
                ((k.removeprefix("request:"), v) for k, v in sorted(latency.items())
                 if k.startswith("request:")))
    _histograms(out, "gistcache_upstream_latency_seconds",
                "Latency of upstream calls (to the response headers).", "endpoint",
                ((k.removeprefix("upstream:"), v) for k, v in sorted(latency.items())
                 if k.startswith("upstream:")))
    out.family("gistcache_uptime_seconds", "gauge", "Seconds since this worker started.")
    out.sample("gistcache_uptime_seconds", mine["uptime"])
    return "\n".join(out.lines) + "\n"

