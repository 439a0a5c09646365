"""Follow-ups judged with their conversation: should-hit and must-not pairs by kind and length.

Run::

    .venv/bin/python benchmarks/bench_conversations.py

Writes ``benchmarks/results/conversations.md`` and ``conversations.json``.

Each row of a set is a pair of conversations: ``a`` is stored (its last user message with the
answer ``answer-of-<id>``) and ``b`` is asked, both through the real default ``Cache`` and the
same ``chat_request`` the OpenAI adapter and the proxy use, each pair in its own namespace.
Label 1 kinds should be served (the rate is the share served); label 0 kinds must not be (the
rate is the share wrongly served).

Sets:

* ``fresh_conv`` (``benchmarks/data/fresh_conv.jsonl``), ``fresh2_conv`` … ``fresh5_conv``
  (first to fifth rounds): written before tuning by writers who saw none of the
  tuning data or rules — the figures that count;
* ``conversations_tune`` (``benchmarks/data/conversations_tune.jsonl``, from
  ``benchmarks/gen_conversations.py``) and ``natural_conv`` (``natural_conv.jsonl``, 120 pairs
  written from one brief): what the conversation matcher's settings are chosen on;
* ``last message only``: the same fresh pairs with a cache keyed on the last message alone (the
  GPTCache default), for scale.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, now_utc  # noqa: E402

from gistcache import Cache, Config  # noqa: E402
from gistcache.requests import chat_request  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
BUCKETS = ((4, "≤4"), (8, "5–8"), (20, "9–20"), (10**9, ">20"))


def bucket(messages: Sequence[dict[str, Any]]) -> str:
    n = len(messages)
    return next(name for top, name in BUCKETS if n <= top)


def run_set(cache: Cache, rows: Sequence[dict[str, Any]], *, preprocess: str = "last_user"
            ) -> tuple[dict[str, Any], list[float]]:
    """Store every ``a``, ask every ``b``; tally served rates by kind and length bucket."""
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    labels: dict[str, int] = {}
    seconds: list[float] = []
    for row in rows:
        ns = f"pair-{row['id']}"
        model = {"model": "gpt-4o-mini"}
        stored = chat_request({**model, "messages": row["a"]}, namespace=ns,
                              preprocess=preprocess)
        cache.put_request(stored, f"answer-of-{row['id']}")
        asked = chat_request({**model, "messages": row["b"]}, namespace=ns,
                             preprocess=preprocess)
        t = time.perf_counter()
        found = cache.lookup(asked)
        seconds.append(time.perf_counter() - t)
        served = found.hit
        key = (row["kind"], bucket(row["b"]))
        tally[key][0] += int(served)
        tally[key][1] += 1
        labels[row["kind"]] = int(row["label"])
    out: dict[str, Any] = {"by_kind_bucket": {f"{k}|{b}": v for (k, b), v in tally.items()},
                           "labels": labels}
    for label in (0, 1):
        for _, name in BUCKETS:
            cells = [v for (k, b), v in tally.items() if b == name and labels[k] == label]
            served = sum(c[0] for c in cells)
            total = sum(c[1] for c in cells)
            out[f"label{label}|{name}"] = [served, total]
    return out, seconds


def _rate(pair: Sequence[int]) -> str:
    served, total = pair
    return f"{served}/{total} ({100 * served / total:.0f}%)" if total else "–"


def table(name: str, res: dict[str, Any]) -> list[str]:
    labels = res["labels"]
    rows = []
    for kind in sorted(labels, key=lambda k: (-labels[k], k)):
        cells = [res["by_kind_bucket"].get(f"{kind}|{b}", [0, 0]) for _, b in BUCKETS]
        total = [sum(c[0] for c in cells), sum(c[1] for c in cells)]
        what = "served" if labels[kind] == 1 else "wrong hits"
        rows.append([kind, what, *(_rate(c) for c in cells), _rate(total)])
    for label, what in ((1, "should hit: served"), (0, "must not: wrong hits")):
        cells = [res[f"label{label}|{b}"] for _, b in BUCKETS]
        total = [sum(c[0] for c in cells), sum(c[1] for c in cells)]
        rows.append([f"**all {what.split(':')[0]}**", what.split(": ")[1],
                     *(_rate(c) for c in cells), _rate(total)])
    return [f"### {name}", "",
            md_table(["kind", "rate is", *(b for _, b in BUCKETS), "all"], rows), ""]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--only", choices=("tune", "fresh"), default=None)
    args = parser.parse_args(argv)
    sets = []
    tune = DATA / "conversations_tune.jsonl"
    if tune.exists() and args.only != "fresh":
        sets.append(("conversations_tune (tuning)", tune, "last_user"))
    if args.only != "fresh":
        sets.append(("natural_conv (tuning, written)", DATA / "natural_conv.jsonl", "last_user"))
    if args.only != "tune":
        sets.append(("fresh_conv (fresh, first round)", DATA / "fresh_conv.jsonl", "last_user"))
        sets.append(("fresh2_conv (fresh, second round)", DATA / "fresh2_conv.jsonl",
                     "last_user"))
        sets.append(("fresh3_conv (fresh, third round)", DATA / "fresh3_conv.jsonl",
                     "last_user"))
        sets.append(("fresh4_conv (fresh, fourth round)", DATA / "fresh4_conv.jsonl",
                     "last_user"))
        sets.append(("fresh5_conv (fresh, fifth round)", DATA / "fresh5_conv.jsonl",
                     "last_user"))
        sets.append(("fresh_conv, last message only (GPTCache-style key)",
                     DATA / "fresh_conv.jsonl", "last_user_only"))
    cache = Cache(Config(data_dir=":memory:"))
    lines = ["# Conversations: follow-ups judged with what they refer to", "",
             f"Run {now_utc()} on {machine()['cpu']} ({machine()['cores']} cores) with "
             "`.venv/bin/python benchmarks/bench_conversations.py`; default `Cache()`.", ""]
    results = {}
    for name, path, pre in sets:
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        res, seconds = run_set(cache, rows, preprocess=pre)
        results[name] = res
        lines += table(name, res)
        ms = sorted(s * 1000 for s in seconds)
        lines.append(f"Lookup latency (whole lookup, embedding included): p50 "
                     f"{statistics.median(ms):.1f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.1f} ms"
                     f", max {ms[-1]:.1f} ms over {len(ms)} lookups.")
        lines.append("")
        print("\n".join(table(name, res)), flush=True)
    cache.close()
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        (RESULTS / "conversations.md").write_text(text)
        (RESULTS / "conversations.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
