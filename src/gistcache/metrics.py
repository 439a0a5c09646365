"""Counters, per-stage latencies and savings of one cache (no global registry)."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _trace

__all__ = ["DEFAULT_PRICES", "LATENCY_BUCKETS", "Metrics", "Prices"]

#: USD per million tokens (input, output), matched by longest model-name prefix; override freely
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-3.5-turbo": (0.50, 1.50),
    "gpt-4": (30.0, 60.0),
    "gpt-4-turbo": (10.0, 30.0),
    "gpt-4o": (2.50, 10.0),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o3-mini": (1.10, 4.40),
}

#: histogram bucket bounds in seconds (Prometheus-style, cumulative when exported)
LATENCY_BUCKETS = (
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
)


@dataclass(frozen=True)
class Prices:
    """A model price table; the longest matching prefix of the model name wins."""

    table: Mapping[str, tuple[float, float]]

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        """Estimated USD of a call, 0 for an unknown model."""
        match = max((k for k in self.table if model.startswith(k)), key=len, default=None)
        if match is None:
            return 0.0
        inp, out = self.table[match]
        return (prompt_tokens * inp + completion_tokens * out) / 1_000_000


class _Histogram:
    """Bucket counts plus a window of recent samples for percentiles."""

    def __init__(self, window: int) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.total = 0.0
        self.n = 0
        self.recent: deque[float] = deque(maxlen=window)

    def observe(self, seconds: float) -> None:
        i = 0
        while i < len(LATENCY_BUCKETS) and seconds > LATENCY_BUCKETS[i]:
            i += 1
        self.counts[i] += 1
        self.total += seconds
        self.n += 1
        self.recent.append(seconds)

    def percentile(self, q: float) -> float | None:
        if not self.recent:
            return None
        data = sorted(self.recent)
        return data[min(len(data) - 1, int(q * len(data)))]


class Metrics:
    """What a cache did: hits by kind, misses, bypasses, faults, latencies, savings."""

    def __init__(self, prices: Mapping[str, tuple[float, float]] | None = None,
                 window: int = 10_000) -> None:
        self.prices = Prices(dict(DEFAULT_PRICES if prices is None else prices))
        self._lock = threading.Lock()
        self._window = window
        self.counters: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.latency: dict[str, _Histogram] = {}
        self.tokens_saved = 0
        self.cost_saved = 0.0

    def count(self, name: str, n: int = 1) -> None:
        """Add to a counter (exact_hits, semantic_hits, misses, bypasses, stores, ...)."""
        with self._lock:
            self.counters[name] += n

    def fault(self, stage: str) -> None:
        """Count a cache fault at a stage (it became a miss or a skipped store)."""
        with self._lock:
            self.errors[stage] += 1

    def observe(self, stage: str, seconds: float) -> None:
        """Record a stage's latency (and report it as a span when tracing is on)."""
        with self._lock:
            hist = self.latency.get(stage)
            if hist is None:
                hist = self.latency[stage] = _Histogram(self._window)
            hist.observe(seconds)
        _trace.stage(stage, seconds)

    def saved(self, model: str, prompt_tokens: int, completion_tokens: int) -> None:
        """Credit a hit with the tokens and money the model call would have cost."""
        cost = self.prices.cost(model, prompt_tokens, completion_tokens)
        with self._lock:
            self.tokens_saved += prompt_tokens + completion_tokens
            self.cost_saved += cost

    def snapshot(self) -> dict[str, Any]:
        """All figures as plain data (for stats endpoints, the CLI and tests)."""
        with self._lock:
            lookups = sum(self.counters[k] for k in ("exact_hits", "semantic_hits", "misses"))
            hits = self.counters["exact_hits"] + self.counters["semantic_hits"]
            return {
                "counters": dict(self.counters),
                "errors": dict(self.errors),
                "hit_rate": hits / lookups if lookups else 0.0,
                "tokens_saved": self.tokens_saved,
                "cost_saved_usd": round(self.cost_saved, 6),
                "latency": {
                    stage: {
                        "count": h.n,
                        "sum": h.total,
                        "p50": h.percentile(0.5),
                        "p99": h.percentile(0.99),
                        "buckets": list(zip(LATENCY_BUCKETS, h.counts, strict=False)),
                        "overflow": h.counts[-1],
                    }
                    for stage, h in self.latency.items()
                },
            }
