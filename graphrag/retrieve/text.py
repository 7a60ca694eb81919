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


_SUFFIX = re.compile(r",\s.*$|\s+(?:n[ée]e|Jr\.?|Sr\.?)\b.*$")
_PARTICLES = frozenset(
    {"de", "da", "di", "del", "della", "du", "des", "la", "le", "van", "von", "der", "den", "bin", "ibn"}
)


def name_variants(name: str) -> list[str]:
    """Other ways a person's full name is written: without a trailing ", 1st Baron ..."/", Jr"/"née X", without
    middle names ("Frank Wright Tuttle" -> "Frank Tuttle"), with middle initials ("Frances M. Vega"), and with a
    surname particle kept ("Étienne Bernard Marie de Crécy" -> "Étienne de Crécy"). Names of two words or fewer
    give nothing more."""
    base = _SUFFIX.sub("", " ".join(name.split())).strip()
    words = base.split()
    out = [base] if base != name else []
    if len(words) >= 3 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        k = next((i for i in range(1, len(words) - 1) if words[i].lower() in _PARTICLES), len(words) - 1)
        first, middle, last = words[0], words[1:k], words[k:]
        if middle:
            out.append(" ".join([first, *last]))
            out.append(" ".join([first, *(m[0] + "." for m in middle), *last]))
    return [v for v in dict.fromkeys(out) if len(v.split()) >= 2 and v != name]


def name_keys(name: str) -> set[str]:
    """Keys a name is found under: itself, and without a trailing ``(qualifier)`` (``Dark River (2017
    film)``)."""
    keys = {surface_key(name)}
    bare = _QUALIFIER.sub("", name)
    if bare and bare != name:
        keys.add(surface_key(bare))
    keys.discard("")
    return keys
