"""Retrievers: vector, keyword, graph (GNN-RAG, zero-shot propagation) and their fusion."""
