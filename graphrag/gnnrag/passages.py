"""The passages behind GNN-RAG's answer candidates, for KGs extracted from text.

A passage scores, for each candidate ``c`` with probability ``p_c``,

``p_c * (1 [it states an edge of c's paths] + w(c) + 0.5 * max w(e on c's paths))``

where ``w`` is how the passage names an entity (1 for the passage titled with its name, 0.25 for a mention; the
question's own entities do not count, the other retrievers of the hybrid find their passages already). The
GNN component (:mod:`graphrag.gnnrag.component`) turns the best passages into hits fused with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from graphrag.types import Candidate, Hit, ReasoningPath

if TYPE_CHECKING:
    from graphrag.gnnrag.retriever import GraphTrace
    from graphrag.retrieve.corpus import ChunkCorpus
    from graphrag.retrieve.resources import RetrievalResources

TITLE_WEIGHT = 1.0
MENTION_WEIGHT = 0.25
PATH_ENTITY_FACTOR = 0.5


#: Passage rows and the weight with which each names an entity (1-d arrays of equal length; rows distinct).
PassageWeights = tuple[np.ndarray, np.ndarray]


class ChunkProvenance:
    """Which passages state a KG edge, and which name an entity (the module docstring gives the scoring).

    Args:
        corpus: the passages.
        edge_rows: ``(head id, predicate, tail id) -> passage rows`` the triple was extracted from.
        entity_passages: ``entity id -> (passage rows, weights)``, each row once (empty arrays for an entity no
            passage names).

    Scoring runs on arrays over all passages, one candidate at a time, so a hub entity on many candidates'
    paths (a country named in thousands of passages) costs a few vector operations instead of a Python loop
    per passage: 90 of a question's 225 ms went there on the 2Wiki store before. Each passage's sum still
    adds the candidates' shares in candidate order, so the scores are the same floats.
    """

    def __init__(
        self,
        corpus: ChunkCorpus,
        edge_rows: Mapping[tuple[str, str, str], Sequence[int]],
        entity_passages: Callable[[str], PassageWeights],
    ) -> None:
        self.corpus = corpus
        self.edge_rows = edge_rows
        self.entity_passages = entity_passages

    @classmethod
    def from_resources(cls, resources: RetrievalResources) -> ChunkProvenance | None:
        """Read relation provenance and the entity-passage graph; ``None`` when the store has no passages."""
        corpus = resources.corpus()
        if len(corpus) == 0:
            return None
        rel = resources.store.retrieval_relations()
        edge_rows: dict[tuple[str, str, str], list[int]] = {}
        cols = (rel.column(k).to_pylist() for k in ("subject", "predicate", "object", "chunk_id"))
        for s, p, o, cid in zip(*cols, strict=True):
            row = corpus.row_of.get(cid or "")
            if row is not None:
                rows = edge_rows.setdefault((s, p or "", o), [])
                if row not in rows:
                    rows.append(row)
        by_entity = resources.graph().chunk_entity.tocsc()  # mention edges weigh 1, title edges the most
        top = float(by_entity.data.max()) if by_entity.nnz else 1.0
        weights = np.where(by_entity.data >= top, TITLE_WEIGHT, MENTION_WEIGHT)
        row_of = resources.entities().row_of
        none = (np.zeros(0, np.int64), np.zeros(0))

        def entity_passages(eid: str) -> PassageWeights:
            erow = row_of.get(eid)
            if erow is None:
                return none
            lo, hi = by_entity.indptr[erow], by_entity.indptr[erow + 1]
            return by_entity.indices[lo:hi].astype(np.int64), weights[lo:hi]

        return cls(corpus, edge_rows, entity_passages)

    def _shares(
        self, trace: GraphTrace
    ) -> tuple[np.ndarray, list[tuple[Candidate, np.ndarray, np.ndarray]], dict[int, dict[tuple[str, str, str], None]]]:
        """Every passage's score (an array over the corpus); per candidate, the passage rows it adds to and what
        it adds; and passage row -> the path edges it states."""
        topics = set(trace.topic_ids)
        n = len(self.corpus)
        scores = np.zeros(n)
        shares: list[tuple[Candidate, np.ndarray, np.ndarray]] = []
        stated: dict[int, dict[tuple[str, str, str], None]] = {}
        named: dict[str, PassageWeights] = {}  # hub entities sit on many candidates' paths: look each up once

        def passages(eid: str) -> PassageWeights:
            if eid not in named:
                named[eid] = self.entity_passages(eid)
            return named[eid]

        for cand in trace.retrieval.candidates:
            part = np.zeros(n)
            for edge in trace.path_edges.get(cand.entity_id, ()):
                for row in self.edge_rows.get(edge, ()):
                    part[row] = 1.0
                    stated.setdefault(row, {})[edge] = None
            rows, w = passages(cand.entity_id)
            part[rows] += w
            on_path = np.zeros(n)
            for eid in trace.path_entities.get(cand.entity_id, ()):
                if eid in topics or eid == cand.entity_id:
                    continue
                rows, w = passages(eid)
                on_path[rows] = np.maximum(on_path[rows], w)
            touched = on_path > 0
            part[touched] += PATH_ENTITY_FACTOR * on_path[touched]
            rows = np.flatnonzero(part)
            value = cand.score * part[rows]
            keep = value > 0
            rows, value = rows[keep], value[keep]
            scores[rows] += value
            shares.append((cand, rows, value))
        return scores, shares, stated

    def score(
        self, trace: GraphTrace
    ) -> tuple[dict[int, float], dict[int, tuple[Candidate, ...]], dict[int, tuple[tuple[str, str, str], ...]]]:
        """Passage row -> score; passage row -> the candidates behind it, strongest first; and passage row ->
        the path edges ``(head id, predicate, tail id)`` it states."""
        scores, shares, stated = self._shares(trace)
        rows = np.flatnonzero(scores).tolist()
        behind = _behind(rows, shares, len(self.corpus))
        return (
            {r: float(scores[r]) for r in rows},
            behind,
            {r: tuple(edges) for r, edges in stated.items()},
        )

    def hits(
        self, trace: GraphTrace, k: int, name: str, name_of: Callable[[str], str]
    ) -> tuple[tuple[Hit, ...], dict[str, ReasoningPath]]:
        """The ``k`` best passages as hits (with the candidates they name and the path facts they state, by
        entity name via ``name_of``), and the reasoning path of the strongest candidate behind each."""
        scores, shares, stated = self._shares(trace)
        scored = np.flatnonzero(scores)
        order = np.lexsort((scored, -scores[scored]))  # best first, ties by row
        rows = scored[order][: max(k, 0)].tolist()
        by = _behind(rows, shares, len(self.corpus))
        hits: list[Hit] = []
        paths: dict[str, ReasoningPath] = {}
        for row in rows:
            cands = by[row]
            names = tuple(dict.fromkeys(c.name for c in cands))[:5]
            facts = tuple((name_of(h), p, name_of(t)) for h, p, t in stated.get(row, {}))[:5]
            hits.append(self.corpus.hit(row, scores[row], name, entities=names, relations=facts))
            first = next((c.paths[0] for c in cands if c.paths), None)
            if first is not None:
                paths[self.corpus.ids[row]] = first
        return tuple(hits), paths


def _behind(
    rows: Sequence[int], shares: Sequence[tuple[Candidate, np.ndarray, np.ndarray]], n: int
) -> dict[int, tuple[Candidate, ...]]:
    """For each of ``rows``, the candidates that added to it, the largest share first (ties in candidate
    order)."""
    slot = np.full(n, -1, dtype=np.int64)
    slot[np.asarray(rows, dtype=np.int64)] = np.arange(len(rows))
    found: list[list[tuple[float, Candidate]]] = [[] for _ in rows]
    for cand, cand_rows, value in shares:
        at = slot[cand_rows]
        for i, v in zip(at[at >= 0].tolist(), value[at >= 0].tolist(), strict=True):
            found[i].append((v, cand))
    return {r: tuple(c for _, c in sorted(f, key=lambda x: -x[0])) for r, f in zip(rows, found, strict=True)}


__all__ = ["MENTION_WEIGHT", "PATH_ENTITY_FACTOR", "TITLE_WEIGHT", "ChunkProvenance", "PassageWeights"]
