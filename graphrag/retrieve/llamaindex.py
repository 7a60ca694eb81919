"""Any retriever of this toolkit as a llama-index ``BaseRetriever``, to drop into existing query engines.

Example::

    from graphrag.retrieve.llamaindex import LlamaIndexRetriever
    from llama_index.core.query_engine import RetrieverQueryEngine

    engine = RetrieverQueryEngine.from_args(LlamaIndexRetriever(hybrid, top_k=5), llm=my_llm)

Each hit becomes a ``NodeWithScore`` whose ``TextNode`` has the chunk id as its id, the passage text, and
metadata ``doc_id``, ``title``, ``retriever``, ``entities`` and ``relations`` (provenance survives the
hand-over).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from graphrag.types import Hit

if TYPE_CHECKING:
    from graphrag.retrieve.protocols import Retriever


def hit_to_node(hit: Hit) -> NodeWithScore:
    """One hit as a scored llama-index text node."""
    node = TextNode(
        id_=hit.chunk_id,
        text=hit.text,
        metadata={
            "doc_id": hit.doc_id,
            "title": hit.title,
            "retriever": hit.retriever,
            "entities": list(hit.entities),
            "relations": [list(r) for r in hit.relations],
        },
        excluded_embed_metadata_keys=["doc_id", "retriever", "entities", "relations"],
        excluded_llm_metadata_keys=["doc_id", "retriever", "entities", "relations"],
    )
    return NodeWithScore(node=node, score=float(hit.score))


class LlamaIndexRetriever(BaseRetriever):
    """Adapts a :class:`graphrag.retrieve.protocols.Retriever` (e.g. the hybrid one) to llama-index.

    Args:
        retriever: the retriever to wrap (built once; reused for every query).
        top_k: hits per query.
        kwargs: passed to ``BaseRetriever`` (``callback_manager``, ``verbose`` ...).
    """

    def __init__(self, retriever: Retriever, *, top_k: int = 5, **kwargs: Any) -> None:
        if top_k <= 0:
            raise ValueError(f"top_k must be positive, got {top_k}")
        self._inner = retriever
        self._top_k = top_k
        super().__init__(**kwargs)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [hit_to_node(h) for h in self._inner.retrieve(query_bundle.query_str, self._top_k)]
