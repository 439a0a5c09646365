"""Word-level guards that veto a semantic match the embedding cannot tell apart.

Sentence embeddings score "convert Celsius to Fahrenheit" and "convert Fahrenheit to Celsius"
above 0.95, and the same holds for negations, swapped numbers and swapped names: no threshold
separates them. Each guard reads the words of the new question (``query``) and of the cached one
(``candidate``) and returns a short reason when they differ in a way that changes the answer, else
``None``. Guards are pure functions of the two strings and never raise on any string.

Families, in the order :func:`veto` runs them (:data:`GUARDS`):

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

Non-English text. Digits, units, acronyms, listed product and place names and a small negation
lexicon of the main European languages work in any language; the other cue lists are English, so
on other languages those guards mostly find nothing and do not veto. They never veto a question
for not being English: that would turn every non-English question into a miss, and precision there
rests on the similarity threshold. Capitalisation is not read as a sign of a name in text that does
not look English (German capitalises every noun).

Only the first :data:`MAX_CHARS` characters of a text are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from .spelling import slips

__all__ = [
    "GUARDS",
    "MAX_CHARS",
    "Guard",
    "cache_clear",
    "direction",
    "entities",
    "negation",
    "numbers",
    "output_format",
    "timeframe",
    "veto",
]

#: a guard: ``(query, candidate) -> reason or None``
Guard = Callable[[str, str], str | None]

#: only this many characters of each text are read: a question's cues are near its start, and
#: reading a 100 kB prompt word by word would cost more than the model call it saves
MAX_CHARS = 4000

# what each guard reads of a text is cached by the (cut) text: the query is compared with several
# candidates in a row, and each guard reuses the tokens the first one made. A few hundred texts
# cover the candidates of the last few queries; at most a few megabytes even for long texts.
_CACHE_SIZE = 256


# ---------------------------------------------------------------------------------------------
# Shared text handling
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "\u00a0": " "})

# lower-case word tokens: hex codes, numbers (with decimals, thousands, fractions, ordinal or
# decade suffix), words with inner apostrophes, currency and percent signs, sentence punctuation
_TOKEN_RE = re.compile(
    r"[^\W\d_]+(?:'[^\W\d_]+)*"
    r"|[?.!,;:]"
    r"|0x[0-9a-f]+"
    r"|\d+(?:[.,]\d+)*(?:/\d+)?(?:st|nd|rd|th|s)?(?![^\W_])"
    r"|\d+"
    r"|[$€£¥%°]"
)
# the same for ASCII text, the common case: ASCII classes are faster to match than Unicode ones
_ASCII_TOKEN_RE = re.compile(
    r"[a-z]+(?:'[a-z]+)*"
    r"|[?.!,;:]"
    r"|0x[0-9a-f]+"
    r"|\d+(?:[.,]\d+)*(?:/\d+)?(?:st|nd|rd|th|s)?(?![a-z0-9])"
    r"|\d+"
    r"|[$%]"
)
_PUNCT = frozenset("?.!,;:")

# English function words and question verbs: a text with none of them is not read as English
# (words shared with other European languages, like "a", "in", "was", "an", are left out)
_ENGLISH = frozenset(
    "the is are were does did how what why when where who which whats can could should would "
    "you my your it to of with and or from this that explain write give tell show convert "
    "translate recipe".split()
)

# words that are never names even when capitalised ("What", "The", "From")
_FUNCTION_WORDS = frozenset(
    """
    a an the my your his her its our their this that these those some any all it i you we they
    me him them to into from in on at of for with by about via through using how do does did
    what which who whom whose why when where is are was were be been being can could should
    would will shall may might must have has had and or but if so as than then there here
    whats hows whos wheres
    """.split()
)

# politeness, hedging and purpose clauses: they say something about the asker, not about the
# question ("I've never done it before", "so I don't ruin it"), and their negations do not flip it
_HEDGE_RE = re.compile(
    r"\b(?:i'?m|i am|i was|i'?ve|i have|i)\s+(?:really\s+|just\s+|still\s+)?"
    r"(?:not (?:sure|certain|too sure)|never (?:really )?(?:done|tried|used|understood|"
    r"known|been)|don'?t (?:really )?(?:know|understand|remember|get it)|do not (?:know|"
    r"understand)|wasn'?t sure|can'?t remember|have no idea)"
    r"|\b(?:hope|hoping) (?:this|it) (?:isn'?t|is not|doesn'?t)"
    r"|\bif (?:it'?s|it is) not too much trouble|\bif you don'?t mind|\bno worries"
    r"|\bnothing (?:seems|seemed) to work|\bdon'?t have (?:a|one|the) \w+ (?:handy|nearby)"
    r"|\bnot to (?:bother|be rude)|\bno (?:rush|pressure)"
    r"|\bso (?:that )?(?:i|it|you|we|they|he|she) (?:don'?t|doesn'?t|won'?t|wouldn'?t|"
    r"do not|does not|will not) \w+"
    # a double negative keeps: "without losing my changes" is "keeping my changes"
    r"|\bwithout (?:losing|breaking|deleting|damaging|ruining|hurting|erasing|overwriting)"
    # "say no" is a verb of refusal, "or not" closes a yes/no question ("should I go or not"),
    # and an answer's opening "No," is an interjection: none negates the question
    r"|\b(?:say|said|saying|says) no\b|\b(?:whether )?or not\b|^(?:no|nope|nah) ,"
)


@dataclass(frozen=True, slots=True)
class _Text:
    """One question, cut, normalised and tokenised once for all guards."""

    raw: str  # cut to MAX_CHARS, NFKC, typographic quotes made plain
    low: str
    tokens: tuple[str, ...]
    words: frozenset[str]  # the distinct tokens: cheap tests of whether a guard has work to do
    core: tuple[str, ...]  # tokens of the question sentences, without a long preamble
    english: bool
    ascii: bool


_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=_CACHE_SIZE)
def _read(text: str) -> _Text:
    raw = text[:MAX_CHARS]  # already cut by the guards; kept for direct calls
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).translate(_QUOTES)
    low = raw.lower()
    ascii_only = raw.isascii()
    token_re = _ASCII_TOKEN_RE if ascii_only else _TOKEN_RE
    tokens = tuple(token_re.findall(low))
    core = tokens
    # a long polite message carries its question in the sentences ending in "?"; the rest is
    # context ("I've never done it before") whose negations and dates are not the question's.
    # A short question ("What should I do?") leans on its context, which is then kept.
    if "?" in low and low.count("?") + low.count(".") + low.count("!") > 1:
        sentences = [x for x in _SENTENCE_SPLIT_RE.split(low) if x]
        asked = [x for x in sentences if x.endswith("?")]
        if asked and len(asked) < len(sentences):
            asked_tokens = tuple(token_re.findall(" ".join(asked)))
            if sum(1 for x in asked_tokens if x[0].isalnum()) >= 6:
                core = asked_tokens
    words = [x for x in tokens[:40] if x[0].isalpha()]
    english = len(words) <= 2 or not _ENGLISH.isdisjoint(words)
    return _Text(raw, low, tokens, frozenset(tokens), core, english, ascii_only)


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _near(a: str, b: str) -> bool:
    """True when ``b`` is a plausible misspelling of ``a`` (optimal string alignment distance)."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 4 or (a[0] != b[0] and a[:2] != b[1::-1]):
        return False
    limit = 1 if shortest <= 5 else 2
    return slips(a, b, limit) <= limit


def _side(one_sided_in_query: bool) -> str:
    return "the new question" if one_sided_in_query else "the cached question"


# ---------------------------------------------------------------------------------------------
# negation
# ---------------------------------------------------------------------------------------------

_NEGATORS = frozenset(
    "not no never none nothing nobody nowhere neither nor without except excluding cannot non "
    # contractions typed without the apostrophe
    "dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt havent hasnt "
    "hadnt mustnt neednt aint "
    # the commonest negators of other European languages (German, French, Italian, Spanish,
    # Portuguese, Dutch) that are not also English words
    "nicht kein keine keinen keinem keiner ohne niemals nie pas jamais sans ne senza nunca não "
    "nao niet geen zonder".split()
)
# "-free" compounds that mean "without X"
_FREE_RE = re.compile(
    r"\b(?:gluten|sugar|dairy|fat|caffeine|alcohol|lactose|nut|egg|meat|cruelty|smoke|tax|duty|"
    r"hands|error|risk|stress|pain|debt|grain|soy|salt|carb|fragrance)[- ]free\b"
)
_NEG_PREFIXES = ("un", "non", "dis", "de")


@dataclass(frozen=True, slots=True)
class _Negation:
    cues: tuple[str, ...]
    words: frozenset[str]


@lru_cache(maxsize=_CACHE_SIZE)
def _negation_of(text: str) -> _Negation:
    t = _read(text)
    core = t.core
    words = t.words if core is t.tokens else frozenset(core)
    has_cue = not _NEGATORS.isdisjoint(words) or "free" in words or "n't" in t.low
    if not has_cue:
        return _Negation((), words)
    kept = _HEDGE_RE.sub(" ", " ".join(core))
    cues = [w for w in kept.split() if w in _NEGATORS or w.endswith("n't")]
    cues += [m.group(0) for m in _FREE_RE.finditer(kept)]
    return _Negation(tuple(cues), words)


def _positive_form(cue: str) -> str:
    if cue.endswith("n't"):
        stem = cue[:-3]
        return {"won": "will", "can": "can", "ca": "can", "sha": "shall"}.get(stem, stem)
    return {"without": "with", "never": "ever", "cannot": "can", "none": "some",
            "nothing": "something", "no": "a"}.get(cue, "")


def _negated_prefix(a: frozenset[str], b: frozenset[str]) -> tuple[str, str] | None:
    """A word in ``a`` whose negated form ("unhide", "unpasteurized") is in ``b`` only."""
    for negated in b:
        if negated.startswith(_NEG_PREFIXES) and negated not in a:
            for prefix in _NEG_PREFIXES:
                word = negated[len(prefix):]
                if negated.startswith(prefix) and len(word) >= 4 and word in a and \
                        word not in b:
                    return negated, word
    return None


def negation(query: str, candidate: str) -> str | None:
    """Veto when one question is negated and the other is not."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _negation_of(query), _negation_of(candidate)
    if len(q.cues) != len(c.cues):
        more, fewer, in_query = (q, c, True) if len(q.cues) > len(c.cues) else (c, q, False)
        extra = list(more.cues)
        for cue in fewer.cues:
            if cue in extra:
                extra.remove(cue)
        cue = extra[0] if extra else more.cues[0]
        # a misspelt negator ("wihtout") on the other side is the same negation
        if not any(_near(cue, w) for w in fewer.words - more.words):
            positive = _positive_form(cue)
            if positive and positive in fewer.words:
                return f"negation: {cue!r} vs {positive!r}"
            return f"negation: {cue!r} only in {_side(in_query)}"
    for a, b in ((q.words, c.words), (c.words, q.words)):
        found = _negated_prefix(a, b)
        if found:
            return f"negation: {found[0]!r} vs {found[1]!r}"
    return None


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
           "trillion": 10**12}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}
# "one" is a pronoun after these words ("which one", "no one") and before "of"/"another"
_ONE_PRONOUN_BEFORE = frozenset("which this that the each every no any some a".split())
_ONE_PRONOUN_AFTER = frozenset("of another".split())

# unit surface form -> (dimension, factor to the dimension's base unit, canonical symbol)
_UnitInfo = tuple[str, float, str]
_UNITS: dict[str, _UnitInfo] = {}


def _unit(dimension: str, factor: float, symbol: str, *forms: str) -> None:
    for form in forms:
        _UNITS[form] = (dimension, factor, symbol)


_unit("length", 0.001, "mm", "mm", "millimeter", "millimeters", "millimetre", "millimetres")
_unit("length", 0.01, "cm", "cm", "centimeter", "centimeters", "centimetre", "centimetres")
_unit("length", 1.0, "m", "meter", "meters", "metre", "metres")
_unit("length", 1000.0, "km", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres")
_unit("length", 0.0254, "in", "inch", "inches")
_unit("length", 0.3048, "ft", "ft", "foot", "feet")
_unit("length", 0.9144, "yd", "yd", "yard", "yards")
_unit("length", 1609.344, "mi", "mi", "mile", "miles")
_unit("mass", 0.001, "mg", "mg", "milligram", "milligrams")
_unit("mass", 1.0, "g", "gram", "grams", "gramme", "grammes")
_unit("mass", 1000.0, "kg", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms")
_unit("mass", 453.59237, "lb", "lb", "lbs", "pound", "pounds")
_unit("mass", 28.349523, "oz", "oz", "ounce", "ounces")
_unit("mass", 1e6, "t", "tonne", "tonnes", "ton", "tons")
_unit("volume", 0.001, "ml", "ml", "milliliter", "milliliters", "millilitre", "millilitres")
_unit("volume", 1.0, "l", "liter", "liters", "litre", "litres")
_unit("volume", 0.00492892, "tsp", "tsp", "teaspoon", "teaspoons")
_unit("volume", 0.0147868, "tbsp", "tbsp", "tablespoon", "tablespoons")
_unit("volume", 0.236588, "cup", "cup", "cups")
_unit("volume", 0.473176, "pint", "pint", "pints")
_unit("volume", 0.946353, "quart", "quart", "quarts", "qt")
_unit("volume", 3.78541, "gal", "gal", "gallon", "gallons")
_unit("volume", 0.001, "cc", "cc")
_unit("data", 1.0, "byte", "byte", "bytes")
_unit("data", 1e3, "kb", "kb", "kilobyte", "kilobytes")
_unit("data", 1e6, "mb", "mb", "megabyte", "megabytes")
_unit("data", 1e9, "gb", "gb", "gigabyte", "gigabytes")
_unit("data", 1e12, "tb", "tb", "terabyte", "terabytes")
_unit("temp_c", 1.0, "°c", "celsius", "centigrade")
_unit("temp_f", 1.0, "°f", "fahrenheit")
_unit("temp_k", 1.0, "k", "kelvin")
_unit("percent", 1.0, "%", "%", "percent", "pct")
_unit("usd", 1.0, "$", "$", "usd", "dollar", "dollars", "bucks")
_unit("eur", 1.0, "€", "€", "eur", "euro", "euros")
_unit("gbp", 1.0, "£", "£", "gbp", "quid")
_unit("jpy", 1.0, "¥", "¥", "yen", "jpy")
_unit("time", 0.001, "ms", "ms", "millisecond", "milliseconds")
_unit("time", 1.0, "s", "sec", "secs", "seconds")
_unit("time", 60.0, "min", "min", "mins", "minute", "minutes")
_unit("time", 3600.0, "h", "hr", "hrs", "hour", "hours")
_unit("time", 86400.0, "day", "day", "days")
_unit("time", 604800.0, "week", "week", "weeks", "wk", "wks")
_unit("time", 2629800.0, "month", "month", "months")
_unit("time", 31557600.0, "year", "year", "years", "yr", "yrs")
_unit("energy", 1.0, "kcal", "kcal", "calorie", "calories")
_unit("power", 1.0, "mah", "mah")
_unit("dose", 1.0, "iu", "iu")
# symbols that are units only right after a number ("5 m", "37.5 c", "3 s"): alone they are
# words or letters ("I'm", "in C"). "in" is not among them: "25000 in India" is not inches
_UNIT_AFTER_NUMBER: dict[str, _UnitInfo] = {
    "m": ("length", 1.0, "m"), "g": ("mass", 1.0, "g"), "l": ("volume", 1.0, "l"),
    "s": ("time", 1.0, "s"), "h": ("time", 3600.0, "h"), "c": ("temp_c", 1.0, "°c"),
    "f": ("temp_f", 1.0, "°f"), "second": ("time", 1.0, "s"),
    "degrees": ("deg", 1.0, "°"), "degree": ("deg", 1.0, "°"),
}
# units compared even without a number ("how many miles is a marathon" vs "... kilometers");
# time words are left out: "a day", "per hour" are everywhere and rarely the point
_MEASURE_DIMENSIONS = frozenset(
    "length mass volume data temp_c temp_f temp_k usd eur gbp jpy".split()
)
_SCALABLE = frozenset({"length", "mass", "volume", "data", "time"})
# words that can start or carry a quantity: a text with none of them and no digit has no numbers
_NUMERIC_WORDS = frozenset(_SMALL) | frozenset(_SCALES) | frozenset(_ORDINALS) | frozenset(
    _UNITS) | {"half", "quarter"}
_ANY_DIGIT_RE = re.compile(r"\d")
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
    tok, n = tokens[i], len(tokens)
    prev = tokens[i - 1] if i > 0 else ""
    if tok in _ORDINALS:
        if tok == "second" and prev in ("per", "a", "one", "each", "every"):
            return None  # the unit of time
        if tok == "third" and prev in ("a", "one", "two"):
            return float(Fraction(1, 3)), i + 1
        return float(_ORDINALS[tok]), i + 1
    if tok in ("half", "quarter"):
        if prev in ("a", "one", "and"):
            return (0.5 if tok == "half" else 0.25), i + 1
        return None
    if tok in _SCALES:
        if prev not in ("a", "one"):
            return None
        current = _SCALES[tok]
    elif tok in _SMALL:
        if tok == "one" and (prev in _ONE_PRONOUN_BEFORE or
                             (i + 1 < n and tokens[i + 1] in _ONE_PRONOUN_AFTER)):
            return None
        current = _SMALL[tok]
    else:
        return None
    total, j = 0, i + 1
    while j < n:
        word = tokens[j]
        if word in _SCALES:
            scale = _SCALES[word]
            if scale >= 1000:
                total, current = total + current * scale, 0
            else:
                current *= scale
        elif word in _SMALL:
            current += _SMALL[word]
        elif not (word == "and" and j + 1 < n and tokens[j + 1] in _SMALL):
            break
        j += 1
    return float(total + current), j


_NO_NUMBERS = _Numbers((), frozenset(), ())


@lru_cache(maxsize=_CACHE_SIZE)
def _numbers_of(text: str) -> _Numbers:
    t = _read(text)
    if _NUMERIC_WORDS.isdisjoint(t.words) and not _ANY_DIGIT_RE.search(t.low):
        return _NO_NUMBERS
    tokens = list(t.tokens)
    if "how 2" in t.low or _CODE_DIGITS_RE.search(t.low):
        tokens = _TOKEN_RE.findall(
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
            if isinstance(value, float) and j < n and tokens[j] in _SCALES:
                value *= _SCALES[tokens[j]]
                j += 1
            elif isinstance(value, float) and j < n and tokens[j] == "k":
                value *= 1000  # "5k", "4K", "$50k"
                j += 1
        else:
            words = _number_words(tokens, i)
            if words is None:
                info = _UNITS.get(tok)
                if info and info[0] in _MEASURE_DIMENSIONS:
                    units.add(info[2])
                    unit_words.append((info[2], tok))
                i += 1
                continue
            value, j = words
        surface = " ".join(tokens[i:j])
        # a currency sign before the number is its unit, else the word after it may be
        unit_tok = tokens[i - 1] if i > 0 and tokens[i - 1] in "$€£¥" else ""
        info = _UNITS.get(unit_tok) if unit_tok else None
        if info is None and j < n:
            unit_tok, k = tokens[j], j
            if unit_tok == "°" and j + 1 < n and tokens[j + 1] in ("c", "f", "k"):
                unit_tok, k = tokens[j + 1], j + 1
            info = _UNITS.get(unit_tok) or _UNIT_AFTER_NUMBER.get(unit_tok)
            if info is not None:
                surface += " " + unit_tok
                j = k + 1
        converted = False
        if info is not None:
            if isinstance(value, float) and info[0] in _SCALABLE:
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
            words_q = {w for w in _read(query).tokens if w[0].isalpha()}
            words_c = {w for w in _read(candidate).tokens if w[0].isalpha()}
            real_q = [w for w in only_q_units if not any(_near(w, x) for x in words_c)]
            real_c = [w for w in only_c_units if not any(_near(w, x) for x in words_q)]
            if real_q and real_c:
                return f"numbers: unit {real_q[0]!r} vs {real_c[0]!r}"
    return None


# ---------------------------------------------------------------------------------------------
# entities
# ---------------------------------------------------------------------------------------------

# technology, product and service names recognised in any case ("python", "numpy", "iphone")
_KNOWN_NAMES = frozenset(
    """
    python java javascript typescript js ts py golang ruby php perl kotlin scala haskell elixir
    erlang clojure lua dart julia matlab fortran cobol c++ c# f# .net dotnet sql mysql
    postgresql postgres sqlite mongodb redis cassandra dynamodb elasticsearch mariadb reactjs
    vue vuejs angular svelte django flask fastapi rails laravel nodejs node.js deno next.js
    nuxt jquery tailwind numpy pandas scipy matplotlib pytorch tensorflow keras sklearn
    scikit-learn conda anaconda pip pipenv npm yarn pnpm git github gitlab bitbucket docker
    dockerfile kubernetes k8s helm terraform ansible jenkins aws azure gcp heroku vercel
    netlify cloudflare linux ubuntu debian fedora centos macos osx ios ipados android chrome
    chromebook firefox powerpoint gmail vscode vim neovim emacs bash zsh powershell cron
    systemd nginx jest pytest mocha cypress selenium graphql html css sass webpack vite babel
    iphone ipad macbook imac airpods playstation ps4 ps5 xbox nintendo kindle alexa siri
    chatgpt openai netflix spotify youtube instagram facebook twitter tiktok whatsapp reddit
    google microsoft tesla uber airbnb paypal venmo coinbase bitcoin ethereum jira figma
    photoshop wordpress shopify duolingo hulu linkedin
    """.split()
)
# names that are also common words ("react", "rust", "windows", "excel", "spring"): names when
# capitalised, or in lower case next to another technology name
_CASED_NAMES = frozenset(
    "react rust windows excel outlook express spring slack notion poetry safari discord swift "
    "oracle amazon node mac bootstrap word edge zoom".split()
)
# words that continue a product name ("macbook air", "pixel 8 pro")
_MODEL_WORDS = frozenset("air pro max mini plus ultra se lite xl".split())

# places recognised in lower case too; ambiguous common words (turkey, chad, georgia, nice,
# reading, mobile, ...) are left out: capitalised, they are still names
_PLACES = frozenset(
    """
    afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
    bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia
    botswana brazil brunei bulgaria burundi cambodia cameroon canada chile china colombia
    congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea estonia
    eswatini ethiopia fiji finland france gabon gambia germany ghana greece grenada guatemala
    guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy
    jamaica japan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon
    lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
    maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia
    montenegro morocco mozambique myanmar namibia nauru nepal netherlands nicaragua nigeria
    norway oman pakistan palau panama paraguay peru philippines poland portugal qatar romania
    russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain
    sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand tunisia
    turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen
    zambia zimbabwe england scotland wales britain america europe asia africa antarctica
    oceania australia alabama alaska arizona arkansas california colorado connecticut
    delaware florida hawaii idaho illinois indiana iowa kansas kentucky louisiana maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio
    oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming
    london paris berlin madrid rome lisbon dublin amsterdam brussels vienna prague budapest
    warsaw stockholm oslo copenhagen helsinki athens istanbul moscow kyiv tokyo kyoto osaka
    seoul beijing shanghai singapore bangkok hanoi delhi mumbai bangalore karachi dubai
    cairo lagos nairobi johannesburg sydney melbourne auckland toronto vancouver montreal
    chicago boston seattle denver houston dallas austin miami atlanta philadelphia
    manhattan brooklyn nyc lyon marseille munich hamburg milan florence venice naples
    barcelona seville zurich zürich geneva edinburgh manchester liverpool
    """.split()
) | {"new zealand", "new york", "new jersey", "new mexico", "new hampshire", "north carolina",
     "south carolina", "north dakota", "south dakota", "west virginia", "rhode island",
     "south africa", "south korea", "north korea", "united states", "united kingdom",
     "hong kong", "los angeles", "san francisco", "san diego", "las vegas", "new delhi",
     "buenos aires", "rio de janeiro", "sao paulo", "mexico city", "costa rica", "sri lanka",
     "saudi arabia", "el salvador", "new orleans", "tel aviv", "cape town"}

# surface form -> canonical name: abbreviations, acronyms and alternative names of one thing
_ALIASES = {
    "nyc": "new york", "ny": "new york", "new york city": "new york", "la": "los angeles",
    "sf": "san francisco", "us": "usa", "u s": "usa", "united states": "usa",
    "united states of america": "usa", "america": "usa", "u s a": "usa", "uk": "united kingdom",
    "britain": "united kingdom", "great britain": "united kingdom", "uae": "united arab emirates",
    "eu": "european union", "dc": "washington dc", "washington dc": "washington dc",
    "js": "javascript", "ts": "typescript", "py": "python", "golang": "go", "k8s": "kubernetes",
    "postgres": "postgresql", "nodejs": "node.js", "node": "node.js", "reactjs": "react",
    "vuejs": "vue", "osx": "macos", "mac os": "macos", "ps5": "playstation 5",
    "ps4": "playstation 4", "ps 5": "playstation 5", "ps 4": "playstation 4",
    "ww2": "world war 2", "wwii": "world war 2", "world war ii": "world war 2",
    "second world war": "world war 2", "ww1": "world war 1", "wwi": "world war 1",
    "world war i": "world war 1", "first world war": "world war 1", "lax": "los angeles airport",
    "los angeles international airport": "los angeles airport", "jfk airport": "jfk",
    "ms word": "microsoft word", "ms excel": "microsoft excel", "fed": "federal reserve",
    "covid 19": "covid", "covid-19": "covid", "coronavirus": "covid", "chatgpt": "chatgpt",
    "st louis": "saint louis", "mt everest": "mount everest", "vs code": "vscode",
    "bengaluru": "bangalore", "mumbai": "bombay", "kolkata": "calcutta", "chennai": "madras",
    "beijing": "peking", "kyiv": "kiev", "myanmar": "burma", "czechia": "czech republic",
    "holland": "netherlands", "the netherlands": "netherlands", "ho chi minh city": "saigon",
    "visual studio code": "vscode", "sci fi": "science fiction", "scifi": "science fiction",
}
# single tokens that stand for a longer word inside a name
_TOKEN_ALIASES = {"st": "saint", "mt": "mount", "ms": "microsoft", "ft": "fort"}
# capitalised words that are not names: the pronoun I, interjections, polite openers
_NOT_NAMES = frozenset(
    "i i'm i've i'd i'll ok okay hi hello hey thanks thank please yes no dear sir madam "
    "lol omg btw fyi pls asap diy".split()
)
# a full stop after these does not end a sentence
_ABBREV_DOT = frozenset("st mt dr mr mrs ms vs etc e.g i.e jr sr no approx".split())
_JOINERS = frozenset({"of", "de", "du", "la", "del", "von", "van", "and", "&"})
# words with inner apostrophes, dots and hyphens kept whole ("U.S.", "Node.js", "Wi-Fi"),
# "C++", "C#", ".NET", and the punctuation that ends a name or a sentence
_NAME_TOKEN_RE = re.compile(
    r"[^\W_]+(?:['.\-][^\W_]+)*(?:\+\+|#(?!\w))?\.?|\.(?:NET|net)\b|[-,;:!?()\"/.]"
)
_ASCII_NAME_TOKEN_RE = re.compile(
    r"[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*(?:\+\+|#(?!\w))?\.?|\.(?:NET|net)\b|[-,;:!?()\"/.]"
)


@dataclass(frozen=True, slots=True)
class _Mention:
    name: str  # normalised: lower case, no accents, dots or possessive, aliases resolved
    surface: str
    known: bool  # a listed technology, product or place name


@dataclass(frozen=True, slots=True)
class _Entities:
    mentions: tuple[_Mention, ...]
    names: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Words:
    """The lower-case words of a question, for acronym, alias and typo look-ups."""

    words: frozenset[str]
    joined: str  # " " + words in order + " "
    initials: str  # first letters of the content words, for spelled-out acronyms


def _normalise_name(words: list[str]) -> str:
    cleaned = []
    for w in words:
        w = _strip_accents(w.lower())
        if w.endswith("'s"):
            w = w[:-2]
        if w[:1].isalpha() and w not in ("node.js", "next.js"):
            w = w.rstrip("'").replace(".", "")
        if w:
            cleaned.append(_TOKEN_ALIASES.get(w, w))
    while len(cleaned) > 1 and cleaned[0] in ("the", "a", "an"):
        cleaned.pop(0)
    name = " ".join(cleaned)
    return _ALIASES.get(name, name)


def _alias_forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, tuple[str, ...]] = {}
    for surface, canon in _ALIASES.items():
        forms[canon] = (*forms.get(canon, ()), surface)
    return forms


# canonical name -> its other spellings
_ALIAS_FORMS = _alias_forms()
# a lower-case text without any of these words names nothing the guard can recognise
_NAME_GATE = _KNOWN_NAMES | frozenset(p.split()[0] for p in _PLACES)
_LISTED = _KNOWN_NAMES | _CASED_NAMES | _PLACES
_PLACE_FIRST_WORDS = frozenset(p.split()[0] for p in _PLACES if " " in p)
_NO_ENTITIES = _Entities((), frozenset())
_INNER_STOP_RE = re.compile(r"[.!?:;\n]")


def _title_case(alpha: list[str]) -> bool:
    """A Title Case Headline or ALL CAPS text, whose capitals say nothing about names."""
    if len(alpha) < 4:
        return False
    if sum(1 for w in alpha if w.isupper()) >= 0.7 * len(alpha):
        return True
    capitalised = sum(1 for w in alpha if w[0].isupper())
    # "How To Cook Rice In A Pot": function words capitalised inside the text
    return capitalised >= 0.7 * len(alpha) and any(
        w[0].isupper() and w.lower() in _FUNCTION_WORDS and w.lower() not in ("the", "i")
        for w in alpha[1:])


@lru_cache(maxsize=_CACHE_SIZE)
def _entities_of(text: str) -> _Entities:
    t = _read(text)
    # one sentence whose only capital is its first letter, and no listed name: nothing to find
    if t.raw[1:] == t.low[1:] and _NAME_GATE.isdisjoint(t.words) and \
            not _INNER_STOP_RE.search(t.low, 0, len(t.low) - 1):
        return _NO_ENTITIES
    pieces = (_ASCII_NAME_TOKEN_RE if t.ascii else _NAME_TOKEN_RE).findall(t.raw)
    # "rust" is the language next to "python", and oxide in "remove rust from a bike"
    tech = not _KNOWN_NAMES.isdisjoint(t.words)
    trust_case: bool | None = None  # decided when the first capitalised word is met
    mentions: list[_Mention] = []
    group: list[str] = []
    group_known = False
    sentence_start = True

    def close() -> None:
        nonlocal group, group_known
        while group and group[-1].lower() in _JOINERS:
            group.pop()
        if group:
            name = _normalise_name(group)
            if name and name not in _NOT_NAMES:
                mentions.append(_Mention(name, " ".join(group), group_known))
        group, group_known = [], False

    for piece in pieces:
        first = piece[0]
        if not first.isalnum():
            if piece in (".net", ".NET"):
                group.append(piece)
                group_known = True
                continue
            if group:
                close()
            if piece in "!?;:" or piece == ".":
                sentence_start = True
            continue
        at_start = sentence_start
        word = piece
        if piece[-1] == ".":
            word = piece[:-1]
            # a full stop ends the sentence, unless it ends an abbreviation ("St.", "U.S.")
            sentence_start = word.lower() not in _ABBREV_DOT and "." not in word
        else:
            sentence_start = False
        low = word.lower()
        if word == low:  # no capital letter (the common case): a name only if listed
            if (low in _NAME_GATE and (low in _KNOWN_NAMES or low in _PLACES)) or \
                    (low in _CASED_NAMES and tech):
                group.append(word)
                group_known = True
            elif group and (first.isdigit() or low in _MODEL_WORDS or
                            (low in _JOINERS and low != "and")):
                group.append(word)  # "iPhone 15", "Python 3.12", "MacBook Air", "Bank of X"
            elif group:
                close()
            continue
        bare = low[:-2] if low.endswith("'s") else low
        known = (bare in _NAME_GATE and (bare in _KNOWN_NAMES or bare in _PLACES)) or \
            bare in _CASED_NAMES
        if at_start and word[1:] == word[1:].lower():
            # "What", "Paris": the first word of a sentence is a name only if listed
            if known:
                group.append(word)
                group_known = True
            elif group:
                close()
            continue
        if trust_case is None:
            # capitalisation means nothing in a headline, nor in a language that is not English
            trust_case = t.english and not _title_case([p for p in pieces if p[0].isalpha()])
        if not (trust_case and first.isalpha()):
            is_name = known
        elif bare in _NOT_NAMES:
            is_name = False
        elif word.isupper() and len(word) >= 2:
            is_name = True  # an acronym or a code, even first in a sentence ("WHO", "K2", "PS5")
        else:
            # a capitalised function word ("What", "The") is not a name; the first word of a
            # sentence is one only with a capital inside it ("iPhone", "GitHub") or if listed
            is_name = known or (bare not in _FUNCTION_WORDS and (
                not at_start or word[1:] != word[1:].lower()))
        if is_name:
            group.append(word)
            group_known = group_known or known
        elif group and first.isdigit():
            group.append(word)
        elif group:
            close()
    close()
    # two-word place names written in lower case ("new zealand")
    if not _PLACE_FIRST_WORDS.isdisjoint(t.words):
        for a, b in pairwise(t.tokens):
            if a in _PLACE_FIRST_WORDS and f"{a} {b}" in _PLACES:
                pair = f"{a} {b}"
                canon = _ALIASES.get(pair, pair)
                if not any(m.name == canon for m in mentions):
                    mentions.append(_Mention(canon, pair, True))
    # a lower-case place inside a two-word place is not a second place
    multi = [m.name for m in mentions if " " in m.name]
    kept = tuple(m for m in mentions
                 if not any(m.name != n and m.name in n.split() for n in multi))
    return _Entities(kept, frozenset(m.name for m in kept))


@lru_cache(maxsize=_CACHE_SIZE)
def _words_of(text: str) -> _Words:
    t = _read(text)
    low = _strip_accents(t.low)
    name_re = _ASCII_NAME_TOKEN_RE if t.ascii else _NAME_TOKEN_RE
    words = [w.rstrip(".").replace("'s", "") for w in name_re.findall(low) if w[0].isalnum()]
    joined = " " + " ".join(w.replace(".", "") for w in words) + " "
    initials = "".join(w[0] for w in words if w[0].isalpha() and w not in _FUNCTION_WORDS)
    return _Words(frozenset(words), joined, initials)


def _initials(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w and w not in ("of", "and", "the", "&"))


def _same_word(x: str, y: str, listed: bool) -> bool:
    """Two words of a name that mean the same: equal, misspelt ("Chicgo"), or one cut short or
    inflected ("Puran" / "Puranam", "Drive" / "Drives"); never two different listed names
    ("Java" / "JavaScript", "Austria" / "Australia") or two different numbers."""
    if x == y:
        return True
    if listed or x[0].isdigit() or y[0].isdigit() or x[-1].isdigit() or y[-1].isdigit():
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return (len(short) >= 4 and long_.startswith(short)) or _near(x, y)


def _mention_matched(m: _Mention, other: _Entities, other_text: str) -> bool:
    """True when ``m`` is also named in the other question, in any accepted spelling."""
    name = m.name
    if name in other.names:
        return True
    tokens = name.split()
    for o in other.mentions:
        o_tokens = o.name.split()
        # "iPhone" vs "iPhone 15", "GN Drive" vs "GN Drives of Gundams": one names more
        # precisely; "Chicgo" vs "Chicago", "Mona Lissa" vs "Mona Lisa": a typo
        shorter, longer = sorted((tokens, o_tokens), key=len)
        both_listed = m.known and o.known
        if all(_same_word(x, y, both_listed and x in _LISTED and y in _LISTED)
               for x, y in zip(shorter, longer, strict=False)):
            return True
        # a part of a full name: "Trump" vs "Donald Trump", "Dhoni" vs "MS Dhoni"
        if len(tokens) == 1 and len(o_tokens) > 1 and name in o_tokens and name.isalpha():
            return True
        if len(o_tokens) == 1 and len(tokens) > 1 and o.name in tokens and o.name.isalpha():
            return True
        # acronyms: "EST" vs "Eastern Standard Time", "NFL" vs "National Football League"
        if len(tokens) == 1 and len(o_tokens) > 1 and _initials(o_tokens) == name:
            return True
        if len(o_tokens) == 1 and len(tokens) > 1 and _initials(tokens) == o.name:
            return True
        # truncations: "Fed" vs "Federal Reserve", "Oct" vs "October"
        if len(tokens) == 1 and len(name) >= 3 and not m.known and not o.known and \
                o_tokens[0].startswith(name):
            return True
    words = _words_of(other_text)
    # named in lower case, or by another of its names, in the other question
    if f" {name} " in words.joined:
        return True
    if any(f" {s} " in words.joined for s in _ALIAS_FORMS.get(name, ())):
        return True
    # an acronym whose words are spelled out in lower case ("SSN" vs "social security number")
    if len(tokens) == 1 and 3 <= len(name) <= 5 and name.isalpha() and name in words.initials:
        return True
    # a name spelled out whose initials are a word of the other question ("WHO")
    if len(tokens) > 1 and _initials(tokens) in words.words:
        return True
    # a misspelt name on the other side that was not recognised as a name ("javscript")
    return len(tokens) == 1 and any(_near(name, w) for w in words.words if w not in _LISTED)


def entities(query: str, candidate: str) -> str | None:
    """Veto when a name in one question is replaced by a different name in the other."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _entities_of(query), _entities_of(candidate)
    if not q.mentions or not c.mentions or q.names == c.names:
        return None
    only_q = [m for m in q.mentions if not _mention_matched(m, c, candidate)]
    if not only_q:
        return None
    only_c = [m for m in c.mentions if not _mention_matched(m, q, query)]
    if not only_c:
        return None  # one question only adds a name: "center a div" vs "center a div in CSS"
    return f"entities: {only_q[0].surface!r} vs {only_c[0].surface!r}"


# ---------------------------------------------------------------------------------------------
# direction
# ---------------------------------------------------------------------------------------------

# opposite pairs: each side lists words of one polarity; inflections are generated below
_OPPOSITES: tuple[tuple[str, str], ...] = (
    ("import", "export"),
    ("ascending asc increasing", "descending desc decreasing"),
    ("before prior", "after"),
    ("earlier", "later"),
    ("buy purchase", "sell"),
    ("upload", "download"),
    ("encode", "decode"),
    ("encrypt", "decrypt"),
    ("compress zip", "decompress unzip"),
    ("min minimum minimize minimise", "max maximum maximize maximise"),
    ("increase raise boost", "decrease reduce lower"),
    ("more greater", "less fewer"),
    ("most highest largest biggest", "least lowest smallest"),
    ("best", "worst"),
    ("upgrade", "downgrade"),
    ("enable activate", "disable deactivate"),
    ("turn_on switch_on", "turn_off switch_off"),
    ("open", "close"),
    ("start begin", "stop end finish"),
    ("add insert append", "remove delete"),
    ("push", "pull"),
    ("merge combine", "split"),
    ("expand", "collapse"),
    ("lend", "borrow"),
    ("send", "receive"),
    ("gain", "lose"),
    ("win", "lose"),
    ("log_in sign_in login signin", "log_out sign_out logout signout"),
    ("zoom_in", "zoom_out"),
    ("scroll_up", "scroll_down"),
    ("speed_up", "slow_down"),
    ("on_the_left left-hand", "on_the_right right-hand"),
    ("north northern", "south southern"),
    ("east eastern", "west western"),
    ("uppercase upper_case capitalize capitalise", "lowercase lower_case"),
    ("first", "last latest newest"),
    ("next upcoming", "previous last"),
    ("positive", "negative"),
    ("pros advantages benefits upsides", "cons disadvantages drawbacks downsides risks dangers"),
    ("hot warm", "cold"),
    ("male men boy boys husband", "female women girl girls wife"),
    ("inhale", "exhale"),
    ("arrival arrive", "departure depart"),
    ("entry enter", "exit"),
    ("incoming inbound", "outgoing outbound"),
    ("input", "output"),
    ("inner", "outer"),
    ("include", "exclude"),
    ("accept approve", "reject decline deny"),
    ("credit", "debit"),
    ("deposit", "withdraw withdrawal"),
    ("profit", "loss"),
    ("pass", "fail"),
    ("multiply", "divide"),
    ("plus", "minus"),
    ("forward forwards", "backward backwards"),
    ("horizontal horizontally", "vertical vertically"),
    ("public", "private"),
    ("static statically", "dynamic dynamically"),
    ("synchronous sync synchronously", "asynchronous async asynchronously"),
    ("local", "remote"),
    ("frontend front-end", "backend back-end"),
    ("client", "server"),
    ("online", "offline"),
    ("light", "dark"),
    ("mutable", "immutable"),
    ("absolute", "relative"),
    ("implicit implicitly", "explicit explicitly"),
    ("connect", "disconnect"),
    ("attach", "detach"),
    ("charge", "discharge"),
    ("heat heating", "cool cooling"),
    ("overestimate", "underestimate"),
    ("overweight", "underweight"),
)


def _inflections(word: str) -> set[str]:
    forms = {word}
    if "_" in word:
        verb, rest = word.split("_", 1)
        return {f"{v}_{rest}" for v in _inflections(verb)}
    if len(word) < 3:
        return forms
    stem = word[:-1] if word.endswith("e") else word
    forms |= {word + "s", word + "es", stem + "ed", stem + "ing", word + "d", stem + "er",
              stem + "ers"}
    if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", word) and len(word) <= 5:
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stop -> stopping
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


def _build_polarity() -> dict[str, tuple[tuple[int, int], ...]]:
    table: dict[str, list[tuple[int, int]]] = {}
    for pair_id, sides in enumerate(_OPPOSITES):
        for side, words in enumerate(sides):
            for word in words.split():
                for form in _inflections(word):
                    entry = table.setdefault(form, [])
                    if (pair_id, side) not in entry:
                        entry.append((pair_id, side))
    # irregular forms
    for form, base in (("sold", "sell"), ("bought", "buy"), ("lost", "lose"), ("won", "win"),
                       ("sent", "send"), ("lent", "lend"), ("began", "begin"),
                       ("begun", "begin"), ("better", "best"), ("worse", "worst")):
        table.setdefault(form, []).extend(table.get(base, []))
    return {k: tuple(v) for k, v in table.items()}


_POLARITY = _build_polarity()
_PARTICLES = frozenset({"on", "off", "in", "out", "up", "down"})
_PHRASE_HEADS = frozenset(
    "turn turns turned turning switch switches switched switching log logs logged logging sign "
    "signs signed signing zoom zooms zoomed zooming scroll scrolls scrolled scrolling speed "
    "speeds speeding slow slows slowing".split()
)
# content words of "X to Y" are compared; these words carry no side of the direction
_DIR_STOP = _FUNCTION_WORDS | frozenset(
    """
    convert converting conversion change changing switch switching go going get getting move
    moving transfer transferring send sending migrate migrating cast casting translate
    translating turn turning way best easiest
    """.split()
)
_DIRECTION_MARKERS = frozenset({"to", "into"})
# one-letter unit symbols spelled out, for readable reasons
_UNIT_WORDS = {"l": "liter", "m": "meter", "g": "gram", "s": "second", "h": "hour", "t": "ton"}


def _stem(word: str) -> str:
    info = _UNITS.get(word)
    if info and info[2].isalpha():
        # "cups" and "cup", "oz" and "ounces" are one unit
        return _UNIT_WORDS.get(info[2], info[2])
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class _Direction:
    pairs: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (before "to", after "to")
    polarity: dict[int, tuple[set[int], str]]  # pair id -> (sides present, an example word)


def _window(tokens: tuple[str, ...], start: int, stop: int, step: int) -> frozenset[str]:
    """Content words from ``start`` towards ``stop``, stopping at punctuation."""
    found: set[str] = set()
    i = start
    while i != stop:
        tok = tokens[i]
        if tok in _PUNCT:
            break
        if tok not in _DIR_STOP:
            found.add(_stem(tok))
        i += step
    return frozenset(found)


# a text holding none of these words has no opposite word to compare
_POLARITY_GATE = frozenset(_POLARITY) | _PHRASE_HEADS | {"left", "right"}
_PAIR_GATE = _DIRECTION_MARKERS | {"how"}


@lru_cache(maxsize=_CACHE_SIZE)
def _direction_of(text: str) -> _Direction:
    tokens = _read(text).core
    n = len(tokens)
    pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    if not _PAIR_GATE.isdisjoint(tokens):
        for i in [i for i, tok in enumerate(tokens) if tok in _DIRECTION_MARKERS]:
            if 0 < i < n - 1:
                before = _window(tokens, i - 1, max(-1, i - 4), -1)
                after = _window(tokens, i + 1, min(n, i + 4), 1)
                if before and after:
                    pairs.append((before, after))
        # "how many cups are in a liter": the unit before "in" is counted in the one after
        for i in [i for i, tok in enumerate(tokens[:-2]) if tok == "how"]:
            if tokens[i + 1] not in ("many", "much"):
                continue
            for k in range(i + 2, min(n - 1, i + 8)):
                if tokens[k] == "in":
                    before = _window(tokens, k - 1, i + 1, -1)
                    after = _window(tokens, k + 1, min(n, k + 4), 1)
                    if before and after:
                        pairs.append((before, after))
                    break
    polarity: dict[int, tuple[set[int], str]] = {}
    present = _POLARITY_GATE.intersection(tokens)
    if present:
        for i, tok in enumerate(tokens):
            if tok not in present:
                continue
            keys = [tok]
            if i + 1 < n and tokens[i + 1] in _PARTICLES and tok in _PHRASE_HEADS:
                keys.append(f"{tok}_{tokens[i + 1]}")  # "turn off", "log in"
            if tok in ("left", "right") and i >= 2 and tokens[i - 2:i] == ("on", "the"):
                keys.append(f"on_the_{tok}")
            for key in keys:
                for pair_id, side in _POLARITY.get(key, ()):
                    sides, example = polarity.get(pair_id, (set(), key))
                    sides.add(side)
                    polarity[pair_id] = (sides, example if sides != {side} else key)
    return _Direction(tuple(pairs), polarity)


def direction(query: str, candidate: str) -> str | None:
    """Veto on swapped order ("X to Y" vs "Y to X") or opposite words (import vs export)."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _direction_of(query), _direction_of(candidate)
    for q_before, q_after in q.pairs:
        for c_before, c_after in c.pairs:
            moved_right = (q_before & c_after) - q_after - c_before
            moved_left = (q_after & c_before) - q_before - c_after
            if moved_right and moved_left:
                x, y = min(moved_right), min(moved_left)
                return f"direction: '{x} to {y}' vs '{y} to {x}'"
    for pair_id, (q_sides, q_word) in q.polarity.items():
        if len(q_sides) != 1 or pair_id not in c.polarity:
            continue
        c_sides, c_word = c.polarity[pair_id]
        if len(c_sides) == 1 and c_sides != q_sides:
            return f"direction: {q_word.replace('_', ' ')!r} vs {c_word.replace('_', ' ')!r}"
    return None


# ---------------------------------------------------------------------------------------------
# format
# ---------------------------------------------------------------------------------------------

_LANGUAGES = (
    "english french spanish german italian portuguese dutch swedish norwegian danish finnish "
    "polish czech russian ukrainian greek turkish arabic hebrew hindi urdu bengali punjabi "
    "tamil chinese mandarin cantonese japanese korean vietnamese thai indonesian malay "
    "tagalog swahili latin"
).split()
_AFTER_PREP = r"(?:(?<=\bin )|(?<=\busing )|(?<=\bwith ))"
# (category, value, trigger words, pattern). A rule is tried only on a text holding one of its
# trigger words, which keeps the guard to a few regex searches per question. Categories are
# compared only when both questions set them. "form" holds the shape and the length of the
# answer: "in one sentence" and "in bullet points" are two answers to one question.
_FORMAT_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("form", "table", "table tabular",
     r"(?:as|in|into) (?:a |an )?(?:markdown |html )?table|table format|tabular|"
     r"in table form"),
    ("form", "list", "bullet bulleted bullets list checklist numbered",
     r"bullet(?:ed)?(?:[- ]?points?)?(?: list)?|bullets|numbered list|(?:as|in|into) (?:a )?"
     r"list|check ?list"),
    ("form", "paragraph", "paragraph paragraphs prose",
     r"(?:a|one|single|two|three|short|long) paragraphs?|in paragraphs|in prose|as prose"),
    ("form", "poem", "poem poems verse", r"poems?|in verse"),
    ("form", "haiku", "haiku haikus", r"haikus?"),
    ("form", "limerick", "limerick limericks", r"limericks?"),
    ("form", "sonnet", "sonnet sonnets", r"sonnets?"),
    ("form", "free verse", "verse", r"free verse"),
    ("form", "song", "song songs lyrics rap", r"songs?|lyrics|rap"),
    ("form", "story", "story stories fable fables tale tales",
     r"stor(?:y|ies)|fables?|fairy tales?"),
    ("form", "essay", "essay essays", r"essays?"),
    ("form", "tweet", "tweet tweets", r"tweets?"),
    ("form", "blog post", "blog", r"blog posts?"),
    ("form", "linkedin post", "linkedin", r"linkedin posts?"),
    ("form", "email", "email emails mail mails", r"e-?mails?(?! address)"),
    ("form", "text message", "message messages sms text",
     r"text messages?|sms|(?<=a )text(?= to| for)"),
    ("form", "letter", "letter letters", r"letters?(?! [a-z]\b)"),
    ("form", "note", "note notes", r"(?:thank[- ]you |short )?notes?(?= to| for)"),
    ("form", "speech", "speech speeches", r"speech(?:es)?"),
    ("form", "toast", "toast toasts", r"wedding toast|toasts?(?= for| to|$|\.)"),
    ("form", "joke", "joke jokes", r"jokes?"),
    ("form", "riddle", "riddle riddles", r"riddles?"),
    ("form", "quote", "quote quotes quotation", r"quotes?|quotation"),
    ("form", "multiple choice", "multiple", r"multiple[- ]choice"),
    ("form", "true/false", "true", r"true[/ ](?:or )?false"),
    ("form", "ascii art", "ascii", r"ascii (?:art|drawing)"),
    ("form", "emoji", "emoji emojis", r"emojis?"),
    ("form", "diagram", "diagram diagrams flowchart flowcharts", r"diagrams?|flowcharts?"),
    ("form", "outline", "outline", r"outline"),
    ("form", "code", "code", r"code (?:example|snippet|sample)s?|with code|in code"),
    ("form", "analogy", "analogy analogies metaphor", r"analog(?:y|ies)|metaphor"),
    ("form", "travel guide", "guide", r"travel guide"),
    ("form", "dialogue", "dialogue dialogues conversation",
     r"dialogues?|conversation between"),
    ("form", "short", "brief briefly short concise concisely sentence sentences line liner tl "
                      "nutshell quick just only explanation few",
     r"brief(?:ly)?|short(?! stor| term|-term| ribs| hair| circuit)|concise(?:ly)?|"
     r"in (?:one|a single|1|two|2|a|three|3) (?:sentence|line|word)s?|"
     r"(?:one|two|three|1|2|3)[- ]sentence|one[- ]liner|tl;?dr|in a nutshell|"
     r"(?:real|really|super) quick|quick (?:summary|explanation|answer|overview|rundown)|"
     r"just (?:give me )?the (?:number|answer|result)|answer only|no explanation|"
     r"in (?:a few|few) words"),
    ("form", "long", "detail detailed depth comprehensive comprehensively thorough thoroughly "
                     "step long lengthy extensive extensively chapter work elaborate",
     r"in (?:full |great |more |much |as much |)(?:technical )?detail|detailed|in[- ]depth|"
     r"comprehensive(?:ly)?|thorough(?:ly)?|step[- ]by[- ]step|lengthy|extensive(?:ly)?|"
     r"long(?=,| (?:\w+ )?(?:letter|essay|answer|explanation|version|post|story|paragraph))|"
     r"chapter[- ]by[- ]chapter|show (?:your|the|all) work|elaborate"),
    ("data", "json", "json", r"json"),
    ("data", "xml", "xml", r"xml"),
    ("data", "yaml", "yaml yml", r"ya?ml"),
    ("data", "csv", "csv", r"csv"),
    ("data", "markdown", "markdown md", r"markdown|(?<=in )md"),
    ("data", "html", "html", r"html"),
    ("data", "plain text", "plain", r"plain text"),
    ("data", "latex", "latex", r"latex"),
    # "a children's story" is a genre, "for children" an audience
    ("genre", "horror", "horror scary creepy", r"horror|scary|creepy"),
    ("genre", "children", "children's kids kid bedtime",
     r"children'?s (?:story|book|poem|song)|bedtime stor(?:y|ies)|kids'? (?:story|book|poem|"
     r"song)"),
    ("genre", "science fiction", "sci science", r"sci[- ]?fi|science fiction"),
    ("genre", "fantasy", "fantasy", r"fantasy"),
    ("genre", "romance", "romance romantic love", r"romance|romantic|love (?:story|song|poem)"),
    ("genre", "mystery", "mystery detective", r"mystery|detective"),
    ("genre", "comedy", "comedy comedic", r"comedy|comedic"),
    ("audience", "simple", "five 5 kid kids child children children's toddler eli old "
                           "kindergarten beginner beginners novice novices newbie newbies non "
                           "nontechnical layman lay simple plain simply dummies intuitive "
                           "intuitively everyday real",
     r"like i'?m (?:five|5|a (?:kid|child|toddler))|eli5|(?:to|for) (?:a |an )?(?:\d|one|two|"
     r"three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]years?[- ]old|"
     r"child|children(?!'?s (?:story|stories|book|poem|song))|"
     r"kids?(?!'? (?:story|book|poem|song))|"
     r"kindergart\w*|beginners?|novices?|newbies?|non-?technical|layman|"
     r"lay (?:person|audience)|simple (?:terms|english|words|language)|plain (?:english|"
     r"language|words)|(?:very |super )?simply|dummies|intuitive(?:ly)?|everyday (?:examples|"
     r"language|terms)|real[- ](?:life|world) examples"),
    ("audience", "expert", "expert experts phd ph professionals developer developers engineer "
                           "engineers economist economists scientist scientists physicist "
                           "physicists mathematician mathematicians senior advanced technical "
                           "academic rigorous rigorously formal graduate university math maths "
                           "equations formulas mathematical mathematically exam",
     r"experts?|phd|ph\.d|professionals|(?:experienced |senior )?developers?|engineers?|"
     r"economists?|scientists?|physicists?|mathematicians?|senior|advanced|technical "
     r"(?:detail|terms|depth|audience|language)|academic|rigorous(?:ly)?|formal (?:definition|"
     r"proof)|graduate[- ]level|university[- ]level|(?:using|with) (?:math|maths|equations|"
     r"formulas)|mathematical(?:ly)?|\w+ exam"),
    ("tone", "formal", "formal formally professional serious seriously respectful",
     r"formal(?:ly)?(?! definition| proof)|professional tone|professional(?= way| manner| "
     r"email| letter)|serious(?:ly)?|respectful"),
    ("tone", "casual", "casual casually informal informally friendly relaxed conversational",
     r"casual(?:ly)?|informal(?:ly)?|friendly tone|relaxed|conversational"),
    ("tone", "funny", "funny humorous humourous humorously hilarious playful witty silly "
                      "sarcastic",
     r"funny|humou?rous(?:ly)?|hilarious|playful|witty|silly|sarcastic"),
    ("tone", "heartfelt", "sentimental heartfelt emotional touching",
     r"sentimental|heartfelt|emotional|touching"),
    ("tone", "positive", "positive upbeat enthusiastic glowing",
     r"(?:positive|upbeat|enthusiastic|glowing) (?:tone|review|way|note)"),
    ("tone", "negative", "negative critical harsh scathing",
     r"(?:negative|critical|harsh|scathing) (?:tone|review|way|note)"),
    ("units", "metric", "metric grams celsius",
     r"metric(?: units| system| measurements)?|in grams|in celsius"),
    ("units", "us", "imperial us cups ounces fahrenheit",
     r"imperial(?: units)?|us (?:cups|units|customary|measurements)|in cups|in ounces|"
     r"in fahrenheit"),
    ("code", "python", "python py", r"python|py"),
    ("code", "javascript", "javascript js node nodejs", r"javascript|js|node\.?js"),
    ("code", "typescript", "typescript ts", r"typescript|ts"),
    ("code", "java", "java", r"java"),
    ("code", "kotlin", "kotlin", r"kotlin"),
    ("code", "swift", "swift", r"swift"),
    ("code", "c++", "c cpp", r"c\+\+|cpp"),
    ("code", "c#", "c csharp", r"c#|csharp"),
    ("code", "c", "c", _AFTER_PREP + r"c"),
    ("code", "go", "golang go",
     r"golang|go(?= (?:program|function|code|script|module))|(?<=\bin )go(?=\?|$| code)"),
    ("code", "rust", "rust", r"rust"),
    ("code", "ruby", "ruby", r"ruby"),
    ("code", "php", "php", r"php"),
    ("code", "perl", "perl", r"perl"),
    ("code", "scala", "scala", r"scala"),
    ("code", "haskell", "haskell", r"haskell"),
    ("code", "bash", "bash shell zsh", r"bash|shell script|zsh"),
    ("code", "powershell", "powershell", r"powershell"),
    ("code", "sql", "sql t", r"sql(?! server)|t-sql"),
    ("code", "r", "r", _AFTER_PREP + r"r(?!')"),
    ("code", "matlab", "matlab", r"matlab"),
    ("code", "dart", "dart", r"dart"),
    ("code", "lua", "lua", r"lua"),
    *(("language", lang, lang, rf"(?:in|into|to) {lang}") for lang in _LANGUAGES),
)


def _compile_rules(
    rules: Iterable[tuple[str, str, str, str]],
) -> tuple[tuple[tuple[str, str, re.Pattern[str]], ...], dict[str, tuple[int, ...]]]:
    """Compile (category, value, triggers, pattern) rules and index them by trigger word."""
    compiled: list[tuple[str, str, re.Pattern[str]]] = []
    index: dict[str, list[int]] = {}
    for k, (category, value, triggers, pattern) in enumerate(rules):
        # a cue is a whole word or phrase: "java" is not in "javascript", "c" not in "c++"
        compiled.append((category, value, re.compile(rf"(?<!\w)(?:{pattern})(?![\w+#])")))
        for word in triggers.split():
            index.setdefault(word, []).append(k)
    return tuple(compiled), {w: tuple(ks) for w, ks in index.items()}


_FORMAT_COMPILED, _FORMAT_INDEX = _compile_rules(_FORMAT_RULES)


def _triggered(words: frozenset[str], index: dict[str, tuple[int, ...]]) -> list[int]:
    """The rules whose trigger words occur, in rule order."""
    found: set[int] = set()
    for word in words:
        hit = index.get(word)
        if hit:
            found.update(hit)
    return sorted(found)


@lru_cache(maxsize=_CACHE_SIZE)
def _format_of(text: str) -> dict[str, dict[str, str]]:
    """Category -> value -> the words that asked for it."""
    t = _read(text)
    found: dict[str, dict[str, str]] = {}
    for k in _triggered(t.words, _FORMAT_INDEX):
        category, value, pattern = _FORMAT_COMPILED[k]
        m = pattern.search(t.low)
        if m:
            found.setdefault(category, {}).setdefault(value, m.group(0))
    return found


def output_format(query: str, candidate: str) -> str | None:
    """Veto when the questions ask for a different form, language, audience, length or tone."""
    query, candidate = query[:MAX_CHARS], candidate[:MAX_CHARS]
    q, c = _format_of(query), _format_of(candidate)
    if not q and not c:
        return None
    for category, q_values in q.items():
        c_values = c.get(category)
        if not c_values:
            # an answer in another language is wrong even if the other question named none
            if category == "language" and set(q_values) - {"english"}:
                return f"format: {next(iter(q_values.values()))!r} only in the new question"
            continue
        only_q = [v for v in q_values if v not in c_values]
        only_c = [v for v in c_values if v not in q_values]
        if only_q and only_c:
            return f"format: {q_values[only_q[0]]!r} vs {c_values[only_c[0]]!r}"
    for category, c_values in c.items():
        if category == "language" and category not in q and set(c_values) - {"english"}:
            return f"format: {next(iter(c_values.values()))!r} only in the cached question"
    return None


# ---------------------------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------------------------

_MONTHS = {m: m for m in ("january february march april june july august september october "
                          "november december").split()}
_MONTHS.update({"jan": "january", "feb": "february", "apr": "april", "jun": "june",
                "jul": "july", "aug": "august", "sept": "september", "oct": "october",
                "nov": "november"})
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_PERIODS = "week|weekend|month|year|season|summer|winter|spring|fall|autumn|quarter|decade|" \
           "century|night|morning|afternoon|evening|semester|term|" + "|".join(_DAYS)
_DIGIT = "#digit"  # the trigger word of rules that need a digit
# (kind, "", trigger words, pattern); "relative" is split into past / future / this by its
# first word, and "now" marks the present, which a question that names no time also means
_TIME_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("now", "", "now today today's current currently nowadays these moment latest newest "
                "recent presently present",
     r"(?:right )?now|today'?s?|current(?:ly)?|nowadays|these days|at the moment|latest|"
     r"newest|most recent|presently|at present"),
    ("relative", "", "this last next past previous coming upcoming",
     rf"(?:this|last|next|past|previous|coming|upcoming) (?:{_PERIODS})s?"),
    ("past", "", "yesterday yesterday's", r"yesterday'?s?|day before yesterday"),
    ("future", "", "tomorrow tomorrow's", r"tomorrow'?s?|day after tomorrow"),
    ("this", "", "tonight tonight's", r"tonight'?s?"),
    ("past", "", "ago", r"(?:\w+|a|one) (?:days?|weeks?|months?|years?|seasons?|decades?|"
                        r"centuries) ago"),
    ("event", "", "next last previous upcoming", r"(?:next|last|previous|upcoming)(?= \w)"),
    ("year", "", _DIGIT, r"1[6-9]\d\d|20\d\d"),
    ("decade", "", _DIGIT, r"(?:1[5-9]|20)\d0s|'?[2-9]0s"),
    ("era", "", f"middle medieval ancient renaissance victorian prehistoric stone bronze iron "
                f"cold great during after before century {_DIGIT}",
     r"middle ages|medieval|ancient (?:times|rome|greece|egypt)|renaissance|victorian|"
     r"prehistoric|stone age|bronze age|iron age|cold war|great depression|(?:during|after|"
     r"before) (?:the )?(?:world war (?:i+|1|2|one|two)|ww ?(?:i+|1|2)|second world war|"
     r"first world war|pandemic|war)|\d+(?:st|nd|rd|th) century|1[0-9]00s"),
    ("season", "", "spring springtime summer summertime winter wintertime autumn fall",
     r"spring(?:time)?|summer(?:time)?|winter(?:time)?|autumn|(?<=in )fall|(?<=this )fall|"
     r"(?<=last )fall|(?<=next )fall|(?<=the )fall"),
    ("month", "", " ".join(_MONTHS), "|".join(_MONTHS)),
    ("day", "", " ".join(d + " " + d + "s" for d in _DAYS) + " weekend weekends weekday "
                                                           "weekdays",
     "|".join(d + "s?" for d in _DAYS) + r"|weekends?|weekdays?"),
    ("holiday", "", "christmas new thanksgiving easter halloween ramadan diwali hanukkah "
                    "independence labor memorial black valentine valentine's",
     r"christmas(?: day| eve)?|new year'?s?(?: day| eve)?|thanksgiving|easter|halloween|"
     r"ramadan|diwali|hanukkah|independence day|labor day|memorial day|black friday|"
     r"valentine'?s day"),
)
# a time named in one question only vetoes when it is far from "now": a year, a decade, an
# era, yesterday, next week. "This weekend" or "in July" alone is often context, not the point
_STRONG_TIME = frozenset({"past", "future", "year", "decade", "era"})
_RELATIVE_KIND = {"this": "this", "last": "past", "past": "past", "previous": "past",
                  "next": "future", "coming": "future", "upcoming": "future"}
_TIME_COMPILED, _TIME_INDEX = _compile_rules(_TIME_RULES)


def _time_key(kind: str, words: str) -> str:
    words = words.replace("'s", "").replace("'", "")
    if kind == "month":
        return _MONTHS.get(words, words)
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


@lru_cache(maxsize=_CACHE_SIZE)
def _time_of(text: str) -> _Time:
    t = _read(text)
    words = t.words if t.core is t.tokens else frozenset(t.core)
    if _ANY_DIGIT_RE.search(t.low):
        words = words | {_DIGIT}
    rules = _triggered(words, _TIME_INDEX)
    if not rules:
        return _NO_TIME
    core = " ".join(t.core)
    marks: dict[str, tuple[str, str]] = {}
    now = ""
    taken: list[tuple[int, int]] = []
    for k in rules:
        kind, _, pattern = _TIME_COMPILED[k]
        for m in pattern.finditer(core):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            surface = m.group(0)
            if kind == "year":
                # "2000 meters", "$1999" are quantities, not years
                after = core[m.end():m.end() + 14].split()
                before = core[max(0, m.start() - 2):m.start()].strip()
                if (after and after[0] in _UNITS) or (before and before in "$€£¥"):
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


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------

#: every guard by name, in the order :func:`veto` runs them (cheapest and surest first)
GUARDS: dict[str, Guard] = {
    "negation": negation,
    "numbers": numbers,
    "entities": entities,
    "direction": direction,
    "format": output_format,
    "time": timeframe,
}


def cache_clear() -> None:
    """Forget every text read so far (the guards keep the last few thousand, by text)."""
    for reader in (_read, _negation_of, _numbers_of, _entities_of, _words_of, _direction_of,
                   _format_of, _time_of):
        reader.cache_clear()


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
