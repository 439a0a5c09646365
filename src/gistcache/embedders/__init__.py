"""Embedders: text to unit vectors."""

from ._base import Embedder
from .hashing import HashEmbedder
from .onnx import OnnxEmbedder
from .words import WordHashEmbedder

__all__ = ["Embedder", "HashEmbedder", "OnnxEmbedder", "WordHashEmbedder"]
