"""A disk cache of computed embeddings for the benchmark scripts (``benchmarks/.embcache/``).

:class:`CachedEmbedder` is an :class:`~gistcache.embedders.Embedder` that answers from ``.npy``
files when it has seen a text before and embeds (and saves) only the new ones, so that a re-run of
a quality benchmark does not spend minutes embedding the same 40,000 sentences again. The wrapped
embedder is built only when a text is missing: a fully cached run never loads the model.

Layout: ``<root>/<embedder name>-<dimension>/<store>.npy`` (float32 rows) and ``<store>.txt``
(the texts, one JSON string a line, in row order). Vectors are saved after every
``save_every`` new rows, atomically, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from gistcache.embedders import Embedder

__all__ = ["DEFAULT_ROOT", "CachedEmbedder"]

DEFAULT_ROOT = Path(__file__).resolve().parent / ".embcache"


class CachedEmbedder(Embedder):
    """Embeds through ``make()`` (called at most once) and keeps every vector on disk."""

    def __init__(
        self,
        make: Callable[[], Embedder],
        *,
        name: str,
        dimension: int,
        store: str = "vectors",
        root: Path = DEFAULT_ROOT,
        batch_size: int = 64,
        save_every: int = 2048,
        progress: bool = False,
    ) -> None:
        self._make = make
        self._inner: Embedder | None = None
        self.name = name
        self.dimension = dimension
        self.batch_size = batch_size
        self.save_every = save_every
        self.progress = progress
        self._dir = root / f"{name}-{dimension}"
        self._npy = self._dir / f"{store}.npy"
        self._txt = self._dir / f"{store}.txt"
        self._rows: dict[str, int] = {}
        self._texts: list[str] = []
        self._chunks: list[npt.NDArray[np.float32]] = []
        self._load()

    # -- storage ----------------------------------------------------------------------------

    def _read(self) -> tuple[list[str], npt.NDArray[np.float32]]:
        """The texts and vectors on disk (a crash between the two writes loses no rows)."""
        if not (self._npy.exists() and self._txt.exists()):
            return [], np.zeros((0, self.dimension), dtype=np.float32)
        matrix = np.load(self._npy)
        texts: list[str] = []
        with self._txt.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    texts.append(json.loads(line))
                except json.JSONDecodeError:
                    break  # a torn write: the rows before it are whole
        n = min(len(texts), matrix.shape[0])
        return texts[:n], matrix[:n].astype(np.float32)

    def _load(self) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        with (self._dir / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)
            texts, matrix = self._read()
        self._texts = texts
        self._rows = {t: i for i, t in enumerate(texts)}
        self._chunks = [matrix] if texts else []

    def _matrix(self) -> npt.NDArray[np.float32]:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        if not self._chunks:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._chunks[0]

    def save(self) -> None:
        """Write every vector known so far, merged with rows another process saved meanwhile.

        Benchmarks may run side by side: saves take a lock, read what is on disk, keep its rows
        this process lacks, and replace the files atomically (temp file, then rename).
        """
        self._dir.mkdir(parents=True, exist_ok=True)
        with (self._dir / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            texts, matrix = self._read()
            extra = [i for i, t in enumerate(texts) if t not in self._rows]
            if extra:
                for i in extra:
                    self._rows[texts[i]] = len(self._texts)
                    self._texts.append(texts[i])
                self._chunks.append(matrix[extra])
            suffix = f".{os.getpid()}.tmp"
            tmp_npy = self._dir / (self._npy.name + suffix)
            tmp_txt = self._dir / (self._txt.name + suffix)
            with tmp_npy.open("wb") as fh:
                np.save(fh, self._matrix())
            with tmp_txt.open("w", encoding="utf-8") as fh:
                for text in self._texts:
                    fh.write(json.dumps(text, ensure_ascii=False) + "\n")
            os.replace(tmp_txt, self._txt)
            os.replace(tmp_npy, self._npy)

    # -- embedding --------------------------------------------------------------------------

    def _embedder(self) -> Embedder:
        if self._inner is None:
            self._inner = self._make()
            if (self._inner.name, self._inner.dimension) != (self.name, self.dimension):
                raise ValueError(f"cache {self._dir} is for {self.name}/{self.dimension}, "
                                 f"got {self._inner.name}/{self._inner.dimension}")
        return self._inner

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Vectors of ``texts``: cached rows, and the missing texts embedded in batches."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not one string")
        missing = sorted({t for t in texts if t not in self._rows}, key=len)
        if missing:
            self._embed_missing(missing)
        matrix = self._matrix()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out: npt.NDArray[np.float32] = matrix[[self._rows[t] for t in texts]]
        return out

    def _embed_missing(self, missing: list[str]) -> None:
        # sorted by length: a batch is padded to its longest text, so similar lengths go together
        embedder = self._embedder()
        start, unsaved = time.perf_counter(), 0
        for k in range(0, len(missing), self.batch_size):
            batch = missing[k : k + self.batch_size]
            vecs = embedder.embed(batch)
            for text in batch:
                self._rows[text] = len(self._texts)
                self._texts.append(text)
            self._chunks.append(vecs.astype(np.float32))
            unsaved += len(batch)
            if unsaved >= self.save_every:
                self.save()
                unsaved = 0
                if self.progress:
                    done = k + len(batch)
                    rate = done / (time.perf_counter() - start)
                    print(f"  embedded {done}/{len(missing)} ({rate:.0f}/s)", flush=True)
        self.save()

    def close(self) -> None:
        """Release the wrapped embedder."""
        if self._inner is not None:
            self._inner.close()


def onnx_cached(store: str = "vectors", *, progress: bool = False) -> CachedEmbedder:
    """The default embedder (all-MiniLM-L6-v2 int8 ONNX) behind the disk cache."""

    def make() -> Embedder:
        from gistcache.embedders import OnnxEmbedder

        return OnnxEmbedder()

    from gistcache.embedders.onnx import OnnxEmbedder as _Onnx

    return CachedEmbedder(make, name=_Onnx.name, dimension=_Onnx.dimension, store=store,
                          progress=progress)
