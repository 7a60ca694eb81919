"""Retrievers by name: the registry the hybrid retriever, the benchmarks and the config draw from.

Each entry builds one retriever from shared :class:`~graphrag.retrieve.resources.RetrievalResources`. The
retrievers are imported only when built, so naming one costs nothing. Packages above this one add their own
retrievers to a copy of the registry (GNN-RAG adds ``gnn``, see :func:`graphrag.gnnrag.hybrid_retriever`);
:func:`register_retriever` adds one for the whole process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from graphrag.errors import UnknownBackendError
from graphrag.retrieve.protocols import Retriever
from graphrag.retrieve.resources import RetrievalResources

RetrieverFactory = Callable[[RetrievalResources], Retriever]


def _vector(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.vector import ExactVectorIndex, VectorRetriever

    return VectorRetriever(res.corpus(), res.encoder(), ExactVectorIndex(res.corpus().embeddings))


def _vector_kuzu(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.vector import KuzuVectorIndex, VectorRetriever

    return VectorRetriever(
        res.corpus(), res.encoder(), KuzuVectorIndex(res.store, res.corpus()), name="vector-kuzu"
    )


def _bm25(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.keyword import BM25Retriever

    return BM25Retriever(res.corpus())


def _fts_kuzu(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.keyword import KuzuFTSRetriever

    return KuzuFTSRetriever(res.store, res.corpus())


def _graph(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.graph import GraphRetriever

    cfg = res.config
    return GraphRetriever(res.graph(), res.linker(), damping=cfg.ppr_damping, iterations=cfg.ppr_iterations)


def _graph_context(res: RetrievalResources) -> Retriever:
    from graphrag.retrieve.graph import GraphRetriever
    from graphrag.retrieve.link_context import LinkContextWeigher

    cfg = res.config
    weigher = LinkContextWeigher(
        res.corpus(),
        res.encoder(),
        matcher=res.title_matcher(),
        beta=cfg.context_beta,
        window_words=cfg.context_window_words,
    )
    return GraphRetriever(
        res.graph(),
        res.linker(),
        damping=cfg.ppr_damping,
        iterations=cfg.ppr_iterations,
        context=weigher,
        name="graph-context",
    )


RETRIEVERS: dict[str, RetrieverFactory] = {
    "vector": _vector,
    "vector-kuzu": _vector_kuzu,
    "bm25": _bm25,
    "fts-kuzu": _fts_kuzu,
    "graph": _graph,
    "graph-context": _graph_context,
}


def register_retriever(name: str, factory: RetrieverFactory) -> None:
    """Add a retriever (e.g. the GNN-RAG one) under ``name`` so hybrids and the CLI can use it by name."""
    RETRIEVERS[name] = factory


def make_retriever(
    name: str, resources: RetrievalResources, *, registry: Mapping[str, RetrieverFactory] | None = None
) -> Retriever:
    """Build the retriever registered as ``name`` in ``registry`` (default :data:`RETRIEVERS`) from
    ``resources``."""
    factories = RETRIEVERS if registry is None else registry
    try:
        factory = factories[name]
    except KeyError:
        raise UnknownBackendError("retriever", name, list(factories)) from None
    return factory(resources)


__all__ = ["RETRIEVERS", "RetrieverFactory", "make_retriever", "register_retriever"]
