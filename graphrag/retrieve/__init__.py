"""Retrieval over the store's passages: dense vectors (:mod:`~graphrag.retrieve.vector`), BM25
(:mod:`~graphrag.retrieve.keyword`) and the graph (:mod:`~graphrag.retrieve.graph`: personalised PageRank over
the entity-passage graph, seeded where :mod:`~graphrag.retrieve.question_linking` links the question), each a
:class:`Retriever` returning ranked hits with provenance, fused by reciprocal rank in
:class:`~graphrag.retrieve.hybrid.HybridRetriever`.

A new retriever is a class with ``retrieve(question, k)`` built from shared
:class:`~graphrag.retrieve.resources.RetrievalResources`, added with :func:`register_retriever` and named in
``[retrieve] components``. GNN-RAG joins the hybrid from :mod:`graphrag.gnnrag` (a layer above this one).
"""

from graphrag.retrieve.hybrid import Component, HybridResult, HybridRetriever
from graphrag.retrieve.protocols import ExplainingRetriever, PrefetchingRetriever, ReasoningEvidence, Retriever
from graphrag.retrieve.questions import QueryEncoder, check_question
from graphrag.retrieve.registry import RETRIEVERS, make_retriever, register_retriever
from graphrag.retrieve.resources import RetrievalResources, embedder_for_store

__all__ = [
    "RETRIEVERS",
    "Component",
    "ExplainingRetriever",
    "HybridResult",
    "HybridRetriever",
    "PrefetchingRetriever",
    "QueryEncoder",
    "ReasoningEvidence",
    "RetrievalResources",
    "Retriever",
    "check_question",
    "embedder_for_store",
    "make_retriever",
    "register_retriever",
]
