"""What must match exactly: identifiers and non-text parts are compared as strings, never by
embedding.

Ticket and order IDs, SKUs, hashes, error codes, versions, URLs, file paths, code spans, and the
digests that stand for images, audio and files in the key text (see
:func:`gistcache.processors.message_text`): a candidate whose set of these differs from the
request's is refused, however similar the rest. These are shapes of strings, not word lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .._types import CacheRequest, Candidate
from ._base import ACCEPT, Evaluator, Verdict

__all__ = ["IdentifierEvaluator", "identifiers", "identifiers_differ"]

_PATTERNS = (
    r"<[a-z_]+:[0-9a-f]{16,}>",  # a non-text part's digest
    r"`[^`\n]{1,200}`",  # a code span
    r"\b[a-z][a-z0-9+.-]*://[^\s<>\"']+",  # a URL
    r"(?:^|(?<=\s))(?:~|\.{1,2})?(?:/[\w.@-]+){2,}/?",  # a POSIX path
    r"\b[a-z]:\\[^\s]+",  # a Windows path
    r"\b[\w.-]+\.(?:py|js|ts|json|ya?ml|toml|txt|csv|md|log|conf|cfg|ini|sh|go|rs|java|c|h|cpp"
    r"|html|css|sql|xml|pdf|docx?|xlsx?|png|jpe?g|zip|tar|gz|exe|dll|so)\b",  # a file name
    r"\bv?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?\b",  # a version
    r"\b0x[0-9a-f]{2,}\b",  # a hex code
    r"\b(?=[\w-]*\d)(?=[\w-]*[a-z])[a-z0-9]+(?:[-_][a-z0-9]+)*\b",  # letters and digits mixed
    r"#\d{2,}\b",  # an issue or order number
)
_IDENT = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
# mixed tokens that are words, not identifiers: ordinals, units, sizes, years with a suffix
_NOT_ID = re.compile(
    r"^(?:\d+(?:st|nd|rd|th|s|k|m|b|x|d|h|am|pm|kg|g|mg|km|cm|mm|m|ml|l|gb|mb|tb|kb|mph|kph|"
    r"hz|khz|mhz|ghz|px|pt|mp|p|fps|v|w|kw|kwh|mah)|[a-z](?:\d)?|h\d|\d+d|mp\d|[a-z]{1,3}\d)$",
    re.IGNORECASE)


@lru_cache(maxsize=1024)
def identifiers(text: str) -> frozenset[str]:
    """The identifier-like strings of a text, case-folded (trailing punctuation dropped)."""
    found = set()
    for match in _IDENT.finditer(text[:4000]):
        token = match.group(0).rstrip(".,;:!?)").casefold()
        if token and not _NOT_ID.match(token):
            found.add(token)
    return frozenset(found)


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def identifiers_differ(asked: str, stored: str) -> list[str]:
    """The identifiers one text has and the other lacks (sorted; empty when they agree).

    A code span agrees with the same characters written without backticks ("what does `git
    stash` do" and "what does git stash do" ask the same; without backticks the span's end is not
    marked, so "git stash pop" written plainly also contains it, and the words after it are the
    verifier's to judge); every other identifier must be found, as an identifier, in both.
    """
    mine, theirs = identifiers(asked), identifiers(stored)
    if mine == theirs:
        return []
    out = []
    for ident, other in [(i, stored) for i in mine - theirs] + [(i, asked) for i in theirs - mine]:
        if ident.startswith("`") and ident.endswith("`") and len(ident) > 2 \
                and _plain(ident[1:-1]) in _plain(other):
            continue
        out.append(ident)
    return sorted(out)


class IdentifierEvaluator(Evaluator):
    """Refuses a candidate whose identifiers (or non-text parts) are not the request's."""

    requires = frozenset({"key_text"})

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Compare the identifier sets of the two questions as strings."""
        differ = identifiers_differ(request.key_text, candidate.entry.key_text)
        if not differ:
            return ACCEPT
        return Verdict(False, f"identifiers differ: {', '.join(differ[:3])}")
