"""How well the evidence supports an answer: one score in [0, 1], the same for every answerer, under which the
answer is withheld ("Not found in the documents") and the closest evidence shown instead.

Three signals, each cheap (no model, no parse):

* **type fit**: the answer is of the kind the question asks for (a date for "when", yes/no for "is ...", one of
  the two named options for "which ... first, A or B", a name -- not a date or a number -- for "who");
* **grounding**: the cited passages contain the answer (its content words; for yes/no, that anything is cited);
* **linking**: the names the question spells appear in the passages it was given (a question about something
  the corpus never mentions cannot be answered from it, however fluent the reply).

They are combined by a logistic function whose weights were fitted on the tuning split of the 2Wiki questions
(the first 200 for the extractive reader, the first 100 for the two local models, each also asked about invented
entities) against "the answer has token F1 >= 0.5" (``python -m graphrag.eval.support_fit``; BENCHMARKS.md), so
the score reads as an estimated chance that the answer is right. Even a typed, grounded, linked answer is right
only about 58 % of the time there, so scores stay at or under ~0.5; the default threshold
(``[answer] min_support = 0.2``) withheld 3.1 % of the answerable answers of the tuning split, none of the right
ones, and every answer about an invented entity: it withholds an answer about nothing the passages name, or one
that is both of the wrong type and in no cited passage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from graphrag.extract.entity_names import entity_key
from graphrag.extract.literals import literal_key
from graphrag.generate.question_shape import question_names, question_shape, words

#: Logistic weights (intercept, type fit, grounding, linking), from ``python -m graphrag.eval.support_fit``.
WEIGHTS = (-3.72, 0.669, 1.356, 1.73)

_YES_NO = ("yes", "no")
_NUMBER_WORDS = frozenset(
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
     "thirty", "hundred", "thousand", "million")
)  # fmt: skip


@dataclass(frozen=True)
class Support:
    """The support score and the signals it was computed from (each in [0, 1])."""

    score: float
    type_fit: float
    grounding: float
    linking: float

    def as_dict(self) -> dict[str, float]:
        """The four numbers, rounded, for JSON."""
        return {k: round(v, 4) for k, v in vars(self).items()}


def support_features(
    question: str, answer: str, cited_texts: Sequence[str], given_texts: Sequence[str]
) -> tuple[float, float, float]:
    """(type fit, grounding, linking) of ``answer`` to ``question``; ``cited_texts`` are the passages the
    answer cites, ``given_texts`` every passage (and title) the answerer was shown."""
    shape = question_shape(question)
    return (
        type_fit(shape.answer_type, shape.options, answer),
        grounding(answer, cited_texts, yes_no=shape.answer_type == "yesno"),
        linking(question, given_texts),
    )


def support(
    question: str,
    answer: str,
    cited_texts: Sequence[str],
    given_texts: Sequence[str],
    *,
    weights: Sequence[float] = WEIGHTS,
) -> Support:
    """The :class:`Support` of ``answer`` (see the module notes)."""
    feats = support_features(question, answer, cited_texts, given_texts)
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], feats, strict=True))
    return Support(1.0 / (1.0 + math.exp(-z)), *feats)


def type_fit(answer_type: str, options: Sequence[str], answer: str) -> float:
    """1 when ``answer`` is of the expected type, 0 when it is plainly not, 0.5 when it cannot be told."""
    a = answer.strip().casefold().strip(" .")
    literal = literal_key(answer.strip()) or ""
    has_digit = bool(re.search(r"\d", answer))
    if answer_type == "yesno":
        return 1.0 if a in _YES_NO else 0.0
    if answer_type == "choice":
        keys = [entity_key(o) for o in options]
        key = entity_key(answer)
        return 1.0 if any(key and (key == k or key in k or k in key) for k in keys) else 0.0
    if answer_type == "date":
        return 1.0 if literal.startswith("date:") or re.search(r"\b\d{3,4}\b", answer) else 0.0
    if answer_type == "number":
        return 1.0 if has_digit or set(a.split()) & _NUMBER_WORDS else 0.0
    if answer_type in ("person", "place", "country", "organization", "work"):
        if a in _YES_NO or literal.startswith("date:") or re.fullmatch(r"[\d\s.,]+", a):
            return 0.0
        return 1.0 if any(c.isupper() for c in answer[:1]) or " " in a else 0.5
    return 0.5


def grounding(answer: str, cited_texts: Sequence[str], *, yes_no: bool = False) -> float:
    """The share of the answer's content words found in the cited passages (for yes/no: whether any passage
    is cited at all)."""
    if not cited_texts:
        return 0.0
    if yes_no:
        return 1.0
    wanted = words(answer) or {w.casefold() for w in re.findall(r"\w+", answer)}
    if not wanted:
        return 0.0
    have = set().union(*(words(t) for t in cited_texts))
    return len(wanted & have) / len(wanted)


def linking(question: str, given_texts: Sequence[str]) -> float:
    """The share of the names ``question`` spells that some given passage (or title) mentions; 1 when it
    spells none."""
    names = question_names(question)
    if not names:
        return 1.0
    haystack = " ".join(f" {entity_key(t)} " for t in given_texts)
    return sum(1 for n in names if f" {entity_key(n)} " in haystack) / len(names)


__all__ = ["WEIGHTS", "Support", "grounding", "linking", "support", "support_features", "type_fit"]
