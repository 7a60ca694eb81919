"""GraphRAG toolkit: text to a Kuzu knowledge graph, GNN-RAG and hybrid retrieval, cited answers — offline.

``from graphrag import GraphRAG`` is the one entry point for Python users (see :mod:`graphrag.api`); it is
imported on first use, so importing a lower-level module (``graphrag.types``, ``graphrag.store``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphrag.api import GraphRAG, run_spec

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("GraphRAG", "run_spec"):
        import graphrag.api

        return getattr(graphrag.api, name)
    raise AttributeError(f"module 'graphrag' has no attribute {name!r}")


__all__ = ["GraphRAG", "__version__", "run_spec"]
