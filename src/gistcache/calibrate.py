"""Choose the similarity threshold (and the guards) from labelled question pairs.

A pair is ``{"id", "a", "b", "label"[, "kind"]}``: ``a`` is the question already in the cache,
``b`` the new one, ``label`` 1 when an answer to ``a`` answers ``b``. A pair is *served* at
threshold ``t`` when ``cosine(a, b) >= t`` and no enabled guard vetoes it (the default evaluator's
rule). :func:`calibrate` picks the lowest threshold whose precision on the pairs reaches the
target, which is the threshold of the highest recall at that precision, with the guards and
without them, and compares guard settings (all, none, each one left out).

The command ``gistcache calibrate PAIRS.jsonl`` (see :func:`register`) prints the same summary.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from ._errors import InvalidRequest
from .embedders import Embedder
from .evaluators.guards import GUARDS, veto

__all__ = [
    "Calibration",
    "OperatingPoint",
    "Pair",
    "Scores",
    "calibrate",
    "cosines",
    "load_pairs",
    "lowest_threshold",
    "operating_point",
    "register",
    "score_pairs",
    "select_split",
    "vetoes",
]

#: thresholds are reported to this many decimals (and computed at exactly that value)
DECIMALS = 4

Vector = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Pair:
    """One labelled pair: would ``a``'s answer be right for ``b``?"""

    id: str
    a: str
    b: str
    label: int
    kind: str = ""


# -- reading pair files -------------------------------------------------------------------------


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _pair_of(data: Any, where: str) -> Pair:
    if not isinstance(data, Mapping):
        raise InvalidRequest(f"{where}: expected a JSON object, got {type(data).__name__}")
    missing = [k for k in ("id", "a", "b", "label") if k not in data]
    if missing:
        raise InvalidRequest(f"{where}: missing field(s) {', '.join(missing)}")
    for key in ("a", "b"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise InvalidRequest(f"{where}: {key!r} must be a non-empty string")
    label = data["label"]
    if isinstance(label, bool) or label not in (0, 1):
        raise InvalidRequest(f"{where}: 'label' must be 0 or 1, got {label!r}")
    if not isinstance(data["id"], (str, int)) or isinstance(data["id"], bool):
        raise InvalidRequest(f"{where}: 'id' must be a string or an integer")
    kind = data.get("kind") or ""
    if not isinstance(kind, str):
        raise InvalidRequest(f"{where}: 'kind' must be a string")
    return Pair(str(data["id"]), data["a"], data["b"], int(label), kind)


def load_pairs(path: str | Path) -> list[Pair]:
    """Read a ``.jsonl`` or ``.jsonl.gz`` pair file; a bad row raises naming its line."""
    path = Path(path)
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    try:
        with _open_text(path) as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}, line {number}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InvalidRequest(f"{where}: not valid JSON: {exc.msg}") from exc
                pair = _pair_of(data, where)
                if pair.id in seen:
                    raise InvalidRequest(f"{where}: id {pair.id!r} already used on line "
                                         f"{seen[pair.id]}")
                seen[pair.id] = number
                pairs.append(pair)
    except OSError as exc:  # missing file, a directory, a truncated .gz
        raise InvalidRequest(f"cannot read pair file {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"pair file {path} is not UTF-8 text: {exc}") from exc
    if not pairs:
        raise InvalidRequest(f"pair file {path} holds no pairs")
    return pairs


def _digits(spec: str) -> frozenset[int]:
    """``"0-6"`` or ``"0,1,2"`` (or a mix) -> the set of last digits."""
    out: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or len(lo) != 1 or (sep and (not hi.isdigit() or len(hi) != 1)):
            raise InvalidRequest(f"--id-split takes digits like '0-6' or '0,1,2', got {spec!r}")
        out.update(range(int(lo), int(hi if sep else lo) + 1))
    if not out or len(out) == 10:
        raise InvalidRequest(f"--id-split {spec!r} must leave digits for both splits")
    return frozenset(out)


def select_split(pairs: Sequence[Pair], split: str, tune_digits: str = "0-6") -> list[Pair]:
    """The pairs of a split: ``tune`` = ids ending in ``tune_digits``, ``report`` = the others."""
    if split == "all":
        return list(pairs)
    if split not in ("tune", "report"):
        raise InvalidRequest(f"split must be tune, report or all, got {split!r}")
    digits = _digits(tune_digits)
    out = []
    for pair in pairs:
        last = pair.id[-1:]
        if not last.isdigit():
            raise InvalidRequest(f"pair id {pair.id!r} does not end in a digit: cannot split "
                                 "by id (use --split all)")
        if (int(last) in digits) == (split == "tune"):
            out.append(pair)
    if not out:
        raise InvalidRequest(f"the {split} split ({tune_digits} tune) holds no pairs")
    return out


# -- scoring ------------------------------------------------------------------------------------


def cosines(pairs: Sequence[Pair], embedder: Embedder, *, batch_size: int = 64) -> Vector:
    """Cosine similarity of each pair; every distinct text is embedded once, in batches."""
    texts = sorted({p.a for p in pairs} | {p.b for p in pairs}, key=len)
    rows = {t: i for i, t in enumerate(texts)}
    if batch_size < 1:
        raise InvalidRequest(f"batch_size must be >= 1, got {batch_size}")
    chunks = [embedder.embed(texts[k : k + batch_size]) for k in range(0, len(texts), batch_size)]
    matrix = np.concatenate(chunks) if chunks else np.zeros((0, embedder.dimension))
    a = matrix[[rows[p.a] for p in pairs]].astype(np.float64)
    b = matrix[[rows[p.b] for p in pairs]].astype(np.float64)
    sims: Vector = np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0)
    return sims


def vetoes(pairs: Sequence[Pair], guards: Iterable[str] | None = None) -> list[str | None]:
    """Each pair's guard verdict: the first reason to refuse ``a``'s answer for ``b``, or None."""
    names = list(GUARDS) if guards is None else list(guards)
    unknown = [n for n in names if n not in GUARDS]
    if unknown:
        raise InvalidRequest(f"unknown guard(s) {', '.join(unknown)}; known: "
                             f"{', '.join(GUARDS)}")
    if not names:
        return [None] * len(pairs)
    # the new question is the query, the cached one the candidate, as in the cache
    return [veto(p.b, p.a, names) for p in pairs]


@dataclass(frozen=True)
class Scores:
    """Everything a threshold choice needs: labels, cosines, and per-guard vetoes."""

    labels: npt.NDArray[np.int8]
    cos: Vector
    #: guard name -> which pairs that guard alone vetoes
    vetoed_by: dict[str, Mask]
    kinds: tuple[str, ...] = ()

    def vetoed(self, guards: Iterable[str]) -> Mask:
        """Pairs vetoed by any of ``guards``."""
        out = np.zeros(len(self.labels), dtype=bool)
        for name in guards:
            out |= self.vetoed_by[name]
        return out


def score_pairs(pairs: Sequence[Pair], *, embedder: Embedder | None = None,
                cos: Vector | None = None, guards: Iterable[str] | None = None) -> Scores:
    """Cosines (given, or computed with ``embedder``) and each guard's verdicts on the pairs."""
    if cos is None:
        if embedder is None:
            raise InvalidRequest("score_pairs needs an embedder or the cosines")
        cos = cosines(pairs, embedder)
    names = list(GUARDS) if guards is None else list(guards)
    vetoed_by = {name: np.array([v is not None for v in vetoes(pairs, [name])], dtype=bool)
                 for name in names}
    return Scores(np.array([p.label for p in pairs], dtype=np.int8), np.asarray(cos),
                  vetoed_by, tuple(p.kind for p in pairs))


@dataclass(frozen=True)
class OperatingPoint:
    """What a threshold does on the pairs. ``threshold`` None: the target is out of reach."""

    threshold: float | None
    precision: float
    recall: float
    f1: float
    hit_rate: float
    served: int
    right: int
    wrong: int
    pairs: int
    positives: int

    @property
    def reached(self) -> bool:
        """True when a threshold met the target."""
        return self.threshold is not None


def _point(threshold: float | None, served: Mask, labels: npt.NDArray[np.int8]) -> OperatingPoint:
    right = int(np.count_nonzero(served & (labels == 1)))
    wrong = int(np.count_nonzero(served & (labels == 0)))
    positives = int(np.count_nonzero(labels == 1))
    n = right + wrong
    # nothing served: no wrong answer, so precision is vacuously 1
    precision = right / n if n else 1.0
    recall = right / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return OperatingPoint(threshold, precision, recall, f1, n / len(labels) if len(labels) else 0.0,
                          n, right, wrong, len(labels), positives)


def operating_point(scores: Scores, threshold: float, guards: Iterable[str] = ()
                    ) -> OperatingPoint:
    """Precision, recall, F1 and hit rate when serving ``cos >= threshold`` without a veto."""
    served = (scores.cos >= threshold) & ~scores.vetoed(guards)
    return _point(threshold, served, scores.labels)


def _candidates(cos: Vector) -> Vector:
    """Every threshold worth trying: each pair's cosine rounded down to :data:`DECIMALS`."""
    floored = np.floor(cos * 10**DECIMALS + 1e-9) / 10**DECIMALS
    found: Vector = np.unique(floored)
    return found


def curve(scores: Scores, guards: Iterable[str] = ()) -> dict[str, Vector]:
    """Precision, recall and hit rate at every candidate threshold (ascending)."""
    thresholds = _candidates(scores.cos)
    allowed = ~scores.vetoed(guards)
    order = np.argsort(-scores.cos, kind="stable")
    cos_sorted = scores.cos[order]
    pos = np.cumsum((scores.labels[order] == 1) & allowed[order])
    neg = np.cumsum((scores.labels[order] == 0) & allowed[order])
    # pairs served at t: those with cos >= t, i.e. the first k of the descending order
    k = np.searchsorted(-cos_sorted, -thresholds, side="right")
    right = np.where(k > 0, pos[np.maximum(k - 1, 0)], 0).astype(np.float64)
    wrong = np.where(k > 0, neg[np.maximum(k - 1, 0)], 0).astype(np.float64)
    served = right + wrong
    positives = max(int(np.count_nonzero(scores.labels == 1)), 1)
    precision = np.divide(right, served, out=np.ones_like(right), where=served > 0)
    return {"threshold": thresholds, "precision": precision, "recall": right / positives,
            "hit_rate": served / max(len(scores.labels), 1)}


def lowest_threshold(scores: Scores, target_precision: float, guards: Iterable[str] = ()
                     ) -> OperatingPoint:
    """The threshold of the most recall whose precision is at least the target.

    That is the lowest threshold meeting the target (precision need not fall steadily as the
    threshold falls: higher thresholds may miss it), raised to the cosine of the least similar
    right pair it serves: lower thresholds, down to the next pair, serve the same pairs, and the
    higher bar keeps a margin. Unreachable: ``threshold`` is None and the figures are those of
    the threshold with the best precision that still serves a right pair.
    """
    guards = list(guards)
    c = curve(scores, guards)
    ok = np.flatnonzero((c["precision"] >= target_precision - 1e-12) & (c["recall"] > 0))
    if ok.size == 0:
        # out of reach: report the best precision that still serves a right pair
        some = np.flatnonzero(c["recall"] > 0)
        if some.size:
            k = some[np.lexsort((-c["recall"][some], -c["precision"][some]))[0]]
            top = float(c["threshold"][k])
        else:
            top = float(c["threshold"][-1]) if c["threshold"].size else 1.0
        point = operating_point(scores, top, guards)
        return OperatingPoint(None, point.precision, point.recall, point.f1, point.hit_rate,
                              point.served, point.right, point.wrong, point.pairs,
                              point.positives)
    best_recall = c["recall"][ok[0]]
    # recall only falls as the threshold rises, so these thresholds form one interval, and the
    # highest of them serves the fewest wrong pairs
    same = np.flatnonzero(c["recall"] >= best_recall - 1e-12)
    return operating_point(scores, float(c["threshold"][same[-1]]), guards)


def threshold_for_recall(scores: Scores, recall: float, guards: Iterable[str] = ()
                         ) -> OperatingPoint:
    """The highest threshold whose recall is at least ``recall``."""
    guards = list(guards)
    c = curve(scores, guards)
    ok = np.flatnonzero(c["recall"] >= recall - 1e-12)
    t = float(c["threshold"][ok[-1]]) if ok.size else float(c["threshold"][0])
    return operating_point(scores, t, guards)


# -- calibration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindStats:
    """How often the pairs of one kind are served at the chosen setting."""

    label: int
    pairs: int
    served: int

    @property
    def rate(self) -> float:
        """Served fraction: the wrong-hit rate of a negative kind, the recall of a positive one."""
        return self.served / self.pairs if self.pairs else 0.0


@dataclass(frozen=True)
class Calibration:
    """The chosen threshold with the guards, the cosine-only one, and the guard settings tried."""

    target_precision: float
    pairs: int
    positives: int
    guards: tuple[str, ...]
    #: the lowest threshold reaching the target with ``guards`` applied
    with_guards: OperatingPoint
    #: the lowest threshold reaching the target with no guard
    cosine_only: OperatingPoint
    #: guard setting ("all", "none", "all but X") -> its lowest threshold at the target
    settings: dict[str, OperatingPoint] = field(default_factory=dict)
    #: guards of each setting
    setting_guards: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the setting with the most recall at the target (ties: more guards, then a higher bar)
    best_setting: str = ""
    #: per kind, at ``with_guards`` (empty when the pairs have no kinds)
    kinds: dict[str, KindStats] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        out = asdict(self)
        out["guards"] = list(self.guards)
        out["setting_guards"] = {k: list(v) for k, v in self.setting_guards.items()}
        out["kinds"] = {k: {**asdict(v), "rate": v.rate} for k, v in self.kinds.items()}
        return out


def _settings(guards: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out = {"all": tuple(guards), "none": ()}
    if len(guards) > 1:
        for name in guards:
            out[f"all but {name}"] = tuple(g for g in guards if g != name)
    return out


def calibrate_scores(scores: Scores, *, target_precision: float = 0.98,
                     guards: Iterable[str] | None = None) -> Calibration:
    """:func:`calibrate` on pairs already scored (see :func:`score_pairs`)."""
    if not 0 < target_precision <= 1:
        raise InvalidRequest(f"target precision must be in (0, 1], got {target_precision}")
    names = tuple(GUARDS) if guards is None else tuple(guards)
    missing = [n for n in names if n not in scores.vetoed_by]
    if missing:
        raise InvalidRequest(f"the scores hold no verdicts of guard(s) {', '.join(missing)}")
    settings = _settings(names)
    points = {k: lowest_threshold(scores, target_precision, g) for k, g in settings.items()}

    def rank(key: str) -> tuple[bool, float, int, float]:
        p = points[key]
        return (p.reached, p.recall if p.reached else 0.0, len(settings[key]), p.precision)

    best = max(points, key=rank)
    chosen = points["all"]
    kinds: dict[str, KindStats] = {}
    if any(scores.kinds) and chosen.threshold is not None:
        served = (scores.cos >= chosen.threshold) & ~scores.vetoed(names)
        for kind in sorted(set(scores.kinds)):
            mask = np.array([k == kind for k in scores.kinds])
            labels = scores.labels[mask]
            kinds[kind or "(none)"] = KindStats(int(labels.max()), int(mask.sum()),
                                                int(np.count_nonzero(served[mask])))
    return Calibration(
        target_precision=target_precision,
        pairs=len(scores.labels),
        positives=int(np.count_nonzero(scores.labels == 1)),
        guards=names,
        with_guards=chosen,
        cosine_only=points["none"],
        settings=points,
        setting_guards=settings,
        best_setting=best,
        kinds=kinds,
    )


def calibrate(
    pairs: Sequence[Pair],
    *,
    embedder: Embedder,
    target_precision: float = 0.98,
    guards: Iterable[str] | None = None,
) -> Calibration:
    """Pick the lowest cosine threshold whose precision with ``guards`` reaches the target.

    ``guards`` None means every guard. Also reports the cosine-only threshold for the same
    target and the guard setting (all, none, each one left out) with the most recall there.
    """
    if not pairs:
        raise InvalidRequest("calibrate needs at least one labelled pair")
    if not any(p.label == 1 for p in pairs):
        raise InvalidRequest("calibrate needs at least one positive pair (label 1)")
    names = list(GUARDS) if guards is None else list(guards)
    scores = score_pairs(pairs, embedder=embedder, guards=names)
    return calibrate_scores(scores, target_precision=target_precision, guards=names)


# -- the command --------------------------------------------------------------------------------


def _fmt_point(label: str, p: OperatingPoint, width: int) -> str:
    t = f"{p.threshold:.{DECIMALS}f}" if p.threshold is not None else "  none"
    return (f"  {label:<{width}}  {t:>9}  {p.precision:>9.3f}  {p.recall:>6.3f}  {p.f1:>6.3f}  "
            f"{p.hit_rate:>8.3f}  {p.wrong:>5}")


def summary(cal: Calibration, *, source: str = "", embedder: str = "") -> str:
    """The readable report of a calibration."""
    lines = []
    head = f"{cal.pairs} pairs ({cal.positives} positive, {cal.pairs - cal.positives} negative)"
    lines.append(f"{source}: {head}" if source else head)
    if embedder:
        lines.append(f"embedder: {embedder}")
    lines.append(f"target precision: {cal.target_precision:g}   served = cosine >= threshold "
                 "and no guard vetoes")
    width = max(len("cosine + guards"), *(len(k) for k in cal.settings))
    header = (f"  {'':<{width}}  {'threshold':>9}  {'precision':>9}  {'recall':>6}  {'F1':>6}  "
              f"{'hit rate':>8}  {'wrong':>5}")
    lines += ["", header, _fmt_point("cosine + guards", cal.with_guards, width),
              _fmt_point("cosine only", cal.cosine_only, width), "", "guard settings:"]
    for key, point in cal.settings.items():
        mark = "  <- most recall" if key == cal.best_setting else ""
        lines.append(_fmt_point(key, point, width) + mark)
    if cal.kinds:
        lines += ["", "at the chosen threshold, by kind (negatives: wrong-hit rate; "
                      "positives: recall):"]
        for kind, ks in sorted(cal.kinds.items(), key=lambda kv: (kv[1].label, kv[0])):
            what = "wrong hits" if ks.label == 0 else "recall"
            lines.append(f"  {kind:<16} label {ks.label}  {ks.served:>4}/{ks.pairs:<4} "
                         f"{what} {ks.rate:.1%}")
    lines.append("")
    best = cal.settings[cal.best_setting]
    if best.threshold is None:
        lines.append(f"no threshold reaches precision {cal.target_precision:g} on these pairs, "
                     "with any guard setting: the pairs need a stronger check than the cosine")
    else:
        guards = list(cal.setting_guards[cal.best_setting])
        lines.append(f"suggested: similarity_threshold: {best.threshold:.{DECIMALS}f}")
        lines.append(f"           guards: {guards}   ({cal.best_setting})")
        lines.append("expected on pairs like these; check it on pairs not used to choose it "
                     "(--split report)")
    return "\n".join(lines)


def _default_embedder() -> Embedder:
    from .embedders import OnnxEmbedder

    return OnnxEmbedder()


def _guard_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in GUARDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown guard(s) {', '.join(unknown)}; known: "
                                         f"{', '.join(GUARDS)}")
    return names


def _precision(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value}")
    return value


def register(subparsers: Any, *, make_embedder: Callable[[], Embedder] | None = None) -> None:
    """Add ``calibrate`` to an argparse subparsers object (``make_embedder``: for tests)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "calibrate", help="choose the similarity threshold from labelled question pairs",
        description="Embed labelled pairs ({\"id\",\"a\",\"b\",\"label\"[,\"kind\"]} per line, "
                    ".jsonl or .jsonl.gz) and print the lowest cosine threshold whose precision "
                    "reaches the target, with the meaning guards and without, and which guard "
                    "setting keeps the most recall.")
    p.add_argument("pairs", metavar="PAIRS.jsonl", help="labelled pairs (.jsonl or .jsonl.gz)")
    p.add_argument("--target-precision", type=_precision, default=0.98, metavar="P",
                   help="share of served pairs that must be right (default 0.98)")
    p.add_argument("--split", choices=("tune", "report", "all"), default="all",
                   help="which pairs to use, by the last digit of their id (default all)")
    p.add_argument("--id-split", default="0-6", metavar="DIGITS",
                   help="last id digits of the tune split, e.g. 0-6 or 0-7 (default 0-6); "
                        "the report split is the rest")
    p.add_argument("--guards", type=_guard_list, default=None, metavar="NAMES",
                   help=f"comma-separated guards to apply (default all: {','.join(GUARDS)})")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=lambda args: run(args, make_embedder or _default_embedder))


def run(args: argparse.Namespace, make_embedder: Callable[[], Embedder],
        out: IO[str] | None = None) -> int:
    """The ``calibrate`` command; returns the exit status (1: target out of reach)."""
    out = out if out is not None else sys.stdout
    pairs = select_split(load_pairs(args.pairs), args.split, args.id_split)
    if not any(p.label == 1 for p in pairs):
        raise InvalidRequest(f"{args.pairs}: the {args.split} split holds no positive pair")
    embedder = make_embedder()
    try:
        cal = calibrate(pairs, embedder=embedder, target_precision=args.target_precision,
                        guards=args.guards)
    finally:
        embedder.close()
    if args.json:
        data = cal.to_dict()
        data.update(source=str(args.pairs), split=args.split, embedder=embedder.name)
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        source = f"{args.pairs} ({args.split} split)" if args.split != "all" else str(args.pairs)
        out.write(summary(cal, source=source, embedder=embedder.name) + "\n")
    return 0 if cal.settings[cal.best_setting].reached else 1

