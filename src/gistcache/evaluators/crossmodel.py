"""The pair verifier's cross-encoder, which reads the stored question and the new one together.

``[CLS] stored [SEP] asked [SEP]`` goes through all-MiniLM-L6-v2's six transformer layers,
fine-tuned to say whether one answer serves both questions (mean-pooled last layer → one
logit). Because every token of one question attends to every token of the other, the model
compares them in context, and what it knows about which differences matter it learned from
about 11,000 labelled English pairs (two passes), not from word lists. Its strength is the
reworded English question, where the token head (:mod:`.pairmodel`) is weakest; the default
verifier, :class:`JointVerifier`, uses both.

Other scripts: the shipped model was trained on English pairs only (its manifest says so), and
the joint verifier leaves a pair with Korean or any other non-ASCII script to the token head. An
earlier model that read Korean as jamo in the vocabulary's unused slots learned little from a
few thousand Korean pairs and seldom reached its bar; the tokenizer still maps them, so a
model trained with ``--langs en,ko`` reads Korean the same way.

Shipped as ``gistcache/data/pair-cross.onnx`` (int8 matrices, fp16 word embeddings, 35 MB) with
the manifest
``pair-cross.json`` (sha256 of the model and the tokenizer, the acceptance bar, a training
summary); both files are checked before the model is loaded. Trained by
``benchmarks/train_pair_cross.py`` on tuning data only. Each candidate is scored in a run of its
own: the int8 model scales its activations per run, so in a padded batch one candidate's score
would move another's, and a decision must not depend on which other entries were near. Results are
memoised per (stored, asked) pair.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import EmbedderError
from .._types import normalize_text
from ..embedders.routed import script_route
from .pairmodel import _data_file, load_manifest
from .spelling import align_spelling

__all__ = ["FORMAT", "CrossVerifier", "JointVerifier"]

FORMAT = "gistcache-pair-cross/1"
_MEMO = 4096


class CrossVerifier:
    """P(one answer serves both questions), from the shipped, sha256-checked cross-encoder."""

    def __init__(self, directory: str | Path | None = None, *, threads: int | None = None,
                 memo: int = _MEMO) -> None:
        from tokenizers import Tokenizer

        from ..embedders.onnx import load_session

        base = Path(directory) if directory is not None else _data_file("")
        manifest = load_manifest(base, "pair-cross.json", FORMAT,
                                 {"pair-cross.onnx", "pair-tokenizer.json"})
        self.manifest: dict[str, Any] = manifest
        self.threshold = float(manifest["threshold"])
        self._session = load_session(base / "pair-cross.onnx", threads, "the pair verifier")
        self._tokenizer = Tokenizer.from_str(
            (base / "pair-tokenizer.json").read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(max_length=int(manifest.get("max_length", 128)))
        langs = str(manifest.get("training", {}).get("langs", "en,ko")).split(",")
        #: trained on English pairs only: other scripts are left to the token head
        self.english_only = langs == ["en"]
        self._memo: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._memo_size = memo
        self._lock = threading.Lock()

    def reads(self, query: str, stored: str) -> bool:
        """Whether the model was trained on pairs like this one (both texts' script route)."""
        return not self.english_only or (script_route(query) == "" and script_route(stored) == "")

    def probabilities(self, query: str, stored: Sequence[str]) -> list[float]:
        """P(same answer) of the query against each stored question (one run per pair)."""
        out: list[float | None] = []
        with self._lock:
            for text in stored:
                hit = self._memo.get((text, query))
                if hit is not None:
                    self._memo.move_to_end((text, query))
                out.append(hit)
        todo = list(dict.fromkeys(t for t, p in zip(stored, out, strict=True) if p is None))
        if todo:
            fresh = dict(zip(todo, self._run(query, todo), strict=True))
            with self._lock:
                for text, p in fresh.items():
                    self._memo[(text, query)] = p
                while len(self._memo) > self._memo_size:
                    self._memo.popitem(last=False)
            out = [p if p is not None else fresh[t] for t, p in zip(stored, out, strict=True)]
        return [float(p) for p in out if p is not None]

    def _run(self, query: str, stored: list[str]) -> list[float]:
        out = []
        try:
            for encoding in self._tokenizer.encode_batch([(s, query) for s in stored]):
                ids = np.asarray([encoding.ids], dtype=np.int64)
                feed = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                        "token_type_ids": np.asarray([encoding.type_ids], dtype=np.int64)}
                out.append(float(np.asarray(self._session.run(None, feed)[0]).reshape(-1)[0]))
        except Exception as exc:  # tokenizers/onnxruntime failures become a cache fault
            raise EmbedderError(f"pair verifier failed: {exc}") from exc
        return [1.0 / (1.0 + math.exp(-min(max(z, -60.0), 60.0))) for z in out]


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


class JointVerifier:
    """The default pair verifier: the token head, and the cross-encoder for what it refuses.

    A pair is the same question when either model is confident at its own bar: the token head
    (:class:`~gistcache.evaluators.pairmodel.PairVerifier`, strong on minimal edits and on Korean)
    at ``head.threshold``, or the cross-encoder (strong on reworded English questions) at
    ``cross.threshold``. The reported probability is the head's; when the cross-encoder reaches
    its own bar, it is the cross-encoder's moved in logit space so that its bar lands on the
    head's, if that is larger — so ``threshold`` is one number for callers. Below its bar the
    cross-encoder's score counts for nothing: its scale was only ever checked at that bar, so a
    caller with a lower bar (the conversation matcher compares earlier turns at 0.5) gets the
    head's judgement there, not a loosened cross-encoder. The cross-encoder runs only on
    candidates the head does not accept.
    """

    def __init__(self, directory: str | Path | None = None, *, head: Any = None,
                 cross: CrossVerifier | None = None) -> None:
        from .pairmodel import PairVerifier

        self.head = head if head is not None else PairVerifier(directory)
        self.cross = cross if cross is not None else CrossVerifier(directory)
        self.threshold = float(self.head.threshold)
        self._shift = _logit(self.cross.threshold) - _logit(self.threshold)

    def offer(self, model_path: Path, texts: Sequence[str], ids: Sequence[Sequence[int]],
              hidden: Any) -> int:
        """Token states the embedder computed, for the token head (the cross-encoder reads
        both questions at once and cannot reuse them)."""
        offer = getattr(self.head, "offer", None)
        return int(offer(model_path, texts, ids, hidden)) if offer is not None else 0

    def probabilities(self, query: str, stored: Sequence[str]) -> list[float]:
        """P(same answer) of the query against each stored question.

        Each pair is judged with its misspelt words read as meant
        (:func:`~.spelling.align_spelling`): both models learned from mostly well-typed pairs.
        """
        pairs = [align_spelling(query, s) for s in stored]
        # the same text once read as meant is the same question: no model is asked
        same = [normalize_text(q) == normalize_text(s) for q, s in pairs]
        out = [1.0 if x else 0.0 for x in same]
        rest = [i for i, x in enumerate(same) if not x]
        if rest and all(pairs[i][0] == query for i in rest):
            judged = self._judge(query, [pairs[i][1] for i in rest])
        else:
            judged = [self._judge(pairs[i][0], [pairs[i][1]])[0] for i in rest]
        for i, p in zip(rest, judged, strict=True):
            out[i] = p
        return out

    def _judge(self, query: str, stored: Sequence[str]) -> list[float]:
        out = [float(p) for p in self.head.probabilities(query, stored)]
        todo = [i for i, p in enumerate(out)
                if p < self.threshold and self.cross.reads(query, stored[i])]
        if todo:
            crossed = self.cross.probabilities(query, [stored[i] for i in todo])
            for i, p in zip(todo, crossed, strict=True):
                if p >= self.cross.threshold:
                    moved = 1.0 / (1.0 + math.exp(-(_logit(p) - self._shift)))
                    out[i] = max(out[i], moved)
        return out
