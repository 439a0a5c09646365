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
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, now_utc  # noqa: E402

from gistcache.embedders import E5Embedder, OnnxEmbedder, RoutedEmbedder  # noqa: E402
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
    m = machine()
    text = "\n".join([
        "# The pair verifier's cost beside one embedding", "",
        f"Run {now_utc()} on {m['cpu']} ({m['cores']} cores) with "
        f"`.venv/bin/python benchmarks/bench_verifier.py {n}`; {n} new questions per language.",
        "", md_table(["language", "what", "p50 ms", "p90 ms", "p99 ms", "max ms"], rows), ""])
    print(text)
    (ROOT / "benchmarks" / "results" / "verifier_cost.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
