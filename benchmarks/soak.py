"""Soak: the proxy server under mixed traffic for a bounded time, with eviction running;
memory, latency and errors over time.

Run (the length is bounded by ``--minutes``; loopback only)::

    .venv/bin/python -m pip install --only-binary=:all: -e '.[bench]'   # matplotlib
    .venv/bin/python benchmarks/soak.py --minutes 5 --out benchmarks/results/soak.md

What it does: starts a fake OpenAI upstream in this process (20 ms per answer), then
``gistcache serve`` as a separate process on 127.0.0.1 with the default embedder and verifier,
SQLite in a temporary directory and ``max_entries`` small enough that eviction runs all the
time. ``--clients`` concurrent keep-alive clients then send, until the time is up:

- 45 % repeats of recent questions (the last ``max_entries / 2`` new ones: exact hits, unless
  evicted),
- 15 % paraphrases of them (semantic hits, or misses the verifier refuses),
- 40 % new questions (misses, stored, pushing older entries out),
- 15 % of all requests streamed (``stream: true``), drawn from the same mix.

Every ``--every`` seconds it records the server's resident memory (RSS of the process and its
children, from /proc), the window's p50 and p99 latency, requests, hits and errors (any status
but 200, or a broken connection), and the number of stored entries. The results are a markdown
table (``--out``), the raw samples as JSON next to it, and a plot (``.png`` next to it) when
matplotlib is installed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, ms, now_utc, summarize

from gistcache.testing import FakeOpenAI, free_port, wait_ready

DATA = Path(__file__).resolve().parent / "data" / "chatbot_pairs.jsonl"
MODEL = "gpt-4o-mini"
ADMIN = "soak-admin"


def _questions() -> list[tuple[str, str]]:
    """(question, paraphrase) pairs of the chatbot set that mean the same."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    return [(r["a"], r["b"]) for r in rows if r["label"] == 1]




def _rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for row in Path(f"/proc/{current}/status").read_text().splitlines():
                if row.startswith("VmRSS:"):
                    total += int(row.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


class Server:
    """``gistcache serve`` in its own process, on 127.0.0.1."""

    def __init__(self, upstream: FakeOpenAI, data_dir: str, max_entries: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "GISTCACHE_UPSTREAM_KEY": upstream.api_key,
               "GISTCACHE_ADMIN_KEY": ADMIN, "GISTCACHE_MAX_ENTRIES": str(max_entries)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gistcache.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--data-dir", data_dir, "--upstream", upstream.base_url,
             "--log-level", "warning"], env=env)
        wait_ready(self.proc, self.url, 180)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Traffic:
    """The mixed request stream: repeats, paraphrases, new questions, some streamed."""

    def __init__(self, pairs: list[tuple[str, str]], seed: int, recent: int) -> None:
        self.pairs = pairs
        self.rng = random.Random(seed)
        #: repeats and paraphrases are of the last ``recent`` new questions (the working set)
        self.asked: list[str] = []
        self.recent = recent
        self.fresh = 0

    def next(self) -> tuple[bytes, bool]:
        roll = self.rng.random()
        if roll < 0.60 and self.asked:
            question = self.rng.choice(self.asked[-self.recent:])
            index = int(question.split("|")[0])
            suffix = question.split("|")[1]
            text = (self.pairs[index][0] if roll < 0.45 else self.pairs[index][1]) + suffix
        else:
            index = self.fresh % len(self.pairs)
            rounds = self.fresh // len(self.pairs)
            self.fresh += 1
            # past one round of the set, new questions are made new by a case number
            suffix = f" (case {rounds})" if rounds else ""
            self.asked.append(f"{index}|{suffix}")
            text = self.pairs[index][0] + suffix
        stream = self.rng.random() < 0.15
        body = {"model": MODEL, "messages": [{"role": "user", "content": text}],
                "stream": stream}
        return json.dumps(body).encode(), stream


async def _client(url: str, traffic: Traffic, stop_at: float, latencies: list[float],
                  outcomes: Counter[str]) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        while time.monotonic() < stop_at:
            body, stream = traffic.next()
            start = time.perf_counter()
            try:
                async with client.stream("POST", url, content=body, headers={
                        "content-type": "application/json"}) as response:
                    async for _ in response.aiter_bytes():
                        pass
                    kind = response.headers.get("x-gistcache", "?")
                    outcomes["error" if response.status_code != 200 else kind] += 1
                    if stream:
                        outcomes["streamed"] += 1
            except httpx.HTTPError:
                outcomes["error"] += 1
            latencies.append(time.perf_counter() - start)


async def _soak(server: Server, traffic: Traffic, seconds: float, every: float, clients: int
                ) -> list[dict[str, Any]]:
    url = server.url + "/v1/chat/completions"
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    start = time.monotonic()
    stop_at = start + seconds
    tasks = [asyncio.create_task(_client(url, traffic, stop_at, latencies, outcomes))
             for _ in range(clients)]
    samples: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as admin:
        while time.monotonic() < stop_at:
            await asyncio.sleep(min(every, max(0.0, stop_at - time.monotonic())))
            window, counts = latencies[:], outcomes.copy()
            latencies.clear()
            outcomes.clear()
            stats = (await admin.get(server.url + "/stats",
                                     headers={"x-gistcache-admin-key": ADMIN})).json()
            summary = summarize(window)
            samples.append({
                "t": round(time.monotonic() - start, 1),
                "rss_mb": _rss_bytes(server.proc.pid) / 2**20,
                "p50_ms": summary["p50"], "p99_ms": summary["p99"],
                "requests": len(window), "errors": counts["error"],
                "hits": counts["hit-exact"] + counts["hit-semantic"],
                "semantic": counts["hit-semantic"], "streamed": counts["streamed"],
                "entries": stats["cache"]["entries"],
                "evictions": stats["cache"]["counters"].get("evictions", 0),
            })
            print(json.dumps(samples[-1]), flush=True)
    await asyncio.gather(*tasks)
    return samples


def _plot(samples: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install 'gistcache[bench]')")
        return False
    t = [s["t"] / 60 for s in samples]
    fig, axes = plt.subplots(3, 1, figsize=(8, 8), sharex=True)
    axes[0].plot(t, [s["rss_mb"] for s in samples], color="tab:blue")
    axes[0].set_ylabel("server RSS (MiB)")
    axes[1].plot(t, [s["p50_ms"] for s in samples], label="p50")
    axes[1].plot(t, [s["p99_ms"] for s in samples], label="p99")
    axes[1].set_ylabel("latency (ms)")
    axes[1].legend()
    axes[2].plot(t, [s["requests"] for s in samples], label="requests")
    axes[2].plot(t, [s["hits"] for s in samples], label="hits")
    axes[2].plot(t, [s["errors"] for s in samples], label="errors", color="tab:red")
    axes[2].set_ylabel("per sample")
    axes[2].set_xlabel("minutes")
    axes[2].legend()
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    fig.suptitle("gistcache serve soak: mixed hit/miss/stream traffic, eviction running")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def _report(samples: list[dict[str, Any]], args: argparse.Namespace, plotted: bool,
            png: Path) -> str:
    info = machine()
    first, last = samples[: max(1, len(samples) // 5)], samples[-max(1, len(samples) // 5):]
    requests = sum(s["requests"] for s in samples)
    rows = [[f"{s['t'] / 60:.1f}", f"{s['rss_mb']:.0f}", ms(s["p50_ms"]), ms(s["p99_ms"]),
             s["requests"], s["hits"], s["semantic"], s["streamed"], s["errors"], s["entries"],
             s["evictions"]] for s in samples]

    def mean(key: str, part: list[dict[str, Any]]) -> float:
        return sum(s[key] for s in part) / len(part)

    lines = [
        "# Soak: gistcache serve under mixed traffic with eviction running",
        "",
        f"Run {now_utc()} on {info['cpu']} ({info['cores']} cores, shared with other work), "
        f"Python {info['python']}: `benchmarks/soak.py --minutes {args.minutes} --clients "
        f"{args.clients} --max-entries {args.max_entries}`; default embedder and verifier, "
        "SQLite, a fake upstream answering in 20 ms, everything on 127.0.0.1.",
        "",
        f"- {args.minutes} minutes, {requests} requests, "
        f"{sum(s['errors'] for s in samples)} errors, "
        f"{sum(s['hits'] for s in samples)} hits ({sum(s['semantic'] for s in samples)} "
        f"semantic), {sum(s['streamed'] for s in samples)} streamed, "
        f"{samples[-1]['evictions']} entries evicted (the cache holds at most "
        f"{args.max_entries}).",
        f"- Server RSS: {samples[0]['rss_mb']:.0f} MiB at the first sample, peak "
        f"{max(s['rss_mb'] for s in samples):.0f} MiB, {samples[-1]['rss_mb']:.0f} MiB at "
        "the last.",
        f"- p99 latency, mean of the first and the last fifth of the samples: "
        f"{ms(mean('p99_ms', first))} ms and {ms(mean('p99_ms', last))} ms "
        f"(p50 {ms(mean('p50_ms', first))} and {ms(mean('p50_ms', last))} ms).",
        "",
    ]
    if plotted:
        lines += [f"![soak]({png.name})", ""]
    lines += [md_table(["minute", "RSS MiB", "p50 ms", "p99 ms", "requests", "hits",
                        "semantic", "streamed", "errors", "entries", "evicted"], rows), ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-entries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/soak.md"))
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    if not 0 < args.minutes <= 120:
        parser.error("--minutes must be in (0, 120]: the soak is bounded")
    with FakeOpenAI(latency=0.02, require_key=False) as upstream, \
            tempfile.TemporaryDirectory() as data:
        server = Server(upstream, data, args.max_entries)
        try:
            traffic = Traffic(_questions(), args.seed, recent=args.max_entries // 2)
            samples = asyncio.run(_soak(server, traffic,
                                        args.minutes * 60, args.every, args.clients))
        finally:
            server.stop()
    png = args.out.with_suffix(".png")
    plotted = _plot(samples, png)
    args.out.with_suffix(".json").write_text(json.dumps(samples, indent=1) + "\n")
    args.out.write_text(_report(samples, args, plotted, png), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
