"""graphrag.gnnrag.passages: the array scoring gives the very floats, passages and candidate order of the plain
per-passage rule it replaced, on random traces with hub entities on many candidates' paths."""

from __future__ import annotations

import random

import numpy as np

from graphrag.gnnrag.passages import MENTION_WEIGHT, PATH_ENTITY_FACTOR, TITLE_WEIGHT, ChunkProvenance
from graphrag.gnnrag.retriever import GraphRetrieval, GraphTrace
from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.types import Candidate, ReasoningPath


def reference(trace: GraphTrace, edge_rows: dict, passages: dict[str, dict[int, float]]) -> tuple[dict, dict]:
    """The module docstring's rule, one passage at a time (the code before the arrays)."""
    topics = set(trace.topic_ids)
    scores: dict[int, float] = {}
    contrib: dict[int, list[tuple[float, Candidate]]] = {}
    for cand in trace.retrieval.candidates:
        part: dict[int, float] = {}
        for edge in trace.path_edges.get(cand.entity_id, ()):
            for row in edge_rows.get(edge, ()):
                part[row] = 1.0
        for row, w in passages.get(cand.entity_id, {}).items():
            part[row] = part.get(row, 0.0) + w
        on_path: dict[int, float] = {}
        for eid in trace.path_entities.get(cand.entity_id, ()):
            if eid in topics or eid == cand.entity_id:
                continue
            for row, w in passages.get(eid, {}).items():
                on_path[row] = max(on_path.get(row, 0.0), w)
        for row, w in on_path.items():
            part[row] = part.get(row, 0.0) + PATH_ENTITY_FACTOR * w
        for row, w in part.items():
            value = cand.score * w
            if value > 0:
                scores[row] = scores.get(row, 0.0) + value
                contrib.setdefault(row, []).append((value, cand))
    return scores, {r: tuple(c for _, c in sorted(cs, key=lambda x: -x[0])) for r, cs in contrib.items()}


def random_case(seed: int) -> tuple[ChunkProvenance, GraphTrace, dict, dict]:
    rng = random.Random(seed)
    n = 60
    entities = [f"e{i}" for i in range(25)]
    passages: dict[str, dict[int, float]] = {}
    for i, e in enumerate(entities):
        size = 45 if i < 3 else rng.randint(0, 6)  # three hubs named in most passages
        rows = rng.sample(range(n), size)
        passages[e] = {r: TITLE_WEIGHT if rng.random() < 0.2 else MENTION_WEIGHT for r in rows}
    edges = [(rng.choice(entities), f"p{rng.randint(0, 3)}", rng.choice(entities)) for _ in range(30)]
    edge_rows = {edge: rng.sample(range(n), rng.randint(1, 3)) for edge in edges}
    cands = []
    for i, e in enumerate(rng.sample(entities, 12)):
        # repeated probabilities make ties that the candidate order must break
        score = rng.choice([0.3, 0.1, 0.05, 0.05, 0.0, 1.0 / 3.0])
        cands.append(Candidate(e, e.upper(), score, (ReasoningPath((e,), ()),) if i % 2 else ()))
    topics = tuple(rng.sample(entities, 2))
    trace = GraphTrace(
        GraphRetrieval(tuple(cands), (), {}),
        topics,
        {c.entity_id: tuple(rng.sample(edges, 3)) for c in cands},
        {c.entity_id: (*topics[:1], *rng.sample(entities, 5), c.entity_id) for c in cands},
    )

    def named(entity: str) -> tuple[np.ndarray, np.ndarray]:
        found = passages.get(entity, {})
        return np.asarray(list(found), dtype=np.int64), np.asarray(list(found.values()), dtype=float)

    corpus = ChunkCorpus.from_records(
        [f"c{i}" for i in range(n)], [f"d{i}" for i in range(n)], [f"T{i}" for i in range(n)],
        [f"text {i}" for i in range(n)], np.zeros((n, 4)),
    )  # fmt: skip
    return ChunkProvenance(corpus, edge_rows, named), trace, edge_rows, passages


def test_array_scores_are_the_same_floats_as_the_per_passage_rule() -> None:
    for seed in range(20):
        prov, trace, edge_rows, passages = random_case(seed)
        want_scores, want_by = reference(trace, edge_rows, passages)
        scores, by, _ = prov.score(trace)
        assert scores == want_scores  # exact: each passage adds the same products in the same order
        assert by == want_by
        hits, _ = prov.hits(trace, 10, "gnn", str.upper)
        best = sorted(want_scores, key=lambda r: (-want_scores[r], r))[:10]
        assert [h.chunk_id for h in hits] == [f"c{r}" for r in best]
        assert [h.score for h in hits] == [want_scores[r] for r in best]
        assert [h.entities for h in hits] == [tuple(dict.fromkeys(c.name for c in want_by[r]))[:5] for r in best]


def test_a_hub_on_many_paths_is_looked_up_once_per_question() -> None:
    prov, trace, _, _ = random_case(3)
    asked: list[str] = []
    lookup = prov.entity_passages

    def counting(entity: str) -> tuple[np.ndarray, np.ndarray]:
        asked.append(entity)
        return lookup(entity)

    prov.entity_passages = counting
    prov.hits(trace, 5, "gnn", str.upper)
    assert asked and len(asked) == len(set(asked))
