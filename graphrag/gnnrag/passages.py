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

from graphrag.types import Candidate, Hit, ReasoningPath

if TYPE_CHECKING:
    from graphrag.gnnrag.retriever import GraphTrace
    from graphrag.retrieve.corpus import ChunkCorpus
    from graphrag.retrieve.resources import RetrievalResources

TITLE_WEIGHT = 1.0
MENTION_WEIGHT = 0.25
PATH_ENTITY_FACTOR = 0.5


class ChunkProvenance:
    """Which passages state a KG edge, and which name an entity (the module docstring gives the scoring).

    Args:
        corpus: the passages.
        edge_rows: ``(head id, predicate, tail id) -> passage rows`` the triple was extracted from.
        entity_passages: ``entity id -> {passage row: weight}`` (``{}`` for an entity no passage names).
    """

    def __init__(
        self,
        corpus: ChunkCorpus,
        edge_rows: Mapping[tuple[str, str, str], Sequence[int]],
        entity_passages: Callable[[str], Mapping[int, float]],
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
        row_of = resources.entities().row_of

        def entity_passages(eid: str) -> dict[int, float]:
            erow = row_of.get(eid)
            if erow is None:
                return {}
            lo, hi = by_entity.indptr[erow], by_entity.indptr[erow + 1]
            return {
                int(r): TITLE_WEIGHT if w >= top else MENTION_WEIGHT
                for r, w in zip(by_entity.indices[lo:hi], by_entity.data[lo:hi], strict=True)
            }

        return cls(corpus, edge_rows, entity_passages)

    def score(
        self, trace: GraphTrace
    ) -> tuple[dict[int, float], dict[int, tuple[Candidate, ...]], dict[int, tuple[tuple[str, str, str], ...]]]:
        """Passage row -> score; passage row -> the candidates behind it, strongest first; and passage row ->
        the path edges ``(head id, predicate, tail id)`` it states."""
        topics = set(trace.topic_ids)
        scores: dict[int, float] = {}
        contrib: dict[int, list[tuple[float, Candidate]]] = {}
        stated: dict[int, dict[tuple[str, str, str], None]] = {}
        for cand in trace.retrieval.candidates:
            part: dict[int, float] = {}
            for edge in trace.path_edges.get(cand.entity_id, ()):
                for row in self.edge_rows.get(edge, ()):
                    part[row] = 1.0
                    stated.setdefault(row, {})[edge] = None
            for row, w in self.entity_passages(cand.entity_id).items():
                part[row] = part.get(row, 0.0) + w
            on_path: dict[int, float] = {}
            for eid in trace.path_entities.get(cand.entity_id, ()):
                if eid in topics or eid == cand.entity_id:
                    continue
                for row, w in self.entity_passages(eid).items():
                    on_path[row] = max(on_path.get(row, 0.0), w)
            for row, w in on_path.items():
                part[row] = part.get(row, 0.0) + PATH_ENTITY_FACTOR * w
            for row, w in part.items():
                value = cand.score * w
                if value > 0:
                    scores[row] = scores.get(row, 0.0) + value
                    contrib.setdefault(row, []).append((value, cand))
        ordered = {r: tuple(c for _, c in sorted(cs, key=lambda x: -x[0])) for r, cs in contrib.items()}
        return scores, ordered, {r: tuple(edges) for r, edges in stated.items()}

    def hits(
        self, trace: GraphTrace, k: int, name: str, name_of: Callable[[str], str]
    ) -> tuple[tuple[Hit, ...], dict[str, ReasoningPath]]:
        """The ``k`` best passages as hits (with the candidates they name and the path facts they state, by
        entity name via ``name_of``), and the reasoning path of the strongest candidate behind each."""
        scores, by, stated = self.score(trace)
        rows = sorted(scores, key=lambda r: (-scores[r], r))[:k]
        hits: list[Hit] = []
        paths: dict[str, ReasoningPath] = {}
        for row in rows:
            cands = by[row]
            names = tuple(dict.fromkeys(c.name for c in cands))[:5]
            facts = tuple((name_of(h), p, name_of(t)) for h, p, t in stated.get(row, ()))[:5]
            hits.append(self.corpus.hit(row, scores[row], name, entities=names, relations=facts))
            first = next((c.paths[0] for c in cands if c.paths), None)
            if first is not None:
                paths[self.corpus.ids[row]] = first
        return tuple(hits), paths


__all__ = ["MENTION_WEIGHT", "PATH_ENTITY_FACTOR", "TITLE_WEIGHT", "ChunkProvenance"]
