"""Hit quality of the default pipeline on tuning, report and fresh splits, side by side.

Run (a few minutes the first time, mostly embedding; embeddings are cached in
``benchmarks/.embcache/``)::

    .venv/bin/python benchmarks/bench_quality.py

Writes ``benchmarks/results/quality.md``, ``quality.json`` and ``quality_pr.png``.

The shipped verifier bars (``threshold`` in ``src/gistcache/data/pair-verifier.json`` and
``pair-cross.json``) were chosen on this script's tuning split with the word-list guards in the
pipeline, and every figure here is measured with them: a run on the shipped verifier records the
guards' fingerprint (``gistcache.evaluators.guards.fingerprint()``) as ``guards_sha256`` in
``quality.json`` and in both manifests, and ``tests/test_guards_fingerprint.py`` fails when the
guards change after that.

Each labelled pair is (``a`` already cached, ``b`` asked). A system "serves" a pair when it would
answer ``b`` with ``a``'s answer; precision = right hits / hits, recall = right hits / positives,
the wrong-hit rate of a negative kind = hits / pairs of that kind.

Splits — the figure that counts is **fresh**:

* ``tuning``: what the verifier was trained and its threshold chosen on (generated pairs'
  development rows, chatbot pairs with ids ending 0-6, a QQP sample with ids ending 0-7);
* ``report``: held back from training, but written by the same project (chatbot ids 7-9, a QQP
  sample with ids 8-9, GPTCache's mock paraphrases);
* ``fresh``: ``benchmarks/data/fresh_en.jsonl`` / ``fresh_ko.jsonl`` and the second to fifth
  rounds (``fresh2_*`` … ``fresh5_*``), each written before a round of tuning
  by writers who saw none of the tuning data or rules, never used to choose anything
  (``benchmarks/data/README.md`` says when each was first read).

Systems:

* ``gistcache``: the default pipeline — an exact hit when the two texts normalise equal (case,
  spacing, quotes, end punctuation: the cache's exact tier), else the route embedder's cosine
  (English on all-MiniLM-L6-v2, other scripts on multilingual-e5-small) at least the threshold,
  identifiers equal, the pair verifier's P(same answer) at least its shipped threshold;
* ``previous``: the pipeline the pair verifier replaced (all-MiniLM-L6-v2 for every language,
  cosine 0.80 + word-list guards + a logistic verifier), measured once with this script at commit
  8bef2b4 (``--previous``) and kept in ``benchmarks/results/quality_previous.md``;
* ``cosine``: all-MiniLM-L6-v2 cosine alone at 0.80 (the previous default bar);
* ``GPTCache``: GPTCache 0.1.44's default evaluator (``SearchDistanceEvaluation`` over faiss'
  squared L2 distance, ``similarity_threshold`` 0.8), which on unit vectors accepts cosine >= 0.6:
  computed from the same all-MiniLM-L6-v2 vectors.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, md_table, now_utc  # noqa: E402
from _embcache import CachedEmbedder  # noqa: E402

from gistcache._types import normalize_text  # noqa: E402
from gistcache.config import (  # noqa: E402
    DEFAULT_MULTILINGUAL_THRESHOLD,
    DEFAULT_SPELLING,
    DEFAULT_THRESHOLD,
    SPELLING_FLOOR,
)
from gistcache.embedders import E5Embedder, OnnxEmbedder, RoutedEmbedder  # noqa: E402
from gistcache.evaluators.crossmodel import CrossVerifier, JointVerifier  # noqa: E402
from gistcache.evaluators.guards import fingerprint, veto  # noqa: E402
from gistcache.evaluators.identifiers import identifiers_differ  # noqa: E402
from gistcache.evaluators.pairmodel import PairVerifier  # noqa: E402
from gistcache.evaluators.spelling import align_spelling, spelling_similarity  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
#: the manifests of the shipped verifier, whose bars were chosen with the guards in the pipeline
MANIFESTS = (ROOT / "src" / "gistcache" / "data" / "pair-verifier.json",
             ROOT / "src" / "gistcache" / "data" / "pair-cross.json",
             ROOT / "src" / "gistcache" / "data" / "pair-cross-e5.json")
SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
GPTCACHE_COSINE = 0.6
#: the "cosine" reference system: MiniLM cosine alone at the previous default bar
COSINE_ONLY = 0.80
#: whether the default pipeline runs the word-list guards (``Config.guards``)
GUARDS = True
NEGATIVE_KINDS = ("negation", "antonym", "number", "entity", "direction", "time", "scope",
                  "format", "identifier", "related")


@dataclass
class PairSet:
    """A labelled pair set and every score the systems read."""

    name: str
    split: str
    rows: list[dict[str, Any]]
    scores: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def labels(self) -> np.ndarray:
        return np.asarray([r["label"] for r in self.rows])

    @property
    def kinds(self) -> list[str]:
        return [str(r.get("kind", "")) for r in self.rows]


def _read(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100


def load_sets(qqp_n: int) -> list[PairSet]:
    """Every pair set, tagged with its split."""
    sets = []
    chat = _read(DATA / "chatbot_pairs.jsonl")
    digit = [int(r["id"].split("-")[1]) % 10 for r in chat]
    sets.append(PairSet("chatbot", "tuning", [r for r, d in zip(chat, digit, strict=True)
                                              if d <= 6]))
    sets.append(PairSet("chatbot", "report", [r for r, d in zip(chat, digit, strict=True)
                                              if d >= 7]))
    qqp = _read(SHARED / "qqp_pairs.jsonl.gz")
    rng = random.Random(20261207)
    tune = [r for r in qqp if int(r["id"][1:]) % 10 <= 7]
    report = [r for r in qqp if int(r["id"][1:]) % 10 >= 8]
    for r in tune + report:
        r["kind"] = "qqp"
    sets.append(PairSet("qqp", "tuning", rng.sample(tune, min(qqp_n, len(tune)))))
    sets.append(PairSet("qqp", "report", rng.sample(report, min(qqp_n, len(report)))))
    for lang in ("en", "ko"):
        gen = DATA / f"generated_{lang}.jsonl"
        if gen.exists():
            dev = [r for r in _read(gen) if _bucket(str(r["id"])) < 5]
            sets.append(PairSet(f"generated_{lang}", "tuning", dev))
    for lang in ("en", "ko"):
        # the written tuning pairs' development share (train_pair_cross.py trains on the rest)
        dev = [r for r in _read(DATA / f"natural_{lang}.jsonl") if _bucket(str(r["id"])) < 20]
        sets.append(PairSet(f"natural_{lang}", "tuning", dev))
    mock = _read(SHARED / "gptcache_mock_pairs.jsonl")
    for r in mock:
        r["kind"] = "mock"
    sets.append(PairSet("gptcache_mock", "report", random.Random(7).sample(mock, 300)))
    for round_ in ("", "2", "3", "4", "5"):
        for lang in ("en", "ko"):
            name = f"fresh{round_}_{lang}"
            sets.append(PairSet(name, "fresh", _read(DATA / f"{name}.jsonl")))
    return sets


def _cos(embedder: Any, rows: Sequence[dict[str, Any]]) -> np.ndarray:
    a = embedder.embed([r["a"] for r in rows])
    b = embedder.embed([r["b"] for r in rows])
    return np.asarray((a * b).sum(axis=1), dtype=np.float64)


def score(sets: Sequence[PairSet], verifier: Any) -> None:
    """Fill every set's scores: cosines, identifiers, verifier probabilities (timed)."""
    minilm = CachedEmbedder(OnnxEmbedder, name="all-MiniLM-L6-v2-int8", dimension=384,
                            store="quality")
    e5 = CachedEmbedder(E5Embedder, name="multilingual-e5-small-q4", dimension=384,
                        store="quality")
    routed = RoutedEmbedder(minilm, e5)
    for ps in sets:
        t = time.perf_counter()
        rows = ps.rows
        same_route = np.asarray([routed.route(r["a"]) == routed.route(r["b"]) for r in rows])
        ps.scores["cos_route"] = np.where(same_route, _cos(routed, rows), -1.0)
        ps.scores["multilingual"] = np.asarray([routed.route(r["b"]) != "" for r in rows])
        ps.scores["cos_minilm"] = _cos(minilm, rows)
        ps.scores["ident_ok"] = np.asarray([not identifiers_differ(r["b"], r["a"])
                                            for r in rows])
        # the asked and stored texts with misspelt words read as meant, as the pipeline judges them
        aligned = [align_spelling(r["b"], r["a"]) for r in rows]
        ps.scores["spelling"] = np.asarray([spelling_similarity(b, a) for b, a in aligned])
        head = verifier.head if isinstance(verifier, JointVerifier) else verifier
        if isinstance(head, PairVerifier):
            # encode every text once, in batches, then run the head per pair
            head.encoder._memo_size = 10**6
            texts = sorted({x for r in rows for x in (r["a"], r["b"])}, key=len)
            for i in range(0, len(texts), 64):
                head.encoder.encode(texts[i : i + 64])
        if isinstance(verifier, JointVerifier):
            # each of the joint verifier's two models alone, for the ablation rows (the joint
            # pass below then reads both models' memos)
            verifier.cross._memo_size = 10**6
            ps.scores["p_head"] = np.asarray([verifier.head.probabilities(b, [a])[0]
                                              for b, a in aligned])
            # a pair the cross-encoder was not trained on (another script) is not scored by it
            ps.scores["p_cross"] = np.asarray(
                [verifier.cross.probabilities(b, [a])[0] if verifier.cross.reads(b, a) else 0.0
                 for b, a in aligned])
            # the multilingual cross-encoder (English and Korean pairs)
            ml = verifier.multilingual
            if ml is not None:
                ml._memo_size = 10**6
            ps.scores["p_cross_e5"] = np.asarray(
                [ml.probabilities(b, [a])[0] if ml is not None and ml.reads(b, a) else 0.0
                 for b, a in aligned])
        ps.scores["p"] = np.asarray([verifier.probabilities(r["b"], [r["a"]])[0] for r in rows])
        ps.scores["guards_ok"] = np.asarray([veto(r["b"], r["a"]) is None for r in rows])
        # the cache's exact tier answers these before any embedding
        ps.scores["exact"] = np.asarray([normalize_text(r["a"]) == normalize_text(r["b"])
                                         for r in rows])
        print(f"{ps.name}/{ps.split}: {len(rows)} pairs scored in "
              f"{time.perf_counter() - t:.0f} s", flush=True)


def systems(ps: PairSet, threshold: float, bar: float, guards: bool = GUARDS,
            multilingual: float = DEFAULT_MULTILINGUAL_THRESHOLD,
            ablation: dict[str, float] | None = None,
            spelling: float = DEFAULT_SPELLING) -> dict[str, np.ndarray]:
    """Which pairs each system serves.

    ``ablation`` maps a score column (``p_head``, ``p_cross``) to its model's own bar: the same
    pipeline with only that model as the verifier, reported beside the shipped one.
    """
    s = ps.scores
    bars = np.where(s["multilingual"], max(threshold, multilingual), threshold)
    # the default ThresholdEvaluator: the cosine bar, or a spelling variant above its floor
    gate = (s["cos_route"] >= bars) | ((s["spelling"] >= spelling)
                                        & (s["cos_route"] >= SPELLING_FLOOR))
    routed = gate & s["ident_ok"]
    if guards:
        routed &= s["guards_ok"]
    out = {"gistcache": (routed & (s["p"] >= bar)) | s["exact"]}
    for column, own_bar in (ablation or {}).items():
        if column in s:
            label = {"p_head": "token head only", "p_cross": "cross-encoder only",
                     "p_cross_e5": "multilingual cross-encoder only"}[column]
            out[f"  {label}"] = (routed & (s[column] >= own_bar)) | s["exact"]
    out["cosine"] = s["cos_minilm"] >= COSINE_ONLY
    out["GPTCache 0.1.44"] = s["cos_minilm"] >= GPTCACHE_COSINE
    return out


def rates(served: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    tp = int((served & (labels == 1)).sum())
    fp = int((served & (labels == 0)).sum())
    pos = int((labels == 1).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / pos if pos else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "hits": tp + fp,
            "wrong": fp, "n": len(labels)}


def by_kind(served: np.ndarray, ps: PairSet) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    labels = ps.labels
    for kind in sorted(set(ps.kinds)):
        sel = np.asarray([k == kind for k in ps.kinds])
        lab = int(labels[sel][0])
        rate = float(served[sel].mean())
        out[kind] = {"label": lab, "n": int(sel.sum()),
                     "rate": rate}  # hit rate: recall for positives, wrong hits for negatives
    return out


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f}%"


def _f(x: float) -> str:
    return "–" if x != x else f"{x:.3f}"


def plot(sets: Sequence[PairSet], threshold: float, path: Path) -> None:
    """Precision against recall on the fresh sets, each system swept over its own knob."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # one row per language, the rounds left to right
    rows = [[ps for ps in sets if ps.split == "fresh" and ps.name.endswith(f"_{lang}")]
            for lang in ("en", "ko")]
    cols = max(len(r) for r in rows)
    fig, axes = plt.subplots(2, cols, figsize=(5 * cols, 9), squeeze=False)
    for ax in axes.flat:
        ax.set_visible(False)
    placed = [(axes[i][j], ps) for i, row in enumerate(rows) for j, ps in enumerate(row)]
    for ax, ps in placed:
        ax.set_visible(True)
        labels = ps.labels
        s = ps.scores
        curves = {
            "cosine only (MiniLM)": [s["cos_minilm"] >= t for t in np.linspace(0.5, 1.0, 60)],
            "cosine only (route embedder)": [s["cos_route"] >= t
                                             for t in np.linspace(0.5, 1.0, 60)],
            "gistcache (verifier bar swept)": [
                (s["cos_route"] >= threshold) & s["ident_ok"] & (s["p"] >= b)
                for b in np.linspace(0.02, 0.99, 60)],
        }
        for name, masks in curves.items():
            pts = [rates(m, labels) for m in masks]
            pts = [(p["recall"], p["precision"]) for p in pts if p["hits"]]
            ax.plot([r for r, _ in pts], [p for _, p in pts], label=name)
        g = rates(s["cos_minilm"] >= GPTCACHE_COSINE, labels)
        ax.scatter([g["recall"]], [g["precision"]], marker="x", color="k",
                   label="GPTCache 0.1.44 default")
        ax.set_title(f"{ps.name} (fresh, {len(ps.rows)} pairs)")
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_ylim(0.2, 1.01)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def record_guards(manifests: Sequence[Path], guards_sha256: str) -> None:
    """Write the guards' fingerprint into each manifest whose bar this run measured."""
    for path in manifests:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("guards_sha256") != guards_sha256:
            manifest["guards_sha256"] = guards_sha256
            path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--qqp", type=int, default=1000, help="QQP pairs per split")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--tune", action="store_true",
                        help="print the tuning split at several thresholds and stop (fresh and "
                             "report sets are not even scored)")
    parser.add_argument("--verifier", choices=("joint", "cross", "head"), default="joint",
                        help="the shipped joint verifier (default), or one of its two models")
    parser.add_argument("--verifier-dir", type=Path, default=None,
                        help="a directory holding another trained verifier's files")
    args = parser.parse_args(argv)
    verifier = {"joint": JointVerifier, "cross": CrossVerifier,
                "head": PairVerifier}[args.verifier](args.verifier_dir)
    sets = load_sets(args.qqp)
    if args.tune:
        print(f"guards sha256 {fingerprint()}")
        sets = [ps for ps in sets if ps.split == "tuning"]
        score(sets, verifier)
        grid = [(g, t, m, b) for g in (False, True)
                for t in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
                for m in (0.8, 0.82, 0.84, 0.86, 0.88, 0.9)
                for b in (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)]
        for g, t, m, b in grid:
            line = []
            for ps in sets:
                r = rates(systems(ps, t, b, g, m)["gistcache"], ps.labels)
                line.append(f"{ps.name} {_f(r['precision'])}/{_f(r['recall'])}")
            print(f"guards={g:d} cos>={t:.2f} multilingual>={m:.2f} P>={b:.2f}: "
                  + "  ".join(line))
        return 0
    score(sets, verifier)
    bar, threshold = verifier.threshold, DEFAULT_THRESHOLD
    ablation = ({"p_head": verifier.head.threshold, "p_cross": verifier.cross.threshold}
                if isinstance(verifier, JointVerifier) else None)
    if ablation is not None and verifier.multilingual is not None:
        ablation["p_cross_e5"] = verifier.multilingual.threshold

    overall: list[list[str]] = []
    kinds_rows: list[list[str]] = []
    guards_sha256 = fingerprint() if GUARDS else None
    results: dict[str, Any] = {"threshold": threshold, "verifier_bar": bar,
                               "guards_sha256": guards_sha256, "sets": {}}
    for ps in sets:
        served = systems(ps, threshold, bar, ablation=ablation)
        res = {name: rates(m, ps.labels) for name, m in served.items()}
        results["sets"][f"{ps.name}/{ps.split}"] = {
            "systems": res, "kinds": {n: by_kind(m, ps) for n, m in served.items()}}
        for name, r in res.items():
            overall.append([ps.split, ps.name, name, str(r["n"]), _f(r["precision"]),
                            _f(r["recall"]), _f(r["f1"]), str(r["wrong"])])
        if ps.split in ("fresh", "report") or ps.name.startswith("generated"):
            for kind, k in by_kind(served["gistcache"], ps).items():
                what = "served (recall)" if k["label"] == 1 else "wrong hits"
                kinds_rows.append([ps.split, ps.name, kind, str(k["n"]), what, _pct(k["rate"])])
    lines = [
        "# Hit quality: tuning, report and fresh splits",
        "",
        f"Run {now_utc()} on {machine()['cpu']} ({machine()['cores']} cores) with "
        "`.venv/bin/python benchmarks/bench_quality.py`.",
        f"gistcache: route cosine >= {threshold} (or trigram spelling similarity >= "
        f"{DEFAULT_SPELLING} above cosine {SPELLING_FLOOR}, misspelt words read as meant), "
        "identifiers equal, guards, pair "
        f"verifier ({args.verifier}) P >= {bar} (shipped; chosen on the tuning split). "
        + ("The indented rows are the same pipeline with only one of the joint verifier's "
           f"models, each at its own bar (token head {ablation['p_head']}, English "
           f"cross-encoder {ablation['p_cross']}"
           + (f", multilingual cross-encoder {ablation['p_cross_e5']}, which reads English and "
              "Korean pairs" if "p_cross_e5" in ablation else "")
           + "). " if ablation else "")
        + "**Fresh** sets were written before tuning by writers who saw no tuning data and "
        "were never used to choose anything.",
        "",
        md_table(["split", "set", "system", "pairs", "precision", "recall", "F1", "wrong hits"],
                 overall),
        "",
        "## gistcache by kind",
        "",
        "For positive kinds the rate is the share served (recall); for negative kinds the share "
        "served anyway (wrong hits).",
        "",
        md_table(["split", "set", "kind", "pairs", "rate is", "rate"], kinds_rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "quality.md").write_text(text)
        (RESULTS / "quality.json").write_text(json.dumps(results, indent=1, default=float))
        plot(sets, threshold, RESULTS / "quality_pr.png")
        if guards_sha256 and args.verifier == "joint" and args.verifier_dir is None:
            # the shipped bars were measured with these guards: a later change to a word list
            # or a guard then fails tests/test_guards_fingerprint.py until this is rerun
            record_guards(MANIFESTS, guards_sha256)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
