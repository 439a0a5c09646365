"""GPTCache's ``Config``: the settings of a :class:`~gistcache.gptcache.Cache`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .._errors import ConfigError

__all__ = ["Config"]


class Config:
    """GPTCache-style settings; only ``similarity_threshold`` and ``prompts`` have an effect.

    ``similarity_threshold`` is GPTCache's score in [0, 1] (1 = identical). With
    :class:`~gistcache.gptcache.similarity_evaluation.SearchDistanceEvaluation` it means a
    cosine similarity of at least ``1 - max_distance * (1 - t) / 2`` (``2t - 1`` by default).
    Left as None, gistcache's tuned threshold (:data:`gistcache.DEFAULT_THRESHOLD`, a cosine)
    is used instead of GPTCache's 0.8. The other arguments are accepted so that GPTCache code
    runs, and are ignored: gistcache counts, flushes and reports by itself.
    """

    def __init__(
        self,
        log_time_func: Callable[[str, float], None] | None = None,
        similarity_threshold: float | None = None,
        prompts: Sequence[str] | None = None,
        template: str | None = None,
        auto_flush: int = 20,
        enable_token_counter: bool = True,
        input_summary_len: int | None = None,
        context_len: int | None = None,
        skip_list: Sequence[str] | None = None,
        data_check: bool = False,
        disable_report: bool = False,
    ) -> None:
        if similarity_threshold is not None:
            if isinstance(similarity_threshold, bool) or not isinstance(
                    similarity_threshold, (int, float)) or not 0 <= similarity_threshold <= 1:
                raise ConfigError(f"similarity_threshold is a score in [0, 1], got "
                                  f"{similarity_threshold!r}")
            similarity_threshold = float(similarity_threshold)
        self.similarity_threshold = similarity_threshold
        self.log_time_func = log_time_func
        self.prompts = list(prompts) if prompts is not None else None
        self.template = template
        self.auto_flush = auto_flush
        self.enable_token_counter = enable_token_counter
        self.input_summary_len = input_summary_len
        self.context_len = context_len
        self.skip_list = list(skip_list) if skip_list is not None else ["system", "assistant"]
        self.data_check = data_check
        self.disable_report = disable_report

    def __repr__(self) -> str:
        return f"Config(similarity_threshold={self.similarity_threshold!r})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Config) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like GPTCache's
