"""Word-stem matching of an open predicate to a relation's name, for schemas without aliases.

"directed by" is the ``director`` relation, "born" (with a date) ``birthDate``, "die in" (with a place)
``deathPlace``: the predicate's content words and the relation's words share a stem, which an embedding of
two or three words often misses. Two words share a stem when they share a prefix long enough for both
("direct-ed" / "direct-or", "star" / "star-ring", "locat-ed" / "locat-ion"); a few irregular English forms are
listed ("born" -> birth, "died" -> death, "led" -> lead). When several relations match, the words of the
relation that name a kind of value decide: a date's slot says date/year, a place's says place/city/country.
"""

from __future__ import annotations

import re

_IRREGULAR = {
    "born": "birth", "bore": "birth", "died": "death", "die": "death", "dead": "death", "dies": "death",
    "led": "lead", "leads": "lead", "wrote": "write", "written": "write", "writes": "write", "sang": "sing",
    "sung": "sing", "made": "make", "built": "build", "won": "win", "taught": "teach", "began": "begin",
    "begun": "begin", "flew": "fly", "flown": "fly", "grew": "grow", "grown": "grow", "held": "hold",
    "married": "marriage", "marry": "marriage", "spoken": "speak", "spoke": "speak", "chosen": "choose",
    "found": "find",  # "found in Mexico" is where it is found; the verb of founding is written "founded"
}  # fmt: skip
_STOP = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "by", "for", "to", "from", "with", "as", "into", "is", "was", "be",
    "are", "were", "been", "has", "have", "had", "and", "or", "its", "his", "her", "their", "also", "than",
})  # fmt: skip
_DATE_WORDS = frozenset({"date", "year", "day", "decade", "century"})
_PLACE_WORDS = frozenset({"place", "location", "city", "country", "region", "state", "town", "county"})
_DATE_LABELS = frozenset({"DATE"})
_COUNT_WORDS = frozenset({"number", "count"})
_NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_WORD = re.compile(r"[a-z]+")


def content_words(phrase: str) -> list[str]:
    """The lowercase words of ``phrase`` other than articles, prepositions and auxiliaries."""
    return [w for w in _WORD.findall(phrase.casefold()) if w not in _STOP and len(w) >= 3 or w in _IRREGULAR]


def shared_stem(a: str, b: str) -> int:
    """The length of the stem two words share (0 when none): the common prefix, when it covers each word
    but for a suffix of at most four letters ("directed" / "director": 6); irregular forms first."""
    a, b = _IRREGULAR.get(a, a), _IRREGULAR.get(b, b)
    if a == b:
        return len(a)
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    if n < 4 or len(a) - n > 4 or len(b) - n > 4:
        return 0
    return n


def value_fit(relation_words: list[str], object_label: str) -> int:
    """How a relation's words fit the kind of its object: 1 when a date's (place's) relation says date
    (place), -1 when it says the other kind or the object is neither, 0 when the words say nothing."""
    if any(w in _COUNT_WORDS for w in relation_words) and object_label and object_label not in _NUMBER_LABELS:
        return -1  # "number of members" takes a number, not "Apollo 14"
    says_date = any(w in _DATE_WORDS for w in relation_words)
    says_place = any(w in _PLACE_WORDS for w in relation_words)
    if not (says_date or says_place):
        return 0
    if object_label in _DATE_LABELS:
        return 1 if says_date else -1
    if object_label in _PLACE_LABELS:
        return 1 if says_place else -1
    return -1 if object_label else 0


__all__ = ["content_words", "shared_stem", "value_fit"]
