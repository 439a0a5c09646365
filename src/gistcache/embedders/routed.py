"""The default embedder: English on all-MiniLM-L6-v2, every other script on multilingual-e5-small.

Each text takes one route, decided by its letters: text written only in ASCII goes to the English
model (fast, and what the pair verifier was built on); text with any other letter (Hangul, kana,
Han, Cyrillic, accented Latin, ...) goes to the multilingual model, which reads Korean where the
English vocabulary turns it into ``[UNK]``. The two models' vectors are not comparable, so the
route is part of the scope (the cache adds it to the request's scope): a Korean question never
takes an English entry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ._base import Embedder

__all__ = ["RoutedEmbedder", "script_route"]

#: the route of text that is not plain ASCII
MULTILINGUAL = "multilingual"


def script_route(text: str) -> str:
    """``""`` (the English route) for ASCII text, else ``"multilingual"``."""
    if text.isascii():
        return ""
    # non-ASCII punctuation and symbols (smart quotes, dashes, emoji) do not change the language
    return MULTILINGUAL if any(ch.isalpha() and not ch.isascii() for ch in text) else ""


class RoutedEmbedder(Embedder):
    """Sends each text to the embedder of its route; both must have the same dimension."""

    def __init__(self, english: Embedder, multilingual: Embedder) -> None:
        if english.dimension != multilingual.dimension:
            raise ValueError("routed embedders need one dimension")
        self.english = english
        self.multilingual = multilingual
        self.dimension = english.dimension
        self.name = f"{english.name}+{multilingual.name}"
        #: names of stores this embedder can continue (their English vectors are the same)
        self.compatible = frozenset({english.name})

    def route(self, text: str) -> str:
        """The route of one text (see :func:`script_route`)."""
        return script_route(text)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed each text with its route's model, in one batch per route."""
        if isinstance(texts, str):
            return self.english.embed(texts)  # let the inner embedder refuse it
        batch = list(texts)
        routes = [script_route(t) if isinstance(t, str) else "" for t in batch]
        out = np.zeros((len(batch), self.dimension), dtype=np.float32)
        for route, model in (("", self.english), (MULTILINGUAL, self.multilingual)):
            picks = [i for i, r in enumerate(routes) if r == route]
            if picks:
                out[picks] = model.embed([batch[i] for i in picks])
        return out

    def close(self) -> None:
        """Close both embedders."""
        self.english.close()
        self.multilingual.close()
