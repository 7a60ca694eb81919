"""Comparison questions over literal values: "Who was born first, A or B?", "Which film came out later, X or Y?".

A graph reasoner that spreads probability along edges cannot compare two dates. For a question with two or more
topic entities, a comparative word and a choice ("A or B", "than", "between", "out of"),
:class:`ComparisonReasoner` finds, for each topic, the relation path that best matches the question
(:class:`~graphrag.gnnrag.path_scorer.RelationPathScorer`) among those that end at a date or number node, reads
the value, and picks the topic with the smallest or largest one as the comparative asks. "older", "first",
"earlier" ask for the earliest date; "younger", "later", "last" for the latest; "more", "larger", "longer" for the
largest number and "fewer", "smaller", "shorter" for the smallest. The value paths become the reasoning paths shown
with the answer. Nothing is dataset-specific: the relations come from the KG.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from graphrag.extract.literals import parse_date, parse_number
from graphrag.gnnrag.path_scorer import RelationPathScorer
from graphrag.gnnrag.paths import PathFinder, verbalise_paths
from graphrag.gnnrag.subgraph import KGIndex, SubgraphExtractor
from graphrag.types import ReasoningPath

#: Comparatives: word -> (kind of value, -1 for the smallest / earliest, +1 for the largest / latest).
COMPARATIVES: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("first", "earlier", "earliest", "older", "oldest", "before", "sooner"), ("date", -1)),
    **dict.fromkeys(("later", "latest", "last", "younger", "youngest", "after", "newer", "recent"), ("date", 1)),
    **dict.fromkeys(("more", "most", "larger", "largest", "bigger", "higher", "longer", "taller"), ("number", 1)),
    **dict.fromkeys(("fewer", "less", "least", "smaller", "lower", "shorter"), ("number", -1)),
}
_WORD = re.compile(r"[a-z]+")
#: A comparison offers a choice: "A or B", "older than", "between A and B", "out of A and B".
_CHOICE = re.compile(r"\b(?:or|than|between|out of)\b", re.IGNORECASE)


def comparative(question: str) -> tuple[str, int] | None:
    """``(kind, direction)`` of the first comparative word of ``question``, or ``None`` (also when the question
    offers no choice: "who was the first wife of A's son" names two entities but compares nothing)."""
    if not _CHOICE.search(question):
        return None
    for word in _WORD.findall(question.lower()):
        if word in COMPARATIVES:
            return COMPARATIVES[word]
    return None


def literal_value(name: str, kind: str) -> tuple[float, ...] | None:
    """A sortable value of a node name: ``(year, month, day)`` for a date, ``(number,)`` for a number."""
    if kind == "date":
        d = parse_date(name)
        return (float(d.year), float(d.month), float(d.day)) if d is not None else None
    n = parse_number(name)
    return (n,) if n is not None else None


@dataclass(frozen=True)
class Comparison:
    """The outcome: the winning topic (KG node), each compared topic's value text, and the paths to the values."""

    winner: int
    values: dict[int, str]
    paths: tuple[ReasoningPath, ...]


class ComparisonReasoner:
    """Answers comparison questions by the literal values relation paths reach (see the module docstring).

    Args:
        index: the KG in memory.
        extractor: cuts each topic's subgraph.
        scorer: scores relation paths against the question's words.
    """

    def __init__(self, index: KGIndex, extractor: SubgraphExtractor, scorer: RelationPathScorer) -> None:
        self.index = index
        self.extractor = extractor
        self.scorer = scorer

    def compare(self, question: str, topics: Sequence[int]) -> Comparison | None:
        """The comparison ``question`` (topic mentions masked) asks over KG nodes ``topics``; ``None`` when it is
        not one, or when fewer than two topics have a value or the values tie."""
        asked = comparative(question)
        if asked is None or len(set(topics)) < 2:
            return None
        kind, direction = asked
        values: dict[int, tuple[tuple[float, ...], str]] = {}
        paths: list[ReasoningPath] = []
        for t in dict.fromkeys(int(x) for x in topics):
            found = self._value(question, t, kind)
            if found is not None:
                value, text, path = found
                values[t] = (value, text)
                paths += path
        if len(values) < 2:
            return None
        ranked = sorted(values.items(), key=lambda kv: kv[1][0], reverse=direction > 0)
        if ranked[0][1][0] == ranked[1][1][0]:
            return None
        return Comparison(ranked[0][0], {t: v[1] for t, v in values.items()}, tuple(paths))

    def _value(
        self, question: str, topic: int, kind: str
    ) -> tuple[tuple[float, ...], str, tuple[ReasoningPath, ...]] | None:
        sub = self.extractor.extract([topic])
        names = self.index.names
        best = None
        for p in self.scorer.paths(sub, question):
            if best is not None and p.score <= best[0]:
                continue
            lits = [(v, val) for v in p.ends if (val := literal_value(names[int(sub.nodes[v])], kind)) is not None]
            if lits:
                v, val = min(lits, key=lambda x: (-sum(1 for c in x[1] if c), x[1]))  # the most precise value
                best = (p.score, v, val)
        if best is None:
            return None
        _, v, val = best
        finder = PathFinder(sub, max_paths=1)
        per = verbalise_paths(finder, np.asarray([v]), lambda u: names[int(sub.nodes[u])], self.index.predicates)
        return val, names[int(sub.nodes[v])], per.get(int(v), ())


__all__ = ["COMPARATIVES", "Comparison", "ComparisonReasoner", "comparative", "literal_value"]
