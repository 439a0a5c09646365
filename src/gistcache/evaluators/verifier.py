"""A learned verifier: a small logistic model of P(same answer) over features of the two questions.

The features (:data:`FEATURES`) read the new question (``query``), the cached one (``candidate``)
and their cosine similarity: lexical overlap (tokens, content words, word pairs, character
trigrams), length, word order, raw digit and question-word differences, and the meaning guards'
verdicts (:mod:`gistcache.evaluators.guards`) as 0/1 features: ``guard_<name>`` is 1 when that
guard is the first, in :func:`~gistcache.evaluators.guards.veto` order, to object. They are pure,
deterministic functions of the two strings and the cosine; each text is read once and kept in a
small cache, because a query is compared with several candidates in a row.

The weights ship as plain JSON (``gistcache/data/verifier.json``), written by
``benchmarks/train_verifier.py`` from the tuning splits of the labelled pairs, with cosines of the
default embedder (all-MiniLM-L6-v2). With another embedder the cosine means something else: retrain
(the script takes minutes) or keep the cosine threshold and guards.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .._errors import ConfigError
from .._types import CacheRequest, Candidate, normalize_text
from ._base import ACCEPT, Evaluator, Verdict
from .guards import GUARDS

__all__ = [
    "FEATURES",
    "FORMAT",
    "VerifierEvaluator",
    "VerifierModel",
    "features_cache_clear",
    "load_model",
    "pair_features",
    "parse_model",
]

#: the ``format`` field every model file carries
FORMAT = "gistcache-verifier/1"

#: the guards whose verdicts are features, in this order (a guard added later is not a feature
#: until the model is retrained with it)
_GUARD_FEATURES = ("negation", "numbers", "entities", "direction", "format", "time")

#: the model's inputs, in the order of its weights
FEATURES: tuple[str, ...] = (
    "cosine",
    "cosine_above_0.9",
    "token_jaccard",
    "content_jaccard",
    "bigram_jaccard",
    "char3_jaccard",
    "length_ratio",
    "log_length",
    "query_only_content",
    "candidate_only_content",
    "digits_differ",
    "question_word_differ",
    "word_order",
    *(f"guard_{name}" for name in _GUARD_FEATURES),
    "guard_any",
    "guard_any_x_cosine",
    "guard_any_x_log_length",
)

#: only this many characters of each text are read (as the guards do)
_MAX_CHARS = 4000
_CACHE_SIZE = 512
#: unmatched content words are counted up to this many: beyond it the pair differs anyway
_MAX_UNMATCHED = 6

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from into onto about as is are was were be
    been being am do does did doing done have has had having i me my mine you your yours we us our
    he him his she her it its they them their this that these those there here what which who whom
    whose how why when where can could should would will shall may might must please pls plz
    tell explain show give me any some all so than then just also very really get got make way
    best good know need want like im i'm it's whats what's hows how's there's thats that's s t
    one thing things something anything someone
    """.split()
)
_QUESTION_WORDS = ("what", "how", "why", "when", "where", "who", "which", "whose", "whom")


@dataclass(frozen=True, slots=True)
class _Lex:
    """One text, read once: the sets the lexical features compare."""

    tokens: frozenset[str]
    content: frozenset[str]
    content_order: tuple[str, ...]  # first occurrence of each content word, in text order
    prefixes: frozenset[str]  # 4-letter prefixes of the content words (typos, inflections)
    bigrams: frozenset[tuple[str, str]]
    char3: frozenset[tuple[str, str, str]]
    digits: tuple[str, ...]
    question_word: str
    length: int


@lru_cache(maxsize=_CACHE_SIZE)
def _lex(text: str) -> _Lex:
    raw = text[:_MAX_CHARS]
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).replace("’", "'")
    # possessives and plurals folded: "France's" = "France", "eggs" = "egg", "cities" = "city"
    words = [w if len(w) <= 3 or w[-1] != "s" or w[-2] == "s" else
             w[:-3] + "y" if w.endswith("ies") and len(w) > 4 else w[:-1]
             for w in _WORD_RE.findall(raw.lower().replace("'s", ""))]
    content = dict.fromkeys(w for w in words if w not in _STOPWORDS and not w.isdigit())
    squeezed = " ".join(words)
    return _Lex(
        tokens=frozenset(words),
        content=frozenset(content),
        content_order=tuple(content),
        prefixes=frozenset(w[:4] for w in content if len(w) >= 4),
        bigrams=frozenset(itertools.pairwise(words)),
        char3=frozenset(zip(squeezed, squeezed[1:], squeezed[2:], strict=False)),
        digits=tuple(sorted(w for w in words if not w.replace("'", "").isalpha())),
        question_word=next((w for w in words if w in _QUESTION_WORDS), ""),
        length=len(words),
    )


def _jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _unmatched(words: frozenset[str], other: _Lex) -> int:
    count = 0
    for w in words - other.content:
        if len(w) < 4 or w[:4] not in other.prefixes:
            count += 1
    return min(count, _MAX_UNMATCHED)


def _word_order(q: _Lex, c: _Lex) -> float:
    """Share of shared content-word pairs that appear in the same order in both texts."""
    where = {w: i for i, w in enumerate(c.content_order)}
    seq = [where[w] for w in q.content_order if w in where]
    pairs = len(seq) * (len(seq) - 1) // 2
    if pairs == 0:
        return 1.0
    same = sum(1 for i in range(len(seq)) for j in range(i + 1, len(seq)) if seq[i] < seq[j])
    return same / pairs


def pair_features(query: str, candidate: str, similarity: float) -> tuple[float, ...]:
    """The feature vector of one (new question, cached question, cosine), in :data:`FEATURES`
    order."""
    q, c = _lex(query), _lex(candidate)
    longest = max(q.length, c.length)
    log_length = math.log1p(longest)
    # the guards run in veto() order and stop at the first objection, as veto() does: running
    # the rest would double the cost of a hard negative for little information
    vetoes = [0.0] * len(_GUARD_FEATURES)
    vetoed = 0.0
    for k, name in enumerate(_GUARD_FEATURES):
        if GUARDS[name](query, candidate) is not None:
            vetoes[k] = vetoed = 1.0
            break
    # a veto is decisive between two short questions, less so between two long ones that
    # differ in many ways at once (their cosine and overlap already say so)
    return (
        similarity,
        max(0.0, similarity - 0.9),
        _jaccard(q.tokens, c.tokens),
        _jaccard(q.content, c.content),
        _jaccard(q.bigrams, c.bigrams),
        _jaccard(q.char3, c.char3),
        min(q.length, c.length) / longest if longest else 1.0,
        log_length,
        float(_unmatched(q.content, c)),
        float(_unmatched(c.content, q)),
        0.0 if q.digits == c.digits else 1.0,
        1.0 if q.question_word and c.question_word and q.question_word != c.question_word
        else 0.0,
        _word_order(q, c),
        *vetoes,
        vetoed,
        vetoed * similarity,
        vetoed * log_length,
    )


def features_cache_clear() -> None:
    """Forget every text read so far (for cold-path timing)."""
    _lex.cache_clear()


# ---------------------------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifierModel:
    """Logistic weights over :data:`FEATURES`, the acceptance threshold and the cosine floor."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    floor: float
    meta: Mapping[str, Any]

    def probability(self, features: Sequence[float]) -> float:
        """P(an answer to the cached question answers the new one)."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def to_json(self) -> dict[str, Any]:
        """The model as the JSON object :func:`load_model` reads."""
        return {
            "format": FORMAT,
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
            "floor": self.floor,
            "meta": dict(self.meta),
        }


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"verifier model {where}: {key!r} must be a finite number, "
                          f"got {value!r}")
    return float(value)


def parse_model(data: object, where: str = "") -> VerifierModel:
    """Validate a decoded model file against the code's feature list."""
    if not isinstance(data, dict):
        raise ConfigError(f"verifier model {where}: expected a JSON object")
    if data.get("format") != FORMAT:
        raise ConfigError(f"verifier model {where}: format {data.get('format')!r}, "
                          f"expected {FORMAT!r}")
    names = data.get("features")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"verifier model {where}: 'features' must be a list of names")
    if tuple(names) != FEATURES:
        missing = [n for n in FEATURES if n not in names]
        unknown = [n for n in names if n not in FEATURES]
        detail = "; ".join(
            part for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
                "same names in another order" if not missing and not unknown else "",
            ) if part
        )
        raise ConfigError(
            f"verifier model {where}: its {len(names)} features do not match the code's "
            f"{len(FEATURES)} ({detail}): retrain with benchmarks/train_verifier.py"
        )
    weights = data.get("weights")
    if not isinstance(weights, list) or len(weights) != len(FEATURES):
        count = len(weights) if isinstance(weights, list) else weights
        raise ConfigError(f"verifier model {where}: {count} weights for "
                          f"{len(FEATURES)} features")
    checked = tuple(_number({"weight": w}, "weight", where) for w in weights)
    threshold = _number(data, "threshold", where)
    floor = _number(data, "floor", where)
    if not 0.0 < threshold < 1.0:
        raise ConfigError(f"verifier model {where}: threshold {threshold} is not in (0, 1)")
    if not -1.0 <= floor <= 1.0:
        raise ConfigError(f"verifier model {where}: floor {floor} is not a cosine in [-1, 1]")
    meta = data.get("meta", {})
    return VerifierModel(checked, _number(data, "bias", where), threshold, floor,
                         meta if isinstance(meta, dict) else {})


def load_model(path: str | Path | None = None) -> VerifierModel:
    """Read and validate a model file; ``None`` reads the one shipped with gistcache."""
    try:
        if path is None:
            where = "gistcache/data/verifier.json"
            text = resources.files("gistcache").joinpath("data/verifier.json").read_text(
                encoding="utf-8")
        else:
            where = str(path)
            text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read verifier model {where}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"verifier model {where} is not valid JSON: {exc}") from exc
    return parse_model(data, where)


class VerifierEvaluator(Evaluator):
    """Accepts a candidate when the learned model puts P(same answer) at or above ``threshold``.

    ``model_path`` is a JSON model file (default: the one shipped with gistcache); ``threshold``
    overrides the model's own. Candidates below the model's cosine floor (it never saw them in
    training) are refused, as are those below a request's ``min_similarity``.
    """

    requires = frozenset({"key_text"})

    def __init__(self, model_path: str | Path | None = None,
                 threshold: float | None = None) -> None:
        missing = [name for name in _GUARD_FEATURES if name not in GUARDS]
        if missing:
            raise ConfigError(f"the verifier reads guard(s) {', '.join(missing)}, which "
                              f"gistcache.evaluators.guards no longer has: retrain it")
        self.model = load_model(model_path)
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ConfigError(f"verifier threshold is a probability in (0, 1), got {threshold!r}")
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        self.floor = self.model.floor

    def probability(self, query: str, candidate: str, similarity: float) -> float:
        """P(an answer to ``candidate`` answers ``query``), given their cosine."""
        return self.model.probability(pair_features(query, candidate, similarity))

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Accept when P(same answer) reaches the threshold."""
        similarity = candidate.similarity
        bar = max(self.floor, request.min_similarity or -1.0)
        if similarity < bar:
            return Verdict(False, f"similarity {similarity:.3f} < {bar:.3f}")
        text = candidate.entry.key_text
        if normalize_text(text) == request.normalized:
            return ACCEPT
        p = self.probability(request.key_text, text, similarity)
        if p >= self.threshold:
            return ACCEPT
        return Verdict(False, f"verifier: P(same answer) {p:.2f} < {self.threshold:.2f}")
