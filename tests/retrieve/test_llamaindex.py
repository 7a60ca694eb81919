"""The llama-index adapter."""

from __future__ import annotations

import pytest
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from graphrag.retrieve.hybrid import HybridRetriever
from graphrag.retrieve.llamaindex import LlamaIndexRetriever


def test_hybrid_retriever_as_a_llamaindex_retriever(tiny_resources) -> None:
    li = LlamaIndexRetriever(HybridRetriever.from_config(tiny_resources), top_k=2)
    assert isinstance(li, BaseRetriever)
    nodes = li.retrieve("Where was the director of film Our Emden born?")
    assert len(nodes) == 2 and all(isinstance(n, NodeWithScore) for n in nodes)
    first = nodes[0]
    assert first.node.metadata["title"] == "Our Emden"
    assert first.node.get_content().startswith("Our Emden is a 1926")
    assert first.score > nodes[1].score
    assert "Louis Ralph" in first.node.metadata["entities"]
    assert first.node.node_id == first.node.id_  # the chunk id
    again = li.retrieve(QueryBundle("Where was the director of film Our Emden born?"))
    assert [n.node.node_id for n in again] == [n.node.node_id for n in nodes]


def test_llamaindex_query_engine_uses_it(tiny_resources) -> None:
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    li = LlamaIndexRetriever(HybridRetriever.from_config(tiny_resources), top_k=2)
    engine = RetrieverQueryEngine.from_args(li, llm=MockLLM(max_tokens=4))
    response = engine.query("Where was the director of film Our Emden born?")
    assert [n.node.metadata["title"] for n in response.source_nodes] == ["Our Emden", "Louis Ralph"]


def test_top_k_must_be_positive(tiny_resources) -> None:
    with pytest.raises(ValueError):
        LlamaIndexRetriever(HybridRetriever.from_config(tiny_resources), top_k=0)
