"""GPTCache's ``Config``: the settings of a :class:`~gistcache.gptcache.Cache`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .utils.error import ParamError

__all__ = ["Config"]


class Config:
    """GPTCache-style settings.

    ``similarity_threshold`` keeps GPTCache's meaning: a score in [0, 1], where a candidate is
    accepted when its evaluation score reaches ``(max - min) * similarity_threshold`` of the
    evaluation's range (0 accepts every candidate found, 1 only the best possible score). With
    :class:`~gistcache.gptcache.similarity_evaluation.SearchDistanceEvaluation` it means a
    cosine similarity of at least ``2t - 1``. Left as None, gistcache's tuned threshold
    (:data:`gistcache.DEFAULT_THRESHOLD`, a cosine) is used instead of GPTCache's 0.8.

    ``verify`` (gistcache only): after the evaluation, check identifiers exactly and let the
    pair verifier read both questions (default). ``False`` applies GPTCache's rule alone.

    ``log_time_func(step, seconds)`` is called for each step of a request (``pre_process``,
    ``embedding``, ``search``, ``get_data``, ``evaluation``, ``post_process``,
    ``llm_request``, ``save``). ``prompts``, ``template``, ``context_len`` and ``skip_list``
    are read by the pre-processors that use them. ``auto_flush``, ``enable_token_counter``,
    ``input_summary_len``, ``data_check`` and ``disable_report`` are accepted and have no
    effect: gistcache flushes by itself, counts the tokens the upstream reports, never
    summarises a question with a downloaded model, keeps its index consistent with the store,
    and writes nothing to the database per hit.
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
        *,
        verify: bool = True,
    ) -> None:
        if similarity_threshold is not None:
            if isinstance(similarity_threshold, bool) or not isinstance(
                    similarity_threshold, (int, float)) or not 0 <= similarity_threshold <= 1:
                raise ParamError(f"similarity_threshold is a score in [0, 1], got "
                                 f"{similarity_threshold!r}")
            similarity_threshold = float(similarity_threshold)
        if log_time_func is not None and not callable(log_time_func):
            raise ParamError("log_time_func must be callable(step, seconds)")
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
        self.verify = bool(verify)

    def __repr__(self) -> str:
        return f"Config(similarity_threshold={self.similarity_threshold!r}, " \
               f"verify={self.verify!r})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Config) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like GPTCache's
