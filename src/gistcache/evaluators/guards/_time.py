"""The time guard: today / yesterday, this / next week, seasons, a year or an era.

Not one of the four families the evaluator was first specified with: it exists because "now" and
"in 1990" embed alike, and it fires only on a replaced time or a far one (a year, yesterday)
added.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from ._data import strings, table
from ._numbers import units
from ._text import ANY_DIGIT_RE, CACHE_SIZE, MAX_CHARS, Rules, compile_rules, read, triggered

__all__ = ["timeframe"]

_DIGIT = "#digit"  # the trigger word of rules that need a digit
# a time named in one question only vetoes when it is far from "now": a year, a decade, an
# era, yesterday, next week. "This weekend" or "in July" alone is often context, not the point
_STRONG_TIME = frozenset({"past", "future", "year", "decade", "era"})
_RELATIVE_KIND = {"this": "this", "last": "past", "past": "past", "previous": "past",
                  "next": "future", "coming": "future", "upcoming": "future"}


@cache
def _months() -> dict[str, str]:
    """Month name or abbreviation -> month name ("may" is not listed: mostly it is the verb)."""
    months = {m: m for m in strings("time", "months")}
    months.update(table("time", "month_abbreviations"))
    return months


@cache
def _rules() -> Rules:
    months, days = _months(), strings("time", "days")
    periods = "week|weekend|month|year|season|summer|winter|spring|fall|autumn|quarter|decade|" \
              "century|night|morning|afternoon|evening|semester|term|" + "|".join(days)
    # (kind, "", trigger words, pattern); "relative" is split into past / future / this by its
    # first word, and "now" marks the present, which a question that names no time also means
    rules: tuple[tuple[str, str, str, str], ...] = (
        ("now", "", "now today today's current currently nowadays these moment latest newest "
                    "recent presently present",
         r"(?:right )?now|today'?s?|current(?:ly)?|nowadays|these days|at the moment|latest|"
         r"newest|most recent|presently|at present"),
        ("relative", "", "this last next past previous coming upcoming",
         rf"(?:this|last|next|past|previous|coming|upcoming) (?:{periods})s?"),
        ("past", "", "yesterday yesterday's", r"yesterday'?s?|day before yesterday"),
        ("future", "", "tomorrow tomorrow's", r"tomorrow'?s?|day after tomorrow"),
        ("this", "", "tonight tonight's", r"tonight'?s?"),
        ("past", "", "ago", r"(?:\w+|a|one) (?:days?|weeks?|months?|years?|seasons?|decades?|"
                            r"centuries) ago"),
        ("event", "", "next last previous upcoming", r"(?:next|last|previous|upcoming)(?= \w)"),
        ("year", "", _DIGIT, r"1[6-9]\d\d|20\d\d"),
        ("decade", "", _DIGIT, r"(?:1[5-9]|20)\d0s|'?[2-9]0s"),
        ("era", "", f"middle medieval ancient renaissance victorian prehistoric stone bronze "
                    f"iron cold great during after before century {_DIGIT}",
         r"middle ages|medieval|ancient (?:times|rome|greece|egypt)|renaissance|victorian|"
         r"prehistoric|stone age|bronze age|iron age|cold war|great depression|(?:during|after|"
         r"before) (?:the )?(?:world war (?:i+|1|2|one|two)|ww ?(?:i+|1|2)|second world war|"
         r"first world war|pandemic|war)|\d+(?:st|nd|rd|th) century|1[0-9]00s"),
        ("season", "", "spring springtime summer summertime winter wintertime autumn fall",
         r"spring(?:time)?|summer(?:time)?|winter(?:time)?|autumn|(?<=in )fall|(?<=this )fall|"
         r"(?<=last )fall|(?<=next )fall|(?<=the )fall"),
        ("month", "", " ".join(months), "|".join(months)),
        ("day", "", " ".join(d + " " + d + "s" for d in days) + " weekend weekends weekday "
                                                              "weekdays",
         "|".join(d + "s?" for d in days) + r"|weekends?|weekdays?"),
        ("holiday", "", "christmas new thanksgiving easter halloween ramadan diwali hanukkah "
                        "independence labor memorial black valentine valentine's",
         r"christmas(?: day| eve)?|new year'?s?(?: day| eve)?|thanksgiving|easter|halloween|"
         r"ramadan|diwali|hanukkah|independence day|labor day|memorial day|black friday|"
         r"valentine'?s day"),
    )
    return compile_rules(rules)


def _time_key(kind: str, words: str) -> str:
    words = words.replace("'s", "").replace("'", "")
    if kind == "month":
        return _months().get(words, words)
    if kind == "day":
        return words[:-1] if words.endswith("s") else words
    if kind == "season":
        return "autumn" if words == "fall" else words.replace("time", "")
    if kind == "holiday" and words.startswith("christmas day"):
        return "christmas"
    if kind == "relative":
        words = words[:-1] if words.endswith("s") and not words.endswith("ss") else words
        # "this wednesday" is "wednesday": the nearest one is meant either way
        return words.split(" ", 1)[1] if words.startswith("this ") else words
    return words


@dataclass(frozen=True, slots=True)
class _Time:
    marks: dict[str, tuple[str, str]]  # key -> (kind, surface)
    now: str  # the surface of a "now" marker, if any


_NO_TIME = _Time({}, "")


@lru_cache(maxsize=CACHE_SIZE)
def _time_of(text: str) -> _Time:
    t = read(text)
    words = t.words if t.core is t.tokens else frozenset(t.core)
    if ANY_DIGIT_RE.search(t.low):
        words = words | {_DIGIT}
    compiled, index = _rules()
    rules = triggered(words, index)
    if not rules:
        return _NO_TIME
    core = " ".join(t.core)
    marks: dict[str, tuple[str, str]] = {}
    now = ""
    taken: list[tuple[int, int]] = []
    for k in rules:
        kind, _, pattern = compiled[k]
        for m in pattern.finditer(core):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            surface = m.group(0)
            if kind == "year":
                # "2000 meters", "$1999" are quantities, not years
                after = core[m.end():m.end() + 14].split()
                before = core[max(0, m.start() - 2):m.start()].strip()
                if (after and after[0] in units()) or (before and before in "$€£¥"):
                    continue
            taken.append(m.span())
            kind_here = _RELATIVE_KIND[surface.split()[0]] if kind == "relative" else kind
            if kind_here == "now" or surface == "this year":
                now = now or surface
                continue
            marks.setdefault(_time_key(kind, surface), (kind_here, surface))
    return _Time(marks, now)


def timeframe(query: str, candidate: str) -> str | None:
    """Veto when the questions are about different times (today vs yesterday, now vs 1990)."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _time_of(query), _time_of(candidate)
    if q.marks.keys() == c.marks.keys():
        return None
    only_q = [(kind, s) for k, (kind, s) in q.marks.items() if k not in c.marks]
    only_c = [(kind, s) for k, (kind, s) in c.marks.items() if k not in q.marks]
    if not (only_q and only_c) and not any(kind in _STRONG_TIME for kind, _ in only_q + only_c):
        return None
    left = only_q[0][1] if only_q else (q.now or "no time")
    right = only_c[0][1] if only_c else (c.now or "no time")
    return f"time: {left!r} vs {right!r}"


def cache_clear() -> None:
    """Forget the texts read so far."""
    _time_of.cache_clear()
