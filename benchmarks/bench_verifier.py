"""What the pair verifier adds to a semantic hit, beside one embedding, in the same process.

Run::

    .venv/bin/python benchmarks/bench_verifier.py

Writes ``benchmarks/results/verifier_cost.md``. For each language, a new question (never seen, so
its token states are computed) is verified against one stored question whose token states are
memoised (a stored entry is verified many times) — the cost a semantic hit pays — and against
three stored candidates at once; beside them, the route embedder's time for the same question.
The verifier is the shipped joint one: the token head, then the cross-encoder for the candidates
the head does not accept (the questions below are numbered, so the head refuses them and both
models run: the costlier path); the token head alone is timed too.

A second table times **whole semantic hits** through the default ``Cache`` (real embedder, real
verifier, SQLite in memory): written tuning pairs that the default pipeline serves (each stored,
then its paraphrase asked, in a namespace of its own), beside the bare embedding of the same
questions — with the embedder's token states handed to the verifier (the default) and without, and
with the stored question's token states as the put left them or dropped (a cold entry).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, now_utc  # noqa: E402

from gistcache import Cache, Config  # noqa: E402
from gistcache.embedders import E5Embedder, OnnxEmbedder, RoutedEmbedder  # noqa: E402
from gistcache.evaluators import PairVerifierEvaluator  # noqa: E402
from gistcache.evaluators.crossmodel import JointVerifier  # noqa: E402

QUESTIONS = {
    "English": ("How do I undo my last git commit?", "how do i undo the last commit in git #{i}"),
    "Korean": ("도커 컨테이너를 중지하는 명령어는?", "도커 컨테이너 중지하는 명령어 알려줘 {i}번"),
}


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1)))]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    verifier = JointVerifier()
    embedder = RoutedEmbedder(OnnxEmbedder(), E5Embedder())
    rows = []
    for lang, (stored, template) in QUESTIONS.items():
        verifier.probabilities(stored, [stored])  # the stored side is memoised, as in a cache
        one, three, emb, head = [], [], [], []
        others = [stored, stored + " please", "what is " + stored]
        verifier.probabilities(stored, others)
        for i in range(n):
            q = template.format(i=i)
            t = time.perf_counter()
            embedder.embed([q])
            emb.append(time.perf_counter() - t)
            t = time.perf_counter()
            verifier.head.probabilities(q + " ", [stored])
            head.append(time.perf_counter() - t)
            t = time.perf_counter()
            verifier.probabilities(q, [stored])
            one.append(time.perf_counter() - t)
            q3 = template.format(i=i + n)
            t = time.perf_counter()
            verifier.probabilities(q3, others)
            three.append(time.perf_counter() - t)
        for name, xs in (("embedding (route model)", emb), ("token head alone, 1 candidate", head),
                         ("joint verifier, 1 candidate", one),
                         ("joint verifier, 3 candidates", three)):
            ms = [x * 1000 for x in xs]
            rows.append([lang, name, f"{statistics.median(ms):.2f}", f"{_pct(ms, 0.9):.2f}",
                         f"{_pct(ms, 0.99):.2f}", f"{max(ms):.2f}"])
        ratio = statistics.median(one) / statistics.median(emb)
        rows.append([lang, "joint verifier (1) / embedding, p50", f"{ratio:.2f}×", "", "", ""])
    hit_rows = whole_hits()
    m = machine()
    text = "\n".join([
        "# The pair verifier's cost beside one embedding", "",
        f"Run {now_utc()} on {m['cpu']} ({m['cores']} cores) with "
        f"`.venv/bin/python benchmarks/bench_verifier.py {n}`; {n} new questions per language.",
        "", md_table(["language", "what", "p50 ms", "p90 ms", "p99 ms", "max ms"], rows), "",
        "## Whole semantic hits through the default Cache", "",
        "Written tuning pairs (`benchmarks/data/natural_*.jsonl`, label 1) that the default "
        "pipeline serves; the lookup's whole time (embedding, index, every evaluator) beside the "
        "bare route embedding of the same asked questions in the same process. *Shared*: the "
        "embedder's token states go to the verifier (the default), so a put leaves the stored "
        "question's states in the verifier's memo and a lookup's question is not run twice; "
        "*run twice*: the verifier runs the model itself (as before this change: nothing is "
        "memoised by a put). *Dropped*: the stored question's states were removed from the memo "
        "before the lookup (an entry not put or hit recently). Korean questions are embedded by "
        "the multilingual model, so nothing is shared there.", "",
        md_table(["language", "token states", "stored side", "hits", "lookup p50 ms",
                  "lookup p90 ms", "embedding p50 ms", "lookup / embedding (p50)"], hit_rows),
        ""])
    print(text)
    (ROOT / "benchmarks" / "results" / "verifier_cost.md").write_text(text)
    return 0


def _pairs(lang: str, limit: int) -> list[dict[str, Any]]:
    path = ROOT / "benchmarks" / "data" / f"natural_{lang}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["label"] == 1][:limit]


def whole_hits(limit: int = 200) -> list[list[str]]:
    """Time whole semantic hits through the default Cache, sharing on and off, stored side
    memoised or cold."""
    out = []
    for lang, name in (("en", "English"), ("ko", "Korean")):
        pairs = _pairs(lang, limit)
        for shared in (True, False):
            for cold in (False, True):
                cache = Cache(Config(data_dir=":memory:"), background=False)
                try:
                    emb = cache.embedder
                    english = getattr(emb, "english", None)
                    if not shared and english is not None:
                        english._listeners.clear()
                    pve = next(e for e in cache.evaluator.walk()  # type: ignore[attr-defined]
                               if isinstance(e, PairVerifierEvaluator))
                    cache.put("warm up the models", "x")
                    cache.get("warm up the model please")
                    encoder = pve.verifier.head.encoder  # type: ignore[attr-defined]
                    lookups, embeds = [], []
                    for i, r in enumerate(pairs):
                        ns = f"{lang}-{i}"
                        cache.put(r["a"], "answer", namespace=ns)
                        if cold:
                            encoder._memo.pop(r["a"], None)
                        t = time.perf_counter()
                        found = cache.lookup(cache.request(r["b"], namespace=ns))
                        took = time.perf_counter() - t
                        if found.hit and found.similarity is not None:
                            lookups.append(took)
                            encoder._memo.pop(r["b"], None)
                            t = time.perf_counter()
                            emb.embed([r["b"]])  # type: ignore[union-attr]
                            embeds.append(time.perf_counter() - t)
                finally:
                    cache.close()
                lk = [x * 1000 for x in lookups]
                em = [x * 1000 for x in embeds]
                out.append([name, "shared" if shared else "run twice",
                            "dropped" if cold else "as put left it", str(len(lk)),
                            f"{statistics.median(lk):.2f}", f"{_pct(lk, 0.9):.2f}",
                            f"{statistics.median(em):.2f}",
                            f"{statistics.median(lk) / statistics.median(em):.2f}×"])
                print(out[-1], flush=True)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
