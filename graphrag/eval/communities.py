"""``graphrag eval communities``: are the communities meaningful, and do global answers cover what they should?

* **modularity** of the top level (from the build report);
* **purity** against a labelling predicate (``--label-predicate has_genre`` on MetaQA): within each community
  (top level; finest level), the share of labelled entities that carry the community's most common label, over
  all labelled entities, beside the same measure with the community sizes kept and members shuffled (chance);
* **gold passages together** (2Wiki, ``--gold-titles``): for each question, the share of its pairs of gold
  passages whose topic entities (``ABOUT``) share a community (finest and top level), averaged, beside chance;
* **global questions** (``--questions``, a JSON list of ``{question, expected}``): the share of each question's
  expected key entities named in the global answer, and how many communities it cites.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.store import queries as Q
from graphrag.store.community_tables import read_communities
from graphrag.store.graph_store import GraphStore


@dataclass(frozen=True)
class GlobalQuestion:
    """A question about a whole corpus and the key entities its answer should name."""

    question: str
    expected: tuple[str, ...]


def load_global_questions(path: str | Path) -> list[GlobalQuestion]:
    """``[{question, expected: [...]}, ...]`` from a JSON file; a bad entry is an error naming it."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read global questions: {exc}", path=str(p)) from None
    if not isinstance(data, list) or not data:
        raise InputError("expected a non-empty JSON list of {question, expected}", path=str(p))
    out = []
    for i, item in enumerate(data, 1):
        ok = isinstance(item, dict) and isinstance(item.get("question"), str) and isinstance(item.get("expected"), list)
        if not ok or not all(isinstance(e, str) for e in item["expected"]) or not item["expected"]:
            raise InputError(f"entry {i} needs a 'question' string and a non-empty 'expected' list", path=str(p))
        out.append(GlobalQuestion(item["question"], tuple(item["expected"])))
    return out


def coverage(expected: Sequence[str], named: Sequence[str], text: str) -> float:
    """Share of ``expected`` named (case-insensitively) among the answer's entities or in its text."""
    names = {n.casefold() for n in named}
    low = text.casefold()
    hit = sum(1 for e in expected if e.casefold() in names or e.casefold() in low)
    return hit / len(expected)


def score_global(questions: Sequence[GlobalQuestion], answer: Callable[[str], Any]) -> dict[str, Any]:
    """Ask each question with ``answer`` (a :class:`~graphrag.communities.global_search.GlobalAnswer` maker) and
    score coverage and citations."""
    rows = []
    for q in questions:
        a = answer(q.question)
        cov = coverage(q.expected, [n for n, _ in a.entities], a.text)
        rows.append(
            {
                "question": q.question,
                "coverage": round(cov, 3),
                "communities_cited": len(a.communities),
                "facet": a.facet,
                "missing": [e for e in q.expected if coverage([e], [n for n, _ in a.entities], a.text) == 0],
                "answer": a.text,
            }
        )
    return {
        "questions": rows,
        "mean_coverage": round(sum(r["coverage"] for r in rows) / len(rows), 3),
        "min_coverage": min(r["coverage"] for r in rows),
        "min_cited": min(r["communities_cited"] for r in rows),
    }


def _membership(store: GraphStore, finest: bool) -> dict[str, str]:
    """Entity id -> its community at level 0 (or at the deepest level that holds it)."""
    stored, members = read_communities(store, reports=False)
    out: dict[str, tuple[int, str]] = {}
    for c in stored:
        for e in members.get(c.id, ()):
            if e not in out or (finest and c.level > out[e][0]) or (not finest and c.level < out[e][0]):
                out[e] = (c.level, c.id)
    return {e: cid for e, (_, cid) in out.items()}


def _shuffled(assign: dict[str, str], seed: int) -> dict[str, str]:
    keys = sorted(assign)
    values = [assign[k] for k in keys]
    random.Random(seed).shuffle(values)
    return dict(zip(keys, values, strict=True))


def purity(store: GraphStore, predicate: str, *, seed: int = 0) -> dict[str, Any]:
    """Purity of the communities (top level, and the finest level holding each entity) against the objects of
    ``predicate`` (an entity's label is its most frequent object), with the chance level of the same sizes."""
    rows = store.execute(Q.ENTITY_LABELS, {"predicate": predicate}).to_pylist()
    labels: dict[str, Counter[str]] = {}
    for r in rows:
        labels.setdefault(r["entity"], Counter())[r["label"]] += 1
    label = {e: c.most_common(1)[0][0] for e, c in labels.items()}

    def score(a: dict[str, str]) -> float:
        groups: dict[str, Counter[str]] = {}
        for e, c in a.items():
            groups.setdefault(c, Counter())[label[e]] += 1
        total = sum(sum(g.values()) for g in groups.values())
        return sum(g.most_common(1)[0][1] for g in groups.values()) / total if total else 0.0

    out: dict[str, Any] = {"predicate": predicate}
    for name, finest in (("top", False), ("finest", True)):
        assign = {e: c for e, c in _membership(store, finest=finest).items() if e in label}
        out[name] = {
            "labelled_entities": len(assign),
            "purity": round(score(assign), 4),
            "chance": round(score(_shuffled(assign, seed)), 4),
        }
    return out


def gold_together(store: GraphStore, gold_titles: dict[str, list[str]], *, seed: int = 0) -> dict[str, Any]:
    """For each question with two or more gold passages in the store, the share of its pairs of gold passages
    whose topic entities (``ABOUT``) share a community, averaged over questions; at the finest level that holds
    each entity and at the top level, each beside chance (the same community sizes, members shuffled)."""
    import itertools

    topics: dict[str, set[str]] = {}
    for r in store.execute(Q.DOCUMENT_TOPICS).to_pylist():
        topics.setdefault(r["title"], set()).add(r["entity"])
    found = [[t for t in dict.fromkeys(titles) if t in topics] for titles in gold_titles.values()]
    found = [f for f in found if len(f) >= 2]

    def score(a: dict[str, str]) -> float:
        shares = []
        for titles in found:
            groups = [{a[e] for e in topics[t] if e in a} for t in titles]
            pairs = list(itertools.combinations(groups, 2))
            shares.append(sum(1 for x, y in pairs if x & y) / len(pairs))
        return sum(shares) / len(shares) if shares else 0.0

    out: dict[str, Any] = {"questions": len(found)}
    for name, finest in (("finest", True), ("top", False)):
        assign = _membership(store, finest=finest)
        out[name] = {"pairs_together": round(score(assign), 4), "chance": round(score(_shuffled(assign, seed)), 4)}
    return out


__all__ = ["GlobalQuestion", "coverage", "gold_together", "load_global_questions", "purity", "score_global"]
