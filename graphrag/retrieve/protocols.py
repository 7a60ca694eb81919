"""The retriever seam: what every retriever offers, and the optional abilities the hybrid retriever uses.

A retriever answers ``retrieve(question, k)`` with up to ``k`` ranked :class:`~graphrag.types.Hit` records.
Retrievers are built once (loading what they need from the store, see
:class:`~graphrag.retrieve.resources.RetrievalResources`) and then reused for every question. Two optional
abilities are recognised structurally: explaining (graph evidence behind the hits) and prefetching (naming the
texts to embed up front, so the hybrid embeds everything in one model call). A KG reasoner's evidence
(GNN-RAG) also carries answer candidates and reasoning paths (:class:`ReasoningEvidence`).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from graphrag.types import Candidate, Hit, ReasoningPath


@runtime_checkable
class Retriever(Protocol):
    """Ranks chunks for a question."""

    name: str

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """Up to ``k`` hits, best first, each with its score and provenance."""


@runtime_checkable
class ExplainingRetriever(Protocol):
    """A retriever that can also say why: ``evidence(question, k)`` returns an object with ``hits``, ``paths``
    (``chunk id -> ReasoningPath`` for the top hits) and ``links`` (what in the question it started from)."""

    name: str

    def retrieve(self, question: str, k: int) -> list[Hit]:
        """Ranked hits."""

    def evidence(self, question: str, k: int) -> Any:
        """Hits with their reasoning paths and links."""


@runtime_checkable
class PrefetchingRetriever(Protocol):
    """A retriever that can say up front which texts it will embed for a question, so the hybrid embeds them
    together with the question in one model call."""

    def texts_to_embed(self, question: str) -> list[str]:
        """Texts that ``retrieve(question, k)`` will pass to the shared question encoder."""


@runtime_checkable
class ReasoningEvidence(Protocol):
    """Evidence from a KG reasoner (GNN-RAG): answer candidates, their reasoning paths, seconds per stage."""

    candidates: tuple[Candidate, ...]
    kg_paths: tuple[ReasoningPath, ...]
    timings_s: dict[str, float]


__all__ = ["ExplainingRetriever", "PrefetchingRetriever", "ReasoningEvidence", "Retriever"]
