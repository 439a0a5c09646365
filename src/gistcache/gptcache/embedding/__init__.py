"""GPTCache's embeddings, on gistcache's embedders (nothing is downloaded at run time).

Each class has GPTCache's ``dimension`` and ``to_embeddings(text)``; given to
``cache.init(embedding_func=x.to_embeddings)`` the cache runs the embedder behind it directly,
in batches. ``Onnx`` is gistcache's default embedder, ``SBERT`` a sentence-transformers model
from a local directory (or the shipped all-MiniLM-L6-v2), ``OpenAI`` any OpenAI-compatible
``/v1/embeddings``, ``LangChain`` a LangChain ``Embeddings`` object. The embeddings that
downloaded models from a hub, or embedded images and audio, are refused with a message that
names what to use instead.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ...embedders import Embedder, OnnxEmbedder
from .._refused import refused
from ..utils.error import ParamError

__all__ = [
    "SBERT",
    "Cohere",
    "Data2VecAudio",
    "FastText",
    "Huggingface",
    "LangChain",
    "Onnx",
    "OpenAI",
    "PaddleNLP",
    "Rwkv",
    "Timm",
    "UForm",
    "ViT",
]


class _Lazy:
    """An embedding whose gistcache embedder is built on first use."""

    def __init__(self, build: Callable[[], Embedder], dimension: int | None,
                 embedder: Embedder | None = None) -> None:
        self._build = build
        self._dimension = dimension
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """The gistcache embedder (built the first time)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = self._build()
            return self._embedder

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        if self._dimension is None:
            self._dimension = self.embedder.dimension
        return self._dimension

    def to_embeddings(self, data: str, **_: Any) -> npt.NDArray[np.float32]:
        """One text as a unit vector of ``dimension`` floats."""
        return self.embedder.embed_one(data)


def _default_embedder() -> Embedder:
    from ...config import Config
    from ...embedders import make_embedder

    return make_embedder(Config(embedder="auto"))


class Onnx(_Lazy):
    """gistcache's default embedder, loaded on first use, offline: all-MiniLM-L6-v2 for
    English and multilingual-e5-small for text in other scripts (Korean...), 384 dimensions.

    GPTCache's ``Onnx`` ran another model (768 dimensions, English only); a ``model=``
    argument is accepted and ignored with a warning.
    """

    def __init__(self, model: str | None = None, *, embedder: Embedder | None = None) -> None:
        if model is not None:
            warnings.warn(
                f"gistcache.gptcache.embedding.Onnx runs gistcache's default embedder "
                f"({OnnxEmbedder.dimension} dimensions); model={model!r} is ignored",
                UserWarning, stacklevel=2)
        super().__init__(_default_embedder, OnnxEmbedder.dimension, embedder)


#: GPTCache's OpenAI embedding models and their dimensions
_OPENAI_DIMENSIONS = {"text-embedding-ada-002": 1536, "text-embedding-3-small": 1536,
                      "text-embedding-3-large": 3072}


class OpenAI(_Lazy):
    """An OpenAI-compatible ``/v1/embeddings`` (``api_base``, default OpenAI's), with
    ``api_key`` or ``OPENAI_API_KEY``."""

    def __init__(self, model: str = "text-embedding-ada-002", api_key: str | None = None,
                 api_base: str | None = None, *, dimension: int | None = None) -> None:
        from ...embedders.api import OpenAIEmbedder

        dim = dimension if dimension is not None else _OPENAI_DIMENSIONS.get(model)
        base = (api_base or "https://api.openai.com/v1").rstrip("/")
        super().__init__(lambda: OpenAIEmbedder(model, base_url=base, api_key=api_key,
                                                dimension=dim), dim)
        self.model = model


#: names of the sentence-transformers model gistcache ships as ONNX
_MINILM = ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2")


class SBERT(_Lazy):
    """A sentence-transformers model: ``all-MiniLM-L6-v2`` (GPTCache's default) runs the copy
    gistcache ships; any other must be a local model directory (nothing is downloaded)."""

    def __init__(self, model: str = "all-MiniLM-L6-v2") -> None:
        import os

        if model in _MINILM:
            super().__init__(OnnxEmbedder, OnnxEmbedder.dimension)
        elif os.path.isdir(model):
            from ...embedders.api import SentenceTransformerEmbedder

            super().__init__(lambda: SentenceTransformerEmbedder(model), None)
        else:
            raise ParamError(f"SBERT({model!r}) would download a model from a hub: gistcache "
                             "runs local models only. Pass the path of a downloaded model "
                             "directory, or use Onnx() (all-MiniLM-L6-v2 shipped with gistcache)")
        self.model = model


class _LangChainEmbedder(Embedder):
    """A LangChain ``Embeddings`` object as a gistcache embedder (normalised vectors)."""

    def __init__(self, model: Any, dimension: int) -> None:
        self.model = model
        self.dimension = dimension
        self.name = f"langchain:{type(model).__module__}.{type(model).__qualname__}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch with ``embed_documents``."""
        from ..._errors import EmbedderError

        try:
            rows = np.asarray(self.model.embed_documents(list(texts)), dtype=np.float32)
        except Exception as exc:  # the user's model: any failure is an embedder fault
            raise EmbedderError(f"LangChain embeddings {self.name} failed: {exc}") from exc
        if rows.shape != (len(texts), self.dimension):
            raise EmbedderError(f"LangChain embeddings returned shape {rows.shape}, expected "
                                f"({len(texts)}, {self.dimension})")
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        if not np.all(np.isfinite(norms)) or np.any(norms == 0):
            raise EmbedderError("LangChain embeddings returned a zero or non-finite vector")
        out: npt.NDArray[np.float32] = (rows / norms).astype(np.float32)
        return out


class LangChain(_Lazy):
    """A LangChain ``Embeddings`` object (``embed_documents`` / ``embed_query``); its
    dimension is measured on first use unless given."""

    def __init__(self, embeddings: Any, dimension: int = 0) -> None:
        if not callable(getattr(embeddings, "embed_documents", None)):
            raise ParamError("LangChain(embeddings) needs a LangChain Embeddings object")
        self.model = embeddings

        def build() -> Embedder:
            dim = dimension or len(embeddings.embed_query("dimension"))
            return _LangChainEmbedder(embeddings, dim)

        super().__init__(build, dimension or None)


_TEXT = ("Onnx() (gistcache's default: English and 100 languages, shipped offline), "
         "SBERT('<local model directory>'), OpenAI(...) or LangChain(<Embeddings>)")
_MEDIA = ("gistcache matches images and audio by their exact bytes, never by an embedding: "
          "keep the default ExactMatchEvaluation (cache.init()) for Image and Audio calls")

Huggingface = refused("Huggingface", "it downloads a transformers model from a hub at run "
                      "time", _TEXT)
Cohere = refused("Cohere", "it sends every question to Cohere's API, and gistcache has no "
                 "Cohere embedder", "OpenAI(api_base=...) for an OpenAI-compatible embeddings "
                 f"API, or {_TEXT}")
FastText = refused("FastText", "it downloads a fastText model at run time", _TEXT)
PaddleNLP = refused("PaddleNLP", "it downloads a PaddleNLP model at run time", _TEXT)
Rwkv = refused("Rwkv", "it downloads an RWKV model from a hub at run time", _TEXT)
UForm = refused("UForm", "it downloads a UForm model at run time", _TEXT)
Data2VecAudio = refused("Data2VecAudio", "audio is never matched by meaning", _MEDIA)
Timm = refused("Timm", "images are never matched by meaning", _MEDIA)
ViT = refused("ViT", "images are never matched by meaning", _MEDIA)
