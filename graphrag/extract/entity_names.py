"""Text normalisation for entity names: the matching key used by entity resolution and a clean display form.

Two surface forms name the same thing when their :func:`entity_key` is equal: case, whitespace, punctuation, a
possessive ``'s`` and a leading article are ignored. :func:`display_name` keeps case and inner punctuation and
only trims what never belongs to a name (a leading lowercase article, a trailing possessive, stray edge
punctuation).
"""

from __future__ import annotations

import re
import unicodedata

_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_LEADING_LOWER_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_EDGE_PUNCT = " \t\n\"'\u2018\u2019\u201c\u201d.,;:!?()[]{}-\u2013\u2014"

# Words left out when comparing names token by token (aliases, acronyms).
# fmt: off
NAME_STOPWORDS = frozenset({
    "of", "the", "and", "for", "in", "on", "at", "a", "an", "&",
    # lowercase particles inside personal names: "Ludwig van Beethoven", "Leonardo da Vinci"
    "de", "la", "le", "von", "van", "da", "di", "del", "della", "du", "des", "dos", "der", "den", "zu", "y",
    "bin", "ibn", "al", "el",
})
# fmt: on


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace into single spaces and strip the ends."""
    return " ".join(text.split())


def _strip_possessive(text: str) -> str:
    # "Holmes's" -> "Holmes", "Jesus'" -> "Jesus" (a trailing apostrophe only after an s)
    if text.endswith(("'", "\u2019")) and text[:-1].lower().endswith("s"):
        return text[:-1]
    return _POSSESSIVE.sub("", text)


def display_name(text: str) -> str:
    """A surface form cleaned for display: whitespace collapsed, edge punctuation, possessive and a lowercase
    leading article removed. Case is kept. Returns ``""`` when nothing is left."""
    s = collapse_ws(unicodedata.normalize("NFC", text)).strip(_EDGE_PUNCT)
    s = _strip_possessive(s).strip(_EDGE_PUNCT)
    s = _LEADING_LOWER_ARTICLE.sub("", s)
    return s.strip(_EDGE_PUNCT) if len(s) > 1 else s


def entity_key(text: str) -> str:
    """The matching key of a name: casefolded, punctuation-free, without possessive or leading article.

    ``"The Beatles'"``, ``"the  beatles"`` and ``"Beatles"`` share one key; ``"1,777,539"`` keys as
    ``"1777539"``.
    """
    s = collapse_ws(unicodedata.normalize("NFKC", text)).strip(_EDGE_PUNCT)
    s = _strip_possessive(s)
    s = _DIGIT_COMMA.sub("", s).casefold()
    s = _LEADING_ARTICLE.sub("", s)
    s = _NON_WORD.sub(" ", s)
    return collapse_ws(s.replace("_", " "))


def name_tokens(text: str) -> tuple[str, ...]:
    """The content words of a name's key (stopwords such as "of" and "the" left out), in order."""
    return tuple(t for t in entity_key(text).split() if t not in NAME_STOPWORDS)


def initials(text: str) -> str:
    """Initials of a name's capitalised content words: ``"International Business Machines"`` -> ``"ibm"``."""
    words = [w for w in re.split(r"[\s\-]+", collapse_ws(text)) if w]
    letters = [w[0] for w in words if w[0].isupper() and w.lower() not in NAME_STOPWORDS]
    return "".join(letters).casefold()


def looks_like_acronym(text: str) -> bool:
    """True for short all-capital tokens such as ``"IBM"``, ``"U.S."`` or ``"NASA"``."""
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper() and " " not in text.strip()


__all__ = [
    "NAME_STOPWORDS",
    "collapse_ws",
    "display_name",
    "entity_key",
    "initials",
    "looks_like_acronym",
    "name_tokens",
]
