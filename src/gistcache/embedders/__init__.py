"""Embedders: text to unit vectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._errors import ConfigError
from ._base import Embedder
from .e5 import E5Embedder
from .hashing import HashEmbedder
from .onnx import OnnxEmbedder
from .routed import RoutedEmbedder, script_route
from .words import WordHashEmbedder

if TYPE_CHECKING:
    from ..config import Config

__all__ = [
    "EMBEDDER_NAMES",
    "E5Embedder",
    "Embedder",
    "HashEmbedder",
    "OnnxEmbedder",
    "RoutedEmbedder",
    "WordHashEmbedder",
    "make_embedder",
    "script_route",
]


#: the names ``Config.embedder`` accepts
EMBEDDER_NAMES = ("auto", "onnx", "e5", "sentence-transformers", "openai", "hash")


def make_embedder(config: Config) -> Embedder:
    """The embedder a config names (the one place names map to classes)."""
    name = config.embedder
    if name == "auto":
        return RoutedEmbedder(OnnxEmbedder(), E5Embedder())
    if name == "onnx":
        return OnnxEmbedder()
    if name == "e5":
        return E5Embedder()
    if name == "hash":
        return HashEmbedder()
    if name == "sentence-transformers":
        from .api import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(config.embedder_model or "")
    if name == "openai":
        from .api import OpenAIEmbedder

        return OpenAIEmbedder(config.embedder_model or "",
                              base_url=config.embedder_url or "https://api.openai.com/v1")
    raise ConfigError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDER_NAMES)}")
