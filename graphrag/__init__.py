"""GraphRAG toolkit: text to a Kuzu knowledge graph, GNN-RAG and hybrid retrieval, cited answers — offline."""

__version__ = "0.1.0"
