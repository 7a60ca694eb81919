"""An answer as one JSON-ready object (``graphrag ask --json``, the HTTP-free way to hand an answer on): the
answer, its citations and every source it was given, the graph evidence, GNN-RAG's candidates and reasoning
paths, the support score, notes and timings."""

from __future__ import annotations

from typing import Any

from graphrag.generate.answer import AskResult
from graphrag.types import Citation


def ask_result_dict(result: AskResult) -> dict[str, Any]:
    """An :class:`AskResult` as one JSON-ready object: answer, citations, sources, graph evidence, GNN-RAG
    candidates (with probabilities and paths) and reasoning paths, timings."""
    a = result.answer

    def cit(c: Citation) -> dict[str, Any]:
        return {
            "number": c.number,
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "text": c.text,
            "passages": [
                {"chunk_id": cid, "text": text} for cid, text in zip(c.all_chunk_ids, c.all_passages, strict=True)
            ],
        }

    return {
        "question": a.question,
        "answer": a.text,
        "llm": result.llm,
        "citations": [cit(c) for c in a.citations],
        "sources": [cit(c) for c in result.sources],
        "graph": {
            "linked": [
                {
                    "surface": getattr(link, "surface", ""),
                    "method": getattr(link, "method", ""),
                    "score": round(float(getattr(link, "score", 0.0)), 4),
                }
                for link in result.retrieval.links
            ],
            "paths": [p.verbalise() for p in a.paths],
            "hit_entities": {h.chunk_id: list(h.entities) for h in result.retrieval.hits if h.entities},
            "hit_relations": {h.chunk_id: [list(r) for r in h.relations] for h in result.retrieval.hits if h.relations},
        },
        "retrievers": {h.chunk_id: h.retriever for h in result.retrieval.hits},
        "gnn_checkpoint": result.gnn_checkpoint or None,
        "candidates": [
            {
                "name": c.name,
                "entity_id": c.entity_id,
                "probability": round(float(c.score), 6),
                "paths": [p.verbalise() for p in c.paths],
            }
            for c in a.candidates
        ],
        "reasoning_paths": [p.verbalise() for p in result.retrieval.kg_paths],
        "support": result.support.as_dict() if result.support is not None else None,
        "withheld": result.withheld or None,
        "notes": list(result.notes),
        "timings_s": {k: round(v, 4) for k, v in a.timings_s.items()},
    }


__all__ = ["ask_result_dict"]
