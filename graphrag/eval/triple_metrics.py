"""Triple-extraction metrics: term normalisation, multiset matching, micro-averaged precision / recall / F1.

Two matchings, both on normalised terms:

* ``strict`` -- subject, predicate and object all equal;
* ``entity_pair`` -- subject and object equal, the predicate ignored.

Matching is on multisets: a predicted triple matches at most one gold triple and vice versa, so the number of
true positives of one sample is ``sum(min(pred[k], gold[k]) for k)``. Everything here is a pure function.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Triple3 = tuple[str, str, str]

MATCHINGS = ("strict", "entity_pair")

_DATATYPE = re.compile(r"\^\^<[^>]*>$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TRAILING_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def normalise_term(term: str) -> str:
    """Normalise an RDF term or extracted phrase for comparison.

    Steps, in order: Unicode NFKC; an RDF datatype suffix (``"5"^^<...>``) dropped; underscores to spaces;
    camelCase split (``followedBy`` -> ``followed By``); a trailing parenthesised qualifier dropped when
    something is left (DBpedia's ``Turn_Me_On_(album)``, ``17068.8 (millimetres)``); thousands separators
    removed; lowercase; quotes and other punctuation to spaces; the articles a/an/the removed; whitespace
    collapsed.
    """
    s = unicodedata.normalize("NFKC", term).strip()
    s = _DATATYPE.sub("", s)
    s = s.replace("_", " ")
    s = _CAMEL.sub(" ", s)
    stripped = _TRAILING_QUALIFIER.sub("", s)
    if stripped.strip():
        s = stripped
    s = _DIGIT_COMMA.sub("", s).casefold()
    s = _NON_WORD.sub(" ", s).replace("_", " ")
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def normalise_triple(triple: Sequence[str]) -> Triple3:
    """:func:`normalise_term` applied to each of subject, predicate and object."""
    s, p, o = triple
    return normalise_term(s), normalise_term(p), normalise_term(o)


def _key(triple: Triple3, matching: str) -> tuple[str, ...]:
    if matching == "strict":
        return triple
    if matching == "entity_pair":
        return triple[0], triple[2]
    raise ValueError(f"unknown matching {matching!r}; choose one of: {', '.join(MATCHINGS)}")


def match_count(gold: Iterable[Triple3], pred: Iterable[Triple3], matching: str = "strict") -> int:
    """Number of one-to-one matches between already-normalised ``gold`` and ``pred`` triples (multiset)."""
    g = Counter(_key(t, matching) for t in gold)
    p = Counter(_key(t, matching) for t in pred)
    return sum(min(n, g[k]) for k, n in p.items() if k in g)


@dataclass(frozen=True)
class PRF:
    """Counts of one matching, with precision, recall and F1 derived from them (0.0 when undefined)."""

    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        """``tp / n_pred``."""
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """``tp / n_gold``."""
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)

    def as_dict(self) -> dict[str, float | int]:
        """Counts and the three rates, rounded to 4 places, as plain JSON values."""
        return {
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def score_sample(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], matching: str) -> PRF:
    """Score one sample: both sides are normalised, then matched as multisets under ``matching``."""
    g = [normalise_triple(t) for t in gold]
    p = [normalise_triple(t) for t in pred]
    return PRF(match_count(g, p, matching), len(p), len(g))


def micro_average(scores: Iterable[PRF]) -> PRF:
    """Sum the counts of many samples (micro-averaging)."""
    total = PRF(0, 0, 0)
    for s in scores:
        total = total + s
    return total


__all__ = [
    "MATCHINGS",
    "PRF",
    "Triple3",
    "match_count",
    "micro_average",
    "normalise_term",
    "normalise_triple",
    "score_sample",
]
