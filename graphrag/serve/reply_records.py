"""``graphrag serve``'s JSON replies read back into the toolkit's own records, so a client redraws a served
answer, entity or query result with the code that draws a local one.

The server writes a record as its dataclass fields (:func:`graphrag.serve.app._plain`: tuples become lists,
values JSON has no type for become text); each function here is that step's inverse for one record, and raises
``KeyError``, ``TypeError`` or ``ValueError`` on a reply of another shape (the client turns those into one
sentence naming the server).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphrag.explore import EntityMatch, EntityPage, EntityRelation, GraphEdge, GraphNode, GraphView, Passage
from graphrag.generate.answer import AskResult
from graphrag.generate.support import Support
from graphrag.retrieve.hybrid import HybridResult
from graphrag.retrieve.question_linking import Link
from graphrag.store import QueryResult
from graphrag.types import Answer, Candidate, Citation, Entity, Hit, ReasoningPath

Plain = Mapping[str, Any]


def _strs(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def reasoning_path(d: Plain) -> ReasoningPath:
    """A :class:`ReasoningPath` from ``{"nodes": [...], "relations": [...]}``."""
    return ReasoningPath(_strs(d["nodes"]), _strs(d["relations"]))


def hit(d: Plain) -> Hit:
    """A retrieval :class:`Hit`."""
    return Hit(
        chunk_id=d["chunk_id"],
        doc_id=d["doc_id"],
        score=float(d["score"]),
        retriever=d["retriever"],
        title=d.get("title", ""),
        text=d.get("text", ""),
        entities=_strs(d.get("entities")),
        relations=tuple((str(s), str(p), str(o)) for s, p, o in d.get("relations") or ()),
    )


def candidate(d: Plain) -> Candidate:
    """A GNN-RAG answer :class:`Candidate` with its paths."""
    return Candidate(d["entity_id"], d["name"], float(d["score"]), tuple(reasoning_path(p) for p in d.get("paths", ())))


def citation(d: Plain) -> Citation:
    """A numbered source."""
    return Citation(
        number=int(d["number"]),
        chunk_id=d["chunk_id"],
        doc_id=d["doc_id"],
        title=d.get("title", ""),
        text=d.get("text", ""),
        chunk_ids=_strs(d.get("chunk_ids")),
        passages=_strs(d.get("passages")),
    )


def link(d: Any) -> Any:
    """A question :class:`~graphrag.retrieve.question_linking.Link` (a reply of another shape is kept as it is:
    pages read links by attribute only where they have one)."""
    if not isinstance(d, Mapping) or "surface" not in d:
        return d
    return Link(
        surface=str(d["surface"]),
        method=str(d.get("method", "")),
        score=float(d.get("score", 0.0)),
        entity_rows=tuple(int(i) for i in d.get("entity_rows", ())),
        chunk_rows=tuple(int(i) for i in d.get("chunk_rows", ())),
    )


def hybrid_result(d: Plain) -> HybridResult:
    """The hybrid retriever's result (``POST /retrieve``, or ``retrieval`` of an answer's record)."""
    return HybridResult(
        question=d["question"],
        hits=tuple(hit(h) for h in d["hits"]),
        per_retriever={name: tuple(hit(h) for h in hits) for name, hits in d.get("per_retriever", {}).items()},
        paths={chunk: reasoning_path(p) for chunk, p in d.get("paths", {}).items()},
        links=tuple(link(x) for x in d.get("links", ())),
        timings_s={k: float(v) for k, v in d.get("timings_s", {}).items()},
        candidates=tuple(candidate(c) for c in d.get("candidates", ())),
        kg_paths=tuple(reasoning_path(p) for p in d.get("kg_paths", ())),
    )


def answer(d: Plain) -> Answer:
    """An :class:`Answer` with its citations, paths, candidates and timings."""
    return Answer(
        question=d["question"],
        text=d["text"],
        citations=tuple(citation(c) for c in d.get("citations", ())),
        paths=tuple(reasoning_path(p) for p in d.get("paths", ())),
        candidates=tuple(candidate(c) for c in d.get("candidates", ())),
        timings_s={k: float(v) for k, v in d.get("timings_s", {}).items()},
    )


def ask_result(d: Plain) -> AskResult:
    """The :class:`AskResult` of ``POST /ask`` with ``"full": true`` (its ``record``)."""
    support = d.get("support")
    return AskResult(
        answer=answer(d["answer"]),
        sources=tuple(citation(c) for c in d.get("sources", ())),
        retrieval=hybrid_result(d["retrieval"]),
        llm=str(d.get("llm", "")),
        notes=_strs(d.get("notes")),
        gnn_checkpoint=d.get("gnn_checkpoint") or "",
        load_s=float(d.get("load_s", 0.0)),
        support=Support(**{k: float(support[k]) for k in ("score", "type_fit", "grounding", "linking")})
        if support
        else None,
        withheld=d.get("withheld") or "",
    )


def query_result(d: Plain) -> QueryResult:
    """A Cypher result (``POST /cypher``): the columns and the rows (nodes, relationships and paths stay the
    engine's dictionaries, as :func:`graphrag.explore.result_graph` reads them)."""
    return QueryResult(_strs(d["columns"]), tuple(tuple(row) for row in d["rows"]))


def entity_match(d: Plain) -> EntityMatch:
    """One entity found by a search (``GET /entities?q=``)."""
    return EntityMatch(d["id"], d["name"], d.get("type", ""), _strs(d.get("aliases")), float(d["score"]), d["matched"])


def _relation(d: Plain) -> EntityRelation:
    return EntityRelation(
        direction=d["direction"],
        predicate=d["predicate"],
        other_id=d["other_id"],
        other_name=d["other_name"],
        other_type=d.get("other_type", ""),
        chunk_id=d.get("chunk_id", ""),
        doc_id=d.get("doc_id", ""),
        source=d.get("source", ""),
        confidence=float(d.get("confidence", 1.0)),
    )


def _passage(d: Plain) -> Passage:
    return Passage(d["chunk_id"], d["doc_id"], d.get("title", ""), d["text"], int(d["position"]), _strs(d["mentions"]))


def entity_page(d: Plain) -> EntityPage:
    """An entity's page (``GET /entities/{id}``)."""
    e = d["entity"]
    return EntityPage(
        entity=Entity(e["id"], e["name"], e.get("type", ""), _strs(e.get("aliases"))),
        relations_out=tuple(_relation(r) for r in d.get("relations_out", ())),
        relations_in=tuple(_relation(r) for r in d.get("relations_in", ())),
        passages=tuple(_passage(p) for p in d.get("passages", ())),
        n_out=int(d["n_out"]),
        n_in=int(d["n_in"]),
        n_passages=int(d["n_passages"]),
    )


def graph_view(d: Plain) -> GraphView:
    """A drawable graph (``GET /entities/{id}/neighbourhood``)."""
    return GraphView(
        nodes=tuple(GraphNode(**n) for n in d.get("nodes", ())),
        edges=tuple(GraphEdge(**e) for e in d.get("edges", ())),
        truncated=bool(d.get("truncated", False)),
    )


__all__ = [
    "answer",
    "ask_result",
    "candidate",
    "citation",
    "entity_match",
    "entity_page",
    "graph_view",
    "hit",
    "hybrid_result",
    "link",
    "query_result",
    "reasoning_path",
]
