"""Helpers shared by the benchmark scripts: percentiles, markdown tables, machine facts.

Latencies are reported as median, p90, p99 and max (never the mean), in milliseconds.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np

__all__ = [
    "QUANTILES",
    "machine",
    "md_table",
    "ms",
    "now_utc",
    "summarize",
]

#: the columns of every latency table, in this order
QUANTILES = ("p50", "p90", "p99", "max")


def summarize(seconds: Iterable[float]) -> dict[str, float]:
    """Median, p90, p99 and max of samples in seconds, returned in milliseconds (+ count ``n``)."""
    data = np.asarray(list(seconds), dtype=np.float64) * 1000.0
    if data.size == 0:
        return {q: float("nan") for q in QUANTILES} | {"n": 0}
    p50, p90, p99 = np.percentile(data, [50, 90, 99])
    return {"p50": float(p50), "p90": float(p90), "p99": float(p99),
            "max": float(data.max()), "n": int(data.size)}


def ms(value: float) -> str:
    """A latency in milliseconds with 3 significant digits (0.0123, 0.456, 12.3, 123)."""
    if value != value:  # NaN
        return "—"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub markdown table; numbers right-aligned, text left-aligned."""
    body = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(headers)]
    numeric = [all(_looks_numeric(r[i]) for r in body) if body else False
               for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [c.rjust(w) if num else c.ljust(w)
               for c, w, num in zip(cells, widths, numeric, strict=True)]
        return "| " + " | ".join(out) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if num else ("-" * (w + 2))
                          for w, num in zip(widths, numeric, strict=True)) + "|"
    return "\n".join([line(list(headers)), rule, *(line(r) for r in body)])


def _looks_numeric(cell: str) -> bool:
    text = cell.strip().rstrip("%x×/s").replace(",", "").replace("—", "0")
    try:
        float(text)
    except ValueError:
        return False
    return True


def machine() -> dict[str, str]:
    """CPU model, core count, OS and Python version of this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for row in fh:
                if row.startswith("model name"):
                    cpu = row.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
    }


def now_utc() -> str:
    """The current date and time, UTC, to the minute."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
