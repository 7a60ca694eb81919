"""Dense retrieval: the exact in-memory index, Kuzu's HNSW index, and the retriever."""

from __future__ import annotations

import numpy as np
import pytest
from engine_code import needs_index_functions

from graphrag.retrieve.corpus import ChunkCorpus, top_rows
from graphrag.retrieve.questions import QueryEncoder
from graphrag.retrieve.registry import make_retriever
from graphrag.retrieve.vector import ExactVectorIndex, KuzuVectorIndex, VectorRetriever
from graphrag.store import KuzuGraphStore


def test_exact_index_matches_brute_force_and_skips_missing_rows() -> None:
    rng = np.random.default_rng(0)
    m = rng.normal(size=(50, 8)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    m[7] = 0.0  # a chunk stored without an embedding
    q = m[3] * 0.9 + m[11] * 0.1
    q /= np.linalg.norm(q)
    got = ExactVectorIndex(m).search(q, 5)
    sims = m @ q
    sims[7] = -np.inf
    assert [r for r, _ in got] == list(np.argsort(-sims)[:5])
    assert got[0][0] == 3
    assert 7 not in [r for r, _ in ExactVectorIndex(m).search(q, 50)]
    assert ExactVectorIndex(np.zeros((0, 8), np.float32)).search(q, 3) == []


def test_top_rows_orders_and_filters() -> None:
    s = np.asarray([0.1, 0.5, 0.5, 0.0, 0.9])
    assert top_rows(s, 3) == [4, 1, 2]
    assert top_rows(s, 10, min_score=0.0) == [4, 1, 2, 0]
    assert top_rows(s, 0) == []


def test_vector_retriever_on_the_tiny_graph(tiny_resources) -> None:
    r = make_retriever("vector", tiny_resources)
    hits = r.retrieve("apple pie baked in an oven", 3)
    assert hits[0].title == "Apple pie"
    assert hits[0].retriever == "vector"
    assert hits[0].score >= hits[1].score
    assert hits[0].doc_id and hits[0].text.startswith("An apple pie")


def test_dimension_mismatch_is_a_clear_error(tiny_resources) -> None:
    from graphrag.embed import HashingEmbedder

    corpus = tiny_resources.corpus()
    with pytest.raises(ValueError, match="embedder"):
        VectorRetriever(corpus, QueryEncoder(HashingEmbedder(16)), ExactVectorIndex(corpus.embeddings))


@needs_index_functions
def test_kuzu_hnsw_index_agrees_with_the_exact_index(tiny_graph_db, tmp_path) -> None:
    import shutil

    db = tmp_path / "copy.kuzu"
    shutil.copytree(tiny_graph_db, db) if tiny_graph_db.is_dir() else shutil.copy(tiny_graph_db, db)
    with KuzuGraphStore(db) as store:
        assert store.ensure_chunk_vector_index() is True
        assert store.ensure_chunk_vector_index() is False  # already there
        corpus = ChunkCorpus.from_store(store)
        q = corpus.embeddings[corpus.titles.index("Graz")]
        kuzu_rows = [r for r, _ in KuzuVectorIndex(store, corpus).search(q, 3)]
        exact_rows = [r for r, _ in ExactVectorIndex(corpus.embeddings).search(q, 3)]
        assert kuzu_rows[0] == exact_rows[0] == corpus.titles.index("Graz")
        assert set(kuzu_rows) == set(exact_rows)
