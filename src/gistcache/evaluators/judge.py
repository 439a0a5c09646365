"""An LLM judge: ask a chat model whether two questions have the same answer, for uncertain cases.

Only candidates whose cosine similarity falls inside ``band = (low, high)`` are put to the judge:

- ``similarity >= high``: accepted without asking (the judge has no objection; in a
  :class:`~gistcache.evaluators.Pipeline` the other evaluators, such as the guards, still run);
- ``similarity < low``: refused without asking (``floor`` is ``low``, so the cache does not even
  fetch such candidates);
- in between: the judge is asked, once per unordered pair of normalised texts and model (verdicts
  are kept in an LRU of ``cache_size`` pairs).

The judge is an OpenAI-compatible chat endpoint reached through a sync ``openai.OpenAI`` client, or
any callable ``(query, candidate) -> bool``. A failure of the judge (timeout, error status, refused
connection, an exception of the callable) refuses the candidate: it is a miss, logged and counted
in :attr:`LLMJudgeEvaluator.stats`, never an exception to the caller. Failures are not cached.

The answer must be one word: only a clear YES ("YES", "yes.", "**Yes**") accepts; anything else
("no", "I think so", "Yes, but ...", an empty reply) refuses.
"""

from __future__ import annotations

import inspect
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._errors import ConfigError, require
from .._types import CacheRequest, Candidate, normalize_text, stable_hash
from ._base import ACCEPT, Evaluator, Verdict

__all__ = ["JUDGE_PROMPT", "JudgeStats", "LLMJudgeEvaluator", "parse_yes"]

logger = logging.getLogger(__name__)

#: the system message sent with every question to the judge
JUDGE_PROMPT = (
    "You check a cache of chatbot answers. You are shown two user questions. Answer YES only if "
    "one correct answer fully and correctly answers both questions. Answer NO if they differ in "
    "anything that changes the answer: a number, name, place, product, version, date or time, "
    "negation (with/without, can/cannot), direction (A to B vs B to A, buy vs sell), requested "
    "format, language, audience or length, or if they are merely about the same topic. "
    "Reply with exactly one word: YES or NO."
)

_YES_RE = re.compile(r"[\s\W_]*yes[\s\W_]*", re.IGNORECASE)


def parse_yes(reply: str | None) -> bool:
    """True only for a clear one-word YES (case, spaces, punctuation and markdown ignored)."""
    return bool(reply) and _YES_RE.fullmatch(reply or "") is not None


@dataclass(frozen=True)
class JudgeStats:
    """Counters of one judge: pairs asked upstream, answered from its LRU, failures, verdicts."""

    asked: int = 0
    cached: int = 0
    failures: int = 0
    yes: int = 0
    no: int = 0
    accepted_above_band: int = 0
    refused_below_band: int = 0


class LLMJudgeEvaluator(Evaluator):
    """Asks a chat model whether a candidate in the uncertain cosine band answers the request.

    ``client_or_callable`` is a sync ``openai.OpenAI`` (or compatible) client, asked with
    ``model`` at temperature 0, or a callable ``(query, candidate) -> bool`` (``model`` then only
    keys its verdict cache). ``timeout`` bounds one judge call in seconds; the client is used with
    ``max_retries`` retries (default none: the judge sits on the lookup path, and a failed judge
    only costs a miss).
    """

    requires = frozenset({"key_text"})

    def __init__(
        self,
        client_or_callable: Any,
        *,
        model: str,
        band: tuple[float, float] = (0.75, 0.95),
        cache_size: int = 10_000,
        timeout: float = 10.0,
        max_retries: int = 0,
        prompt: str = JUDGE_PROMPT,
    ) -> None:
        low, high = band
        if not -1.0 <= low <= high <= 1.0:
            raise ConfigError(f"LLM judge band must be cosines with -1 <= low <= high <= 1, "
                              f"got {band!r}")
        if cache_size < 0:
            raise ConfigError(f"LLM judge cache_size must be >= 0, got {cache_size!r}")
        if timeout <= 0:
            raise ConfigError(f"LLM judge timeout must be > 0 seconds, got {timeout!r}")
        if not isinstance(model, str) or not model:
            raise ConfigError("LLM judge needs a model name")
        self.model = model
        self.low, self.high = float(low), float(high)
        self.floor = self.low
        self.cache_size = cache_size
        self.timeout = timeout
        self.prompt = prompt
        self._ask: Callable[[str, str], bool]
        self._errors: tuple[type[BaseException], ...]
        create = getattr(getattr(getattr(client_or_callable, "chat", None), "completions", None),
                         "create", None)
        if create is not None:
            if inspect.iscoroutinefunction(inspect.unwrap(create)):
                raise ConfigError("LLM judge needs a sync client (openai.OpenAI), "
                                  "not an async one")
            openai = require("openai", feature="the LLM judge", extra="openai")
            self._client = client_or_callable.with_options(max_retries=max_retries) \
                if hasattr(client_or_callable, "with_options") else client_or_callable
            self._ask = self._ask_chat
            self._errors = (openai.OpenAIError,)
        elif callable(client_or_callable):
            self._client = None
            self._ask = client_or_callable
            # the callable is the user's code: whatever it raises is a failed judge, which must
            # be a miss and not a failed LLM call; it is logged with its traceback and counted
            self._errors = (Exception,)
        else:
            raise ConfigError(f"LLM judge needs an OpenAI client or a callable (q1, q2) -> bool, "
                              f"got {type(client_or_callable).__name__}")
        self._verdicts: OrderedDict[str, bool] = OrderedDict()
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(JudgeStats.__dataclass_fields__, 0)

    @property
    def stats(self) -> JudgeStats:
        """A snapshot of the counters."""
        with self._lock:
            return JudgeStats(**self._counts)

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def _ask_chat(self, query: str, candidate: str) -> bool:
        response = self._client.chat.completions.create(
            model=self.model,
            messages=[
                {"role": "system", "content": self.prompt},
                {"role": "user", "content": f"Question 1: {query}\nQuestion 2: {candidate}"},
            ],
            temperature=0,
            max_tokens=5,
            timeout=self.timeout,
        )
        choices = getattr(response, "choices", None) or []
        content = choices[0].message.content if choices else None
        return parse_yes(content)

    def same_answer(self, query: str, candidate: str) -> bool | None:
        """The judge's verdict on two questions (cached), or None when the judge failed."""
        a, b = normalize_text(query), normalize_text(candidate)
        if a == b:
            return True
        key = stable_hash(self.model, *sorted((a, b)))
        with self._lock:
            known = self._verdicts.get(key)
            if known is not None:
                self._verdicts.move_to_end(key)
                self._counts["cached"] += 1
                return known
        self._count("asked")
        try:
            verdict = bool(self._ask(query, candidate))
        except self._errors as exc:
            self._count("failures")
            logger.warning("LLM judge %s failed, treating the candidate as a miss: %s",
                           self.model, exc, exc_info=self._client is None)
            return None
        self._count("yes" if verdict else "no")
        if self.cache_size:
            with self._lock:
                self._verdicts[key] = verdict
                self._verdicts.move_to_end(key)
                while len(self._verdicts) > self.cache_size:
                    self._verdicts.popitem(last=False)
        return verdict

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Accept above the band, refuse below it, ask the judge inside it."""
        similarity = candidate.similarity
        bar = max(self.low, request.min_similarity or -1.0)
        if similarity < bar:
            self._count("refused_below_band")
            return Verdict(False, f"similarity {similarity:.3f} < {bar:.3f}")
        if similarity >= self.high:
            self._count("accepted_above_band")
            return ACCEPT
        verdict = self.same_answer(request.key_text, candidate.entry.key_text)
        if verdict is None:
            return Verdict(False, "LLM judge failed")
        return ACCEPT if verdict else Verdict(False, "LLM judge: not the same question")
