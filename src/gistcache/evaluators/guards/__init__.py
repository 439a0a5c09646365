"""Word-level guards that veto a semantic match the embedding cannot tell apart.

Sentence embeddings score "convert Celsius to Fahrenheit" and "convert Fahrenheit to Celsius"
above 0.95, and the same holds for negations, swapped numbers and swapped names: no threshold
separates them. Each guard reads the words of the new question (``query``) and of the cached one
(``candidate``) and returns a short reason when they differ in a way that changes the answer, else
``None``. Guards are pure functions of the two strings and never raise on any string.

Families, in the order :func:`veto` runs them (:data:`GUARDS`), one module each:

- ``negation``  -- not, never, no, without, except, n't, non-, un-, "-free";
- ``numbers``   -- digits, number words, ordinals, fractions, versions, years and units, normalised
  ("5 km" is "five kilometers", "30 minutes" is "half an hour", "3.10" is not "3.1");
- ``entities``  -- names replaced by other names, case-insensitive, with abbreviations, acronyms,
  aliases and typos accepted ("NYC" / "New York City", "JS" / "JavaScript", "Chicgo");
- ``direction`` -- "X to Y" against "Y to X", and opposite words (import / export, buy / sell,
  before / after, ...); "between X and Y" and "X or Y" are symmetric;
- ``format``    -- the requested form and length, output language, programming language,
  audience, tone and genre; compared only when both questions ask for one (a question that asks
  for no format accepts any), except an output language other than English;
- ``time``      -- today / yesterday, this / next week, seasons, a year or an era. Not one of the
  four families the evaluator was first specified with: it exists because "now" and "in 1990"
  embed alike, and it fires only on a replaced time or a far one (a year, yesterday) added.

The word lists (negators, number words and units, known names, places and aliases, opposite
words, output languages, months and days) are data: ``data/<kind>.json`` in this package, read on
first use. The rules that pair trigger words with a pattern (format, time) stay in the code
beside their patterns. :func:`fingerprint` hashes the code and the lists; the shipped thresholds
chosen with the guards in the pipeline record it, and a test fails when it changes.

Non-English text. Digits, units, acronyms, listed product and place names and a small negation
lexicon of the main European languages work in any language; the other cue lists are English, so
on other languages those guards mostly find nothing and do not veto. They never veto a question
for not being English: that would turn every non-English question into a miss, and precision there
rests on the similarity threshold. Capitalisation is not read as a sign of a name in text that does
not look English (German capitalises every noun).

Only the first :data:`MAX_CHARS` characters of a text are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import _direction, _entities, _format, _negation, _numbers, _text, _time
from ._data import fingerprint
from ._direction import direction
from ._entities import entities
from ._format import output_format
from ._negation import negation
from ._numbers import numbers
from ._text import MAX_CHARS
from ._time import timeframe

__all__ = [
    "GUARDS",
    "MAX_CHARS",
    "Guard",
    "cache_clear",
    "direction",
    "entities",
    "fingerprint",
    "load_word_lists",
    "negation",
    "numbers",
    "output_format",
    "timeframe",
    "veto",
]

#: a guard: ``(query, candidate) -> reason or None``
Guard = Callable[[str, str], str | None]

#: every guard by name, in the order :func:`veto` runs them (cheapest and surest first)
GUARDS: dict[str, Guard] = {
    "negation": negation,
    "numbers": numbers,
    "entities": entities,
    "direction": direction,
    "format": output_format,
    "time": timeframe,
}

_KINDS = (_negation, _numbers, _entities, _direction, _format, _time)


def cache_clear() -> None:
    """Forget every text read so far (the guards keep the last few hundred, by text)."""
    _text.read.cache_clear()
    for kind in _KINDS:
        kind.cache_clear()


def load_word_lists() -> None:
    """Read every word list now, so that a broken data file raises ``ConfigError`` here (at
    construction) rather than in the middle of a lookup."""
    for load in (_text._english, _text.function_words, _negation._lists, _numbers._lists,
                 _entities._lists, _direction._lists, _format._rules, _time._rules):
        load()


def veto(query: str, candidate: str, enabled: Iterable[str] | None = None) -> str | None:
    """The first guard's reason to refuse ``candidate`` as an answer to ``query``, else None.

    ``enabled`` names the guards to run (default: all, in :data:`GUARDS` order); an unknown
    name raises ``KeyError``.
    """
    if not query or not candidate or query == candidate:
        return None
    names = GUARDS if enabled is None else enabled
    for name in names:
        reason = GUARDS[name](query, candidate)
        if reason is not None:
            return reason
    return None
