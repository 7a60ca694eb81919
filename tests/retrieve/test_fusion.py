"""Reciprocal rank fusion and reranking as pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.fusion import DenseReranker, blend_ranks, reciprocal_rank_fusion
from graphrag.retrieve.questions import QueryEncoder
from graphrag.types import Hit


def hits(retriever: str, *ids: str, entities: tuple[str, ...] = ()) -> list[Hit]:
    return [
        Hit(
            chunk_id=i,
            doc_id=f"d{i}",
            score=1.0 / (n + 1),
            retriever=retriever,
            title=i.upper(),
            text=f"text {i}",
            entities=entities,
        )
        for n, i in enumerate(ids)
    ]


def test_rrf_scores_are_weighted_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        {"a": hits("a", "x", "y"), "b": hits("b", "y", "z")}, {"a": 1.0, "b": 2.0}, rrf_k=10
    )
    scores = {h.chunk_id: h.score for h in fused}
    assert scores["x"] == pytest.approx(1 / 11)
    assert scores["y"] == pytest.approx(1 / 12 + 2 / 11)
    assert scores["z"] == pytest.approx(2 / 12)
    assert [h.chunk_id for h in fused] == ["y", "z", "x"]


def test_agreement_beats_a_single_first_place() -> None:
    fused = reciprocal_rank_fusion({"a": hits("a", "x", "y"), "b": hits("b", "z", "y")})
    assert fused[0].chunk_id == "y"
    assert fused[0].retriever == "hybrid:a+b"


def test_ties_break_by_best_rank_then_id_and_limit_applies() -> None:
    fused = reciprocal_rank_fusion({"a": hits("a", "q", "p"), "b": hits("b", "p", "q")}, limit=1)
    assert len(fused) == 1
    assert fused[0].chunk_id == "p"  # same score, same best rank: id order


def test_zero_weight_drops_a_list_and_duplicates_count_once() -> None:
    fused = reciprocal_rank_fusion({"a": hits("a", "x", "x", "y"), "b": hits("b", "z")}, {"b": 0.0}, rrf_k=0)
    assert [h.chunk_id for h in fused] == ["x", "y"]
    assert fused[1].score == pytest.approx(1 / 3)  # y is third in its list, x counted at rank 1 only


def test_provenance_is_merged() -> None:
    a = hits("a", "x", entities=("Louis Ralph",))
    b = hits("b", "x", entities=("Graz", "Louis Ralph"))
    (fused,) = reciprocal_rank_fusion({"a": a, "b": b})
    assert fused.entities == ("Louis Ralph", "Graz")
    assert fused.title == "X" and fused.text == "text x"


def test_bad_weights_are_errors() -> None:
    with pytest.raises(ValueError, match="no hits list"):
        reciprocal_rank_fusion({"a": []}, {"b": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        reciprocal_rank_fusion({"a": hits("a", "x")}, {"a": -1.0})
    with pytest.raises(ValueError, match="rrf_k"):
        reciprocal_rank_fusion({"a": []}, rrf_k=-1)
    assert reciprocal_rank_fusion({}) == []


def test_blend_ranks() -> None:
    assert blend_ranks(["a", "b", "c"], ["c", "b", "a"], weight=0.0) == ["a", "b", "c"]
    assert blend_ranks(["a", "b", "c"], ["c", "b", "a"], weight=1.0) == ["c", "b", "a"]
    with pytest.raises(ValueError):
        blend_ranks(["a"], ["b"], weight=0.5)


class _FixedEmbedder:
    name, dim = "fixed", 2

    def embed(self, texts):
        return np.asarray([[1.0, 0.0] for _ in texts], dtype=np.float32)


def test_dense_reranker_moves_similar_chunks_up_within_the_head() -> None:
    emb = np.asarray([[0.0, 1.0], [1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    corpus = ChunkCorpus.from_records(["x", "y", "z"], ["dx", "dy", "dz"], ["X", "Y", "Z"], ["", "", ""], emb)
    rr = DenseReranker(corpus, QueryEncoder(_FixedEmbedder()), weight=1.0, head=2)
    out = rr.rerank("q", hits("f", "x", "y", "z"))
    assert [h.chunk_id for h in out] == ["y", "x", "z"]  # z is outside the head and keeps its place
    with pytest.raises(ValueError):
        DenseReranker(corpus, QueryEncoder(_FixedEmbedder()), weight=2.0)
