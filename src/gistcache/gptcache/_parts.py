"""GPTCache's parts as gistcache's: embedding functions as embedders, similarity evaluations as
evaluators, stored data as answers. The one place the two vocabularies meet."""

from __future__ import annotations

import base64
import datetime
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._errors import EmbedderError, InvalidRequest
from .._types import CacheRequest, Candidate, Entry
from ..config import DEFAULT_THRESHOLD
from ..embedders import Embedder
from ..evaluators import (
    Evaluator,
    FeedbackEvaluator,
    IdentifierEvaluator,
    PairVerifierEvaluator,
    Pipeline,
    Verdict,
)
from .manager.scalar_data.base import Answer as GAnswer
from .manager.scalar_data.base import CacheData
from .similarity_evaluation import (
    NumpyNormEvaluation,
    OnnxModelEvaluation,
    SearchDistanceEvaluation,
    TimeEvaluation,
)
from .utils.error import ParamError

__all__ = [
    "GPTCACHE_THRESHOLD",
    "FunctionEmbedder",
    "RankEvaluator",
    "decode_answer",
    "encode_answer",
    "is_evaluation",
    "plan_evaluation",
]

#: GPTCache's default ``Config.similarity_threshold``
GPTCACHE_THRESHOLD = 0.8


class FunctionEmbedder(Embedder):
    """A GPTCache embedding function (text -> vector) as a gistcache embedder."""

    def __init__(self, func: Callable[..., Any], dimension: int) -> None:
        self.func = func
        self.dimension = dimension
        qual = getattr(func, "__qualname__", type(func).__name__)
        self.name = f"function:{getattr(func, '__module__', '?')}.{qual}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Call the function once per text and normalise (gistcache compares by cosine)."""
        rows = []
        for text in texts:
            try:
                vec = np.asarray(self.func(text), dtype=np.float32).reshape(-1)
            except Exception as exc:  # the user's function: any failure is an embedder fault
                raise EmbedderError(f"embedding function {self.name} failed: {exc}") from exc
            if vec.shape != (self.dimension,):
                raise EmbedderError(f"embedding function {self.name} returned {vec.size} "
                                    f"numbers, but the VectorBase dimension is {self.dimension}")
            norm = float(np.linalg.norm(vec))
            if not np.isfinite(norm) or norm == 0.0:
                raise EmbedderError(f"embedding function {self.name} returned a zero or "
                                    "non-finite vector")
            rows.append(vec / norm)
        return np.stack(rows).astype(np.float32) if rows else \
            np.zeros((0, self.dimension), np.float32)


def is_evaluation(obj: Any) -> bool:
    """Whether ``obj`` looks like a GPTCache similarity evaluation."""
    return callable(getattr(obj, "evaluation", None)) and callable(getattr(obj, "range", None))


# -- stored data --------------------------------------------------------------------------------

#: the payload key of answers that are not plain text
_DATA = "gptcache_data"


def encode_answer(data: Any) -> tuple[str, dict[str, Any] | None]:
    """The entry text and payload of an answer GPTCache code stores (text, bytes, an ``Answer``
    or JSON data)."""
    if isinstance(data, GAnswer):
        kind = int(data.answer_type)
        text, payload = encode_answer(data.answer)
        if kind:
            payload = {**(payload or {}), "answer_type": kind}
        return text, payload
    if isinstance(data, str):
        return data, None
    if isinstance(data, (bytes, bytearray)):
        raw = bytes(data)
        return f"[{len(raw)} bytes]", {_DATA: {"bytes": base64.b64encode(raw).decode()}}
    try:
        encoded = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InvalidRequest(f"cannot store an answer of type {type(data).__name__}: it must "
                             "be text, bytes or JSON data") from exc
    return encoded, {_DATA: {"json": encoded}}


def decode_answer(entry: Entry) -> Any:
    """What GPTCache code stored for an entry (see :func:`encode_answer`)."""
    stored = (entry.payload or {}).get(_DATA)
    if isinstance(stored, Mapping):
        if "bytes" in stored:
            return base64.b64decode(stored["bytes"])
        if "json" in stored:
            return json.loads(stored["json"])
    return entry.answer


# -- evaluations --------------------------------------------------------------------------------


class _Dict(dict[str, Any]):
    """An evaluation's input: its ``embedding`` is computed only if the evaluation reads it."""

    def __init__(self, data: dict[str, Any], embed: Callable[[], Any] | None) -> None:
        super().__init__(data)
        self._embed = embed

    def _fill(self) -> Any:
        if self._embed is None:
            return None
        vec = self._embed()
        self._embed = None
        dict.__setitem__(self, "embedding", vec)
        return vec

    def __missing__(self, key: str) -> Any:
        if key == "embedding":
            return self._fill()
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key == "embedding" and key not in self.keys():
            vec = self._fill()
            return default if vec is None else vec
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key == "embedding" or super().__contains__(key)


def _known_floor(evaluation: Any, t: float) -> float:
    """The lowest cosine an evaluation of a known kind can accept at threshold ``t``."""
    kind = type(evaluation)
    if kind is SearchDistanceEvaluation or (kind is NumpyNormEvaluation
                                            and evaluation.enable_normal):
        return float(evaluation.cosine_threshold(t))
    if kind is TimeEvaluation:
        return _known_floor(evaluation.inner, t)
    return -1.0


class RankEvaluator(Evaluator):
    """GPTCache's rule: a candidate is accepted when ``evaluation`` scores it at least
    ``(max - min) * threshold`` of the evaluation's range (kept within the range).

    The candidate is described as GPTCache described it: the search distance is the squared L2
    distance of the unit vectors (``2 - 2 cos``; the cosine itself for a ``positive``
    evaluation); embeddings are computed only for an evaluation that reads them.
    """

    requires = frozenset({"key_text"})

    def __init__(self, evaluation: Any, threshold: float,
                 embedder: Embedder | None = None) -> None:
        if not is_evaluation(evaluation):
            raise ParamError(f"{type(evaluation).__name__} is not a similarity evaluation "
                             "(it needs evaluation() and range())")
        self.evaluation = evaluation
        self.threshold = float(threshold)
        self.embedder = embedder
        lo, hi = (float(x) for x in evaluation.range())
        self.low, self.high = lo, hi
        self.bar = min(hi, max(lo, (hi - lo) * self.threshold))
        self.floor = _known_floor(evaluation, self.threshold)

    def _embedding(self, text: str) -> Callable[[], Any] | None:
        embedder = self.embedder
        if embedder is None:
            return None
        return lambda: embedder.embed_one(text)

    def rank(self, request: CacheRequest, candidate: Candidate) -> float:
        """GPTCache's score of the candidate."""
        entry, cos = candidate.entry, float(candidate.similarity)
        kind = type(self.evaluation)
        if kind is NumpyNormEvaluation and self.evaluation.enable_normal:
            if request.key_text.lower() == entry.key_text.lower():
                return self.high
            return 2.0 - math.sqrt(max(0.0, 2.0 - 2.0 * cos))
        positive = bool(getattr(self.evaluation, "positive", False))
        distance = cos if positive else max(0.0, 2.0 - 2.0 * cos)
        created = datetime.datetime.fromtimestamp(entry.created_at)
        accessed = datetime.datetime.fromtimestamp(entry.accessed_at or entry.created_at)
        answer = decode_answer(entry)
        data = CacheData(entry.key_text, [GAnswer(answer)], None, None, created, accessed)
        src = _Dict({"question": request.key_text}, self._embedding(request.key_text))
        cached = _Dict({"question": entry.key_text, "answer": answer,
                        "search_result": (distance, entry.id), "cache_data": data},
                       self._embedding(entry.key_text))
        return float(self.evaluation.evaluation(src, cached))

    def score(self, rank: float) -> float:
        """A rank as GPTCache's ``hit_callback`` reports it: divided by the range's width."""
        width = self.high - self.low
        return rank / width if width else rank

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Accept the candidate when its rank reaches the bar."""
        rank = self.rank(request, candidate)
        if rank >= self.bar:
            return Verdict(True)
        return Verdict(False, f"{type(self.evaluation).__name__} score {rank:.3f} < "
                              f"{self.bar:.3f}")


def plan_evaluation(evaluation: Any, threshold: float | None, verify: bool,
                    embedder: Embedder | None) -> tuple[Evaluator | None, dict[str, Any]]:
    """The native evaluator (None: the native default pipeline) and native settings for a
    GPTCache evaluation and ``Config``.

    - ``SearchDistanceEvaluation()`` without a threshold: gistcache's tuned pipeline.
    - ``OnnxModelEvaluation`` / ``SbertCrossencoderEvaluation``: the same pipeline, with the
      threshold (if set) as the pair verifier's bar.
    - any other evaluation, or a threshold set: GPTCache's rule (:class:`RankEvaluator`), then,
      when ``verify``, identifiers compared exactly and the pair verifier.
    """
    if isinstance(evaluation, Evaluator):
        return evaluation, {}
    if isinstance(evaluation, OnnxModelEvaluation):
        return None, {"verifier": True, "verifier_threshold": threshold}
    if type(evaluation) is SearchDistanceEvaluation and threshold is None and verify:
        return None, {"verifier": True, "similarity_threshold": DEFAULT_THRESHOLD}
    t = GPTCACHE_THRESHOLD if threshold is None else threshold
    rank = RankEvaluator(evaluation, t, embedder)
    if not verify:
        return rank, {"verifier": False}
    parts: list[Evaluator] = [rank, IdentifierEvaluator(), PairVerifierEvaluator()]
    if rank.floor > -1.0:
        parts.append(FeedbackEvaluator(rank.floor))
    return Pipeline(parts), {"verifier": True}
