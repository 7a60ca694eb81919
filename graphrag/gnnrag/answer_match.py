"""Gold answers as graph nodes: by normalised name, by alias, and by literal value (dates, numbers).

Training on question-answer pairs needs to know which KG nodes the answer strings are. :class:`AnswerMatcher`
indexes every entity's name and aliases under a normalised key (case-folded, punctuation and a leading article
dropped, so "The Beatles" = "beatles"), and every name that reads as a date or number under its value ("5 March
1920" = "1920-03-05" = "March 5, 1920"). An answer matches the nodes of the first tier that finds any: exact
name, normalised name or alias, literal value, and for a full date the nodes that give only its year or month
(a graph built from text often states just "in 1920").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphrag.extract.literals import literal_key, parse_date

_PUNCT = re.compile(r"[^\w\s]")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def answer_key(text: str) -> str:
    """Case-folded words of ``text`` without punctuation or a leading article."""
    words = " ".join(_PUNCT.sub(" ", text.casefold()).split())
    return _ARTICLE.sub("", words)


class AnswerMatcher:
    """Finds the KG nodes an answer string names.

    Args:
        names: entity name of each node (node index = position).
        aliases: other names of each node, aligned with ``names`` (``None``: no aliases).
    """

    def __init__(self, names: Sequence[str], aliases: Sequence[Sequence[str]] | None = None) -> None:
        self._exact: dict[str, list[int]] = {}
        self._key: dict[str, list[int]] = {}
        self._literal: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            self._exact.setdefault(" ".join(name.split()), []).append(i)
            for text in (name, *(aliases[i] if aliases is not None else ())):
                key = answer_key(text)
                if key:
                    self._key.setdefault(key, []).append(i)
                lit = literal_key(text)
                if lit is not None:
                    self._literal.setdefault(lit, []).append(i)

    def match(self, answer: str) -> list[int]:
        """Node indices of ``answer`` (ascending; empty when the graph does not hold it)."""
        tiers = [
            self._exact.get(" ".join(answer.split())),
            self._key.get(answer_key(answer)),
            self._literal.get(literal_key(answer) or ""),
        ]
        date = parse_date(answer)
        if date is not None and date.month:
            tiers.append(self._literal.get(f"date:{date._replace(day=0).iso()}") if date.day else None)
            tiers.append(self._literal.get(f"date:{date._replace(month=0, day=0).iso()}"))
        for nodes in tiers:
            if nodes:
                return sorted(set(nodes))
        return []

    def match_all(self, answers: Sequence[str]) -> list[int]:
        """Node indices of any of ``answers``."""
        return sorted({n for a in answers for n in self.match(a)})


__all__ = ["AnswerMatcher", "answer_key"]
