"""Embedders that are not shipped with gistcache: a local sentence-transformers model, or any
OpenAI-compatible ``/v1/embeddings`` endpoint."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._errors import ConfigError, EmbedderError, MissingExtra
from ._base import Embedder, checked_batch, unit_rows

__all__ = ["OpenAIEmbedder", "SentenceTransformerEmbedder"]


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local directory (never downloaded from a hub)."""

    def __init__(self, model_dir: str) -> None:
        if not model_dir or not os.path.isdir(model_dir):
            raise ConfigError("the sentence-transformers embedder needs embedder_model: a local "
                              f"model directory (got {model_dir!r})")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingExtra("the sentence-transformers embedder", "sentence-transformers",
                               "sentence_transformers") from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self._model = SentenceTransformer(model_dir, device="cpu", local_files_only=True)
        dim = self._model.get_sentence_embedding_dimension()
        if not dim:
            raise ConfigError(f"model {model_dir} does not say its embedding dimension")
        self.dimension = int(dim)
        self.name = f"sentence-transformers:{os.path.basename(os.path.normpath(model_dir))}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts into unit vectors."""
        batch = checked_batch(texts)
        if not batch:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            rows = self._model.encode(batch, normalize_embeddings=True, convert_to_numpy=True)
        except (RuntimeError, ValueError) as exc:
            raise EmbedderError(f"sentence-transformers embedding failed: {exc}") from exc
        return unit_rows(np.asarray(rows).reshape(-1, self.dimension))


class OpenAIEmbedder(Embedder):
    """An OpenAI-compatible ``POST {base_url}/embeddings`` (OpenAI, a local server, ...).

    The API key comes from ``api_key`` or the ``OPENAI_API_KEY`` environment variable and is
    sent only to ``base_url``; it is never logged or stored.
    """

    def __init__(self, model: str, *, base_url: str = "https://api.openai.com/v1",
                 api_key: str | None = None, dimension: int | None = None,
                 timeout: float = 10.0) -> None:
        if not model:
            raise ConfigError("the openai embedder needs embedder_model (e.g. "
                              "'text-embedding-3-small')")
        self.model = model
        self.base_url = base_url.rstrip("/")
        self._key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY", "")
        self.timeout = timeout
        self.name = f"openai:{model}"
        self.dimension = dimension if dimension is not None else len(self.embed(["dimension"])[0])

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts into unit vectors with one request."""
        batch = checked_batch(texts)
        if not batch:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        body = json.dumps({"model": self.model, "input": batch}).encode()
        headers = {"Content-Type": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        req = urllib.request.Request(f"{self.base_url}/embeddings", data=body, headers=headers,
                                     method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.loads(resp.read())
            items = sorted(data["data"], key=lambda d: d["index"])
            rows = [item["embedding"] for item in items]
        except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as exc:
            raise EmbedderError(f"embeddings request to {self.base_url} failed: {exc}") from exc
        if len(rows) != len(batch):
            raise EmbedderError(f"embeddings endpoint returned {len(rows)} vectors for "
                                f"{len(batch)} texts")
        return unit_rows(rows)
