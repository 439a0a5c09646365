"""GPTCache's ``Report``: how many times, and how long, each step of a request ran.

``cache.report`` of a :class:`~gistcache.gptcache.Cache` is filled as requests run: the steps
the compatibility layer runs itself (pre-processing, the model call, post-processing) and the
steps of the native cache (embedding, search, reading entries, evaluation, saving) as they are
timed there. Nothing is written to the database for it (GPTCache wrote a row per hit).
"""

from __future__ import annotations

__all__ = ["OpCounter", "Report"]


class OpCounter:
    """How many times one step ran, and for how many seconds in all."""

    def __init__(self) -> None:
        self.count = 0
        self.total_time = 0.0

    def add(self, seconds: float) -> None:
        """Count one run of ``seconds``."""
        self.count += 1
        self.total_time += seconds

    def average(self) -> float:
        """Seconds per run, rounded to 0.1 ms as GPTCache's (0 before the first run)."""
        return round(self.total_time / self.count, 4) if self.count else 0

    def __repr__(self) -> str:
        return f"OpCounter(count={self.count}, total_time={self.total_time:.6f})"


class Report:
    """Per-step counts and times, and the number of cache hits."""

    def __init__(self) -> None:
        self.op_pre = OpCounter()
        self.op_embedding = OpCounter()
        self.op_search = OpCounter()
        self.op_data = OpCounter()
        self.op_evaluation = OpCounter()
        self.op_post = OpCounter()
        self.op_llm = OpCounter()
        self.op_save = OpCounter()
        self.hint_cache_count = 0

    def pre(self, delta_time: float) -> None:
        """Count a pre-processing step."""
        self.op_pre.add(delta_time)

    def embedding(self, delta_time: float) -> None:
        """Count an embedding step."""
        self.op_embedding.add(delta_time)

    def search(self, delta_time: float) -> None:
        """Count a vector search."""
        self.op_search.add(delta_time)

    def data(self, delta_time: float) -> None:
        """Count a read of stored entries."""
        self.op_data.add(delta_time)

    def evaluation(self, delta_time: float) -> None:
        """Count a similarity evaluation."""
        self.op_evaluation.add(delta_time)

    def post(self, delta_time: float) -> None:
        """Count a post-processing step."""
        self.op_post.add(delta_time)

    def llm(self, delta_time: float) -> None:
        """Count a model call."""
        self.op_llm.add(delta_time)

    def save(self, delta_time: float) -> None:
        """Count a save of an answer."""
        self.op_save.add(delta_time)

    def hint_cache(self) -> None:
        """Count a request answered from the cache."""
        self.hint_cache_count += 1

    def average_pre_time(self) -> float:
        """Average pre-processing seconds."""
        return self.op_pre.average()

    def average_embedding_time(self) -> float:
        """Average embedding seconds."""
        return self.op_embedding.average()

    def average_search_time(self) -> float:
        """Average search seconds."""
        return self.op_search.average()

    def average_data_time(self) -> float:
        """Average seconds reading entries."""
        return self.op_data.average()

    def average_evaluation_time(self) -> float:
        """Average evaluation seconds."""
        return self.op_evaluation.average()

    def average_post_time(self) -> float:
        """Average post-processing seconds."""
        return self.op_post.average()

    def average_llm_time(self) -> float:
        """Average seconds of a model call."""
        return self.op_llm.average()

    def average_save_time(self) -> float:
        """Average seconds saving an answer."""
        return self.op_save.average()

    def __repr__(self) -> str:
        return f"<Report hits={self.hint_cache_count} llm={self.op_llm.count}>"
