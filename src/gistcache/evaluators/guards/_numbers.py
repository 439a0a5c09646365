"""The numbers guard: different numbers, years, versions or units of measure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

from ..._errors import ConfigError
from ._data import rows, table, words
from ._text import ANY_DIGIT_RE, CACHE_SIZE, MAX_CHARS, TOKEN_RE, near, read

__all__ = ["numbers", "units"]

#: a unit: (dimension, factor to the dimension's base unit, canonical symbol)
UnitInfo = tuple[str, float, str]


@dataclass(frozen=True, slots=True)
class _Lists:
    small: dict[str, int]  # "two" -> 2, "dozen" -> 12
    scales: dict[str, int]  # "thousand" -> 1000
    ordinals: dict[str, int]  # "second" -> 2
    # "one" is a pronoun after these words ("which one", "no one") and before "of"/"another"
    one_pronoun_before: frozenset[str]
    one_pronoun_after: frozenset[str]
    units: dict[str, UnitInfo]  # surface form -> unit
    # symbols that are units only right after a number ("5 m", "37.5 c", "3 s"): alone they are
    # words or letters ("I'm", "in C"). "in" is not among them: "25000 in India" is not inches
    unit_after_number: dict[str, UnitInfo]
    # units compared even without a number ("how many miles is a marathon" vs "... kilometers");
    # time words are left out: "a day", "per hour" are everywhere and rarely the point
    measure_dimensions: frozenset[str]
    scalable: frozenset[str]  # dimensions whose values are converted to the base unit
    # words that can start or carry a quantity: a text with none of them and no digit has none
    numeric_words: frozenset[str]


def _unit_info(entry: list[Any]) -> UnitInfo:
    """``[dimension, factor, symbol, ...]`` as a unit."""
    if len(entry) < 3 or not isinstance(entry[0], str) or isinstance(entry[1], bool) or \
            not isinstance(entry[1], (int, float)) or not isinstance(entry[2], str):
        raise ConfigError(f"a unit in the guards' data/numbers.json is not [dimension, factor, "
                          f"symbol, ...]: {entry!r}")
    return entry[0], float(entry[1]), entry[2]


@cache
def _lists() -> _Lists:
    units: dict[str, UnitInfo] = {}
    # [dimension, factor, symbol, [surface forms]]; a later entry wins for a repeated form
    for entry in rows("numbers", "units"):
        info = _unit_info(entry)
        for form in entry[3]:
            units[form] = info
    small, scales, ordinals = (table("numbers", k) for k in ("small", "scales", "ordinals"))
    return _Lists(
        small, scales, ordinals,
        words("numbers", "one_pronoun_before"), words("numbers", "one_pronoun_after"),
        units,
        {k: _unit_info(v) for k, v in table("numbers", "units_after_number").items()},
        words("numbers", "measure_dimensions"), words("numbers", "scalable_dimensions"),
        frozenset(small) | frozenset(scales) | frozenset(ordinals) | frozenset(units)
        | {"half", "quarter"},
    )


def units() -> dict[str, UnitInfo]:
    """Every unit of measure by its surface forms ("km", "kilometres" -> length, 1000, "km")."""
    return _lists().units


_FRACTION_RE = re.compile(r"\d{1,2}/\d{1,2}")
# digits inside a letter code are not a quantity: "B2B", "H2O", "P2P" (but "PS5", "IPv4" are)
_CODE_DIGITS_RE = re.compile(r"(?<=[a-z])\d+(?=[a-z])")
# "how 2 boil an egg": texting for "how to", not the number two
_NUM_HOW2_RE = re.compile(r"\bhow 2\b")


@dataclass(frozen=True, slots=True)
class _Quantity:
    value: str | float  # in the dimension's base unit, or the exact text when that matters
    surface: str
    converted: bool  # came with a unit and was converted: compare with a rounding tolerance
    digits: bool  # written with digits; "first" or "one" alone is often not a quantity


@dataclass(frozen=True, slots=True)
class _Numbers:
    quantities: tuple[_Quantity, ...]
    # measurement units named without a number ("how many miles is a marathon"): the units of
    # quantities are already compared with their values
    units: frozenset[str]  # canonical symbols
    unit_words: tuple[tuple[str, str], ...]  # (symbol, surface word)


_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _number_value(token: str) -> str | float:
    """The value of one numeric token, or its exact text when the text is what matters."""
    if token.startswith("0x"):
        return token
    if token[-1].isalpha():
        if token.endswith("s") and not token.endswith("st"):
            return token  # a decade: "1980s", "90s"
        token = token[:-2]  # an ordinal: "2nd", "16th"
    if "/" in token:
        num, den = token.split("/", 1)
        if not num.isdigit() or int(den) == 0:
            return token
        return float(Fraction(int(num), int(den)))  # "1/4"; "500/1000" is split by the caller
    if token.count(".") > 1:
        return token  # a version: "3.8.1"
    if _THOUSANDS_RE.fullmatch(token):
        return float(token.replace(",", ""))
    if "," in token:
        return token
    if "." in token:
        whole, frac = token.split(".")
        if frac.strip("0") == "":
            return float(whole)  # "2.0" is "2"
        if frac.endswith("0"):
            return token  # "3.10" is a version, not 3.1
        return float(token)
    return float(token)


def _number_words(tokens: list[str], i: int) -> tuple[float, int] | None:
    """A number written in words starting at ``tokens[i]``: (value, index after it)."""
    lists = _lists()
    tok, n = tokens[i], len(tokens)
    prev = tokens[i - 1] if i > 0 else ""
    if tok in lists.ordinals:
        if tok == "second" and prev in ("per", "a", "one", "each", "every"):
            return None  # the unit of time
        if tok == "third" and prev in ("a", "one", "two"):
            return float(Fraction(1, 3)), i + 1
        return float(lists.ordinals[tok]), i + 1
    if tok in ("half", "quarter"):
        if prev in ("a", "one", "and"):
            return (0.5 if tok == "half" else 0.25), i + 1
        return None
    if tok in lists.scales:
        if prev not in ("a", "one"):
            return None
        current = lists.scales[tok]
    elif tok in lists.small:
        if tok == "one" and (prev in lists.one_pronoun_before or
                             (i + 1 < n and tokens[i + 1] in lists.one_pronoun_after)):
            return None
        current = lists.small[tok]
    else:
        return None
    total, j = 0, i + 1
    while j < n:
        word = tokens[j]
        if word in lists.scales:
            scale = lists.scales[word]
            if scale >= 1000:
                total, current = total + current * scale, 0
            else:
                current *= scale
        elif word in lists.small:
            current += lists.small[word]
        elif not (word == "and" and j + 1 < n and tokens[j + 1] in lists.small):
            break
        j += 1
    return float(total + current), j


_NO_NUMBERS = _Numbers((), frozenset(), ())


@lru_cache(maxsize=CACHE_SIZE)
def _numbers_of(text: str) -> _Numbers:
    t = read(text)
    lists = _lists()
    if lists.numeric_words.isdisjoint(t.words) and not ANY_DIGIT_RE.search(t.low):
        return _NO_NUMBERS
    tokens = list(t.tokens)
    if "how 2" in t.low or _CODE_DIGITS_RE.search(t.low):
        tokens = TOKEN_RE.findall(
            _CODE_DIGITS_RE.sub(" ", _NUM_HOW2_RE.sub("how to", t.low)))
    quantities: list[_Quantity] = []
    units: set[str] = set()
    unit_words: list[tuple[str, str]] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        value: str | float
        if tok[0].isdigit():
            if "/" in tok and not _FRACTION_RE.fullmatch(tok):
                # "500/1000 notes", "24/7": two numbers, not a fraction
                tokens[i:i + 1] = tok.split("/")
                n = len(tokens)
                continue
            value, j = _number_value(tok), i + 1
            if isinstance(value, float) and j < n and tokens[j] in lists.scales:
                value *= lists.scales[tokens[j]]
                j += 1
            elif isinstance(value, float) and j < n and tokens[j] == "k":
                value *= 1000  # "5k", "4K", "$50k"
                j += 1
        else:
            words = _number_words(tokens, i)
            if words is None:
                info = lists.units.get(tok)
                if info and info[0] in lists.measure_dimensions:
                    units.add(info[2])
                    unit_words.append((info[2], tok))
                i += 1
                continue
            value, j = words
        surface = " ".join(tokens[i:j])
        # a currency sign before the number is its unit, else the word after it may be
        unit_tok = tokens[i - 1] if i > 0 and tokens[i - 1] in "$€£¥" else ""
        info = lists.units.get(unit_tok) if unit_tok else None
        if info is None and j < n:
            unit_tok, k = tokens[j], j
            if unit_tok == "°" and j + 1 < n and tokens[j + 1] in ("c", "f", "k"):
                unit_tok, k = tokens[j + 1], j + 1
            info = lists.units.get(unit_tok) or lists.unit_after_number.get(unit_tok)
            if info is not None:
                surface += " " + unit_tok
                j = k + 1
        converted = False
        if info is not None:
            if isinstance(value, float) and info[0] in lists.scalable:
                value, converted = value * info[1], True
            else:
                value = f"{value:g}{info[2]}" if isinstance(value, float) else value + info[2]
        quantities.append(_Quantity(value, surface, converted, tok[0].isdigit()))
        i = j
    return _Numbers(tuple(quantities), frozenset(units), tuple(unit_words))


def _same(a: _Quantity, b: _Quantity) -> bool:
    if isinstance(a.value, float) and isinstance(b.value, float):
        if a.converted or b.converted:
            # unit conversions are rounded in questions: "62 miles" means "100 km"
            return abs(a.value - b.value) <= 0.015 * max(abs(a.value), abs(b.value))
        return abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value))
    return a.value == b.value


def _unmatched(a: tuple[_Quantity, ...], b: tuple[_Quantity, ...]) -> list[_Quantity]:
    return [x for x in a if not any(_same(x, y) for y in b)]


def numbers(query: str, candidate: str) -> str | None:
    """Veto when the questions hold different numbers, years, versions or units."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _numbers_of(query), _numbers_of(candidate)
    if q.quantities and c.quantities:
        only_q = _unmatched(q.quantities, c.quantities)
        only_c = _unmatched(c.quantities, q.quantities)
        # a number replaced by another, or a number in digits added; a lone "first" or "one"
        # added to a question with other numbers is usually wording ("my first job")
        if (only_q and only_c) or any(x.digits for x in only_q + only_c):
            left = only_q[0].surface if only_q else "-"
            right = only_c[0].surface if only_c else "-"
            return f"numbers: {left!r} vs {right!r}"
    if q.units and c.units:
        only_q_units = [w for s, w in q.unit_words if s not in c.units]
        only_c_units = [w for s, w in c.unit_words if s not in q.units]
        if only_q_units and only_c_units:
            # a misspelt unit ("poud") on one side is not a different unit
            words_q = {w for w in read(query).tokens if w[0].isalpha()}
            words_c = {w for w in read(candidate).tokens if w[0].isalpha()}
            real_q = [w for w in only_q_units if not any(near(w, x) for x in words_c)]
            real_c = [w for w in only_c_units if not any(near(w, x) for x in words_q)]
            if real_q and real_c:
                return f"numbers: unit {real_q[0]!r} vs {real_c[0]!r}"
    return None



def cache_clear() -> None:
    """Forget the texts read so far."""
    _numbers_of.cache_clear()
