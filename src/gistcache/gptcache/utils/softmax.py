"""GPTCache's ``softmax`` of a list of scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..._errors import InvalidRequest

__all__ = ["softmax"]


def softmax(x: Sequence[float]) -> npt.NDArray[np.float64]:
    """The softmax of a one-dimensional list of numbers."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 1:
        raise InvalidRequest(f"softmax expects a list of numbers, got shape {arr.shape}")
    e = np.exp(arr - arr.max())
    out: npt.NDArray[np.float64] = e / e.sum()
    return out
