"""How well can *any* model answer a KGQA file? The Hits@1 of a perfect-relation model.

A model that always follows the right relations still has to pick one answer among the entities those relations
reach. When the gold list is a strict subset of them (MetaQA merged movies with the same title into one entity,
so "who acted in [King Kong]" reaches the casts of three films while the gold list has one), no graph signal
says which to pick; picking at random scores ``|gold ∩ reached| / |reached|`` on that question in expectation.
Summed over a file this is the **ceiling** a trained model can be held to, and the questions whose gold is not
even reachable are the floor of what it must miss.

The relations come from MetaQA's question-type files (``qa_test_qtype.txt``: ``movie_to_actor``,
``actor_to_movie_to_director`` ...): each ``a_to_b`` step follows the relation that links the two entity types,
forwards from ``movie`` and backwards to it. MetaQA's multi-hop answers never include, nor pass back through,
the topic entity.

It also checks the one thing memorising training answers could exploit: whether a question repeated across files
(same topic, same question type) has the same gold list each time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.gnnrag.kgqa_files import KGQAExample

#: The relation linking ``movie`` to each other MetaQA entity type (``tag`` and ``tags`` are the same).
METAQA_TYPE_RELATIONS = {
    "actor": "starred_actors",
    "director": "directed_by",
    "writer": "written_by",
    "genre": "has_genre",
    "year": "release_year",
    "language": "in_language",
    "tags": "has_tags",
    "tag": "has_tags",
    "imdbrating": "has_imdb_rating",
    "imdbvotes": "has_imdb_votes",
}

Step = tuple[str, bool]  # (predicate, forwards)


def relation_chain(qtype: str) -> tuple[Step, ...]:
    """``actor_to_movie_to_director`` -> ``(("starred_actors", False), ("directed_by", True))``."""
    kinds = qtype.strip().split("_to_")
    if len(kinds) < 2:
        raise ValueError(f"not a MetaQA question type: {qtype!r}")
    steps: list[Step] = []
    for a, b in zip(kinds, kinds[1:], strict=False):
        if a == "movie" and b in METAQA_TYPE_RELATIONS:
            steps.append((METAQA_TYPE_RELATIONS[b], True))
        elif b == "movie" and a in METAQA_TYPE_RELATIONS:
            steps.append((METAQA_TYPE_RELATIONS[a], False))
        else:
            raise ValueError(f"no relation links {a!r} to {b!r} (in question type {qtype!r})")
    return tuple(steps)


class Adjacency:
    """Neighbours by ``(entity, predicate, forwards)`` of a triple list; walks are remembered, so asking again
    (the ceiling, then the repeat check) costs nothing."""

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self._next: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
        for s, p, o in triples:
            self._next[(s, p, True)].add(o)
            self._next[(o, p, False)].add(s)
        self._walks: dict[tuple[str, tuple[Step, ...]], frozenset[str]] = {}

    def follow(self, start: str, chain: Sequence[Step]) -> frozenset[str]:
        """Every entity reached from ``start`` along ``chain``, never passing back through ``start``."""
        key = (start, tuple(chain))
        if key not in self._walks:
            frontier = {start}
            for pred, fwd in chain:
                frontier = set().union(*(self._next.get((e, pred, fwd), set()) for e in frontier))
                frontier.discard(start)
            self._walks[key] = frozenset(frontier)
        return self._walks[key]


@dataclass(frozen=True)
class CeilingReport:
    """The ceiling of one question file (percentages of its questions)."""

    source: str
    questions: int
    ambiguous: int  # gold a strict subset of what the right relations reach
    unreachable: int  # some gold answer is not reached at all
    expected_hits1: float  # perfect relations, random pick among what they reach
    by_qtype: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "source": self.source,
            "questions": self.questions,
            "ambiguous": self.ambiguous,
            "unreachable": self.unreachable,
            "expected_hits1": round(self.expected_hits1, 2),
            "by_qtype": self.by_qtype,
        }


def read_qtypes(path: str | Path, n_questions: int) -> list[str]:
    """A MetaQA ``qa_*_qtype.txt`` file: one question type per line, as many lines as the question file."""
    p = Path(path)
    try:
        lines = [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the question types: {exc}", path=str(p)) from None
    if len(lines) != n_questions:
        raise InputError(f"{len(lines)} question types for {n_questions} questions; the files must pair up",
                         path=str(p))
    for no, qt in enumerate(lines, 1):
        try:
            relation_chain(qt)
        except ValueError as exc:
            raise InputError(str(exc), path=str(p), line=no) from None
    return lines


def ceiling(
    adj: Adjacency, examples: Sequence[KGQAExample], qtypes: Sequence[str], *, source: str = ""
) -> CeilingReport:
    """The expected Hits@1 of a perfect-relation model that picks at random among the entities it reaches."""
    if len(examples) != len(qtypes):
        raise ValueError(f"{len(examples)} questions but {len(qtypes)} question types")
    expected = 0.0
    ambiguous = unreachable = 0
    per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # questions, expected hits, ambiguous
    for ex, qt in zip(examples, qtypes, strict=True):
        reached = adj.follow(ex.topics[0], relation_chain(qt))
        gold = set(ex.answers)
        hit = len(gold & reached) / len(reached) if reached else 0.0
        is_amb = bool(gold & reached) and gold < reached
        expected += hit
        ambiguous += is_amb
        unreachable += not gold <= reached
        row = per[qt]
        row[0] += 1
        row[1] += hit
        row[2] += is_amb
    n = len(examples)
    by_qtype = {
        qt: {"questions": int(r[0]), "expected_hits1": round(100 * r[1] / r[0], 2), "ambiguous": int(r[2])}
        for qt, r in sorted(per.items())
    }
    return CeilingReport(source, n, ambiguous, unreachable, 100 * expected / n if n else 0.0, by_qtype)


def repeated_questions(
    adj: Adjacency, groups: Sequence[tuple[Sequence[KGQAExample], Sequence[str]]]
) -> dict[str, int]:
    """Across all files: ambiguous questions asked more than once (same topic, same question type), and how many
    had the same gold list every time. If most differ, memorising training answers cannot beat the ceiling."""
    golds: dict[tuple[str, str], list[frozenset[str]]] = defaultdict(list)
    ambiguous: set[tuple[str, str]] = set()
    for examples, qtypes in groups:
        for ex, qt in zip(examples, qtypes, strict=True):
            key = (ex.topics[0], qt)
            gold = frozenset(ex.answers)
            golds[key].append(gold)
            if gold < adj.follow(ex.topics[0], relation_chain(qt)):
                ambiguous.add(key)
    repeated = [k for k in ambiguous if len(golds[k]) > 1]
    same = sum(1 for k in repeated if len(set(golds[k])) == 1)
    return {"repeated": len(repeated), "same_gold": same, "different_gold": len(repeated) - same}


def ceiling_job(
    kb: str | Path,
    questions: Sequence[str | Path],
    qtypes: Sequence[str | Path],
    *,
    fmt: str = "metaqa",
    out: str | Path | None = None,
) -> dict[str, Any]:
    """The ceiling of every question file (paired with its question-type file) over the KB's triple file, and
    the repeated-question check across all of them; written as JSON to ``out`` when given."""
    from graphrag.gnnrag.kgqa_files import load_metaqa
    from graphrag.importers.triple_files import parse_triples, read_file_bytes

    if len(questions) != len(qtypes):
        raise InputError(f"{len(questions)} --questions but {len(qtypes)} --qtypes; give one --qtypes per file")
    table = parse_triples(read_file_bytes(kb), path=str(kb), fmt=fmt).table
    adj = Adjacency(zip(*(table.column(c).to_pylist() for c in ("subject", "predicate", "object")), strict=True))
    groups = []
    reports = []
    for qpath, tpath in zip(questions, qtypes, strict=True):
        examples = load_metaqa(qpath)
        types = read_qtypes(tpath, len(examples))
        groups.append((examples, types))
        reports.append(ceiling(adj, examples, types, source=str(qpath)))
    result = {"files": [r.as_dict() for r in reports], "repeated": repeated_questions(adj, groups)}
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(result, indent=2))
    return result


__all__ = [
    "METAQA_TYPE_RELATIONS",
    "ceiling_job",
    "Adjacency",
    "CeilingReport",
    "ceiling",
    "read_qtypes",
    "relation_chain",
    "repeated_questions",
]
