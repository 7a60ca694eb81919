"""Triple-extraction metrics: term normalisation, multiset matching, micro-averaged precision / recall / F1.

Two matchings, both on normalised terms:

* ``strict`` -- subject, predicate and object all equal;
* ``entity_pair`` -- subject and object equal, the predicate ignored.

Literals compare by value (``literals=True``, the default): a number with up to two lowercase unit words after
it ("98 minutes", "17068.8 (millimetres)", "1,777,539") is its value, and a date in any form
:func:`graphrag.extract.literals.parse_date` reads ("October 13, 1964", "1964-10-13") is its ISO form, because a
knowledge graph stores typed values and gold sets write them one way. ``literals=False`` compares the surface
forms only (the metric before 2026-12-04).

Matching is on multisets: a predicted triple matches at most one gold triple and vice versa, so the number of
true positives of one sample is ``sum(min(pred[k], gold[k]) for k)``. Everything here is a pure function.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from graphrag.extract.literals import parse_date

Triple3 = tuple[str, str, str]

MATCHINGS = ("strict", "entity_pair")

_DATATYPE = re.compile(r"\^\^<[^>]*>$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TRAILING_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_NUMBER_WITH_UNIT = re.compile(
    r"^[$£€]?(?P<num>[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\.?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?:\s*[°%][A-Za-z]*|\s+[a-z][a-z.]*(?:\s+[a-z]+)?)?$"  # "98 minutes", "5 %", "12 °C"; not "1990s"
)
_SCALE = {None: 1, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def literal_value(term: str) -> str | None:
    """The value a literal term names: a number (times its scale word, unit words after it dropped) as its
    shortest decimal form ("$5.5 million" -> 5500000), a date as ISO; ``None`` for anything else
    ("1147 Stavropolis", "Shenzhou 10", "1990s")."""
    s = _DATATYPE.sub("", unicodedata.normalize("NFKC", term).strip()).strip().strip("\"'").replace("_", " ")
    s = _TRAILING_QUALIFIER.sub("", s).strip() or s
    m = _NUMBER_WITH_UNIT.match(s)
    if m is not None:
        value = Decimal(m.group("num").replace(",", "").replace("−", "-")) * _SCALE[m.group("scale")]
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    date = parse_date(s)
    return date.iso() if date is not None else None


def normalise_term(term: str, *, literals: bool = True) -> str:
    """Normalise an RDF term or extracted phrase for comparison.

    With ``literals``, a number or date is first replaced by its value (:func:`literal_value`).

    Steps, in order: Unicode NFKC; an RDF datatype suffix (``"5"^^<...>``) dropped; underscores to spaces;
    camelCase split (``followedBy`` -> ``followed By``); a trailing parenthesised qualifier dropped when
    something is left (DBpedia's ``Turn_Me_On_(album)``, ``17068.8 (millimetres)``); accents removed ("São" ->
    "sao"); thousands separators removed; lowercase; quotes and other punctuation to spaces; the articles
    a/an/the removed; whitespace collapsed.
    """
    value = literal_value(term) if literals else None
    s = unicodedata.normalize("NFKC", value if value is not None else term).strip()
    s = _DATATYPE.sub("", s)
    s = s.replace("_", " ")
    s = _CAMEL.sub(" ", s)
    stripped = _TRAILING_QUALIFIER.sub("", s)
    if stripped.strip():
        s = stripped
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))  # São -> Sao
    s = _DIGIT_COMMA.sub("", s).casefold()
    s = _NON_WORD.sub(" ", s).replace("_", " ")
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def normalise_triple(triple: Sequence[str], *, literals: bool = True) -> Triple3:
    """:func:`normalise_term` applied to each of subject, predicate and object."""
    s, p, o = triple
    return normalise_term(s, literals=literals), normalise_term(p, literals=False), normalise_term(o, literals=literals)


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


def score_sample(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], matching: str, *, literals: bool = True
) -> PRF:
    """Score one sample: both sides are normalised, then matched as multisets under ``matching``."""
    g = [normalise_triple(t, literals=literals) for t in gold]
    p = [normalise_triple(t, literals=literals) for t in pred]
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
    "literal_value",
    "normalise_term",
    "normalise_triple",
    "score_sample",
]
