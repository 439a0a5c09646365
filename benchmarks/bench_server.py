"""Throughput and latency of the proxy server on exact and semantic hits, next to the bare
embedder measured in the same run.

Run (about 3 minutes on 2 cores)::

    .venv/bin/python benchmarks/bench_server.py --out benchmarks/results/server.md

What it does: starts a fake upstream (in this process), then ``gistcache serve`` as a separate
process (default embedder, SQLite in a temporary directory) for each worker count; fills the
cache with the 390 first questions of the label-1 pairs of ``benchmarks/data/chatbot_pairs.jsonl``
(misses, answered by the fake); then loads it from this process with concurrent keep-alive
clients:

- exact hits: the stored questions again, byte for byte;
- semantic hits: their paraphrases (the pairs' second questions, and variants of them with a
  greeting or a thank-you added), sent with ``Cache-Control: no-store`` and only those that the
  cache answers as semantic hits — more distinct texts than the cache's 256-entry vector memo,
  so every request embeds;

with two load generators: ``httpx`` (httpx.AsyncClient, the spec's client) and ``raw`` (asyncio
streams writing pre-built HTTP/1.1 requests: far less client CPU, so the server is the
bottleneck). The bare embedder is ``OnnxEmbedder.embed_one`` in a loop over the same paraphrases,
and ``embed`` in batches of 64, in this process while the server idles.

The machine has 2 cores shared by everything (server, load generator, other work): figures are
what this run got, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, ms, now_utc, summarize

from gistcache.testing import FakeOpenAI, free_port, wait_ready

DATA = Path(__file__).resolve().parent / "data" / "chatbot_pairs.jsonl"
MODEL = "gpt-4o-mini"
#: (hit kind, concurrent clients, load generator, request bodies, requests, extra headers)
Phase = tuple[str, int, str, list[bytes], int, dict[str, str]]
VARIANTS = ("{q}", "Hey, {q}", "{q} Thanks!", "Quick question: {q}", "{q} Thank you so much.")


def _pairs() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    return [(r["a"], r["b"]) for r in rows if r["label"] == 1]


def _body(text: str) -> bytes:
    return json.dumps({"model": MODEL, "messages": [{"role": "user", "content": text}]}).encode()




class Server:
    """``gistcache serve`` in its own process."""

    def __init__(self, workers: int, upstream: FakeOpenAI, data_dir: str,
                 pythonpath: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "GISTCACHE_UPSTREAM_KEY": upstream.api_key}
        if pythonpath:
            # uvicorn picks httptools and uvloop up when they can be imported
            env["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, env.get("PYTHONPATH"))
                                                if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gistcache.cli", "serve", "--port", str(self.port),
             "--workers", str(workers), "--data-dir", data_dir, "--upstream", upstream.base_url,
             "--log-level", "warning"], env=env)
        wait_ready(self.proc, self.url, 120)
        if workers > 1:
            time.sleep(5)  # /readyz answers as soon as one worker is up; let the others load

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return total


# -- load generators -----------------------------------------------------------------------


async def _httpx_load(url: str, bodies: Sequence[bytes], headers: dict[str, str],
                      concurrency: int, total: int) -> tuple[float, list[float], Counter[str]]:
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    hdrs = {"content-type": "application/json", **headers}
    next_index = 0

    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def worker() -> None:
            nonlocal next_index
            while next_index < total:
                body = bodies[next_index % len(bodies)]
                next_index += 1
                start = time.perf_counter()
                response = await client.post(url, content=body, headers=hdrs)
                latencies.append(time.perf_counter() - start)
                outcomes[response.headers.get("x-gistcache", str(response.status_code))] += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, latencies, outcomes


async def _raw_load(url: str, bodies: Sequence[bytes], headers: dict[str, str],
                    concurrency: int, total: int) -> tuple[float, list[float], Counter[str]]:
    parts = httpx.URL(url)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    requests = [
        (f"POST {parts.raw_path.decode()} HTTP/1.1\r\nHost: {parts.host}\r\n"
         f"Content-Type: application/json\r\nContent-Length: {len(b)}\r\n{extra}\r\n"
         ).encode() + b for b in bodies]
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        reader, writer = await asyncio.open_connection(parts.host, parts.port)
        try:
            while next_index < total:
                request = requests[next_index % len(requests)]
                next_index += 1
                start = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length, outcome = 0, "?"
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"x-gistcache":
                        outcome = value.strip().decode()
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                outcomes[outcome] += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies, outcomes


LOADERS: dict[str, Callable[..., Any]] = {"httpx": _httpx_load, "raw": _raw_load}


# -- phases ---------------------------------------------------------------------------------


def _fill(url: str, questions: Sequence[str]) -> None:
    with httpx.Client(timeout=60) as client:
        for text in questions:
            # no-cache: store every question even when an earlier one already answers it
            response = client.post(url, content=_body(text),
                                   headers={"content-type": "application/json",
                                            "cache-control": "no-cache"})
            response.raise_for_status()


def _semantic_probes(url: str, paraphrases: Sequence[str], enough: int = 800) -> list[str]:
    keep: list[str] = []
    with httpx.Client(timeout=60) as client:
        for text in paraphrases:
            if len(keep) >= enough:
                break
            response = client.post(url, content=_body(text),
                                   headers={"content-type": "application/json",
                                            "cache-control": "no-store"})
            if response.headers.get("x-gistcache") == "hit-semantic":
                keep.append(text)
    return keep


def _bare_embedder(texts: Sequence[str], single: int, batches: int) -> dict[str, float]:
    from gistcache.embedders import OnnxEmbedder

    embedder = OnnxEmbedder()
    embedder.embed_one("warm up")
    start = time.perf_counter()
    for i in range(single):
        embedder.embed_one(texts[i % len(texts)])
    one = single / (time.perf_counter() - start)
    batch = [texts[i % len(texts)] for i in range(64)]
    start = time.perf_counter()
    for _ in range(batches):
        embedder.embed(batch)
    many = batches * 64 / (time.perf_counter() - start)
    embedder.close()
    return {"single": one, "batched": many}


def _run(loader: str, url: str, bodies: Sequence[bytes], headers: dict[str, str],
         concurrency: int, total: int, server_pid: int) -> dict[str, Any]:
    cpu = _cpu_seconds(server_pid)
    elapsed, latencies, outcomes = asyncio.run(
        LOADERS[loader](url, bodies, headers, concurrency, total))
    cpu = _cpu_seconds(server_pid) - cpu
    return {"rps": len(latencies) / elapsed, "lat": summarize(latencies),
            "outcomes": dict(outcomes), "cpu_us": 1e6 * cpu / max(len(latencies), 1)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run every phase and write the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="markdown file to write")
    parser.add_argument("--workers", default="1,2", help="server worker counts to try")
    parser.add_argument("--concurrency", default="16,64",
                        help="concurrent clients to try (exact hits; semantic: the first)")
    parser.add_argument("--exact-requests", type=int, default=10_000,
                        help="per exact phase (a fifth of it with the slower httpx client)")
    parser.add_argument("--semantic-requests", type=int, default=600)
    parser.add_argument("--fast-parser-path", default=None, metavar="DIR",
                        help="also run the server with this directory on PYTHONPATH, holding "
                             "httptools and uvloop (pip install --target DIR httptools uvloop)")
    args = parser.parse_args(argv)
    pairs = _pairs()
    stored = [a for a, _ in pairs]
    paraphrases = [v.format(q=b) for v in VARIANTS for _, b in pairs]
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    stacks: list[tuple[str, str | None]] = [("h11", None)]
    if args.fast_parser_path:
        stacks.append(("httptools+uvloop", args.fast_parser_path))
    rows: list[list[Any]] = []
    notes: list[str] = []
    probes: list[str] = []
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bare: dict[str, float] = {}
    load_before = os.getloadavg()
    with FakeOpenAI() as upstream:
        for stack, pythonpath in stacks:
            for workers in [int(w) for w in args.workers.split(",")]:
                with tempfile.TemporaryDirectory(prefix="gistcache-bench-") as data_dir:
                    server = Server(workers, upstream, data_dir, pythonpath)
                    try:
                        url = server.url + "/v1/chat/completions"
                        _fill(url, stored)
                        # the same embedder and entries give the same hits in every server
                        probes = probes or _semantic_probes(url, paraphrases)
                        if len(probes) < 2 * 256:
                            notes.append(f"WARNING: only {len(probes)} semantic probes: some "
                                         "requests may reuse a memoized vector")
                        if not notes:
                            notes.append(f"semantic load set: {len(probes)} paraphrases that "
                                         "the cache answers as semantic hits (of the first "
                                         f"{paraphrases.index(probes[-1]) + 1} tried)")
                        exact_bodies = [_body(t) for t in stored]
                        plan: list[Phase] = [
                            ("exact", c, loader, exact_bodies,
                             args.exact_requests // (5 if loader == "httpx" else 1), {})
                            for c in concurrencies for loader in ("httpx", "raw")]
                        # each semantic phase takes the next texts of the probe list: a text
                        # comes back only after every other one, long out of the cache's
                        # 256-text vector memo, so every request really embeds
                        ring = [_body(t) for t in probes]
                        plan += [("semantic", concurrencies[0], loader, ring,
                                  args.semantic_requests, {"cache-control": "no-store"})
                                 for loader in ("httpx", "raw")]
                        cursor = 0
                        for kind, concurrency, loader, bodies, total, headers in plan:
                            warm = min(total // 10, 500)
                            if kind == "semantic":
                                turn = [*bodies[cursor:], *bodies[:cursor]]
                                cursor = (cursor + warm + total) % len(bodies)
                                bodies = turn
                            _run(loader, url, bodies, headers, concurrency, warm,
                                 server.proc.pid)
                            got = _run(loader, url, bodies[warm:] + bodies[:warm], headers,
                                       concurrency, total, server.proc.pid)
                            hits = got["outcomes"].get(f"hit-{kind}", 0)
                            lat = got["lat"]
                            rows.append([kind, stack, workers, concurrency, loader,
                                         f"{got['rps']:.0f}", ms(lat["p50"]), ms(lat["p90"]),
                                         ms(lat["p99"]), ms(lat["max"]),
                                         f"{got['cpu_us']:.0f}",
                                         f"{100 * hits / lat['n']:.1f}%"])
                            print(rows[-1], flush=True)
                    finally:
                        server.stop()
                if not bare:
                    bare = _bare_embedder(paraphrases, single=600, batches=12)
                    print("bare embedder", bare, flush=True)
    load_after = os.getloadavg()
    info = machine()
    exact_best = max(float(r[5]) for r in rows if r[0] == "exact")
    semantic_best = max(float(r[5]) for r in rows if r[0] == "semantic")
    text = "\n".join([
        "# Proxy server: hit throughput and latency",
        "",
        f"Measured {now_utc()} by `benchmarks/bench_server.py` on {info['cpu']} "
        f"({info['cores']} cores, shared with other work: load average "
        f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end), Python "
        f"{info['python']}. The server is `gistcache serve` (uvicorn) in its own process(es); "
        "the load generator is this script's process on the same 2 cores. `h11` is uvicorn's "
        "pure-Python HTTP parser (what `pip install gistcache[server]` gives today); "
        "`httptools+uvloop` is what `uvicorn[standard]` adds. Latencies in ms: median, p90, "
        "p99, max (the mean is not reported).",
        "",
        md_table(["hits", "HTTP stack", "workers", "clients", "load generator", "req/s",
                  "p50", "p90", "p99", "max", "server CPU µs/req", "hit rate"], rows),
        "",
        "`server CPU µs/req` is the CPU time the server process(es) used per request "
        "(user + system, from /proc): it depends much less than req/s on what else the "
        "machine runs; 1,000,000 / it is roughly what one core given to the server serves.",
        "",
        "Bare embedder (all-MiniLM-L6-v2 int8 ONNX) in the same run, server idle: "
        f"`embed_one` {bare['single']:.0f} texts/s, `embed` in batches of 64 "
        f"{bare['batched']:.0f} texts/s.",
        "",
        f"- Best exact-hit throughput: {exact_best:.0f} req/s (goal: 2,000).",
        f"- Best semantic-hit throughput: {semantic_best:.0f} req/s = "
        f"{semantic_best / bare['single']:.2f} x the bare embedder's single-query throughput "
        "(goal: 0.8 x).",
        *[f"- {n}" for n in notes],
        "",
    ])
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
