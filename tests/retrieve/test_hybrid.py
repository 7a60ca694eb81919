"""The hybrid retriever: components by name, fusion, evidence, timings and question checks."""

from __future__ import annotations

import pytest

from graphrag.config import RetrieveConfig
from graphrag.errors import ConfigError, InputError, UnknownBackendError
from graphrag.retrieve.hybrid import Component, HybridRetriever
from graphrag.retrieve.questions import check_question
from graphrag.retrieve.registry import RETRIEVERS, make_retriever, register_retriever
from graphrag.types import Hit

QUESTION = "Where was the director of film Our Emden born?"


def test_from_config_fuses_the_named_components(tiny_resources) -> None:
    h = HybridRetriever.from_config(tiny_resources)
    assert [c.name for c in h.components] == ["bm25", "vector", "graph-context"]
    res = h.run(QUESTION, 3, explain=True)
    assert [x.title for x in res.hits[:2]] == ["Our Emden", "Louis Ralph"]
    assert res.hits[0].retriever.startswith("hybrid:")
    assert set(res.per_retriever) == {"bm25", "vector", "graph-context"}
    assert {"embed", "bm25", "vector", "graph-context", "fusion"} <= set(res.timings_s)
    assert [lk.surface for lk in res.links] == ["Our Emden"]
    assert set(res.paths) <= {x.chunk_id for x in res.hits} and res.paths
    assert h.retrieve(QUESTION, 2) == list(res.hits[:2])


def test_unknown_entity_still_gets_keyword_and_vector_hits(tiny_resources) -> None:
    res = HybridRetriever.from_config(tiny_resources).run("Who baked the Zorblax apple pie?", 3, explain=True)
    assert res.links == ()
    assert res.per_retriever["graph-context"] == ()
    assert res.hits[0].title == "Apple pie"


def test_questions_are_checked() -> None:
    assert check_question("  hi  ", max_chars=10) == "hi"
    with pytest.raises(InputError, match="empty"):
        check_question("   ", max_chars=10)
    with pytest.raises(InputError, match="10,000 characters"):
        check_question("x" * 10_000, max_chars=2000)


def test_hybrid_refuses_bad_questions_before_retrieving(tiny_resources) -> None:
    h = HybridRetriever.from_config(tiny_resources)
    with pytest.raises(InputError):
        h.retrieve("", 3)
    with pytest.raises(InputError):
        h.retrieve("why " * 2500, 3)


def test_components_must_be_named_uniquely_and_exist(tiny_resources) -> None:
    bm25 = make_retriever("bm25", tiny_resources)
    with pytest.raises(ConfigError):
        HybridRetriever([])
    with pytest.raises(ConfigError):
        HybridRetriever([Component("a", bm25), Component("a", bm25)])
    with pytest.raises(UnknownBackendError, match="bm25"):
        HybridRetriever.from_config(tiny_resources, RetrieveConfig(components={"nope": 1.0}))


class _Constant:
    """A stand-in for another graph retriever (e.g. GNN-RAG) plugged in by name."""

    name = "constant"

    def __init__(self, corpus) -> None:
        self.corpus = corpus

    def retrieve(self, question: str, k: int) -> list[Hit]:
        return [self.corpus.hit(self.corpus.titles.index("Graz"), 1.0, self.name)][:k]


def test_another_retriever_can_be_registered_and_weighted(tiny_resources) -> None:
    register_retriever("constant", lambda res: _Constant(res.corpus()))
    try:
        cfg = RetrieveConfig(components={"bm25": 1.0, "constant": 10.0})
        hits = HybridRetriever.from_config(tiny_resources, cfg).retrieve(QUESTION, 3)
        assert hits[0].title == "Graz" and "constant" in hits[0].retriever
    finally:
        del RETRIEVERS["constant"]


class _CountingEmbedder:
    """Wraps an embedder and counts model calls."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.calls = inner, inner.name, inner.dim, 0

    def embed(self, texts):
        self.calls += 1
        return self.inner.embed(texts)


def test_the_question_and_link_contexts_are_embedded_in_one_call(tiny_store) -> None:
    from graphrag.embed import HashingEmbedder
    from graphrag.retrieve.resources import RetrievalResources

    counting = _CountingEmbedder(HashingEmbedder(384))
    h = HybridRetriever.from_config(RetrievalResources(tiny_store, counting))
    h.retrieve(QUESTION, 3)
    assert counting.calls == 1
    h.retrieve("When did Lothair II's mother die?", 3)
    assert counting.calls == 2


def test_a_question_asked_again_skips_the_model_within_the_configured_cache(tiny_store) -> None:
    from graphrag.config import RetrieveConfig
    from graphrag.embed import HashingEmbedder
    from graphrag.retrieve.resources import RetrievalResources

    counting = _CountingEmbedder(HashingEmbedder(384))
    h = HybridRetriever.from_config(RetrievalResources(tiny_store, counting))
    first = h.run(QUESTION, 3)
    h.run("When did Lothair II's mother die?", 3)
    again = h.run(QUESTION, 3)
    assert counting.calls == 2 and [x.chunk_id for x in again.hits] == [x.chunk_id for x in first.hits]
    small = _CountingEmbedder(HashingEmbedder(384))
    bounded = HybridRetriever.from_config(RetrievalResources(tiny_store, small, RetrieveConfig(query_cache_size=1)))
    assert bounded.encoder is not None and bounded.encoder.cache_size == 1
    for question in (QUESTION, "When did Lothair II's mother die?", QUESTION):
        bounded.run(question, 3)
    assert small.calls == 3 and len(bounded.encoder._cache) <= 4  # one entry, or one question's texts


def test_texts_embedded_elsewhere_give_the_same_result_and_no_model_call(tiny_store) -> None:
    """A server embeds a question's texts outside the retriever (unembedded_texts, then remember_embeddings):
    run then calls the model for nothing and returns exactly what it returns embedding them itself."""
    from graphrag.retrieve.resources import RetrievalResources, embedder_for_store

    embedder = embedder_for_store(tiny_store)
    itself = HybridRetriever.from_config(RetrievalResources(tiny_store, embedder)).run(QUESTION, 3, explain=True)

    calls: list[list[str]] = []

    class Counting:
        name, dim = embedder.name, embedder.dim

        def embed(self, texts):  # noqa: ANN001, ANN202 - the Embedder protocol
            calls.append(list(texts))
            return embedder.embed(texts)

    h = HybridRetriever.from_config(RetrievalResources(tiny_store, Counting()))
    texts = h.unembedded_texts("  " + QUESTION + " ")
    assert texts[0] == QUESTION and len(texts) == len(set(texts)) > 1  # the question, the names, the sentences
    h.remember_embeddings(texts, embedder.embed(texts))
    assert h.unembedded_texts(QUESTION) == []
    res = h.run(QUESTION, 3, explain=True)
    assert calls == []
    assert res.hits == itself.hits and res.per_retriever == itself.per_retriever and res.links == itself.links
    with pytest.raises(InputError):
        h.unembedded_texts("")


def test_remembered_vectors_never_replace_embedded_ones_and_the_cache_stays_bounded() -> None:
    import numpy as np

    from graphrag.embed import HashingEmbedder
    from graphrag.retrieve.questions import QueryEncoder

    enc = QueryEncoder(HashingEmbedder(8), cache_size=3)
    first = enc.encode("a").copy()
    enc.remember(["a", "b"], np.ones((2, 8), dtype=np.float32))
    np.testing.assert_array_equal(enc.encode("a"), first)  # kept its own vector
    np.testing.assert_array_equal(enc.encode("b"), np.ones(8, dtype=np.float32))
    assert enc.missing(["a", "c", "c", "b", "d"]) == ["c", "d"]
    enc.remember(["c", "d", "e"], np.zeros((3, 8), dtype=np.float32))
    assert len(enc._cache) == 3 and enc.missing(["c", "d", "e"]) == []
    with pytest.raises(ValueError, match="2 texts but 1 vectors"):
        enc.remember(["x", "y"], np.zeros((1, 8), dtype=np.float32))
