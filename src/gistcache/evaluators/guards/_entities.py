"""The entities guard: a name in one question replaced by another name in the other."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from ._data import strings, table, words
from ._text import CACHE_SIZE, MAX_CHARS, function_words, near, read, strip_accents

__all__ = ["entities"]


@dataclass(frozen=True, slots=True)
class _Lists:
    # technology, product and service names recognised in any case ("python", "numpy", "iphone")
    known_names: frozenset[str]
    # names that are also common words ("react", "rust", "windows", "excel", "spring"): names
    # when capitalised, or in lower case next to another technology name
    cased_names: frozenset[str]
    model_words: frozenset[str]  # words that continue a product name ("macbook air", "pixel 8 pro")
    # places recognised in lower case too; ambiguous common words (turkey, chad, georgia, nice,
    # reading, mobile, ...) are not listed: capitalised, they are still names
    places: frozenset[str]
    # surface form -> canonical name: abbreviations, acronyms and alternative names of one thing
    aliases: dict[str, str]
    alias_forms: dict[str, tuple[str, ...]]  # canonical name -> its other spellings
    token_aliases: dict[str, str]  # single tokens standing for a longer word inside a name
    not_names: frozenset[str]  # capitalised words that are not names: "I", "Hello", "Thanks"
    abbrev_dot: frozenset[str]  # a full stop after these does not end a sentence
    joiners: frozenset[str]  # "of" in "Bank of America"
    name_gate: frozenset[str]  # a lower-case text without any of these names nothing listed
    listed: frozenset[str]
    place_first_words: frozenset[str]  # of places of two or more words ("new" of "new york")


def _alias_forms(aliases: dict[str, str]) -> dict[str, tuple[str, ...]]:
    forms: dict[str, tuple[str, ...]] = {}
    for surface, canon in aliases.items():
        forms[canon] = (*forms.get(canon, ()), surface)
    return forms


@cache
def _lists() -> _Lists:
    known = words("entities", "known_names")
    cased = words("entities", "cased_names")
    places = words("entities", "places") | words("entities", "places_of_two_or_more_words")
    aliases: dict[str, str] = table("entities", "aliases")
    return _Lists(
        known_names=known,
        cased_names=cased,
        model_words=words("entities", "model_words"),
        places=places,
        aliases=aliases,
        alias_forms=_alias_forms(aliases),
        token_aliases=table("entities", "token_aliases"),
        not_names=words("entities", "not_names"),
        abbrev_dot=words("entities", "abbreviations_with_dot"),
        joiners=frozenset(strings("entities", "joiners")),
        name_gate=known | frozenset(p.split()[0] for p in places),
        listed=known | cased | places,
        place_first_words=frozenset(p.split()[0] for p in places if " " in p),
    )


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
    lists = _lists()
    cleaned = []
    for w in words:
        w = strip_accents(w.lower())
        if w.endswith("'s"):
            w = w[:-2]
        if w[:1].isalpha() and w not in ("node.js", "next.js"):
            w = w.rstrip("'").replace(".", "")
        if w:
            cleaned.append(lists.token_aliases.get(w, w))
    while len(cleaned) > 1 and cleaned[0] in ("the", "a", "an"):
        cleaned.pop(0)
    name = " ".join(cleaned)
    return lists.aliases.get(name, name)


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
        w[0].isupper() and w.lower() in function_words() and w.lower() not in ("the", "i")
        for w in alpha[1:])


@lru_cache(maxsize=CACHE_SIZE)
def _entities_of(text: str) -> _Entities:
    lists = _lists()
    t = read(text)
    # one sentence whose only capital is its first letter, and no listed name: nothing to find
    if t.raw[1:] == t.low[1:] and lists.name_gate.isdisjoint(t.words) and \
            not _INNER_STOP_RE.search(t.low, 0, len(t.low) - 1):
        return _NO_ENTITIES
    pieces = (_ASCII_NAME_TOKEN_RE if t.ascii else _NAME_TOKEN_RE).findall(t.raw)
    # "rust" is the language next to "python", and oxide in "remove rust from a bike"
    tech = not lists.known_names.isdisjoint(t.words)
    trust_case: bool | None = None  # decided when the first capitalised word is met
    mentions: list[_Mention] = []
    group: list[str] = []
    group_known = False
    sentence_start = True

    def close() -> None:
        nonlocal group, group_known
        while group and group[-1].lower() in lists.joiners:
            group.pop()
        if group:
            name = _normalise_name(group)
            if name and name not in lists.not_names:
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
            sentence_start = word.lower() not in lists.abbrev_dot and "." not in word
        else:
            sentence_start = False
        low = word.lower()
        if word == low:  # no capital letter (the common case): a name only if listed
            if (low in lists.name_gate and
                    (low in lists.known_names or low in lists.places)) or \
                    (low in lists.cased_names and tech):
                group.append(word)
                group_known = True
            elif group and (first.isdigit() or low in lists.model_words or
                            (low in lists.joiners and low != "and")):
                group.append(word)  # "iPhone 15", "Python 3.12", "MacBook Air", "Bank of X"
            elif group:
                close()
            continue
        bare = low[:-2] if low.endswith("'s") else low
        known = (bare in lists.name_gate and
                 (bare in lists.known_names or bare in lists.places)) or \
            bare in lists.cased_names
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
        elif bare in lists.not_names:
            is_name = False
        elif word.isupper() and len(word) >= 2:
            is_name = True  # an acronym or a code, even first in a sentence ("WHO", "K2", "PS5")
        else:
            # a capitalised function word ("What", "The") is not a name; the first word of a
            # sentence is one only with a capital inside it ("iPhone", "GitHub") or if listed
            is_name = known or (bare not in function_words() and (
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
    if not lists.place_first_words.isdisjoint(t.words):
        for a, b in pairwise(t.tokens):
            if a in lists.place_first_words and f"{a} {b}" in lists.places:
                pair = f"{a} {b}"
                canon = lists.aliases.get(pair, pair)
                if not any(m.name == canon for m in mentions):
                    mentions.append(_Mention(canon, pair, True))
    # a lower-case place inside a two-word place is not a second place
    multi = [m.name for m in mentions if " " in m.name]
    kept = tuple(m for m in mentions
                 if not any(m.name != n and m.name in n.split() for n in multi))
    return _Entities(kept, frozenset(m.name for m in kept))


@lru_cache(maxsize=CACHE_SIZE)
def _words_of(text: str) -> _Words:
    t = read(text)
    low = strip_accents(t.low)
    name_re = _ASCII_NAME_TOKEN_RE if t.ascii else _NAME_TOKEN_RE
    words = [w.rstrip(".").replace("'s", "") for w in name_re.findall(low) if w[0].isalnum()]
    joined = " " + " ".join(w.replace(".", "") for w in words) + " "
    initials = "".join(w[0] for w in words if w[0].isalpha() and w not in function_words())
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
    return (len(short) >= 4 and long_.startswith(short)) or near(x, y)


def _mention_matched(m: _Mention, other: _Entities, other_text: str) -> bool:
    """True when ``m`` is also named in the other question, in any accepted spelling."""
    lists = _lists()
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
        if all(_same_word(x, y, both_listed and x in lists.listed and y in lists.listed)
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
    if any(f" {s} " in words.joined for s in lists.alias_forms.get(name, ())):
        return True
    # an acronym whose words are spelled out in lower case ("SSN" vs "social security number")
    if len(tokens) == 1 and 3 <= len(name) <= 5 and name.isalpha() and name in words.initials:
        return True
    # a name spelled out whose initials are a word of the other question ("WHO")
    if len(tokens) > 1 and _initials(tokens) in words.words:
        return True
    # a misspelt name on the other side that was not recognised as a name ("javscript")
    return len(tokens) == 1 and any(near(name, w) for w in words.words if w not in lists.listed)


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


def cache_clear() -> None:
    """Forget the texts read so far."""
    _entities_of.cache_clear()
    _words_of.cache_clear()
