"""Text normalisation shared by keyword search and entity linking: folding, word tokens, stop words, name
keys."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")

# Short English function words and question words; never linked on their own and not indexed by BM25.
_STOPWORD_TEXT = (
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with what which who whom whose when where why how did does do has have had were "
    "been its from than"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(text: str) -> str:
    """Lower-case with accents removed (``Bråk`` -> ``brak``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Accent-folded, lower-cased word tokens without stop words."""
    return [w for w in WORD.findall(fold(text)) if w not in STOPWORDS]


def surface_key(text: str) -> str:
    """The lookup key of a name: folded words joined by single spaces (``God'S Gift`` -> ``god s gift``)."""
    return " ".join(fold(w) for w in WORD.findall(text))


def name_keys(name: str) -> set[str]:
    """Keys a name is found under: itself, and without a trailing ``(qualifier)`` (``Dark River (2017
    film)``)."""
    keys = {surface_key(name)}
    bare = _QUALIFIER.sub("", name)
    if bare and bare != name:
        keys.add(surface_key(bare))
    keys.discard("")
    return keys
