"""The pair verifier: a learned model that reads the cached question and the new one together.

Each text is encoded token by token with all-MiniLM-L6-v2 (the int8 ONNX model of the default
embedder, so nothing more is installed); every token of one text is aligned with its most similar
token of the other, and a small learned network scores each token with its counterpart: "does
this difference change the answer?". A pair is the same question when no token difference does.
Because the network sees contextual token vectors, not words from a list, what it learned from
"buy/sell" carries over to opposites it never saw, and a missing "?" or a changed letter case
(which align with themselves) costs nothing.

Korean and other scripts the model's English vocabulary lacks: the tokenizer decomposes Hangul
syllables into jamo, and the jamo BERT's vocabulary has no entry for are mapped to its unused
slots (``pair-tokenizer.json``), so Korean is read letter by letter rather than as ``[UNK]``.

The head's weights ship as ``gistcache/data/pair-head.npz`` (plain arrays, no pickle) with a
manifest ``pair-verifier.json`` holding their sha256 and the acceptance threshold. They are
trained by ``benchmarks/train_pair_verifier.py`` on tuning data only.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._errors import ConfigError, EmbedderError
from .pairdiff import diff_features

__all__ = [
    "FORMAT",
    "HEAD_FIELDS",
    "PairHead",
    "PairVerifier",
    "TokenEncoder",
    "TokenStates",
    "pair_features",
]

FORMAT = "gistcache-pair-verifier/2"
#: arrays of the head, in the order the training script writes them
HEAD_FIELDS = ("w1", "b1", "w2", "b2", "wp", "bp")
#: per-column mean and spread of the token rows, when the head was trained on standardised rows
SCALE_FIELDS = ("mu", "sd")
#: tokens read from each text (questions are short; a long prompt is judged on its start)
MAX_TOKENS = 96
_MEMO = 4096

Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class TokenStates:
    """One text, encoded: unit token vectors (special tokens dropped) and the mean-pooled vector."""

    tokens: Array  # (n, 384), each row of norm 1
    pooled: Array  # (384,), norm 1
    ids: tuple[int, ...]


def _data_file(name: str) -> Path:
    return Path(str(resources.files("gistcache").joinpath(f"data/{name}")))


def load_manifest(base: Path, name: str, fmt: str, files: set[str]) -> dict[str, Any]:
    """A shipped model's manifest, after checking it and the sha256 of every file it lists.

    Refused with a ConfigError naming the problem: an unreadable manifest, another format, a
    listed file missing or altered, one of ``files`` not listed, or no acceptance threshold in
    (0, 1).
    """
    path = base / name
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the pair verifier manifest {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != fmt:
        raise ConfigError(f"{path} is not a {fmt} manifest")
    listed = manifest.get("sha256")
    if not isinstance(listed, dict) or not files <= set(listed):
        raise ConfigError(f"{path} must list the sha256 of {', '.join(sorted(files))}")
    from ..embedders.onnx import _verify_sha256

    for file, expected in listed.items():
        if not (base / file).is_file():
            raise ConfigError(f"pair verifier file {base / file} is missing")
        _verify_sha256(base / file, expected)
    threshold = manifest.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0.0 < threshold < 1.0:
        raise ConfigError(f"{path} has no acceptance threshold in (0, 1)")
    return manifest


class TokenEncoder:
    """Token-level all-MiniLM-L6-v2 states, with a memo of recent texts (stored ones repeat)."""

    def __init__(self, model_path: str | Path | None = None, *, threads: int | None = None,
                 tokenizer_path: str | Path | None = None, memo: int = _MEMO) -> None:
        from tokenizers import Tokenizer

        from ..embedders.onnx import (
            MINILM_SHA256,
            _verify_sha256,
            default_model_path,
            load_session,
        )

        path = Path(model_path) if model_path is not None else default_model_path()
        if model_path is None:
            _verify_sha256(path, MINILM_SHA256)
        #: the model file this encoder runs (:meth:`offer` takes states of the same model only)
        self.model_path = path.resolve()
        self._session = load_session(path, threads, "the pair verifier's encoder")
        tok_path = Path(tokenizer_path) if tokenizer_path else _data_file("pair-tokenizer.json")
        self._tokenizer = Tokenizer.from_str(tok_path.read_text(encoding="utf-8"))
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._memo: OrderedDict[str, TokenStates] = OrderedDict()
        self._memo_size = memo
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> list[TokenStates]:
        """Token states of each text (memoised)."""
        out: list[TokenStates | None] = []
        with self._lock:
            for text in texts:
                hit = self._memo.get(text)
                if hit is not None:
                    self._memo.move_to_end(text)
                out.append(hit)
        todo = list(dict.fromkeys(t for t, s in zip(texts, out, strict=True) if s is None))
        if todo:
            fresh = dict(zip(todo, self._run(todo), strict=True))
            with self._lock:
                for text, states in fresh.items():
                    self._memo[text] = states
                while len(self._memo) > self._memo_size:
                    self._memo.popitem(last=False)
            out = [s if s is not None else fresh[t] for t, s in zip(texts, out, strict=True)]
        return [s for s in out if s is not None]

    def offer(self, model_path: Path, texts: Sequence[str], ids: Sequence[Sequence[int]],
              hidden: Any) -> int:
        """Memoise token states another run of this encoder's model produced (the embedder's
        run over a question it embeds), for each text this encoder's tokenizer turns into the
        same token ids; returns how many were taken. States of another model are ignored."""
        if Path(model_path) != self.model_path:
            return 0
        taken: dict[str, TokenStates] = {}
        with self._lock:
            todo = [i for i, t in enumerate(texts) if t not in self._memo]
        for i in todo:
            own = self._tokenizer.encode(texts[i])
            n = int(sum(own.attention_mask))
            if list(own.ids[:n]) != list(ids[i]):
                continue  # truncated differently, or text the two tokenizers read differently
            taken[texts[i]] = _states(np.asarray(hidden[i][:n], dtype=np.float32),
                                      own.ids[:n])
        if taken:
            with self._lock:
                self._memo.update(taken)
                while len(self._memo) > self._memo_size:
                    self._memo.popitem(last=False)
        return len(taken)

    def _run(self, texts: list[str]) -> list[TokenStates]:
        try:
            encodings = self._tokenizer.encode_batch(texts)
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0].astype(np.float32)
        except Exception as exc:  # tokenizers/onnxruntime failures become a cache fault
            raise EmbedderError(f"pair verifier encoding failed: {exc}") from exc
        states = []
        for row, enc in zip(hidden, encodings, strict=True):
            n = int(sum(enc.attention_mask))
            states.append(_states(row[:n], enc.ids[:n]))
        return states


def _states(full: Array, ids: Sequence[int]) -> TokenStates:
    """One text's states from its model output rows (special tokens included, no padding)."""
    n = len(full)
    pooled = full.mean(axis=0)
    pooled /= max(float(np.linalg.norm(pooled)), 1e-12)
    keep = slice(1, n - 1) if n > 2 else slice(0, 1)
    inner = full[keep]
    inner = inner / np.maximum(np.linalg.norm(inner, axis=1, keepdims=True), 1e-12)
    return TokenStates(inner.astype(np.float32), pooled.astype(np.float32),
                       tuple(ids[keep]))


#: pair-level inputs of the head, in order
PAIR_FEATURES = ("cosine", "mean_align", "min_align", "unaligned", "disorder", "length_gap",
                 "same_tokens")


def _side(a: TokenStates, sim: Array) -> tuple[Array, Array, Array]:
    """For each token of ``a``: its best match's index and similarity (rows of ``sim``)."""
    best = sim.argmax(axis=1)
    return best, sim[np.arange(sim.shape[0]), best], a.tokens


def _disorder(best: Array, score: Array) -> float:
    """Share of inverted pairs among confidently aligned tokens (a swap of roles or direction)."""
    keep = best[score >= 0.75]
    if len(keep) < 2:
        return 0.0
    inv = (keep[:, None] > keep[None, :])[np.triu_indices(len(keep), 1)]
    return float(inv.mean())


def pair_features(a: TokenStates, b: TokenStates) -> tuple[Array, Array]:
    """The head's inputs: one row per token of both texts, and the pair-level vector."""
    # (n, m); einsum keeps it off the multi-threaded BLAS (see PairHead.logit)
    sim = np.einsum("ik,jk->ij", a.tokens, b.tokens)
    best_a, score_a, tok_a = _side(a, sim)
    best_b, score_b, tok_b = _side(b, sim.T)
    x = np.concatenate([tok_a, tok_b])
    y = np.concatenate([b.tokens[best_a], a.tokens[best_b]])
    s = np.concatenate([score_a, score_b])[:, None]
    rows = np.concatenate([x, y, x * y, np.abs(x - y), s], axis=1).astype(np.float32)
    n, m = len(tok_a), len(tok_b)
    pair = np.array([
        float(a.pooled @ b.pooled),
        float(s.mean()),
        float(s.min()),
        float((s < 0.8).mean()),
        max(_disorder(best_a, score_a), _disorder(best_b, score_b)),
        abs(n - m) / (n + m),
        float(sorted(a.ids) == sorted(b.ids)),
    ], dtype=np.float32)
    return rows, pair


@dataclass(frozen=True)
class PairHead:
    """The learned head: a per-token network pooled by a soft maximum, plus pair-level weights.

    ``logit = wp · pair + bp - LSE_i(d_i)`` with ``d_i = w2 · relu(w1 · row_i + b1) + b2``: each
    token's ``d_i`` says how much its difference from its counterpart changes the answer, and
    the soft maximum lets one such token decide.
    """

    w1: Array
    b1: Array
    w2: Array
    b2: Array
    wp: Array
    bp: Array
    mu: Array | None = None
    sd: Array | None = None

    def logit(self, rows: Array, pair: Array) -> float:
        """The model's logit of "one answer serves both"."""
        if self.mu is not None and self.sd is not None:
            rows = (rows - self.mu) / self.sd
        # einsum, not @: products this size go to the multi-threaded BLAS, whose threads then
        # spin and take the cores from the next model in the lookup (measured: a Korean
        # embedding right after a verification 75-110 ms p50 instead of 15)
        hidden = np.maximum(np.einsum("ij,jk->ik", rows, self.w1) + self.b1, 0.0)
        d = hidden @ self.w2 + self.b2
        top = float(d.max())
        lse = top + float(np.log(np.exp(d - top).sum()))
        return float(pair @ self.wp + self.bp[0]) - lse

    @classmethod
    def load(cls, path: Path) -> PairHead:
        """Read the arrays (no pickle)."""
        with np.load(path, allow_pickle=False) as data:
            missing = [f for f in HEAD_FIELDS if f not in data]
            if missing:
                raise ConfigError(f"pair verifier head {path} lacks {', '.join(missing)}")
            arrays = {f: np.asarray(data[f], dtype=np.float32) for f in HEAD_FIELDS}
            scale = {f: np.asarray(data[f], dtype=np.float32) for f in SCALE_FIELDS if f in data}
        return cls(**arrays, **scale)


class PairVerifier:
    """P(one answer serves both questions), from the shipped, sha256-checked model."""

    def __init__(self, directory: str | Path | None = None, *,
                 encoder: TokenEncoder | None = None) -> None:
        base = Path(directory) if directory is not None else _data_file("")
        manifest = load_manifest(base, "pair-verifier.json", FORMAT,
                                 {"pair-head.npz", "pair-tokenizer.json"})
        self.threshold = float(manifest["threshold"])
        self.manifest = manifest
        self.head = PairHead.load(base / "pair-head.npz")
        self.final: dict[str, Array] | None = None
        if (base / "pair-final.npz").exists() and "pair-final.npz" in manifest["sha256"]:
            with np.load(base / "pair-final.npz", allow_pickle=False) as data:
                self.final = {k: np.asarray(data[k], dtype=np.float32)
                              for k in ("sparse", "dense", "bias")}
        self.encoder = encoder or TokenEncoder(tokenizer_path=base / "pair-tokenizer.json")

    def offer(self, model_path: Path, texts: Sequence[str], ids: Sequence[Sequence[int]],
              hidden: Any) -> int:
        """Token states the embedder computed (see :meth:`TokenEncoder.offer`)."""
        return self.encoder.offer(model_path, texts, ids, hidden)

    def probabilities(self, query: str, stored: Sequence[str]) -> list[float]:
        """P(same answer) of the query against each stored question (one batched encoding)."""
        states = self.encoder.encode([query, *stored])
        q = states[0]
        out = []
        for text, s in zip(stored, states[1:], strict=True):
            rows, pair = pair_features(s, q)
            z = self.head.logit(rows, pair)
            if self.final is not None:
                idx, dense = diff_features(text, query)
                z = (float(self.final["sparse"][idx].sum()) + float(self.final["bias"][0])
                     + float(np.concatenate([[z], dense]) @ self.final["dense"]))
            out.append(1.0 / (1.0 + float(np.exp(-z))))
        return out
